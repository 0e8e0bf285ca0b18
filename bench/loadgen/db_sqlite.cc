// SQLite in-process (Debian's libsqlite3, the library edgesql stores its data with): one
// connection per client thread, journal_mode=WAL and synchronous=FULL as edgesql configures
// its databases, busy_timeout so that concurrent writers wait for the write lock instead of
// failing. sqlite3_prepare_v2 once, bind/step/reset per operation. Bulk load is a prepared
// INSERT inside one transaction.
#include <sqlite3.h>

#include "db.h"

namespace loadgen {
namespace {

[[noreturn]] void Fail(sqlite3* db, const char* what) {
  throw DbError(std::string(what) + ": " + sqlite3_errmsg(db) + " (" +
                std::to_string(sqlite3_extended_errcode(db)) + ")");
}

class SqliteStatement : public Statement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK)
      Fail(db_, "sqlite3_prepare_v2");
  }
  ~SqliteStatement() override { sqlite3_finalize(st_); }

  int64_t Execute(const std::vector<Value>& params, int64_t* first) override {
    for (size_t i = 0; i < params.size(); ++i) {
      int n = static_cast<int>(i + 1);
      if (const auto* v = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(st_, n, *v);
      } else {
        const std::string& s = std::get<std::string>(params[i]);
        sqlite3_bind_text(st_, n, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
    }
    int64_t rows = 0;
    int rc;
    while ((rc = sqlite3_step(st_)) == SQLITE_ROW) {
      if (rows == 0 && first) *first = sqlite3_column_int64(st_, 0);
      ++rows;
    }
    if (rc != SQLITE_DONE) {
      sqlite3_reset(st_);
      Fail(db_, "sqlite3_step");
    }
    if (sqlite3_column_count(st_) == 0) rows = sqlite3_changes(db_);
    sqlite3_reset(st_);
    return rows;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

class SqliteConnection : public Connection {
 public:
  // BEGIN IMMEDIATE: the transaction takes the write lock at BEGIN, so it waits (busy_timeout)
  // rather than failing with SQLITE_BUSY when it upgrades from reading to writing.
  explicit SqliteConnection(const Target& t)
      : Connection({"BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"}) {
    if (sqlite3_open_v2(t.sqlite_file.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string err = std::string("sqlite3_open_v2: ") + sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw DbError(err);
    }
    sqlite3_busy_timeout(db_, 60000);
    Exec("PRAGMA journal_mode=WAL");
    Exec("PRAGMA synchronous=FULL");
  }
  ~SqliteConnection() override { sqlite3_close(db_); }

  std::unique_ptr<Statement> Prepare(const std::string& sql) override {
    return std::make_unique<SqliteStatement>(db_, sql);
  }
  int64_t Exec(const std::string& sql) override {
    SqliteStatement st(db_, sql);
    int64_t first = 0;
    st.Execute({}, &first);
    return first;
  }

  int64_t BulkLoad(const std::string& table, const std::string& method, int64_t first_aid,
                   int64_t count, int64_t batch_rows) override {
    if (method != "insert") throw DbError("SQLite bulk load method must be insert, not " + method);
    auto ins =
        Prepare("INSERT INTO " + table + " (aid, bid, abalance, filler) VALUES (?, ?, 0, ?)");
    int64_t acked = 0, in_txn = 0;
    Begin();
    std::vector<Value> p(3);
    for (int64_t i = 0; i < count; ++i) {
      int64_t aid = first_aid + i;
      p[0] = aid;
      p[1] = int64_t{BranchOfAccount(aid)};
      p[2] = AccountFiller(aid);
      ins->Execute(p);
      if (batch_rows > 0 && ++in_txn >= batch_rows && i + 1 < count) {
        Commit();
        acked += in_txn;
        in_txn = 0;
        Begin();
      }
    }
    Commit();
    return acked + (batch_rows > 0 ? in_txn : count);
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> ConnectSqlite(const Target& t) {
  return std::make_unique<SqliteConnection>(t);
}

std::string SqliteVersion() { return sqlite3_libversion(); }

}  // namespace loadgen
