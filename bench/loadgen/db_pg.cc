// PostgreSQL through libpq: PQprepare once, PQexecPrepared per operation (text parameters, as
// most applications send them). Bulk load is COPY ... FROM STDIN.
#include <libpq-fe.h>

#include <cstdlib>

#include "db.h"

namespace loadgen {
namespace {

// `?` placeholders become $1, $2, ... (the benchmark's SQL has no `?` inside literals).
std::string Numbered(const std::string& sql) {
  std::string out;
  int n = 0;
  for (char c : sql) {
    if (c == '?')
      out += '$' + std::to_string(++n);
    else
      out += c;
  }
  return out;
}

// Takes ownership of a result; throws unless it has one of the good statuses.
int64_t Consume(PGconn* conn, PGresult* r, int64_t* first, const char* what) {
  ExecStatusType s = PQresultStatus(r);
  if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
    std::string err = std::string(what) + ": " + PQresultErrorMessage(r);
    if (const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE))
      err += std::string(" [") + state + "]";
    PQclear(r);
    throw DbError(err);
  }
  int64_t rows;
  if (s == PGRES_TUPLES_OK) {
    rows = PQntuples(r);
    if (first && rows > 0) *first = PQgetisnull(r, 0, 0) ? 0 : std::atoll(PQgetvalue(r, 0, 0));
  } else {
    const char* n = PQcmdTuples(r);
    rows = *n ? std::atoll(n) : 0;
  }
  PQclear(r);
  return rows;
}

class PgStatement : public Statement {
 public:
  PgStatement(PGconn* conn, const std::string& sql) : conn_(conn) {
    static int counter = 0;  // names are per connection; a process-wide counter is simplest
    name_ = "s" + std::to_string(__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
    Consume(conn_, PQprepare(conn_, name_.c_str(), Numbered(sql).c_str(), 0, nullptr), nullptr,
            "PQprepare");
  }

  int64_t Execute(const std::vector<Value>& params, int64_t* first) override {
    text_.resize(params.size());
    ptrs_.resize(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* v = std::get_if<int64_t>(&params[i]))
        text_[i] = std::to_string(*v);
      else
        text_[i] = std::get<std::string>(params[i]);
      ptrs_[i] = text_[i].c_str();
    }
    PGresult* r = PQexecPrepared(conn_, name_.c_str(), static_cast<int>(params.size()),
                                 ptrs_.data(), nullptr, nullptr, 0);
    return Consume(conn_, r, first, "PQexecPrepared");
  }

 private:
  PGconn* conn_;
  std::string name_;
  std::vector<std::string> text_;
  std::vector<const char*> ptrs_;
};

class PgConnection : public Connection {
 public:
  explicit PgConnection(const Target& t) : Connection({"BEGIN", "COMMIT", "ROLLBACK"}) {
    conn_ = PQconnectdb(t.pg_conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string err = std::string("PQconnectdb: ") + PQerrorMessage(conn_);
      PQfinish(conn_);
      throw DbError(err);
    }
  }
  ~PgConnection() override { PQfinish(conn_); }

  std::unique_ptr<Statement> Prepare(const std::string& sql) override {
    return std::make_unique<PgStatement>(conn_, sql);
  }
  int64_t Exec(const std::string& sql) override {
    int64_t first = 0;
    Consume(conn_, PQexec(conn_, sql.c_str()), &first, "PQexec");
    return first;
  }

  // COPY FROM STDIN in text format, sent in chunks of about 256 KiB; one transaction per
  // batch_rows (0: the whole load in one COPY, itself one transaction).
  int64_t BulkLoad(const std::string& table, const std::string& method, int64_t first_aid,
                   int64_t count, int64_t batch_rows) override {
    if (method != "copy") throw DbError("PostgreSQL bulk load method must be copy, not " + method);
    int64_t acked = 0;
    for (int64_t done = 0; done < count;) {
      int64_t n = batch_rows > 0 ? std::min(batch_rows, count - done) : count - done;
      std::string copy = "COPY " + table + " (aid, bid, abalance, filler) FROM STDIN";
      PGresult* r = PQexec(conn_, copy.c_str());
      if (PQresultStatus(r) != PGRES_COPY_IN) {
        std::string err = std::string("COPY: ") + PQresultErrorMessage(r);
        PQclear(r);
        throw DbError(err);
      }
      PQclear(r);
      std::string buf;
      buf.reserve(300 * 1024);
      for (int64_t k = 0; k < n; ++k) {
        int64_t aid = first_aid + done + k;
        buf += std::to_string(aid) + '\t' + std::to_string(BranchOfAccount(aid)) + "\t0\t" +
               AccountFiller(aid) + '\n';
        if (buf.size() > 256 * 1024 || k + 1 == n) {
          if (PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1)
            throw DbError(std::string("PQputCopyData: ") + PQerrorMessage(conn_));
          buf.clear();
        }
      }
      if (PQputCopyEnd(conn_, nullptr) != 1)
        throw DbError(std::string("PQputCopyEnd: ") + PQerrorMessage(conn_));
      acked += Consume(conn_, PQgetResult(conn_), nullptr, "COPY end");
      while (PGresult* r = PQgetResult(conn_)) PQclear(r);
      done += n;
    }
    return acked;
  }

 private:
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> ConnectPg(const Target& t) { return std::make_unique<PgConnection>(t); }

}  // namespace loadgen
