// libFuzzer target for the T-SQL lexer, parser and printer.
//
// The input is an arbitrary batch. It is parsed with QUOTED_IDENTIFIER ON and OFF; whatever the
// bytes, the parser must return a tree or a catalogued SQL Server error without crashing, hanging
// or overflowing the stack. When it returns a tree, the canonical printing must parse back (with
// the same options) and print identically: parse -> print -> parse -> print is a fixed point.
//
//   ninja -C build-fuzz-tsql tsql_parser_fuzz
//   build-fuzz-tsql/fuzz/tsql_parser_fuzz fuzz/corpus/tsql_parser -max_len=4096
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/errors.h"
#include "tsql/parser.h"
#include "tsql/printer.h"

namespace {

// Control bytes shown as \xNN so that the report survives NULs and terminals.
std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\n' || (c >= 0x20 && c != 0x7F)) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

[[noreturn]] void Fail(const char* what, std::string_view input, const std::string& detail) {
  std::fprintf(stderr, "tsql_parser_fuzz: %s\n--- input (%zu bytes)\n%s\n--- detail\n%s\n", what,
               input.size(), Printable(input).c_str(), Printable(detail).c_str());
  std::abort();
}

void CheckError(const edgesql::SqlError& error, std::string_view input) {
  if (!edgesql::errors::IsKnown(error.number) || error.message.empty() || error.line < 0) {
    Fail("error outside the catalog", input, std::to_string(error.number) + " " + error.message);
  }
}

void CheckRoundTrip(std::string_view input, bool quoted_identifier) {
  edgesql::tsql::ParseOptions options;
  options.quoted_identifier = quoted_identifier;
  auto first = edgesql::tsql::ParseBatch(input, options);
  if (!first.ok()) {
    CheckError(first.error(), input);
    return;
  }
  std::string printed = edgesql::tsql::ToString(*first);
  auto second = edgesql::tsql::ParseBatch(printed, options);
  if (!second.ok()) {
    Fail("printed form does not parse", input,
         printed + "\n--- error\n" + second.status().ToString());
  }
  std::string reprinted = edgesql::tsql::ToString(*second);
  if (reprinted != printed) {
    Fail("printer is not a fixed point", input, printed + "\n--- reprinted\n" + reprinted);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckRoundTrip(input, /*quoted_identifier=*/true);
  CheckRoundTrip(input, /*quoted_identifier=*/false);
  // The single-expression entry points share the expression parser; exercise them too.
  auto expr = edgesql::tsql::ParseExpression(input);
  if (!expr.ok()) CheckError(expr.error(), input);
  auto condition = edgesql::tsql::ParseCondition(input);
  if (!condition.ok()) CheckError(condition.error(), input);
  return 0;
}
