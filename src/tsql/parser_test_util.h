// Helpers shared by the parser tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "tsql/parser.h"
#include "tsql/printer.h"

namespace edgesql::tsql::testing {

// Parses `sql` (which must succeed), prints it, parses the printed form and prints again; the two
// printed forms must be equal (the printer is a fixed point). Returns the printed form, or
// "ERROR: <message>" when the first parse fails so the failure shows in the test output.
inline std::string RoundTrip(std::string_view sql, const ParseOptions& options = {}) {
  Result<Batch> first = ParseBatch(sql, options);
  if (!first.ok()) return "ERROR: " + first.status().ToString();
  std::string printed = ToString(*first);
  Result<Batch> second = ParseBatch(printed, options);
  if (!second.ok()) {
    ADD_FAILURE() << "printed form does not parse: " << second.status().ToString() << "\n"
                  << printed;
    return printed;
  }
  std::string reprinted = ToString(*second);
  EXPECT_EQ(printed, reprinted) << "printer is not a fixed point for: " << sql;
  return printed;
}

// The printed form without the trailing ";\n" of a single-statement batch.
inline std::string Canon(std::string_view sql, const ParseOptions& options = {}) {
  std::string printed = RoundTrip(sql, options);
  if (printed.size() >= 2 && printed.compare(printed.size() - 2, 2, ";\n") == 0) {
    printed.resize(printed.size() - 2);
  }
  return printed;
}

// Parses `sql`, which must fail, and returns the error.
inline SqlError ParseError(std::string_view sql, const ParseOptions& options = {}) {
  Result<Batch> result = ParseBatch(sql, options);
  if (result.ok()) {
    ADD_FAILURE() << "expected a parse error for: " << sql << "\nparsed as: " << ToString(*result);
    return SqlError{};
  }
  return result.error();
}

// The single statement of `sql`.
inline Batch ParseOk(std::string_view sql, const ParseOptions& options = {}) {
  Result<Batch> result = ParseBatch(sql, options);
  if (!result.ok()) {
    ADD_FAILURE() << "parse failed: " << result.status().ToString() << "\nfor: " << sql;
    return Batch{};
  }
  return std::move(result).value();
}

}  // namespace edgesql::tsql::testing
