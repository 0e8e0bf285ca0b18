// edgesql through the FreeTDS ODBC driver (libtdsodbc.so, loaded by path through unixODBC):
// SQLPrepare once, SQLBindParameter once, SQLExecute per operation. Bulk load uses the bcp_*
// functions FreeTDS ODBC exposes through odbcss.h (INSERT BULK + BULK LOAD packets), or
// multi-row INSERT ... VALUES batches.
#include <sql.h>
#include <sqlext.h>

#include <cstring>
#include <mutex>

#include "db.h"
#define TDSODBC_BCP
#include <odbcss.h>

namespace loadgen {
namespace {

SQLHENV SharedEnv() {
  static std::once_flag once;
  static SQLHENV env;
  std::call_once(once, [] {
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
  });
  return env;
}

std::string Diag(SQLSMALLINT type, SQLHANDLE h, const char* what) {
  SQLCHAR state[6] = {0}, text[1024] = {0};
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  std::string out = what;
  for (SQLSMALLINT i = 1; i <= 3; ++i) {
    if (!SQL_SUCCEEDED(SQLGetDiagRec(type, h, i, state, &native, text, sizeof text, &len))) break;
    out += std::string(i == 1 ? ": [" : " | [") + reinterpret_cast<char*>(state) + "] " +
           std::to_string(native) + " " + reinterpret_cast<char*>(text);
  }
  return out;
}

void Check(SQLRETURN rc, SQLSMALLINT type, SQLHANDLE h, const char* what) {
  if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) throw DbError(Diag(type, h, what));
}

// Reads every result of an executed statement; returns rows fetched plus rows affected.
int64_t Drain(SQLHSTMT st, int64_t* first) {
  int64_t rows = 0;
  bool got_first = false;
  SQLRETURN rc;
  do {
    SQLSMALLINT cols = 0;
    SQLNumResultCols(st, &cols);
    if (cols > 0) {
      while ((rc = SQLFetch(st)) != SQL_NO_DATA) {
        Check(rc, SQL_HANDLE_STMT, st, "SQLFetch");
        if (!got_first && first) {
          SQLBIGINT v = 0;
          SQLLEN ind = 0;
          Check(SQLGetData(st, 1, SQL_C_SBIGINT, &v, 0, &ind), SQL_HANDLE_STMT, st, "SQLGetData");
          *first = ind == SQL_NULL_DATA ? 0 : v;
        }
        got_first = true;
        ++rows;
      }
    } else {
      SQLLEN n = 0;
      if (SQL_SUCCEEDED(SQLRowCount(st, &n)) && n > 0) rows += n;
    }
    rc = SQLMoreResults(st);
    Check(rc, SQL_HANDLE_STMT, st, "SQLMoreResults");
  } while (rc != SQL_NO_DATA);
  SQLFreeStmt(st, SQL_CLOSE);
  return rows;
}

class OdbcStatement : public Statement {
 public:
  OdbcStatement(SQLHDBC dbc, const std::string& sql) {
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st_);
    Check(SQLPrepare(st_, (SQLCHAR*)sql.c_str(), SQL_NTS), SQL_HANDLE_STMT, st_, "SQLPrepare");
  }
  ~OdbcStatement() override { SQLFreeHandle(SQL_HANDLE_STMT, st_); }

  int64_t Execute(const std::vector<Value>& params, int64_t* first) override {
    if (!bound_) Bind(params);
    for (size_t i = 0; i < params.size(); ++i) {
      Slot& s = slots_[i];
      if (const auto* v = std::get_if<int64_t>(&params[i])) {
        s.i = static_cast<SQLINTEGER>(*v);
      } else {
        const std::string& str = std::get<std::string>(params[i]);
        s.len = static_cast<SQLLEN>(std::min(str.size(), sizeof s.text - 1));
        std::memcpy(s.text, str.data(), s.len);
      }
    }
    SQLRETURN rc = SQLExecute(st_);
    if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) {
      std::string err = Diag(SQL_HANDLE_STMT, st_, "SQLExecute");
      SQLFreeStmt(st_, SQL_CLOSE);
      throw DbError(err);
    }
    return Drain(st_, first);
  }

 private:
  struct Slot {
    SQLINTEGER i = 0;
    char text[256] = {0};
    SQLLEN len = 0;
  };

  // Integers go as int (SQL_INTEGER), strings as varchar(100): the declared types of the
  // benchmark's columns, so no conversion stands between the parameter and an index.
  void Bind(const std::vector<Value>& params) {
    slots_.resize(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      Slot& s = slots_[i];
      SQLUSMALLINT n = static_cast<SQLUSMALLINT>(i + 1);
      SQLRETURN rc;
      if (std::holds_alternative<int64_t>(params[i])) {
        rc = SQLBindParameter(st_, n, SQL_PARAM_INPUT, SQL_C_LONG, SQL_INTEGER, 0, 0, &s.i, 0,
                              nullptr);
      } else {
        rc = SQLBindParameter(st_, n, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 100, 0, s.text,
                              sizeof s.text, &s.len);
      }
      Check(rc, SQL_HANDLE_STMT, st_, "SQLBindParameter");
    }
    bound_ = true;
  }

  SQLHSTMT st_ = SQL_NULL_HSTMT;
  std::vector<Slot> slots_;
  bool bound_ = false;
};

class OdbcConnection : public Connection {
 public:
  explicit OdbcConnection(const Target& t)
      : Connection({"BEGIN TRANSACTION", "COMMIT TRANSACTION",
                    "IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION"}) {
    SQLAllocHandle(SQL_HANDLE_DBC, SharedEnv(), &dbc_);
    // Bulk copy must be enabled before the login (SQL_COPT_SS_BCP, as with Microsoft's driver).
    SQLSetConnectAttr(dbc_, SQL_COPT_SS_BCP, reinterpret_cast<SQLPOINTER>(SQL_BCP_ON),
                      SQL_IS_INTEGER);
    std::string cs = "DRIVER=" + t.odbc_driver + ";Server=" + t.host +
                     ";Port=" + std::to_string(t.port) + ";TDS_Version=7.4;UID=" + t.user +
                     ";PWD={" + t.password + "};Database=" + t.database +
                     ";ClientCharset=UTF-8;Encryption=off;Timeout=30";
    SQLRETURN rc = SQLDriverConnect(dbc_, nullptr, (SQLCHAR*)cs.c_str(), SQL_NTS, nullptr, 0,
                                    nullptr, SQL_DRIVER_NOPROMPT);
    if (!SQL_SUCCEEDED(rc)) {
      std::string err = Diag(SQL_HANDLE_DBC, dbc_, "SQLDriverConnect");
      SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
      throw DbError(err);
    }
    SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &direct_);
  }
  ~OdbcConnection() override {
    SQLFreeHandle(SQL_HANDLE_STMT, direct_);
    SQLDisconnect(dbc_);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
  }

  std::unique_ptr<Statement> Prepare(const std::string& sql) override {
    return std::make_unique<OdbcStatement>(dbc_, sql);
  }

  int64_t Exec(const std::string& sql) override {
    SQLRETURN rc = SQLExecDirect(direct_, (SQLCHAR*)sql.c_str(), SQL_NTS);
    if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) {
      std::string err = Diag(SQL_HANDLE_STMT, direct_, "SQLExecDirect");
      SQLFreeStmt(direct_, SQL_CLOSE);
      throw DbError(err + " (" + sql.substr(0, 80) + ")");
    }
    int64_t first = 0;
    Drain(direct_, &first);
    return first;
  }

  int64_t BulkLoad(const std::string& table, const std::string& method, int64_t first_aid,
                   int64_t count, int64_t batch_rows) override {
    if (method == "bcp") return Bcp(table, first_aid, count, batch_rows);
    if (method == "values") return Values(table, first_aid, count, batch_rows);
    throw DbError("edgesql bulk load method must be bcp or values, not " + method);
  }

 private:
  // bcp_sendrow per row; bcp_batch every batch_rows (0: one batch, committed by bcp_done).
  int64_t Bcp(const std::string& table, int64_t first_aid, int64_t count, int64_t batch_rows) {
    if (bcp_initA(dbc_, table.c_str(), nullptr, nullptr, BCP_DIRECTION_IN) != SUCCEED)
      throw DbError(Diag(SQL_HANDLE_DBC, dbc_, "bcp_init"));
    int32_t aid = 0, bid = 0, abalance = 0;
    char filler[85] = {0};
    auto bind = [&](void* var, int len, int type, int col) {
      if (bcp_bind(dbc_, static_cast<const unsigned char*>(var), 0, len, nullptr, 0, type, col) !=
          SUCCEED)
        throw DbError(Diag(SQL_HANDLE_DBC, dbc_, "bcp_bind"));
    };
    bind(&aid, SQL_VARLEN_DATA, BCP_TYPE_SQLINT4, 1);
    bind(&bid, SQL_VARLEN_DATA, BCP_TYPE_SQLINT4, 2);
    bind(&abalance, SQL_VARLEN_DATA, BCP_TYPE_SQLINT4, 3);
    bind(filler, 84, BCP_TYPE_SQLCHAR, 4);
    int64_t acked = 0;
    for (int64_t i = 0; i < count; ++i) {
      aid = static_cast<int32_t>(first_aid + i);
      bid = BranchOfAccount(aid);
      std::string f = AccountFiller(aid);
      std::memcpy(filler, f.data(), 84);
      if (bcp_sendrow(dbc_) != SUCCEED) throw DbError(Diag(SQL_HANDLE_DBC, dbc_, "bcp_sendrow"));
      if (batch_rows > 0 && (i + 1) % batch_rows == 0) {
        int n = bcp_batch(dbc_);
        if (n < 0) throw DbError(Diag(SQL_HANDLE_DBC, dbc_, "bcp_batch"));
        acked += n;
      }
    }
    int n = bcp_done(dbc_);
    if (n < 0) throw DbError(Diag(SQL_HANDLE_DBC, dbc_, "bcp_done"));
    return acked + n;
  }

  // INSERT ... VALUES with up to 1000 rows (T-SQL's limit for a row constructor), literal values
  // (1000 rows of 4 columns exceed the 2100-parameter limit), inside transactions of batch_rows.
  int64_t Values(const std::string& table, int64_t first_aid, int64_t count, int64_t batch_rows) {
    int64_t acked = 0, in_txn = 0;
    Begin();
    for (int64_t done = 0; done < count;) {
      int64_t n = std::min<int64_t>(1000, count - done);
      std::string sql = "INSERT INTO " + table + " (aid, bid, abalance, filler) VALUES ";
      sql.reserve(n * 110 + 64);
      for (int64_t k = 0; k < n; ++k) {
        int64_t aid = first_aid + done + k;
        if (k) sql += ',';
        sql += '(' + std::to_string(aid) + ',' + std::to_string(BranchOfAccount(aid)) + ",0,'" +
               AccountFiller(aid) + "')";
      }
      Exec(sql);
      done += n;
      in_txn += n;
      if (batch_rows > 0 && in_txn >= batch_rows && done < count) {
        Commit();
        acked += in_txn;
        in_txn = 0;
        Begin();
      }
    }
    Commit();
    return acked + in_txn;
  }

  SQLHDBC dbc_ = SQL_NULL_HDBC;
  SQLHSTMT direct_ = SQL_NULL_HSTMT;
};

}  // namespace

std::unique_ptr<Connection> ConnectOdbc(const Target& t) {
  return std::make_unique<OdbcConnection>(t);
}

}  // namespace loadgen
