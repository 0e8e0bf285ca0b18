// The load generator's one client interface, implemented three times: edgesql through FreeTDS
// ODBC (db_odbc.cc), PostgreSQL through libpq (db_pg.cc) and SQLite in-process (db_sqlite.cc).
// Every workload in loadgen.cc is written once against it, so the three systems run the same
// code shape: connect, prepare once, execute many times with integer (or string) parameters,
// fetch the rows, begin/commit, close.
//
// A Connection and its Statements belong to one thread. Failures throw DbError, which carries
// the driver's message; the workload loop counts it as an error and goes on (rolling back an
// explicit transaction first).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace loadgen {

struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Value = std::variant<int64_t, std::string>;

// One row of the accounts shape, for bulk loads.
struct AccountRow {
  int32_t aid, bid, abalance;
};

// A statement prepared once on its connection. Execute binds `params` (same count and kinds
// at every call), runs it and reads every row it returns. It returns the number of rows
// fetched (queries) or affected (DML); `first` receives the first column of the first row of a
// query when not null.
class Statement {
 public:
  virtual ~Statement() = default;
  virtual int64_t Execute(const std::vector<Value>& params, int64_t* first = nullptr) = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // `sql` uses `?` placeholders; implementations translate to their own ($1 for libpq).
  virtual std::unique_ptr<Statement> Prepare(const std::string& sql) = 0;
  // Runs `sql` without parameters; returns the first column of the first row, or 0.
  virtual int64_t Exec(const std::string& sql) = 0;
  void Begin() { Exec(dialect_.begin); }
  void Commit() { Exec(dialect_.commit); }
  void Rollback() {  // never throws
    try {
      Exec(dialect_.rollback);
    } catch (const DbError&) {
    }
  }
  // Loads `count` account-shaped rows (aid from `first_aid`) into `table` the fastest way the
  // system offers through this client library; `method` picks among several (bench/README.md).
  // Returns the rows the server acknowledged.
  virtual int64_t BulkLoad(const std::string& table, const std::string& method, int64_t first_aid,
                           int64_t count, int64_t batch_rows) = 0;

 protected:
  // How the system spells an explicit transaction.
  struct Dialect {
    const char *begin, *commit, *rollback;
  };
  explicit Connection(Dialect d) : dialect_(d) {}

 private:
  Dialect dialect_;
};

// The filler every account row carries: 84 characters, so that char(84) stores the same bytes on
// every system (SQLite does not pad).
std::string AccountFiller(int64_t aid);
inline int32_t BranchOfAccount(int64_t aid) { return static_cast<int32_t>((aid - 1) / 100000 + 1); }

struct Target {
  std::string system;  // edgesql | postgres | sqlite
  std::string host = "127.0.0.1";
  int port = 1433;
  std::string user = "sa";
  std::string password;
  std::string database = "bench";
  std::string odbc_driver = EDGESQL_TDSODBC_DRIVER;  // found by CMake
  std::string pg_conninfo;
  std::string sqlite_file;
};

std::unique_ptr<Connection> Connect(const Target& t);

// Per-system implementations (Connect dispatches).
std::unique_ptr<Connection> ConnectOdbc(const Target& t);
std::unique_ptr<Connection> ConnectPg(const Target& t);
std::unique_ptr<Connection> ConnectSqlite(const Target& t);
std::string SqliteVersion();

}  // namespace loadgen
