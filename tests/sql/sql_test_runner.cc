// Runs T-SQL conformance files (tests/sql/*.test) against the engine, in the spirit of
// sqllogictest: each record is a batch and what SQL Server does with it.
//
//   # comment
//   statement ok
//   CREATE TABLE t (a int PRIMARY KEY, b varchar(10))
//
//   statement error 2627
//   INSERT INTO t VALUES (1, 'x')
//
//   query int,varchar(10)
//   SELECT a, b FROM t ORDER BY a
//   ----
//   1	x
//   2	NULL
//
//   rowcount 3
//   UPDATE t SET b = 'y'
//
// `query TYPES` checks the result's SQL Server column types (SqlType::ToString, comma-separated)
// and its rows, one per line, values tab-separated as CAST(... AS nvarchar(max)) renders them
// (binary as 0x and upper-case hex, as SSMS shows it), NULL as NULL, '' as (empty). `statement
// error N [text]` expects error N (and the text as a substring of its message) among the messages
// the batch produced. `rowcount N` expects the last DONE of the batch to report N rows. SQL runs
// until a line `----` or a blank line.
//
// Every file runs against a fresh data directory and one session. Usage:
//   sql_test_runner FILE...   (exit status 0 when every record held)
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/result_sink.h"
#include "engine/server.h"
#include "engine/session.h"
#include "types/convert.h"

namespace edgesql {
namespace {

class RecordingSink : public engine::DiscardingSink {
 public:
  struct ResultSet {
    std::vector<ResultColumn> columns;
    std::vector<std::vector<std::string>> rows;
  };

  std::vector<ResultSet> results;
  std::vector<SqlError> messages;
  std::vector<engine::DoneInfo> dones;

  Status ColumnMetadata(std::span<const ResultColumn> columns) override {
    results.push_back({{columns.begin(), columns.end()}, {}});
    return Status::Ok();
  }
  Status Row(std::span<const Value> values) override {
    std::vector<std::string> row;
    for (const Value& v : values) {
      if (v.is_null()) {
        row.push_back("NULL");
      } else if (v.type().IsBinary()) {
        // As SSMS shows binary: 0x and upper-case hex (CONVERT style 1).
        static const char* kHex = "0123456789ABCDEF";
        std::string hex = "0x";
        for (unsigned char b : v.AsString()) {
          hex += kHex[b >> 4];
          hex += kHex[b & 15];
        }
        row.push_back(hex);
      } else {
        std::string s = ToDisplayString(v);
        row.push_back(s.empty() ? "(empty)" : s);
      }
    }
    results.back().rows.push_back(std::move(row));
    return Status::Ok();
  }
  Status Done(const engine::DoneInfo& d) override {
    dones.push_back(d);
    return Status::Ok();
  }
  Status Message(const SqlError& m) override {
    messages.push_back(m);
    return Status::Ok();
  }
  const SqlError* FirstError() const {
    for (const SqlError& m : messages) {
      if (m.severity > 10) return &m;
    }
    return nullptr;
  }
};

struct Record {
  int line = 0;
  std::string kind;  // statement, query, rowcount
  std::string arg;   // ok | error N [text] | types | N
  std::string sql;
  std::vector<std::string> expected;  // query rows
};

std::vector<Record> ReadRecords(const std::string& path) {
  std::ifstream in(path);
  std::vector<Record> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    Record r;
    r.line = number;
    size_t space = line.find(' ');
    r.kind = line.substr(0, space);
    r.arg = space == std::string::npos ? "" : line.substr(space + 1);
    bool rows = false;
    while (std::getline(in, line)) {
      ++number;
      if (line.empty()) break;
      if (line == "----") {
        rows = true;
        continue;
      }
      if (rows) {
        r.expected.push_back(line);
      } else {
        if (!r.sql.empty()) r.sql += "\n";
        r.sql += line;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::string Messages(const RecordingSink& sink) {
  std::string s;
  for (const SqlError& m : sink.messages) {
    s += "\n    Msg " + std::to_string(m.number) + ", Level " + std::to_string(m.severity) + ": " +
         m.message;
  }
  return s.empty() ? "\n    (no messages)" : s;
}

// Returns the number of failed records.
int RunFile(const std::string& path) {
  char tmpl[] = "/tmp/edgesql-sqltest-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return 1;
  std::string dir = tmpl;
  int failures = 0;
  {
    engine::ServerOptions options;
    options.data_dir = dir;
    options.initial_sa_password = "Conformance.Test1";
    auto server = engine::Server::Open(options);
    if (!server.ok()) {
      std::cerr << path << ": cannot start: " << server.error().message << "\n";
      return 1;
    }
    engine::LoginRequest login;
    login.user = "sa";
    login.password = options.initial_sa_password;
    auto session = (*server)->Login(login);
    if (!session.ok()) {
      std::cerr << path << ": cannot log in: " << session.error().message << "\n";
      return 1;
    }
    for (const Record& r : ReadRecords(path)) {
      RecordingSink sink;
      Status st = (*session)->ExecuteBatch(r.sql, sink);
      std::string where = path + ":" + std::to_string(r.line) + ": ";
      const SqlError* error = sink.FirstError();
      auto fail = [&](const std::string& why) {
        ++failures;
        std::cerr << where << why << "\n  batch: " << r.sql << "\n  messages:" << Messages(sink)
                  << "\n";
      };
      if (!st.ok()) {
        fail("the session ended: " + st.error().message);
        continue;
      }
      if (r.kind == "statement" && r.arg == "ok") {
        if (error != nullptr) fail("expected success");
      } else if (r.kind == "statement" && r.arg.rfind("error", 0) == 0) {
        std::istringstream spec(r.arg.substr(5));
        int number = 0;
        spec >> number;
        std::string text;
        std::getline(spec, text);
        if (!text.empty() && text[0] == ' ') text.erase(0, 1);
        bool found = false;
        for (const SqlError& m : sink.messages) {
          if (m.number == number && m.message.find(text) != std::string::npos) found = true;
        }
        if (!found)
          fail("expected error " + std::to_string(number) +
               (text.empty() ? "" : " '" + text + "'"));
      } else if (r.kind == "rowcount") {
        int64_t want = std::atoll(r.arg.c_str());
        if (error != nullptr) {
          fail("expected success");
        } else if (sink.dones.empty() || !sink.dones.back().has_count ||
                   static_cast<int64_t>(sink.dones.back().row_count) != want) {
          fail("expected a row count of " + std::to_string(want) + ", got " +
               (sink.dones.empty() || !sink.dones.back().has_count
                    ? std::string("none")
                    : std::to_string(sink.dones.back().row_count)));
        }
      } else if (r.kind == "query") {
        if (error != nullptr) {
          fail("expected a result");
          continue;
        }
        if (sink.results.empty()) {
          fail("no result set");
          continue;
        }
        const auto& rs = sink.results.back();
        std::vector<std::string> types;
        for (const auto& c : rs.columns) types.push_back(c.type.ToString());
        std::vector<std::string> rows;
        for (const auto& row : rs.rows) rows.push_back(Join(row, "\t"));
        if (!r.arg.empty() && Join(types, ",") != r.arg) {
          fail("column types: expected " + r.arg + ", got " + Join(types, ","));
        } else if (rows != r.expected) {
          fail("rows: expected\n    " + Join(r.expected, "\n    ") + "\n  got\n    " +
               Join(rows, "\n    "));
        }
      } else {
        fail("unknown record kind '" + r.kind + " " + r.arg + "'");
      }
    }
  }
  std::filesystem::remove_all(dir);
  return failures;
}

}  // namespace
}  // namespace edgesql

int main(int argc, char** argv) {
  int failures = 0;
  for (int i = 1; i < argc; ++i) failures += edgesql::RunFile(argv[i]);
  if (failures > 0) std::cerr << failures << " record(s) failed\n";
  return failures == 0 ? 0 : 1;
}
