// Compile tests: T-SQL in, SQLite SQL, parameters, result types and SQL Server errors out.
#include <gtest/gtest.h>

#include <cstring>

#include "tsql/binder_test_util.h"
#include "tsql/type_code.h"

namespace edgesql::tsql {
namespace {

using testing::Db;

std::string Sql(Db& db, std::string_view tsql) {
  auto cs = db.Compile(tsql);
  if (!cs.ok()) return "ERROR " + std::to_string(cs.error().number) + ": " + cs.error().message;
  return (*cs)->sql;
}

int CompileError(Db& db, std::string_view tsql) {
  auto cs = db.Compile(tsql);
  return cs.ok() ? 0 : cs.error().number;
}

bool Contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

TEST(CompileTest, PointQueriesArePlainSqlite) {
  Db db;
  db.Declare("@id", Value::Integer(1));
  db.Declare("@name", Value::NVarChar("x"), SqlType::NVarChar(50));
  EXPECT_EQ(Sql(db, "SELECT name FROM people WHERE id = @id"),
            "SELECT c2 FROM t1001 WHERE c1 = ?1");
  EXPECT_EQ(Sql(db, "SELECT name, age FROM dbo.people WITH (NOLOCK) WHERE id = @id"),
            "SELECT c2, c3 FROM t1001 WHERE c1 = ?1");
  EXPECT_EQ(Sql(db, "UPDATE people SET name = @name WHERE id = @id"),
            "UPDATE t1001 SET c2 = ?1 WHERE c1 = ?2");
  EXPECT_EQ(Sql(db, "DELETE FROM people WHERE id = @id"), "DELETE FROM t1001 WHERE c1 = ?1");
  EXPECT_EQ(Sql(db, "SELECT COUNT(*) FROM people"), "SELECT count(*) FROM t1001");
}

TEST(CompileTest, VariablesAreTypedPlaceholders) {
  Db db;
  db.Declare("@big", Value::BigInteger(1));
  db.Declare("@s", Value::NVarChar("1"), SqlType::NVarChar(10));
  auto cs = db.Compile("SELECT name FROM people WHERE id = @big OR id = @s OR age = @big");
  ASSERT_TRUE(cs.ok()) << cs.status().ToString();
  // int column vs bigint variable: compared as bigint, no conversion of the column.
  EXPECT_EQ((*cs)->sql, "SELECT c2 FROM t1001 WHERE (c1 = ?1) OR (c1 = ?2) OR (c3 = ?1)");
  ASSERT_EQ((*cs)->params.size(), 2u);
  EXPECT_EQ((*cs)->params[0].variable, "@big");
  EXPECT_EQ((*cs)->params[0].type, SqlType::BigInt());
  // nvarchar variable vs int column: the engine converts the value to int when binding.
  EXPECT_EQ((*cs)->params[1].variable, "@s");
  EXPECT_EQ((*cs)->params[1].type, SqlType::Int());
  EXPECT_EQ(CompileError(db, "SELECT @undeclared"), errors::kMustDeclareVariable);
}

TEST(CompileTest, RuntimeValuesArePlaceholders) {
  Db db;
  auto cs = db.Compile("SELECT GETDATE(), @@ROWCOUNT, SCOPE_IDENTITY(), DB_NAME(), GETDATE()");
  ASSERT_TRUE(cs.ok()) << cs.status().ToString();
  EXPECT_EQ((*cs)->sql, "SELECT ?1, ?2, ?3, ?4, ?1");
  ASSERT_EQ((*cs)->params.size(), 4u);
  EXPECT_EQ((*cs)->params[0].kind, ParamKind::kRuntime);
  EXPECT_EQ((*cs)->params[0].runtime, RuntimeValue::kGetDate);
  EXPECT_EQ((*cs)->params[1].runtime, RuntimeValue::kRowCount);
  EXPECT_EQ((*cs)->params[2].runtime, RuntimeValue::kScopeIdentity);
  EXPECT_EQ((*cs)->params[2].type, SqlType::Numeric(38, 0));
  EXPECT_EQ((*cs)->params[3].runtime, RuntimeValue::kDatabaseName);
  EXPECT_EQ(CompileError(db, "SELECT @@NOSUCHTHING"), errors::kMustDeclareVariable);
}

TEST(CompileTest, TextComparisonsCarryCiAs) {
  Db db;
  // A column carries the collation already.
  EXPECT_EQ(Sql(db, "SELECT id FROM people WHERE name = 'x'"),
            "SELECT c1 FROM t1001 WHERE c2 = 'x'");
  // Expressions without a column collation get COLLATE CI_AS.
  EXPECT_TRUE(Contains(Sql(db, "SELECT id FROM people WHERE UPPER(name) = 'X'"),
                       "es_upper(c2) = 'X' COLLATE CI_AS"));
  EXPECT_TRUE(
      Contains(Sql(db, "SELECT UPPER(name) FROM people ORDER BY 1"), "ORDER BY 1 COLLATE CI_AS"));
  EXPECT_TRUE(
      Contains(Sql(db, "SELECT MAX(UPPER(name)) FROM people"), "max(es_upper(c2) COLLATE CI_AS)"));
  EXPECT_TRUE(Contains(Sql(db, "SELECT UPPER(name) FROM people GROUP BY UPPER(name)"),
                       "GROUP BY es_upper(c2) COLLATE CI_AS"));
}

TEST(CompileTest, LiteralsAreEmittedInStorageForm) {
  Db db;
  // decimal literal: an order-preserving BLOB key compared with the BLOB column (index usable).
  std::string sql = Sql(db, "SELECT id FROM people WHERE salary > 1.5");
  EXPECT_TRUE(Contains(sql, "WHERE c5 > X'")) << sql;
  // int literal compared with a decimal column converts at compile time, not per row.
  sql = Sql(db, "SELECT id FROM people WHERE salary = 3");
  EXPECT_TRUE(Contains(sql, "WHERE c5 = X'")) << sql;
  // date literal: days since 0001-01-01.
  EXPECT_EQ(Sql(db, "SELECT id FROM people WHERE born >= '2000-01-01'"),
            "SELECT c1 FROM t1001 WHERE c6 >= 730119");
  // datetime literal: 100 ns ticks.
  EXPECT_EQ(Sql(db, "SELECT id FROM people WHERE created < '1900-01-01'"),
            "SELECT c1 FROM t1001 WHERE c7 < 599266080000000000");
  // A string that does not convert is not folded: it fails when a row evaluates it, as in SQL
  // Server (TRY...CATCH catches it; a CASE branch never taken does not fail).
  EXPECT_EQ(CompileError(db, "SELECT id FROM people WHERE born = 'nope'"), 0);
  db.MustExec("INSERT INTO people (id, name, age) VALUES (1, N'a', 1)");
  EXPECT_EQ(db.Error("SELECT id FROM people WHERE born = 'nope'"),
            errors::kDateTimeConversionFailed);
  EXPECT_EQ(db.Error("SELECT id FROM people WHERE age = 'x'"), errors::kConversionFailed);
  EXPECT_EQ(db.Scalar("SELECT CASE WHEN age = 2 THEN CAST('x' AS int) ELSE 7 END FROM people"),
            "7");
}

TEST(CompileTest, DateFormatAppliesToLiterals) {
  Db db;
  std::strcpy(db.settings().dates.order, "dmy");
  EXPECT_EQ(Sql(db, "SELECT id FROM people WHERE born = '02/01/2000'"),
            Sql(db, "SELECT id FROM people WHERE born = '2000-01-02'"));
}

TEST(CompileTest, InsertShape) {
  Db db;
  std::string sql = Sql(db, "INSERT INTO orders (person_id, amount, code) VALUES (1, 2.5, 'A')");
  // Identity from the engine, the key column recorded, DEFAULT ((1)) for qty, money as a key.
  EXPECT_EQ(sql,
            "INSERT INTO t1002(c2, c3, c6, c1, c4) VALUES (1, X'C04136', es_key('A   ', 6), "
            "es_identity(1002, " +
                std::to_string(TypeCode(SqlType::Int())) + "), 1)");
  auto cs = db.Compile("INSERT INTO orders (person_id, amount) VALUES (1, 2)");
  ASSERT_TRUE(cs.ok());
  EXPECT_TRUE((*cs)->writes);
  EXPECT_TRUE((*cs)->uses_identity);
  EXPECT_EQ((*cs)->kind, StatementKind::kInsert);
  EXPECT_EQ((*cs)->target_object_id, 1002);
  EXPECT_EQ((*cs)->target_display_name, "dbo.orders");
  db.Declare("@id", Value::Integer(1));
  // The rowid-alias key is guarded against NULL (SQLite would assign a rowid).
  EXPECT_TRUE(Contains(Sql(db, "INSERT INTO people (id, name) VALUES (@id, 'x')"),
                       "es_key(es_notnull(?1, 'id', 'testdb.dbo.people', 'INSERT'), 1)"));
}

TEST(CompileTest, DmlErrors) {
  Db db;
  EXPECT_EQ(CompileError(db, "INSERT INTO orders (order_id, person_id, amount) VALUES (1, 1, 1)"),
            errors::kIdentityInsertOff);
  db.settings().identity_insert = true;
  db.settings().identity_insert_object_id = 1002;
  auto cs = db.Compile("INSERT INTO orders (order_id, person_id, amount) VALUES (1, 1, 1)");
  ASSERT_TRUE(cs.ok());
  EXPECT_TRUE((*cs)->explicit_identity);
  EXPECT_EQ(CompileError(db, "INSERT INTO orders (person_id, amount) VALUES (1, 1)"),
            errors::kIdentityValueRequired);
  db.settings().identity_insert = false;
  EXPECT_EQ(CompileError(db, "INSERT INTO people (id, id) VALUES (1, 1)"),
            errors::kColumnAssignedTwice);
  EXPECT_EQ(CompileError(db, "INSERT INTO people (id, nope) VALUES (1, 1)"),
            errors::kInvalidColumnName);
  EXPECT_EQ(CompileError(db, "INSERT INTO people VALUES (1)"), errors::kInsertColumnCountMismatch);
  EXPECT_EQ(CompileError(db, "INSERT INTO people (id, name) VALUES (1)"),
            errors::kMoreInsertColumnsThanValues);
  EXPECT_EQ(CompileError(db, "INSERT INTO people (id) VALUES (1, 'x')"),
            errors::kFewerInsertColumnsThanValues);
  EXPECT_EQ(CompileError(db, "INSERT INTO people (id, name) SELECT id FROM people"),
            errors::kInsertSelectFewerItems);
  EXPECT_EQ(CompileError(db, "UPDATE orders SET order_id = 5"), errors::kCannotUpdateIdentity);
  EXPECT_EQ(CompileError(db, "UPDATE people SET age = 1, age = 2"), errors::kColumnAssignedTwice);
  EXPECT_EQ(CompileError(db,
                         "INSERT INTO people (id, name) VALUES (1, 'x') "
                         "INSERT INTO nope VALUES (1)"),
            errors::kInternalError);  // two statements: the test helper wants one
  EXPECT_EQ(CompileError(db, "INSERT INTO nope VALUES (1)"), errors::kInvalidObjectName);
}

TEST(CompileTest, UnsupportedConstructsAre40517) {
  Db db;
  for (const char* sql : {
           "SELECT * FROM people p CROSS APPLY (SELECT * FROM orders o WHERE o.person_id = p.id) x",
           "SELECT * INTO newtable FROM people",
           "SELECT * FROM #temp",
           "SELECT * FROM @tv",
           "UPDATE people SET @v = age",
           "INSERT INTO people (id, name) OUTPUT inserted.id INTO @t VALUES (1, 'x')",
           "UPDATE people SET age = 1 OUTPUT deleted.age",
           "SELECT * FROM STRING_SPLIT('a,b', ',')",
       }) {
    EXPECT_EQ(CompileError(db, sql), errors::kUnsupportedStatement) << sql;
  }
  EXPECT_EQ(CompileError(db, "SELECT dbo.f(1)"), errors::kUnknownFunctionOrColumn);
  EXPECT_EQ(CompileError(db, "SELECT FORMAT(1, 'N')"), errors::kUnsupportedFunction);
  EXPECT_EQ(CompileError(db, "SELECT NOSUCHFUNCTION(1)"), errors::kUnknownBuiltinFunction);
}

TEST(CompileTest, SelectAssign) {
  Db db;
  db.Declare("@a", Value::Null(SqlType::Int()), SqlType::Int());
  db.Declare("@s", Value::Null(SqlType::VarChar(3)), SqlType::VarChar(3));
  auto cs = db.Compile("SELECT @a = age, @s = name FROM people WHERE id = 1");
  ASSERT_TRUE(cs.ok()) << cs.status().ToString();
  EXPECT_EQ((*cs)->kind, StatementKind::kSelectAssign);
  EXPECT_FALSE((*cs)->returns_rows);
  EXPECT_EQ((*cs)->assign_variables, (std::vector<std::string>{"@a", "@s"}));
  EXPECT_EQ((*cs)->columns[1].type, SqlType::VarChar(3));
  EXPECT_EQ(CompileError(db, "SELECT @a = age, name FROM people"), errors::kSelectAssignMixed);
  auto add = db.Compile("SELECT @a += age FROM people WHERE id = 1");
  ASSERT_TRUE(add.ok());
  // Accumulates over the rows (a running window sum); one row here.
  EXPECT_EQ((*add)->sql,
            "SELECT es_intchk(CASE WHEN count(*) OVER (ROWS UNBOUNDED PRECEDING) <> count(c3) OVER "
            "(ROWS UNBOUNDED PRECEDING) THEN NULL ELSE (?1 + es_sum_i32(c3) OVER (ROWS UNBOUNDED "
            "PRECEDING)) END, 4) FROM t1001 WHERE c1 = 1");
}

TEST(CompileTest, ScalarEntryPoints) {
  Db db;
  db.Declare("@i", Value::Integer(5));
  db.Declare("@v", Value::VarChar("ab"), SqlType::VarChar(3));
  auto expr = ParseExpression("@i * 2");
  ASSERT_TRUE(expr.ok());
  auto cs = CompileExpression(**expr, db.context());
  ASSERT_TRUE(cs.ok()) << cs.status().ToString();
  EXPECT_EQ((*cs)->columns[0].type, SqlType::Int());
  EXPECT_EQ(db.Run(**cs)->Text(), (testing::TextRows{{"10"}}));
  SqlType big = SqlType::BigInt();
  cs = CompileExpression(**expr, db.context(), &big);
  ASSERT_TRUE(cs.ok());
  EXPECT_EQ((*cs)->columns[0].type, big);

  // SET @v += 'cdef' with @v varchar(3): the result is truncated to the variable's type.
  auto value = ParseExpression("'cdef'");
  ASSERT_TRUE(value.ok());
  auto set = CompileAssignment("@v", AssignOp::kAdd, **value, db.context());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ((*set)->columns[0].type, SqlType::VarChar(3));
  EXPECT_EQ(db.Run(**set)->Text(), (testing::TextRows{{"abc"}}));
  EXPECT_EQ(CompileAssignment("@nope", AssignOp::kAssign, **value, db.context()).error().number,
            errors::kMustDeclareVariable);

  auto cond = ParseCondition("@i > 3 AND @v LIKE 'a%'");
  ASSERT_TRUE(cond.ok());
  auto c = CompileCondition(**cond, db.context());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)->columns[0].type, SqlType::Bit());
  EXPECT_EQ(db.Run(**c)->Text(), (testing::TextRows{{"1"}}));
}

TEST(CompileTest, QueryShapeErrors) {
  Db db;
  struct Case {
    const char* sql;
    int error;
  };
  const Case cases[] = {
      {"SELECT *", errors::kMustSpecifyTable},
      {"SELECT id FROM people GROUP BY 1", errors::kGroupByNeedsColumn},
      {"SELECT COUNT(*) FROM people GROUP BY COUNT(*)", errors::kAggregateInGroupBy},
      {"SELECT id FROM people ORDER BY id, id", errors::kOrderByColumnRepeated},
      {"SELECT TOP 1 WITH TIES id FROM people", errors::kTopWithTiesNeedsOrderBy},
      {"SELECT id FROM people ORDER BY id OFFSET 0 ROWS FETCH NEXT 0 ROWS ONLY",
       errors::kFetchNotPositive},
      {"SELECT TOP 101 PERCENT id FROM people", errors::kTopPercentOutOfRange},
      {"SELECT TOP 1.5 id FROM people", errors::kTopNotInteger},
      {"WITH r AS (SELECT id FROM r) SELECT * FROM r", errors::kRecursiveCteNoUnionAll},
      {"WITH c (a, b) AS (SELECT id FROM people) SELECT * FROM c", errors::kFewerColumnsThanList},
      {"SELECT * FROM (SELECT id, id FROM people) d", errors::kColumnSpecifiedMultipleTimes},
      {"SELECT * FROM (VALUES (1), (2, 3)) v(a)", errors::kValuesRowWidthMismatch},
      {"SELECT id FROM people WHERE id IN (SELECT id, name FROM people)",
       errors::kSubqueryMultipleColumns},
      {"SELECT SUM(id) OVER (ORDER BY SUM(id) OVER ()) FROM people",
       errors::kNestedWindowedFunction},
      {"SELECT UPPER(name) OVER () FROM people", errors::kNotWindowFunction},
      {"SELECT id FROM people GROUP BY id HAVING ROW_NUMBER() OVER (ORDER BY id) > 1",
       errors::kWindowedFunctionContext},
      {"SELECT LEN()", errors::kFunctionArgCount},
      {"SELECT ROUND(1)", errors::kFunctionArgRange},
      {"SELECT NEWID() + 1", errors::kInvalidOperandType},
      {"SELECT CAST(1 AS bit) + CAST(1 AS bit)", errors::kInvalidOperandType},
      {"SELECT 1.5 % 2e0", errors::kInvalidOperandType},
      {"SELECT 1 & 1.5", errors::kIncompatibleTypesInOperator},
      {"SELECT CASE WHEN 1 = 1 THEN NEWID() ELSE 1 END", errors::kOperandTypeClash},
      {"SELECT DATEADD(tzoffset, 1, SYSDATETIMEOFFSET())", errors::kDatePartNotSupported},
      {"SELECT name COLLATE Latin1_General_CS_AS FROM people", errors::kUnsupportedStatement},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CompileError(db, c.sql), c.error) << c.sql;
  }
  EXPECT_EQ(db.Error("SELECT CASE WHEN 'a' LIKE 'b' ESCAPE 'xy' THEN 1 END"),
            errors::kInvalidEscapeChar);
}

TEST(CompileTest, SimpleQueriesUseNoAliases) {
  Db db;
  EXPECT_EQ(Sql(db, "SELECT TOP (10) id, name FROM people WHERE age > 3 ORDER BY name DESC"),
            "SELECT c1, c2 FROM t1001 WHERE c3 > 3 ORDER BY 2 DESC LIMIT 10");
  // A subquery anywhere qualifies every column.
  EXPECT_EQ(
      Sql(db, "SELECT id FROM people WHERE EXISTS (SELECT 1 FROM orders WHERE person_id = id)"),
      "SELECT s1.c1 FROM t1001 AS s1 WHERE EXISTS (SELECT 1 FROM t1002 AS s2 WHERE s2.c2 = "
      "s1.c1)");
}

TEST(CompileTest, ResolveDataType) {
  auto resolve = [](const char* decl) -> std::string {
    auto batch = ParseBatch(std::string("DECLARE @x ") + decl);
    if (!batch.ok()) return "PARSE " + batch.status().ToString();
    const DeclareStmt* d = batch->statements[0]->As<DeclareStmt>();
    auto t = ResolveDataType(*d->variables[0].type);
    return t.ok() ? t->ToString() : std::to_string(t.error().number);
  };
  EXPECT_EQ(resolve("varchar"), "varchar(1)");
  EXPECT_EQ(resolve("nvarchar(max)"), "nvarchar(max)");
  EXPECT_EQ(resolve("decimal"), "decimal(18,0)");
  EXPECT_EQ(resolve("numeric(10, 2)"), "numeric(10,2)");
  EXPECT_EQ(resolve("float(10)"), "real");
  EXPECT_EQ(resolve("sysname"), "nvarchar(128)");
  EXPECT_EQ(resolve("datetime2(3)"), "datetime2(3)");
  EXPECT_EQ(resolve("nosuchtype"), "2715");
  EXPECT_EQ(resolve("varchar(9000)"), "131");
  EXPECT_EQ(resolve("decimal(39)"), "2750");
  EXPECT_EQ(resolve("decimal(5, 6)"), "192");
  EXPECT_EQ(resolve("time(8)"), "1002");
  EXPECT_EQ(resolve("xml"), "40517");
}

}  // namespace
}  // namespace edgesql::tsql
