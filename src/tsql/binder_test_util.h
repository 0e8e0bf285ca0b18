// Helpers shared by the compiler tests: a catalog of test tables, a real SQLite database laid out
// exactly as engine/catalog.cc lays tables out (t<object_id>, c<column_id>, rowid-alias integer
// primary keys, unique indexes), the runtime functions registered on it, a stub RuntimeContext,
// and a runner that compiles T-SQL, binds parameters, steps and decodes rows with FromStored.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/errors.h"
#include "storage/sqlite_conn.h"
#include "tsql/compiled.h"
#include "tsql/parser.h"
#include "tsql/runtime_context.h"
#include "tsql/runtime_functions.h"
#include "types/collation.h"
#include "types/convert.h"
#include "types/storage_form.h"

namespace edgesql::tsql::testing {

class TestCatalog : public CatalogView {
 public:
  std::vector<TableInfo> tables;

  const TableInfo* FindTable(std::string_view schema, std::string_view name) const override {
    std::string_view want = schema.empty() ? std::string_view("dbo") : schema;
    for (const TableInfo& t : tables) {
      if (collation::Equal(t.name, name) && collation::Equal(t.schema, want)) return &t;
    }
    return nullptr;
  }
  const TableInfo* TableById(int64_t id) const override {
    for (const TableInfo& t : tables) {
      if (t.object_id == id) return &t;
    }
    return nullptr;
  }
};

class TestVariables : public VariableScope {
 public:
  std::map<std::string, SqlType> types;  // upper-cased names
  const SqlType* FindVariable(std::string_view name) const override {
    auto it = types.find(collation::Upper(name));
    return it == types.end() ? nullptr : &it->second;
  }
};

class StubRuntime : public RuntimeContext {
 public:
  std::map<int64_t, int64_t> identity;  // last value per table
  std::map<int32_t, StoredValue> keys;
  datetime::DateSettings dates;
  int64_t last_identity = 0;

  Result<int64_t> NextIdentity(int64_t object_id) override {
    last_identity = ++identity[object_id];
    return last_identity;
  }
  const datetime::DateSettings& date_settings() const override { return dates; }
  Value ServerProperty(std::string_view name) const override {
    if (collation::Equal(name, "ProductVersion")) return Value::NVarChar("16.0.1000.6");
    if (collation::Equal(name, "EngineEdition")) return Value::Integer(3);
    return Value();
  }
  std::optional<int64_t> DatabaseId(std::string_view name) const override {
    if (collation::Equal(name, "master")) return 1;
    if (collation::Equal(name, "testdb")) return 5;
    return std::nullopt;
  }
  std::optional<std::string> DatabaseName(int64_t id) const override {
    if (id == 1) return std::string("master");
    if (id == 5) return std::string("testdb");
    return std::nullopt;
  }
  void RecordKeyValue(int32_t column_id, const StoredValue& value) override {
    keys[column_id] = value;
  }
};

inline ColumnInfo Col(int32_t id, std::string name, SqlType type, bool nullable = true) {
  ColumnInfo c;
  c.column_id = id;
  c.name = std::move(name);
  c.type = type;
  c.nullable = nullable;
  return c;
}

inline IndexInfo Index(int32_t id, std::string name, IndexKind kind, std::vector<int32_t> cols,
                       bool rowid = false) {
  IndexInfo i;
  i.index_id = id;
  i.name = std::move(name);
  i.kind = kind;
  i.column_ids = std::move(cols);
  i.descending.assign(i.column_ids.size(), false);
  i.is_rowid = rowid;
  return i;
}

// The test schema:
//   people(id int PK rowid, name nvarchar(50) NOT NULL, age int, city varchar(30),
//          salary decimal(12,2), born date, created datetime DEFAULT getdate(), flag bit,
//          guid uniqueidentifier)
//   orders(order_id int IDENTITY PK rowid, person_id int NOT NULL, amount money NOT NULL,
//          qty smallint NOT NULL DEFAULT 1, note varchar(10), code char(4) UNIQUE,
//          stamp datetime2(3), ratio float)
//   big(k bigint PK rowid, d38 decimal(38,10), dto datetimeoffset(7), t time(7),
//       bin varbinary(8), r real, tiny tinyint, small smallint, sdt smalldatetime, fixed nchar(5),
//       bd decimal(38,0), txt nvarchar(max))
//   kv(a varchar(10), b int, val nvarchar(20), PRIMARY KEY (a, b))
inline TestCatalog MakeCatalog() {
  TestCatalog cat;
  TableInfo people;
  people.object_id = 1001;
  people.name = "people";
  people.columns = {Col(1, "id", SqlType::Int(), false),
                    Col(2, "name", SqlType::NVarChar(50), false),
                    Col(3, "age", SqlType::Int()),
                    Col(4, "city", SqlType::VarChar(30)),
                    Col(5, "salary", SqlType::Decimal(12, 2)),
                    Col(6, "born", SqlType::Date()),
                    Col(7, "created", SqlType::DateTime()),
                    Col(8, "flag", SqlType::Bit()),
                    Col(9, "guid", SqlType::UniqueIdentifier())};
  people.columns[6].default_name = "DF_people_created";
  people.columns[6].default_sql = "(getdate())";
  people.indexes = {Index(1, "PK_people", IndexKind::kPrimaryKey, {1}, true)};
  cat.tables.push_back(people);

  TableInfo orders;
  orders.object_id = 1002;
  orders.name = "orders";
  orders.columns = {
      Col(1, "order_id", SqlType::Int(), false), Col(2, "person_id", SqlType::Int(), false),
      Col(3, "amount", SqlType::Money(), false), Col(4, "qty", SqlType::SmallInt(), false),
      Col(5, "note", SqlType::VarChar(10)),      Col(6, "code", SqlType::Char(4)),
      Col(7, "stamp", SqlType::DateTime2(3)),    Col(8, "ratio", SqlType::Float())};
  orders.columns[0].identity = IdentityInfo{1, 1};
  orders.columns[3].default_name = "DF_orders_qty";
  orders.columns[3].default_sql = "((1))";
  orders.indexes = {Index(1, "PK_orders", IndexKind::kPrimaryKey, {1}, true),
                    Index(2, "UQ_orders_code", IndexKind::kUniqueConstraint, {6})};
  cat.tables.push_back(orders);

  TableInfo big;
  big.object_id = 1003;
  big.name = "big";
  big.columns = {
      Col(1, "k", SqlType::BigInt(), false),     Col(2, "d38", SqlType::Decimal(38, 10)),
      Col(3, "dto", SqlType::DateTimeOffset(7)), Col(4, "t", SqlType::Time(7)),
      Col(5, "bin", SqlType::VarBinary(8)),      Col(6, "r", SqlType::Real()),
      Col(7, "tiny", SqlType::TinyInt()),        Col(8, "small", SqlType::SmallInt()),
      Col(9, "sdt", SqlType::SmallDateTime()),   Col(10, "fixed", SqlType::NChar(5)),
      Col(11, "bd", SqlType::Decimal(38, 0)),    Col(12, "txt", SqlType::NVarChar(SqlType::kMax))};
  big.indexes = {Index(1, "PK_big", IndexKind::kPrimaryKey, {1}, true)};
  cat.tables.push_back(big);

  TableInfo kv;
  kv.object_id = 1004;
  kv.name = "kv";
  kv.columns = {Col(1, "a", SqlType::VarChar(10), false), Col(2, "b", SqlType::Int(), false),
                Col(3, "val", SqlType::NVarChar(20))};
  kv.indexes = {Index(1, "PK_kv", IndexKind::kPrimaryKey, {1, 2})};
  cat.tables.push_back(kv);
  return cat;
}

// The CREATE TABLE/INDEX statements engine/catalog.cc issues for `t`.
inline std::string CreateSql(const TableInfo& t) {
  const IndexInfo* pk = nullptr;
  for (const IndexInfo& i : t.indexes) {
    if (i.is_rowid) pk = &i;
  }
  std::string sql = "CREATE TABLE " + t.sqlite_name() + "(";
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const ColumnInfo& c = t.columns[i];
    if (i > 0) sql += ", ";
    sql += c.sqlite_name();
    if (pk && pk->column_ids[0] == c.column_id) {
      sql += " INTEGER PRIMARY KEY";
    } else {
      sql += std::string(" ") + SqliteColumnType(c.type);
    }
    if (!c.nullable) sql += " NOT NULL";
  }
  sql += ");";
  for (const IndexInfo& i : t.indexes) {
    if (i.is_rowid) continue;
    sql += std::string(i.unique() ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + "i" +
           std::to_string(t.object_id) + "_" + std::to_string(i.index_id) + " ON " +
           t.sqlite_name() + "(";
    for (size_t k = 0; k < i.column_ids.size(); ++k) {
      sql += (k ? ", c" : "c") + std::to_string(i.column_ids[k]);
    }
    sql += ");";
  }
  return sql;
}

struct Rows {
  std::vector<ResultColumn> columns;
  std::vector<std::vector<Value>> values;
  // Each value as SQL Server's CAST(... AS nvarchar(max)) shows it; NULL as "NULL".
  std::vector<std::vector<std::string>> Text() const {
    std::vector<std::vector<std::string>> out;
    for (const auto& row : values) {
      std::vector<std::string> r;
      for (const Value& v : row) r.push_back(v.is_null() ? "NULL" : ToDisplayString(v));
      out.push_back(std::move(r));
    }
    return out;
  }
};

using TextRows = std::vector<std::vector<std::string>>;

class Db {
 public:
  Db() : catalog_(MakeCatalog()) {
    char tmpl[] = "/tmp/edgesql_binder_XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto conn = storage::SqliteConnection::Open(
        dir_ + "/test.db", storage::SqliteConnection::Role::kWriter, true,
        [](sqlite3* db, storage::SqliteConnection* c) { return RegisterRuntimeFunctions(db, c); });
    EXPECT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = std::move(*conn);
    conn_->set_user_data(static_cast<RuntimeContext*>(&runtime_));
    for (const TableInfo& t : catalog_.tables) {
      Status st = conn_->Exec(CreateSql(t));
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
    ctx_.catalog = &catalog_;
    ctx_.variables = &vars_;
    ctx_.database_name = "testdb";
  }
  ~Db() {
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  BindSettings& settings() { return ctx_.settings; }
  const BindContext& context() const { return ctx_; }
  StubRuntime& runtime() { return runtime_; }
  storage::SqliteConnection& conn() { return *conn_; }
  const TestCatalog& catalog() const { return catalog_; }

  // Declares a variable with a value (its type is the value's type unless given).
  void Declare(const std::string& name, Value value, std::optional<SqlType> type = std::nullopt) {
    SqlType t = type ? *type : value.type();
    vars_.types[collation::Upper(name)] = t;
    if (!value.is_null() || type) {
      auto conv = Convert(value, t);
      values_[collation::Upper(name)] = conv.ok() ? *conv : value;
    } else {
      values_[collation::Upper(name)] = Value::Null(t);
    }
  }
  void SetRuntime(RuntimeValue which, Value v) { runtime_values_[static_cast<int>(which)] = v; }

  Result<std::shared_ptr<const CompiledStatement>> Compile(std::string_view tsql) {
    ParseOptions options;
    options.quoted_identifier = ctx_.settings.quoted_identifier;
    Result<Batch> batch = ParseBatch(tsql, options);
    if (!batch.ok()) return batch.status();
    if (batch->statements.size() != 1) {
      return errors::Make(errors::kInternalError, {"expected one statement"});
    }
    return CompileStatement(*batch->statements[0], ctx_);
  }

  Result<Rows> Run(const CompiledStatement& cs) {
    EDGESQL_ASSIGN_OR_RETURN(storage::Statement * st, conn_->Prepare(cs.sql));
    for (size_t i = 0; i < cs.params.size(); ++i) {
      const ParamSource& p = cs.params[i];
      Value v;
      if (p.kind == ParamKind::kVariable) {
        v = values_[collation::Upper(p.variable)];
      } else {
        auto it = runtime_values_.find(static_cast<int>(p.runtime));
        v = it == runtime_values_.end() ? Value() : it->second;
      }
      if (!v.is_null() || !v.type().IsNull()) {
        ConversionContext cc;
        cc.kind = ConversionKind::kImplicit;
        EDGESQL_ASSIGN_OR_RETURN(v, Convert(v, p.type, cc));
      }
      EDGESQL_RETURN_IF_ERROR(st->Bind(static_cast<int>(i + 1), ToStored(v)));
    }
    Rows rows;
    rows.columns = cs.columns;
    StoredValue sv;
    for (;;) {
      Result<bool> more = st->Step();
      if (!more.ok()) return more.status();
      if (!*more) break;
      std::vector<Value> row;
      for (size_t c = 0; c < cs.columns.size(); ++c) {
        st->Column(static_cast<int>(c), &sv);
        EDGESQL_ASSIGN_OR_RETURN(Value v, FromStored(sv, cs.columns[c].type));
        row.push_back(std::move(v));
      }
      rows.values.push_back(std::move(row));
    }
    st->Reset();
    return rows;
  }

  Result<Rows> Exec(std::string_view tsql) {
    EDGESQL_ASSIGN_OR_RETURN(auto cs, Compile(tsql));
    last_sql_ = cs->sql;
    return Run(*cs);
  }

  // The rows as text, or a one-cell "ERROR <number>: <message>" row.
  TextRows Query(std::string_view tsql) {
    Result<Rows> r = Exec(tsql);
    if (!r.ok()) {
      return {{"ERROR " + std::to_string(r.error().number) + ": " + r.error().message}};
    }
    return r->Text();
  }
  std::string Scalar(std::string_view tsql) {
    TextRows rows = Query(tsql);
    if (rows.size() != 1 || rows[0].size() != 1) {
      std::string all;
      for (const auto& r : rows) {
        for (const auto& c : r) all += c + "|";
        all += ";";
      }
      return "<not one value: " + all + ">";
    }
    return rows[0][0];
  }
  // The error number the statement fails with (compile or run), 0 if it succeeds.
  int Error(std::string_view tsql) {
    Result<Rows> r = Exec(tsql);
    return r.ok() ? 0 : r.error().number;
  }
  std::string ErrorMessage(std::string_view tsql) {
    Result<Rows> r = Exec(tsql);
    return r.ok() ? "" : r.error().message;
  }
  void MustExec(std::string_view tsql) {
    Result<Rows> r = Exec(tsql);
    ASSERT_TRUE(r.ok()) << tsql << "\n" << r.status().ToString() << "\nSQL: " << last_sql_;
  }
  const std::string& last_sql() const { return last_sql_; }

 private:
  std::string dir_;
  TestCatalog catalog_;
  TestVariables vars_;
  StubRuntime runtime_;
  BindContext ctx_;
  std::unique_ptr<storage::SqliteConnection> conn_;
  std::map<std::string, Value> values_;
  std::map<int, Value> runtime_values_;
  std::string last_sql_;
};

}  // namespace edgesql::tsql::testing
