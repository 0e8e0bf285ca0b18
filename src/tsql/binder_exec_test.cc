// Execution tests: T-SQL compiled, run on a real SQLite database with the runtime functions, and
// results decoded with FromStored. One case per documented SQL Server behaviour.
#include <gtest/gtest.h>

#include "tsql/binder_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Db;
using testing::TextRows;

class ExecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db.MustExec(
        "INSERT INTO people (id, name, age, city, salary, born, flag) VALUES "
        "(1, N'Alice', 30, 'Paris', 1000.50, '1990-05-01', 1), "
        "(2, N'bob', 25, 'paris', 2000.25, '1995-12-31', 0), "
        "(3, N'Carol', NULL, 'London', NULL, NULL, NULL), "
        "(4, N'dave', 40, NULL, 3000.00, '1980-01-15', 1)");
    db.MustExec(
        "INSERT INTO orders (person_id, amount, qty, note, code, stamp, ratio) VALUES "
        "(1, 10.00, 2, 'first', 'A001', '2024-01-01 10:00:00.123', 0.5)");
    db.MustExec(
        "INSERT INTO orders (person_id, amount, note, code) VALUES (1, 20.50, 'second', 'A002')");
    db.MustExec("INSERT INTO orders (person_id, amount, qty) VALUES (2, 5.25, 3)");
  }
  Db db;
};

// ---- Basic queries, names and collation ----

TEST_F(ExecTest, PointSelect) {
  db.Declare("@id", Value::Integer(2));
  EXPECT_EQ(db.Scalar("SELECT name FROM people WHERE id = @id"), "bob");
  EXPECT_EQ(db.last_sql(), "SELECT c2 FROM t1001 WHERE c1 = ?1");
}

TEST_F(ExecTest, SelectStarInCatalogOrder) {
  auto r = db.Exec("SELECT * FROM orders WHERE order_id = 2");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->columns.size(), 8u);
  EXPECT_EQ(r->columns[0].name, "order_id");
  EXPECT_TRUE(r->columns[0].identity);
  EXPECT_FALSE(r->columns[0].nullable);
  EXPECT_EQ(r->columns[2].type, SqlType::Money());
  EXPECT_EQ(r->Text()[0][3], "1");  // DEFAULT ((1))
}

TEST_F(ExecTest, ResultColumnNames) {
  auto r = db.Exec("SELECT id, name AS n, age + 1, x = city FROM people WHERE id = 1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->columns[0].name, "id");
  EXPECT_EQ(r->columns[1].name, "n");
  EXPECT_EQ(r->columns[2].name, "");
  EXPECT_EQ(r->columns[3].name, "x");
}

TEST_F(ExecTest, TextComparesCaseInsensitively) {
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE name = 'ALICE'"), TextRows{{"1"}});
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE city = 'PARIS' ORDER BY id"),
            (TextRows{{"1"}, {"2"}}));
  // Trailing spaces do not count ("SQL Server follows the ANSI/ISO SQL-92 specification ...").
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE name = 'alice   '"), TextRows{{"1"}});
  // Expressions without a column collation compare under CI_AS too.
  EXPECT_EQ(db.Scalar("SELECT CASE WHEN 'abc' = 'ABC' THEN 1 ELSE 0 END"), "1");
  EXPECT_EQ(db.Scalar("SELECT CASE WHEN UPPER(N'x') = N'X' + '' THEN 1 ELSE 0 END"), "1");
}

TEST_F(ExecTest, OrderAndGroupByTextAreCaseInsensitive) {
  EXPECT_EQ(db.Query("SELECT name FROM people ORDER BY name"),
            (TextRows{{"Alice"}, {"bob"}, {"Carol"}, {"dave"}}));
  EXPECT_EQ(db.Query("SELECT city, COUNT(*) FROM people WHERE city IS NOT NULL "
                     "GROUP BY city ORDER BY city"),
            (TextRows{{"London", "1"}, {"Paris", "2"}}));
  EXPECT_EQ(db.Scalar("SELECT COUNT(DISTINCT city) FROM people"), "2");
  EXPECT_EQ(db.Scalar("SELECT MAX(name) FROM people"), "dave");
  EXPECT_EQ(db.Scalar("SELECT MIN(LOWER(name)) FROM people"), "alice");
  EXPECT_EQ(
      db.Query("SELECT DISTINCT UPPER(city) + '' FROM people WHERE city IS NOT NULL ORDER BY 1"),
      (TextRows{{"LONDON"}, {"PARIS"}}));
}

TEST_F(ExecTest, NameResolutionErrors) {
  EXPECT_EQ(db.Error("SELECT nope FROM people"), errors::kInvalidColumnName);
  EXPECT_EQ(db.ErrorMessage("SELECT nope FROM people"), "Invalid column name 'nope'.");
  EXPECT_EQ(db.Error("SELECT * FROM nope"), errors::kInvalidObjectName);
  EXPECT_EQ(db.ErrorMessage("SELECT * FROM dbo.nope"), "Invalid object name 'dbo.nope'.");
  EXPECT_EQ(db.Error("SELECT id FROM people p JOIN orders o ON o.person_id = p.id"), 0);
  EXPECT_EQ(db.Error("SELECT person_id FROM people, orders"), 0);
  EXPECT_EQ(db.Error("SELECT name, code FROM people p, orders o"), 0);
  db.MustExec("SELECT k FROM big");
  EXPECT_EQ(db.Error("SELECT qty FROM orders o, orders o2"), errors::kAmbiguousColumnName);
  EXPECT_EQ(db.ErrorMessage("SELECT qty FROM orders o, orders o2"), "Ambiguous column name 'qty'.");
  EXPECT_EQ(db.Error("SELECT people.id FROM people p"), errors::kMultiPartIdentifierNotBound);
  EXPECT_EQ(db.ErrorMessage("SELECT x.id FROM people p"),
            "The multi-part identifier \"x.id\" could not be bound.");
  EXPECT_EQ(db.Error("SELECT 1 FROM people, people"), errors::kDuplicateExposedNames);
  EXPECT_EQ(db.Error("SELECT 1 FROM people a, orders a"), errors::kCorrelationNameRepeated);
  EXPECT_EQ(db.Error("SELECT * FROM otherdb.dbo.people"), errors::kUnsupportedStatement);
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM testdb.dbo.people"), "4");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM testdb..people"), "4");
  EXPECT_EQ(db.Scalar("SELECT p.name FROM dbo.people p WHERE p.id = 4"), "dave");
  EXPECT_EQ(db.Scalar("SELECT dbo.people.name FROM dbo.people WHERE id = 4"), "dave");
  EXPECT_EQ(db.Scalar("SELECT [NAME] FROM [People] WHERE [ID] = 4"), "dave");
}

TEST_F(ExecTest, UndeclaredVariableIs137) {
  EXPECT_EQ(db.Error("SELECT @nope"), errors::kMustDeclareVariable);
  EXPECT_EQ(db.ErrorMessage("SELECT @nope"), "Must declare the scalar variable \"@nope\".");
}

// ---- Types of literals and expressions ----

TEST_F(ExecTest, LiteralTypes) {
  auto type_of = [&](const char* expr) {
    auto r = db.Exec(std::string("SELECT ") + expr);
    return r.ok() ? r->columns[0].type.ToString() : r.status().ToString();
  };
  EXPECT_EQ(type_of("1"), "int");
  EXPECT_EQ(type_of("2147483648"), "numeric(10,0)");  // not bigint: "Constants"
  EXPECT_EQ(type_of("1.5"), "numeric(2,1)");
  EXPECT_EQ(type_of("0.05"), "numeric(2,2)");
  EXPECT_EQ(type_of("1e3"), "float");
  EXPECT_EQ(type_of("'abc'"), "varchar(3)");
  EXPECT_EQ(type_of("N'ab'"), "nvarchar(2)");
  EXPECT_EQ(type_of("0xABCD"), "varbinary(2)");
  EXPECT_EQ(type_of("$1.5"), "money");
  EXPECT_EQ(type_of("NULL"), "int");
  EXPECT_EQ(type_of("1 + 1.5"), "decimal(3,1)");  // 1 counts as numeric(1,0)
  EXPECT_EQ(type_of("'a' + 'bc'"), "varchar(3)");
  EXPECT_EQ(type_of("'a' + N'bc'"), "nvarchar(3)");
  EXPECT_EQ(type_of("ISNULL(CAST(NULL AS varchar(2)), 'abcdef')"), "varchar(2)");
  EXPECT_EQ(db.Scalar("SELECT ISNULL(CAST(NULL AS varchar(2)), 'abcdef')"), "ab");
  EXPECT_EQ(type_of("COALESCE(1, 2.5)"), "numeric(11,1)");
  EXPECT_EQ(type_of("CASE WHEN 1 = 1 THEN 1 ELSE 2.5 END"), "numeric(11,1)");
  EXPECT_EQ(type_of("IIF(1 = 1, 'a', N'bb')"), "nvarchar(2)");
  EXPECT_EQ(type_of("CAST(1 AS varchar)"), "varchar(30)");
  EXPECT_EQ(type_of("GETDATE()"), "datetime");
  EXPECT_EQ(type_of("SYSDATETIME()"), "datetime2(7)");
  EXPECT_EQ(type_of("SERVERPROPERTY('ProductVersion')"), "nvarchar(128)");
}

TEST_F(ExecTest, IntegerLiteralBeyondIntIsDecimal) {
  // "Integer constants greater than 2,147,483,647 are converted to a decimal data type."
  EXPECT_EQ(db.Query("SELECT 2147483647 / 2, 2147483649 / 2"),
            (TextRows{{"1073741823", "1073741824.500000"}}));
}

TEST_F(ExecTest, ImplicitConversionFollowsPrecedence) {
  // int_col = '30': the string converts to int.
  EXPECT_EQ(db.Scalar("SELECT id FROM people WHERE age = '30'"), "1");
  // varchar_col = N'x' compares as nvarchar.
  EXPECT_EQ(db.Scalar("SELECT id FROM people WHERE city = N'LONDON'"), "3");
  // A string that is not a number fails as SQL Server does (245).
  EXPECT_EQ(db.Error("SELECT id FROM people WHERE age = 'abc'"), errors::kConversionFailed);
  // varchar column compared with an int: the column converts (per row), 245 on 'Paris'.
  EXPECT_EQ(db.Error("SELECT id FROM people WHERE city = 1"), errors::kConversionFailed);
  // Disallowed implicit conversions.
  EXPECT_EQ(db.Error("SELECT id FROM people WHERE born = 5"), errors::kOperandTypeClash);
  EXPECT_EQ(db.ErrorMessage("SELECT id FROM people WHERE born = 5"),
            "Operand type clash: date is incompatible with int");
  EXPECT_EQ(db.Error("INSERT INTO big (k, bin) VALUES (1, 'abc')"),
            errors::kImplicitConversionNotAllowed);
}

TEST_F(ExecTest, DecimalLiteralComparesAsBlobKey) {
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE salary > 1.5 ORDER BY id"),
            (TextRows{{"1"}, {"2"}, {"4"}}));
  EXPECT_NE(db.last_sql().find("c5 > X'"), std::string::npos) << db.last_sql();
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE salary = 2000.250"), TextRows{{"2"}});
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE salary = 3000"), TextRows{{"4"}});
}

// ---- Decimal exactness ----

TEST_F(ExecTest, DecimalArithmeticIsExact) {
  EXPECT_EQ(db.Scalar("SELECT 0.1 + 0.2"), "0.3");
  EXPECT_EQ(db.Scalar("SELECT CAST(1 AS decimal(38,0)) / 3"), "0.333333");
  EXPECT_EQ(db.Scalar("SELECT 12345678901234567890123456789.123456789 + 0.000000001"),
            "12345678901234567890123456789.123456790");
  db.MustExec("INSERT INTO big (k, d38) VALUES (1, 1234567890123456789012345678.0123456789)");
  db.MustExec("INSERT INTO big (k, d38) VALUES (2, -0.0000000001)");
  EXPECT_EQ(db.Scalar("SELECT SUM(d38) FROM big"), "1234567890123456789012345678.0123456788");
  EXPECT_EQ(db.Scalar("SELECT d38 FROM big WHERE k = 1"),
            "1234567890123456789012345678.0123456789");
  EXPECT_EQ(db.Scalar("SELECT MAX(d38) FROM big"), "1234567890123456789012345678.0123456789");
  EXPECT_EQ(db.Scalar("SELECT MIN(d38) FROM big"), "-0.0000000001");
  EXPECT_EQ(db.Query("SELECT k FROM big ORDER BY d38"), (TextRows{{"2"}, {"1"}}));
  EXPECT_EQ(db.Scalar("SELECT SUM(salary) FROM people"), "6000.75");
  EXPECT_EQ(db.Scalar("SELECT AVG(salary) FROM people"), "2000.250000");
  EXPECT_EQ(db.Scalar("SELECT SUM(amount) FROM orders"), "35.75");
}

TEST_F(ExecTest, DecimalOverflowIs8115) {
  EXPECT_EQ(db.Error("SELECT CAST(1e20 AS decimal(38,0)) * CAST(1e20 AS decimal(38,0))"),
            errors::kArithmeticOverflow);
  EXPECT_EQ(db.Scalar("SELECT CAST(1e18 AS decimal(38,0)) * CAST(1e19 AS decimal(38,0))"),
            "10000000000000000000000000000000000000");
  EXPECT_EQ(db.Error("INSERT INTO people (id, name, salary) VALUES (9, 'x', 12345678901.5)"),
            errors::kArithmeticOverflow);
}

// ---- Integers, division, overflow ----

TEST_F(ExecTest, DivideByZeroIs8134) {
  EXPECT_EQ(db.Error("SELECT age / 0 FROM people"), errors::kDivideByZero);
  EXPECT_EQ(db.ErrorMessage("SELECT 1 / 0"), "Divide by zero error encountered.");
  EXPECT_EQ(db.Error("SELECT salary / 0 FROM people"), errors::kDivideByZero);
  EXPECT_EQ(db.Error("SELECT 1.0e0 / 0"), errors::kDivideByZero);
  EXPECT_EQ(db.Error("SELECT age % 0 FROM people"), errors::kDivideByZero);
  // Not evaluated: no error.
  EXPECT_EQ(db.Scalar("SELECT CASE WHEN 1 = 0 THEN 1 / 0 ELSE 7 END"), "7");
}

TEST_F(ExecTest, AnsiWarningsOff) {
  db.settings().ansi_warnings = false;
  EXPECT_EQ(db.Error("SELECT 1 / 0"), errors::kDivideByZero);  // ARITHABORT is still ON
  db.settings().arithabort = false;
  EXPECT_EQ(db.Scalar("SELECT 1 / 0"), "NULL");
  db.MustExec("INSERT INTO orders (person_id, amount, note) VALUES (1, 1, 'abcdefghijklmnop')");
  EXPECT_EQ(db.Scalar("SELECT note FROM orders WHERE order_id = 4"), "abcdefghij");
}

TEST_F(ExecTest, IntegerArithmetic) {
  EXPECT_EQ(db.Scalar("SELECT 7 / 2"), "3");
  EXPECT_EQ(db.Scalar("SELECT -7 / 2"), "-3");
  EXPECT_EQ(db.Scalar("SELECT -7 % 3"), "-1");
  EXPECT_EQ(db.Scalar("SELECT 7 / 2.0"), "3.500000");
  EXPECT_EQ(db.Scalar("SELECT 5 & 3"), "1");
  EXPECT_EQ(db.Scalar("SELECT 5 | 3"), "7");
  EXPECT_EQ(db.Scalar("SELECT 5 ^ 3"), "6");
  EXPECT_EQ(db.Scalar("SELECT ~5"), "-6");
  EXPECT_EQ(db.Scalar("SELECT ~CAST(1 AS bit)"), "0");
  EXPECT_EQ(db.Scalar("SELECT SUM(age) FROM people"), "95");
  EXPECT_EQ(db.Scalar("SELECT AVG(age) FROM people"), "31");  // int: truncated
}

TEST_F(ExecTest, IntOverflowOnAssignmentAndSum) {
  db.MustExec("INSERT INTO big (k, small) VALUES (1, 32767)");
  EXPECT_EQ(db.Error("INSERT INTO big (k, small) VALUES (2, 32768)"),
            errors::kArithmeticOverflowValue);
  EXPECT_EQ(db.Error("UPDATE big SET tiny = 256 WHERE k = 1"), errors::kArithmeticOverflowValue);
  db.MustExec("INSERT INTO people (id, name, age) VALUES (10, 'x', 2147483647)");
  EXPECT_EQ(db.Error("SELECT SUM(age) FROM people"), errors::kArithmeticOverflow);
  EXPECT_EQ(db.Scalar("SELECT SUM(CAST(age AS bigint)) FROM people"), "2147483742");
  EXPECT_EQ(db.Error("UPDATE people SET age = age + 1 WHERE id = 10"), errors::kArithmeticOverflow);
  EXPECT_EQ(db.Error("SELECT age * 2 FROM people WHERE id = 10"), errors::kArithmeticOverflow);
  EXPECT_EQ(db.Error("SELECT 2147483647 + 1"), errors::kArithmeticOverflow);
  EXPECT_EQ(db.Error("SELECT CAST(9223372036854775807 AS bigint) + 1"),
            errors::kArithmeticOverflow);
}

// ---- NULLs, ANSI_NULLS, CONCAT_NULL_YIELDS_NULL ----

TEST_F(ExecTest, NullSemantics) {
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE age = NULL"), "0");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE age IS NULL"), "1");
  EXPECT_EQ(db.Scalar("SELECT COUNT(age) FROM people"), "3");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE age NOT IN (30, NULL)"), "0");
  EXPECT_EQ(db.Scalar("SELECT 'a' + NULL"), "NULL");
  EXPECT_EQ(db.Scalar("SELECT CONCAT('a', NULL, 'b')"), "ab");
}

TEST_F(ExecTest, AnsiNullsOff) {
  db.settings().ansi_nulls = false;
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE age = NULL"), "1");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE age <> NULL"), "3");
  db.Declare("@v", Value::Null(SqlType::Int()), SqlType::Int());
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE age = @v"), "1");
}

TEST_F(ExecTest, ConcatNullYieldsNullOff) {
  db.settings().concat_null_yields_null = false;
  EXPECT_EQ(db.Scalar("SELECT 'a' + NULL + 'b'"), "ab");
  EXPECT_EQ(db.Scalar("SELECT name + city FROM people WHERE id = 4"), "dave");
}

// ---- Joins, grouping, ordering, paging ----

TEST_F(ExecTest, Joins) {
  EXPECT_EQ(db.Query("SELECT p.name, o.amount FROM people p JOIN orders o ON o.person_id = p.id "
                     "ORDER BY o.order_id"),
            (TextRows{{"Alice", "10.00"}, {"Alice", "20.50"}, {"bob", "5.25"}}));
  EXPECT_EQ(db.Query("SELECT p.id, COUNT(o.order_id) FROM people p LEFT JOIN orders o "
                     "ON o.person_id = p.id GROUP BY p.id ORDER BY p.id"),
            (TextRows{{"1", "2"}, {"2", "1"}, {"3", "0"}, {"4", "0"}}));
  EXPECT_EQ(db.Query("SELECT o.order_id, p.id FROM people p RIGHT JOIN orders o "
                     "ON o.person_id = p.id AND p.id = 2 ORDER BY o.order_id"),
            (TextRows{{"1", "NULL"}, {"2", "NULL"}, {"3", "2"}}));
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people p FULL JOIN orders o ON o.person_id = p.id"),
            "5");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people CROSS JOIN orders"), "12");
  auto r = db.Exec("SELECT o.note FROM people p LEFT JOIN orders o ON o.person_id = p.id");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->columns[0].nullable);
}

TEST_F(ExecTest, GroupByValidation) {
  EXPECT_EQ(db.Error("SELECT city, age FROM people GROUP BY city"), errors::kNotInGroupBy);
  EXPECT_EQ(db.ErrorMessage("SELECT city, age FROM people GROUP BY city"),
            "Column 'people.age' is invalid in the select list because it is not contained in "
            "either an aggregate function or the GROUP BY clause.");
  EXPECT_EQ(db.Error("SELECT name, COUNT(*) FROM people p"), errors::kNotInGroupBy);
  EXPECT_EQ(db.ErrorMessage("SELECT name, COUNT(*) FROM people p"),
            "Column 'p.name' is invalid in the select list because it is not contained in either "
            "an aggregate function or the GROUP BY clause.");
  EXPECT_EQ(db.Error("SELECT city FROM people GROUP BY city HAVING age > 1"),
            errors::kNotInGroupByHaving);
  EXPECT_EQ(db.Error("SELECT city FROM people GROUP BY city ORDER BY age"),
            errors::kNotInGroupByOrderBy);
  EXPECT_EQ(db.Error("SELECT age + 1 FROM people GROUP BY age + 1"), 0);
  EXPECT_EQ(db.Error("SELECT COUNT(*) FROM people WHERE COUNT(*) > 1"), errors::kAggregateInWhere);
  EXPECT_EQ(db.Error("SELECT SUM(MAX(age)) FROM people"), errors::kNestedAggregate);
  EXPECT_EQ(db.Query("SELECT age / 10 * 10, COUNT(*) FROM people WHERE age IS NOT NULL "
                     "GROUP BY age / 10 * 10 ORDER BY 1"),
            (TextRows{{"20", "1"}, {"30", "1"}, {"40", "1"}}));
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people HAVING COUNT(*) > 3"), "4");
}

TEST_F(ExecTest, OrderByNamesAliasesOrdinalsExpressions) {
  EXPECT_EQ(db.Query("SELECT id AS k FROM people ORDER BY k DESC"),
            (TextRows{{"4"}, {"3"}, {"2"}, {"1"}}));
  EXPECT_EQ(db.Query("SELECT id, name FROM people ORDER BY 2"),
            (TextRows{{"1", "Alice"}, {"2", "bob"}, {"3", "Carol"}, {"4", "dave"}}));
  EXPECT_EQ(db.Query("SELECT id FROM people ORDER BY age * -1, id"),
            (TextRows{{"3"}, {"4"}, {"1"}, {"2"}}));
  EXPECT_EQ(db.Error("SELECT id FROM people ORDER BY 3"), errors::kOrderByPositionOutOfRange);
  EXPECT_EQ(db.Error("SELECT DISTINCT id FROM people ORDER BY age"), errors::kOrderByNotInDistinct);
  EXPECT_EQ(db.Error("SELECT id FROM people ORDER BY 'x'"), errors::kConstantInOrderBy);
}

TEST_F(ExecTest, TopOffsetFetch) {
  EXPECT_EQ(db.Query("SELECT TOP 2 id FROM people ORDER BY id DESC"), (TextRows{{"4"}, {"3"}}));
  db.Declare("@n", Value::Integer(1));
  EXPECT_EQ(db.Query("SELECT TOP (@n) id FROM people ORDER BY id"), TextRows{{"1"}});
  EXPECT_EQ(db.Query("SELECT id FROM people ORDER BY id OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY"),
            (TextRows{{"2"}, {"3"}}));
  EXPECT_EQ(db.Query("SELECT id FROM people ORDER BY id OFFSET 3 ROWS"), TextRows{{"4"}});
  EXPECT_EQ(db.Query("SELECT TOP 50 PERCENT id FROM people ORDER BY id"), (TextRows{{"1"}, {"2"}}));
  EXPECT_EQ(
      db.Query("SELECT TOP 1 WITH TIES city FROM people WHERE city IS NOT NULL ORDER BY city DESC"),
      (TextRows{{"Paris"}, {"paris"}}));
  EXPECT_EQ(db.Error("SELECT TOP (-1) id FROM people"), errors::kTopInvalidValue);
  db.Declare("@neg", Value::Integer(-1));
  EXPECT_EQ(db.Error("SELECT TOP (@neg) id FROM people"), errors::kTopInvalidValue);
  EXPECT_EQ(db.Error("SELECT id FROM people ORDER BY id OFFSET -1 ROWS"), errors::kOffsetNegative);
}

TEST_F(ExecTest, Subqueries) {
  EXPECT_EQ(
      db.Query("SELECT name FROM people WHERE id IN (SELECT person_id FROM orders) ORDER BY id"),
      (TextRows{{"Alice"}, {"bob"}}));
  EXPECT_EQ(db.Query("SELECT name FROM people p WHERE NOT EXISTS "
                     "(SELECT * FROM orders o WHERE o.person_id = p.id) ORDER BY id"),
            (TextRows{{"Carol"}, {"dave"}}));
  EXPECT_EQ(db.Query("SELECT id, (SELECT SUM(amount) FROM orders o WHERE o.person_id = p.id) "
                     "FROM people p ORDER BY id"),
            (TextRows{{"1", "30.50"}, {"2", "5.25"}, {"3", "NULL"}, {"4", "NULL"}}));
  EXPECT_EQ(db.Scalar("SELECT (SELECT note FROM orders WHERE order_id = 2)"), "second");
  EXPECT_EQ(db.Error("SELECT (SELECT note FROM orders)"), errors::kSubqueryReturnedMoreThanOne);
  EXPECT_EQ(db.Error("SELECT id FROM people WHERE id = (SELECT person_id FROM orders)"),
            errors::kSubqueryReturnedMoreThanOne);
  EXPECT_EQ(db.Error("SELECT (SELECT id, name FROM people)"), errors::kSubqueryMultipleColumns);
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE age > ALL (SELECT age FROM people WHERE id < 3) "
                     "ORDER BY id"),
            TextRows{{"4"}});
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE age = ANY (SELECT qty * 10 FROM orders) "
                     "ORDER BY id"),
            TextRows{{"1"}});
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE age > ALL (SELECT age FROM people)"), "0");
}

TEST_F(ExecTest, DerivedTablesValuesAndCtes) {
  EXPECT_EQ(db.Query("SELECT d.n FROM (SELECT name AS n, age FROM people) AS d WHERE d.age > 26 "
                     "ORDER BY d.n"),
            (TextRows{{"Alice"}, {"dave"}}));
  EXPECT_EQ(
      db.Query("SELECT v.a, v.b FROM (VALUES (1, 'x'), (2, 'y')) AS v(a, b) ORDER BY v.a DESC"),
      (TextRows{{"2", "y"}, {"1", "x"}}));
  EXPECT_EQ(
      db.Query("WITH c (pid, total) AS (SELECT person_id, SUM(amount) FROM orders "
               "GROUP BY person_id) SELECT p.name, c.total FROM c JOIN people p ON p.id = c.pid "
               "ORDER BY c.total"),
      (TextRows{{"bob", "5.25"}, {"Alice", "30.50"}}));
  EXPECT_EQ(db.Query("WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 5) "
                     "SELECT SUM(i) FROM n"),
            TextRows{{"15"}});
  // MAXRECURSION: 100 levels by default (530), OPTION (MAXRECURSION n) changes it, 0 removes it.
  EXPECT_EQ(db.Error("WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n) SELECT * FROM n"),
            errors::kMaxRecursionExhausted);
  EXPECT_EQ(db.Scalar("WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 101) "
                      "SELECT COUNT(*) FROM n"),
            "101");
  EXPECT_EQ(db.Error("WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 102) "
                     "SELECT COUNT(*) FROM n"),
            errors::kMaxRecursionExhausted);
  EXPECT_EQ(db.Scalar("WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
                      "SELECT COUNT(*) FROM n OPTION (MAXRECURSION 0)"),
            "500");
  EXPECT_EQ(db.Error("WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 20) "
                     "SELECT COUNT(*) FROM n OPTION (MAXRECURSION 10)"),
            errors::kMaxRecursionExhausted);
  EXPECT_EQ(db.Error("SELECT * FROM (SELECT 1) AS d"), errors::kMissingColumnName);
  EXPECT_EQ(db.Error("SELECT * FROM (SELECT id FROM people ORDER BY id) d"),
            errors::kOrderByInSubquery);
}

TEST_F(ExecTest, SetOperationsUnifyTypes) {
  auto r = db.Exec("SELECT 1 AS a UNION ALL SELECT 2.5 UNION ALL SELECT NULL ORDER BY 1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->columns[0].name, "a");
  EXPECT_EQ(r->columns[0].type.ToString(), "numeric(11,1)");
  EXPECT_EQ(r->Text(), (TextRows{{"NULL"}, {"1.0"}, {"2.5"}}));
  // UNION removes duplicates under CI_AS: 'Paris', 'paris' and 'PARIS' are one row.
  EXPECT_EQ(db.Query("SELECT COUNT(*) FROM (SELECT city FROM people UNION SELECT 'PARIS') u(c)"),
            TextRows{{"3"}});
  EXPECT_EQ(db.Query("SELECT id FROM people EXCEPT SELECT person_id FROM orders ORDER BY id"),
            (TextRows{{"3"}, {"4"}}));
  EXPECT_EQ(db.Query("SELECT id FROM people INTERSECT SELECT person_id FROM orders ORDER BY 1"),
            (TextRows{{"1"}, {"2"}}));
  // INTERSECT binds tighter than UNION.
  EXPECT_EQ(db.Query("SELECT 3 UNION SELECT id FROM people INTERSECT SELECT person_id FROM orders "
                     "ORDER BY 1"),
            (TextRows{{"1"}, {"2"}, {"3"}}));
  EXPECT_EQ(db.Error("SELECT 1 UNION SELECT 1, 2"), errors::kSetOperandColumnCount);
  EXPECT_EQ(db.Error("SELECT id FROM people UNION SELECT person_id FROM orders ORDER BY name"),
            errors::kOrderByNotInUnionSelect);
}

TEST_F(ExecTest, WindowFunctions) {
  EXPECT_EQ(db.Query("SELECT id, ROW_NUMBER() OVER (ORDER BY age DESC) FROM people ORDER BY id"),
            (TextRows{{"1", "2"}, {"2", "3"}, {"3", "4"}, {"4", "1"}}));
  EXPECT_EQ(db.Query("SELECT order_id, SUM(amount) OVER (PARTITION BY person_id ORDER BY order_id) "
                     "FROM orders ORDER BY order_id"),
            (TextRows{{"1", "10.00"}, {"2", "30.50"}, {"3", "5.25"}}));
  EXPECT_EQ(db.Query("SELECT city, RANK() OVER (ORDER BY city) FROM people WHERE city IS NOT NULL "
                     "ORDER BY id"),
            (TextRows{{"Paris", "2"}, {"paris", "2"}, {"London", "1"}}));
  EXPECT_EQ(db.Error("SELECT id FROM people WHERE ROW_NUMBER() OVER (ORDER BY id) = 1"),
            errors::kWindowedFunctionContext);
  EXPECT_EQ(db.Error("SELECT ROW_NUMBER() OVER () FROM people"), errors::kWindowNeedsOrderBy);
}

TEST_F(ExecTest, LikeWithSqlServerPatterns) {
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE name LIKE 'a%'"), TextRows{{"1"}});
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE name LIKE '[a-c]%' ORDER BY id"),
            (TextRows{{"1"}, {"2"}, {"3"}}));
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE name LIKE '[^a-c]%'"), TextRows{{"4"}});
  EXPECT_EQ(db.Query("SELECT id FROM people WHERE name NOT LIKE '_o%' ORDER BY id"),
            (TextRows{{"1"}, {"3"}, {"4"}}));
  EXPECT_EQ(db.Scalar("SELECT CASE WHEN '10%' LIKE '10!%' ESCAPE '!' THEN 1 ELSE 0 END"), "1");
  EXPECT_EQ(db.Scalar("SELECT CASE WHEN '100' LIKE '10!%' ESCAPE '!' THEN 1 ELSE 0 END"), "0");
  EXPECT_EQ(db.Scalar("SELECT CASE WHEN 123 LIKE '1%' THEN 1 ELSE 0 END"), "1");
}

}  // namespace
}  // namespace edgesql::tsql
