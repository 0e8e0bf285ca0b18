// Bulk load through the engine: INSERT BULK, then rows from a BulkRowSource, as the network
// layer drives them. Covers what SQL Server documents for bulk copy: conversions to the column
// types, defaults for missing columns, KEEP_NULLS, identity with and without KEEPIDENTITY (and
// IDENTITY_INSERT ON, which freebcp -E uses), constraint violations failing the whole load, one
// transaction (the caller's if open), ATTENTION, and the protocol errors around the statement.
#include "engine/bulk_load.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/errors.h"
#include "engine/server.h"
#include "engine/session.h"
#include "types/convert.h"

namespace edgesql::engine {
namespace {

class Recorder : public DiscardingSink {
 public:
  Status ColumnMetadata(std::span<const ResultColumn> c) override {
    columns.assign(c.begin(), c.end());
    rows.clear();
    return Status::Ok();
  }
  Status Row(std::span<const Value> values) override {
    std::string line;
    for (const Value& v : values) {
      if (!line.empty()) line += "|";
      line += v.is_null() ? "NULL" : ToDisplayString(v);
    }
    rows.push_back(line);
    return Status::Ok();
  }
  Status Done(const DoneInfo& d) override {
    dones.push_back(d);
    return Status::Ok();
  }
  Status Message(const SqlError& m) override {
    messages.push_back(m);
    return Status::Ok();
  }
  bool CancelRequested() override { return cancel; }

  std::vector<int> Errors() const {
    std::vector<int> out;
    for (const SqlError& m : messages) {
      if (m.severity > 10) out.push_back(m.number);
    }
    return out;
  }

  std::vector<ResultColumn> columns;
  std::vector<std::string> rows;
  std::vector<DoneInfo> dones;
  std::vector<SqlError> messages;
  bool cancel = false;
};

// Rows from memory; `fail_at` makes the stream fail (as a malformed message would) before row
// `fail_at`, and `cancel_at` asks for cancellation once that many rows have been read.
class VectorSource : public BulkRowSource {
 public:
  VectorSource(std::vector<SqlType> types, std::vector<std::vector<Value>> rows)
      : types_(std::move(types)), rows_(std::move(rows)) {}
  Result<std::vector<SqlType>> ColumnTypes() override { return types_; }
  Result<bool> NextRow(std::vector<Value>* row) override {
    if (fail_at >= 0 && next_ == static_cast<size_t>(fail_at)) {
      return errors::Make(errors::kBulkInvalidColumnLength, {"1"});
    }
    if (cancel_at >= 0 && next_ == static_cast<size_t>(cancel_at) && recorder) {
      recorder->cancel = true;
    }
    if (next_ == rows_.size()) return false;
    *row = rows_[next_++];
    return true;
  }
  int fail_at = -1;
  int cancel_at = -1;
  Recorder* recorder = nullptr;
  size_t read() const { return next_; }

 private:
  std::vector<SqlType> types_;
  std::vector<std::vector<Value>> rows_;
  size_t next_ = 0;
};

Value I(int64_t v) { return Value::Int(SqlType::Int(), v); }
Value NI() { return Value::Null(SqlType::Int()); }
Value NV(const std::string& s, int n = 20) { return Value::Str(SqlType::NVarChar(n), s); }
Value NNV(int n = 20) { return Value::Null(SqlType::NVarChar(n)); }

class BulkLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/edgesql-bulk-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    ServerOptions options;
    options.data_dir = root_;
    options.initial_sa_password = "Bulk.Load.Test1";
    auto server = Server::Open(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    session_ = NewSession();
  }
  void TearDown() override {
    session_.reset();
    server_.reset();
    std::filesystem::remove_all(root_);
  }
  std::unique_ptr<Session> NewSession() {
    LoginRequest login;
    login.user = "sa";
    login.password = "Bulk.Load.Test1";
    auto s = server_->Login(login);
    EXPECT_TRUE(s.ok());
    return std::move(s).value();
  }

  // Runs a batch that must succeed.
  Recorder Run(const std::string& sql, Session* s = nullptr) {
    Recorder r;
    Status st = (s ? *s : *session_).ExecuteBatch(sql, r);
    EXPECT_TRUE(st.ok()) << st.ToString();
    EXPECT_TRUE(r.Errors().empty()) << sql << ": " << r.messages[0].message;
    return r;
  }
  std::vector<std::string> Rows(const std::string& sql) { return Run(sql).rows; }

  // INSERT BULK `statement`, then the rows; returns what the load answered.
  Recorder Load(const std::string& statement, VectorSource& source) {
    Recorder announce = Run(statement);
    EXPECT_TRUE(session_->bulk_load_pending());
    Recorder r;
    source.recorder = &r;
    Status st = session_->ExecuteBulkLoad(source, r);
    EXPECT_TRUE(st.ok()) << st.ToString();
    EXPECT_FALSE(session_->bulk_load_pending());
    return r;
  }

  std::string root_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Session> session_;
};

TEST_F(BulkLoadTest, LoadsRowsAndReportsTheCount) {
  Run("CREATE TABLE t (id int NOT NULL PRIMARY KEY, name nvarchar(20) NULL)");
  VectorSource rows({SqlType::Int(), SqlType::NVarChar(20)},
                    {{I(1), NV("one")}, {I(2), NNV()}, {I(3), NV("tr\xC3\xA9s")}});
  Recorder r = Load("INSERT BULK dbo.t ([id] int, [name] nvarchar(20))", rows);
  EXPECT_TRUE(r.Errors().empty());
  ASSERT_EQ(r.dones.size(), 1u);
  EXPECT_TRUE(r.dones[0].has_count);
  EXPECT_EQ(r.dones[0].row_count, 3u);
  EXPECT_EQ(r.dones[0].command, Command::kInsert);
  EXPECT_FALSE(r.dones[0].more);
  EXPECT_EQ(Rows("SELECT id, name FROM t ORDER BY id"),
            (std::vector<std::string>{"1|one", "2|NULL", "3|tr\xC3\xA9s"}));
  EXPECT_EQ(Rows("SELECT @@ROWCOUNT"), (std::vector<std::string>{"3"}));
  // The row count is reported under SET NOCOUNT ON too: clients take the rows copied from it.
  Run("SET NOCOUNT ON");
  VectorSource more({SqlType::Int(), SqlType::NVarChar(20)}, {{I(4), NV("four")}});
  r = Load("INSERT BULK t (id int, name nvarchar(20))", more);
  ASSERT_EQ(r.dones.size(), 1u);
  EXPECT_TRUE(r.dones[0].has_count);
  EXPECT_EQ(r.dones[0].row_count, 1u);
}

TEST_F(BulkLoadTest, ColumnsInAnyOrderDefaultsAndNulls) {
  Run("CREATE TABLE t (a int NULL, b nvarchar(10) NOT NULL DEFAULT 'dflt', c int NULL DEFAULT 7, "
      "d int NULL)");
  // Columns named in another order; b and c not sent take their defaults, d NULL.
  VectorSource rows({SqlType::Int()}, {{I(1)}, {NI()}});
  EXPECT_TRUE(Load("INSERT BULK t (a int)", rows).Errors().empty());
  // Without KEEP_NULLS a NULL for a column with a default takes the default ...
  VectorSource nulls({SqlType::Int(), SqlType::NVarChar(10), SqlType::Int()},
                     {{I(10), NNV(10), I(2)}, {NI(), NV("x", 10), I(3)}});
  EXPECT_TRUE(Load("INSERT BULK t (c int, b nvarchar(10), a int)", nulls).Errors().empty());
  // ... and with KEEP_NULLS it stays NULL (b is NOT NULL: 515).
  VectorSource keep({SqlType::Int(), SqlType::Int()}, {{I(4), NI()}});
  EXPECT_TRUE(Load("INSERT BULK t (a int, c int) WITH (KEEP_NULLS)", keep).Errors().empty());
  EXPECT_EQ(Rows("SELECT a, b, c, d FROM t ORDER BY a"),
            (std::vector<std::string>{"NULL|dflt|7|NULL", "1|dflt|7|NULL", "2|dflt|10|NULL",
                                      "3|x|7|NULL", "4|dflt|NULL|NULL"}));
  VectorSource null_b({SqlType::Int(), SqlType::NVarChar(10)}, {{I(5), NNV(10)}});
  Recorder r = Load("INSERT BULK t (a int, b nvarchar(10)) WITH (KEEP_NULLS)", null_b);
  EXPECT_EQ(r.Errors(), (std::vector<int>{errors::kNullNotAllowed}));
}

TEST_F(BulkLoadTest, ConvertsToTheColumnTypes) {
  // pytds declares every column nvarchar(4000) unless told otherwise: the server converts.
  Run("CREATE TABLE t (i int, d decimal(38, 10), dt datetime2(7), v varchar(5), g "
      "uniqueidentifier)");
  SqlType nv = SqlType::NVarChar(4000);
  VectorSource rows({nv, nv, nv, nv, nv},
                    {{Value::Str(nv, "42"), Value::Str(nv, "-12345678901234567890.0123456789"),
                      Value::Str(nv, "2024-02-29 23:59:59.1234567"), Value::Str(nv, "abc"),
                      Value::Str(nv, "6F9619FF-8B86-D011-B42D-00C04FC964FF")}});
  Recorder r = Load(
      "INSERT BULK t ([i] NVARCHAR(4000),[d] NVARCHAR(4000),[dt] NVARCHAR(4000),[v] "
      "NVARCHAR(4000),[g] NVARCHAR(4000))",
      rows);
  EXPECT_TRUE(r.Errors().empty());
  EXPECT_EQ(
      Rows("SELECT i, d, CONVERT(varchar(27), dt, 121), v, g FROM t"),
      (std::vector<std::string>{"42|-12345678901234567890.0123456789|2024-02-29 "
                                "23:59:59.1234567|abc|6F9619FF-8B86-D011-B42D-00C04FC964FF"}));
  // A value that does not convert fails the load with the conversion error; nothing is stored.
  VectorSource bad(
      {nv, nv, nv, nv, nv},
      {{Value::Str(nv, "7"), Value::Null(nv), Value::Null(nv), Value::Null(nv), Value::Null(nv)},
       {Value::Str(nv, "x7"), Value::Null(nv), Value::Null(nv), Value::Null(nv), Value::Null(nv)}});
  r = Load(
      "INSERT BULK t (i nvarchar(4000), d nvarchar(4000), dt nvarchar(4000), v "
      "nvarchar(4000), g nvarchar(4000))",
      bad);
  EXPECT_EQ(r.Errors(), (std::vector<int>{errors::kConversionFailed}));
  // Too long for varchar(5): 2628 names the table and column.
  VectorSource too_long({nv}, {{Value::Str(nv, "abcdef")}});
  r = Load("INSERT BULK t (v nvarchar(4000))", too_long);
  EXPECT_EQ(r.Errors(), (std::vector<int>{errors::kStringTruncated}));
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"1"}));
}

TEST_F(BulkLoadTest, Identity) {
  Run("CREATE TABLE t (id int IDENTITY(10, 5) PRIMARY KEY, v int)");
  // Without the identity column in the list: generated.
  VectorSource plain({SqlType::Int()}, {{I(1)}, {I(2)}});
  EXPECT_TRUE(Load("INSERT BULK t (v int)", plain).Errors().empty());
  // Listed without KEEPIDENTITY: the stream's values are ignored and generated too.
  VectorSource ignored({SqlType::Int(), SqlType::Int()}, {{I(1000), I(3)}, {I(1001), I(4)}});
  EXPECT_TRUE(Load("INSERT BULK t (id int, v int)", ignored).Errors().empty());
  // With KEEPIDENTITY: kept, and generation continues after the largest.
  VectorSource kept({SqlType::Int(), SqlType::Int()}, {{I(500), I(5)}, {I(100), I(6)}});
  EXPECT_TRUE(Load("INSERT BULK t (id int, v int) WITH (KEEPIDENTITY)", kept).Errors().empty());
  // IDENTITY_INSERT ON (freebcp -E): kept as well.
  Run("SET IDENTITY_INSERT t ON");
  VectorSource on({SqlType::Int(), SqlType::Int()}, {{I(7), I(7)}});
  EXPECT_TRUE(Load("INSERT BULK t (id int, v int)", on).Errors().empty());
  Run("SET IDENTITY_INSERT t OFF");
  Run("INSERT INTO t (v) VALUES (8)");
  EXPECT_EQ(
      Rows("SELECT id, v FROM t ORDER BY v"),
      (std::vector<std::string>{"10|1", "15|2", "20|3", "25|4", "500|5", "100|6", "7|7", "505|8"}));
  // A NULL identity value kept: 515; a duplicate: 2627.
  VectorSource null_id({SqlType::Int(), SqlType::Int()}, {{NI(), I(9)}});
  EXPECT_EQ(Load("INSERT BULK t (id int, v int) WITH (KEEPIDENTITY)", null_id).Errors(),
            (std::vector<int>{errors::kNullNotAllowed}));
  VectorSource dup({SqlType::Int(), SqlType::Int()}, {{I(10), I(9)}});
  EXPECT_EQ(Load("INSERT BULK t (id int, v int) WITH (KEEPIDENTITY)", dup).Errors(),
            (std::vector<int>{errors::kDuplicateKeyConstraint}));
}

TEST_F(BulkLoadTest, AFailingRowFailsTheWholeLoad) {
  Run("CREATE TABLE t (id int PRIMARY KEY, u nvarchar(10) UNIQUE, n int NOT NULL)");
  Run("INSERT INTO t VALUES (1, 'a', 0)");
  std::vector<SqlType> types = {SqlType::Int(), SqlType::NVarChar(10), SqlType::Int()};
  auto three = [&](Value id, Value u, Value n) { return std::vector<Value>{id, u, n}; };
  VectorSource dup_pk(types, {three(I(2), NV("b", 10), I(0)), three(I(1), NV("c", 10), I(0))});
  Recorder r = Load("INSERT BULK t (id int, u nvarchar(10), n int)", dup_pk);
  EXPECT_EQ(r.Errors(), (std::vector<int>{errors::kDuplicateKeyConstraint}));
  EXPECT_NE(r.messages[0].message.find("The duplicate key value is (1)"), std::string::npos)
      << r.messages[0].message;
  // "The statement has been terminated." follows, and the DONE carries the error bit.
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[1].number, errors::kStatementTerminated);
  ASSERT_FALSE(r.dones.empty());
  EXPECT_TRUE(r.dones.back().error);
  VectorSource dup_unique(types, {three(I(3), NV("a", 10), I(0))});
  EXPECT_EQ(Load("INSERT BULK t (id int, u nvarchar(10), n int)", dup_unique).Errors(),
            (std::vector<int>{errors::kDuplicateKeyConstraint}));
  VectorSource null_n(types, {three(I(4), NV("d", 10), I(1)), three(I(5), NV("e", 10), NI())});
  EXPECT_EQ(Load("INSERT BULK t (id int, u nvarchar(10), n int)", null_n).Errors(),
            (std::vector<int>{errors::kNullNotAllowed}));
  // A broken stream in the middle: its error, nothing stored.
  VectorSource broken(types, {three(I(6), NV("f", 10), I(0)), three(I(7), NV("g", 10), I(0))});
  broken.fail_at = 1;
  EXPECT_EQ(Load("INSERT BULK t (id int, u nvarchar(10), n int)", broken).Errors(),
            (std::vector<int>{errors::kBulkInvalidColumnLength}));
  EXPECT_EQ(Rows("SELECT id FROM t"), (std::vector<std::string>{"1"}));
}

TEST_F(BulkLoadTest, InsideAnExplicitTransaction) {
  Run("CREATE TABLE t (id int PRIMARY KEY)");
  Run("BEGIN TRAN; INSERT INTO t VALUES (1)");
  VectorSource rows({SqlType::Int()}, {{I(2)}, {I(3)}});
  Recorder r = Load("INSERT BULK t (id int)", rows);
  EXPECT_TRUE(r.Errors().empty());
  EXPECT_TRUE(r.dones.back().in_transaction);
  // A failed load undoes itself only; the transaction goes on.
  VectorSource dup({SqlType::Int()}, {{I(4)}, {I(1)}});
  EXPECT_EQ(Load("INSERT BULK t (id int)", dup).Errors(),
            (std::vector<int>{errors::kDuplicateKeyConstraint}));
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"3"}));
  // Another session sees nothing until the commit.
  auto other = NewSession();
  EXPECT_EQ(Run("SELECT count(*) FROM t", other.get()).rows, (std::vector<std::string>{"0"}));
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"0"}));
}

TEST_F(BulkLoadTest, AttentionCancelsTheLoad) {
  Run("CREATE TABLE t (id int PRIMARY KEY)");
  std::vector<std::vector<Value>> many;
  for (int i = 0; i < 100000; ++i) many.push_back({I(i)});
  VectorSource rows({SqlType::Int()}, many);
  rows.cancel_at = 1000;
  Recorder r = Load("INSERT BULK t (id int)", rows);
  EXPECT_TRUE(r.Errors().empty());
  ASSERT_FALSE(r.dones.empty());
  EXPECT_TRUE(r.dones.back().attention);
  EXPECT_LT(rows.read(), many.size());
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"0"}));
}

TEST_F(BulkLoadTest, StatementErrors) {
  Run("CREATE TABLE t (id int IDENTITY, a int, b nvarchar(5))");
  auto error_of = [&](const std::string& sql) {
    Recorder r;
    EXPECT_TRUE(session_->ExecuteBatch(sql, r).ok());
    EXPECT_FALSE(session_->bulk_load_pending()) << sql;
    return r.Errors();
  };
  EXPECT_EQ(error_of("INSERT BULK nope (a int)"), (std::vector<int>{errors::kInvalidObjectName}));
  EXPECT_EQ(error_of("INSERT BULK t (a int, zz int)"),
            (std::vector<int>{errors::kInvalidColumnName}));
  EXPECT_EQ(error_of("INSERT BULK t (a int, A int)"),
            (std::vector<int>{errors::kColumnAssignedTwice}));
  EXPECT_EQ(error_of("INSERT BULK t (a nosuchtype)"), (std::vector<int>{errors::kUnknownType}));
  EXPECT_EQ(error_of("INSERT BULK otherdb.dbo.t (a int)"),
            (std::vector<int>{errors::kUnsupportedStatement}));
  // Announced, then a batch instead of the rows: 4022, and the load is forgotten.
  Run("INSERT BULK t (a int)");
  EXPECT_TRUE(session_->bulk_load_pending());
  Recorder r;
  ASSERT_TRUE(session_->ExecuteBatch("SELECT 1", r).ok());
  EXPECT_EQ(r.Errors(), (std::vector<int>{errors::kBulkLoadNotSent}));
  EXPECT_TRUE(r.rows.empty());
  EXPECT_FALSE(session_->bulk_load_pending());
  EXPECT_EQ(Rows("SELECT 1"), (std::vector<std::string>{"1"}));
  // Rows with no INSERT BULK before them.
  VectorSource rows({SqlType::Int()}, {{I(1)}});
  Recorder lost;
  ASSERT_TRUE(session_->ExecuteBulkLoad(rows, lost).ok());
  EXPECT_EQ(lost.Errors(), (std::vector<int>{errors::kProtocolStreamIncorrect}));
  // A stream whose columns are not the announced ones: 4816 naming the column.
  VectorSource wrong_type({SqlType::Int(), SqlType::Int()}, {{I(1), I(2)}});
  EXPECT_EQ(Load("INSERT BULK t (a int, b nvarchar(5))", wrong_type).Errors(),
            (std::vector<int>{errors::kBulkInvalidColumnType}));
  VectorSource too_few({SqlType::Int()}, {{I(1)}});
  Recorder few = Load("INSERT BULK t (a int, b nvarchar(5))", too_few);
  EXPECT_EQ(few.Errors(), (std::vector<int>{errors::kBulkInvalidColumnType}));
  EXPECT_EQ(few.messages[0].message, "Invalid column type from bcp client for colid 2.");
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"0"}));
}

TEST_F(BulkLoadTest, FmtOnlyDescribesWithoutRunning) {
  Run("CREATE TABLE t (id int IDENTITY PRIMARY KEY, name nvarchar(20) NULL, d decimal(38, 10))");
  Run("INSERT INTO t (name, d) VALUES ('x', 1)");
  // FreeTDS's probe before a bulk copy, and go-mssqldb's, which spans two batches.
  Recorder r = Run("SET FMTONLY ON select * from dbo.t SET FMTONLY OFF");
  ASSERT_EQ(r.columns.size(), 3u);
  EXPECT_TRUE(r.columns[0].identity);
  EXPECT_EQ(r.columns[1].type, SqlType::NVarChar(20));
  EXPECT_TRUE(r.rows.empty());
  Run("SET FMTONLY ON");
  r = Run("select * from t SET FMTONLY OFF");
  EXPECT_EQ(r.columns.size(), 3u);
  EXPECT_TRUE(r.rows.empty());
  // Nothing runs: no insert, no assignment; every branch is described.
  r =
      Run("SET FMTONLY ON; DECLARE @n int = 5; INSERT INTO t (name) VALUES ('y'); "
          "IF @n = 5 SELECT 1 AS a ELSE SELECT N'b' AS b; SET @n = 6; SET FMTONLY OFF; "
          "SELECT @n AS n, (SELECT count(*) FROM t) AS c");
  EXPECT_EQ(r.rows, (std::vector<std::string>{"NULL|1"}));
  // Errors are still reported.
  Recorder e;
  ASSERT_TRUE(session_->ExecuteBatch("SET FMTONLY ON select * from nope", e).ok());
  EXPECT_EQ(e.Errors(), (std::vector<int>{errors::kInvalidObjectName}));
  Run("SET FMTONLY OFF");
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"1"}));
}

}  // namespace
}  // namespace edgesql::engine
