// Expressions: literals, names, operators and their precedence, predicates, CASE, CAST/CONVERT,
// function calls, window functions, the datepart functions.
#include <gtest/gtest.h>

#include "tsql/parser_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Canon;
using testing::ParseError;
using testing::ParseOk;

const Expr& SelectExpr(const Batch& batch, size_t item = 0) {
  const auto& select = std::get<SelectStmt>(batch.statements.at(0)->node);
  const auto& spec = std::get<QuerySpec>(select.query->body->node);
  return *spec.items.at(item).expr;
}

const Expr& WhereExpr(const Batch& batch) {
  const auto& select = std::get<SelectStmt>(batch.statements.at(0)->node);
  return *std::get<QuerySpec>(select.query->body->node).where;
}

TEST(ParserExprTest, Literals) {
  EXPECT_EQ(
      Canon("select 1, 1.5, .5, 1., 1e10, 1.5E-3, $12.50, $, 0x0A1B, 0x, 'it''s', N'ü', NULL"),
      "SELECT 1, 1.5, .5, 1., 1e10, 1.5E-3, $12.50, $, 0x0A1B, 0x, 'it''s', N'ü', NULL");
  Batch b = ParseOk("SELECT N'abc'");
  const auto* lit = SelectExpr(b).As<LiteralExpr>();
  ASSERT_NE(lit, nullptr);
  EXPECT_EQ(lit->kind, LiteralKind::kNString);
  EXPECT_EQ(lit->text, "abc");
  Batch money = ParseOk("SELECT $12.50");
  EXPECT_EQ(SelectExpr(money).As<LiteralExpr>()->kind, LiteralKind::kMoney);
  EXPECT_EQ(SelectExpr(money).As<LiteralExpr>()->text, "12.50");
}

TEST(ParserExprTest, NegativeNumbersAreUnaryMinus) {
  Batch b = ParseOk("SELECT -1");
  const auto* u = SelectExpr(b).As<UnaryExpr>();
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->op, UnaryOp::kMinus);
  EXPECT_EQ(Canon("SELECT - -1, -(-1), ~1, +1, - - -x"), "SELECT - -1, - -1, ~1, +1, - - -x");
  EXPECT_EQ(Canon("SELECT 1 - -1"), "SELECT 1 - -1");
}

TEST(ParserExprTest, NumberTooLong) {
  SqlError e = ParseError("SELECT 123456789012345678901234567890123456789");
  EXPECT_EQ(e.number, 1007);
  EXPECT_EQ(e.message,
            "The number '123456789012345678901234567890123456789' is out of the range for numeric "
            "representation (maximum precision 38).");
  // 38 digits are fine; leading zeros do not count.
  EXPECT_EQ(Canon("SELECT 00012345678901234567890123456789012345678"),
            "SELECT 00012345678901234567890123456789012345678");
}

TEST(ParserExprTest, ColumnReferencesUpToFourParts) {
  Batch b = ParseOk("SELECT db.s.t.c, [my col], \"q\"\"x\", t.[a]]b] FROM t");
  const auto* c = SelectExpr(b).As<ColumnRefExpr>();
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->name.parts.size(), 4u);
  EXPECT_EQ(c->name.FromRight(0)->value, "c");
  EXPECT_EQ(c->name.FromRight(3)->value, "db");
  const auto* quoted = SelectExpr(b, 1).As<ColumnRefExpr>();
  EXPECT_TRUE(quoted->name.parts[0].quoted);
  EXPECT_EQ(quoted->name.parts[0].value, "my col");
  EXPECT_EQ(SelectExpr(b, 2).As<ColumnRefExpr>()->name.parts[0].value, "q\"x");
  EXPECT_EQ(Canon("SELECT db.s.t.c, [my col], \"q\"\"x\", t.[a]]b] FROM t"),
            "SELECT db.s.t.c, [my col], [q\"x], t.[a]]b] FROM t");
  SqlError e = ParseError("SELECT a.b.c.d.e FROM t");
  EXPECT_EQ(e.number, 117);
  EXPECT_EQ(e.message,
            "The column name 'a.b.c.d.e' contains more than the maximum number of prefixes. The "
            "maximum is 3.");
}

TEST(ParserExprTest, NamesKeepSpellingAndPosition) {
  Batch b = ParseOk("SELECT\n  MyCol");
  const Expr& e = SelectExpr(b);
  EXPECT_EQ(e.pos.line, 2);
  EXPECT_EQ(e.pos.column, 3);
  EXPECT_EQ(e.As<ColumnRefExpr>()->name.parts[0].value, "MyCol");
  EXPECT_FALSE(e.As<ColumnRefExpr>()->name.parts[0].quoted);
}

TEST(ParserExprTest, VariablesAndGlobals) {
  Batch b = ParseOk("SELECT @a, @@ROWCOUNT, @@spid");
  EXPECT_EQ(SelectExpr(b).As<VariableExpr>()->name, "@a");
  EXPECT_EQ(SelectExpr(b, 1).As<GlobalVariableExpr>()->name, "@@ROWCOUNT");
  EXPECT_EQ(Canon("select @@version"), "SELECT @@version");
}

TEST(ParserExprTest, ArithmeticPrecedence) {
  // * / % bind tighter than + - & ^ |, which share one level and associate to the left.
  EXPECT_EQ(Canon("SELECT a + b * c"), "SELECT a + b * c");
  EXPECT_EQ(Canon("SELECT (a + b) * c"), "SELECT (a + b) * c");
  EXPECT_EQ(Canon("SELECT a - (b - c)"), "SELECT a - (b - c)");
  EXPECT_EQ(Canon("SELECT (a - b) - c"), "SELECT a - b - c");
  EXPECT_EQ(Canon("SELECT 1 + 2 & 3"), "SELECT 1 + 2 & 3");
  EXPECT_EQ(Canon("SELECT 1 | 2 ^ 3 & 4 % 5"), "SELECT 1 | 2 ^ 3 & 4 % 5");
  Batch b = ParseOk("SELECT 1 + 2 & 3");
  const auto* top = SelectExpr(b).As<BinaryExpr>();
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->op, BinaryOp::kBitAnd);  // (1 + 2) & 3: same level, left to right
  Batch u = ParseOk("SELECT -a * b");
  EXPECT_EQ(SelectExpr(u).As<BinaryExpr>()->op, BinaryOp::kMul);  // (-a) * b
  EXPECT_EQ(Canon("SELECT -(a * b)"), "SELECT -(a * b)");
  EXPECT_EQ(Canon("SELECT 'a' + 'b' + N'c'"), "SELECT 'a' + 'b' + N'c'");
}

TEST(ParserExprTest, LogicalPrecedence) {
  Batch b = ParseOk("SELECT 1 WHERE a = 1 OR b = 2 AND NOT c = 3");
  const auto* top = WhereExpr(b).As<BinaryExpr>();
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->op, BinaryOp::kOr);
  EXPECT_EQ(top->right->As<BinaryExpr>()->op, BinaryOp::kAnd);
  EXPECT_EQ(Canon("SELECT 1 WHERE (a = 1 OR b = 2) AND c = 3"),
            "SELECT 1 WHERE (a = 1 OR b = 2) AND c = 3");
  EXPECT_EQ(Canon("SELECT 1 WHERE ((a = 1)) AND (b = 2)"), "SELECT 1 WHERE a = 1 AND b = 2");
  EXPECT_EQ(Canon("SELECT 1 WHERE NOT (a = 1 AND b = 2)"), "SELECT 1 WHERE NOT (a = 1 AND b = 2)");
  EXPECT_EQ(Canon("SELECT 1 WHERE a = 1 OR (b = 2 OR c = 3)"),
            "SELECT 1 WHERE a = 1 OR (b = 2 OR c = 3)");
  EXPECT_EQ(Canon("SELECT 1 WHERE (a + 1) * 2 > 3"), "SELECT 1 WHERE (a + 1) * 2 > 3");
  EXPECT_EQ(Canon("SELECT 1 WHERE NOT NOT a = 1"), "SELECT 1 WHERE NOT NOT a = 1");
}

TEST(ParserExprTest, Comparisons) {
  EXPECT_EQ(Canon("SELECT 1 WHERE a = b AND a <> b AND a != b AND a < b AND a <= b AND a > b AND "
                  "a >= b AND a !< b AND a !> b"),
            "SELECT 1 WHERE a = b AND a <> b AND a <> b AND a < b AND a <= b AND a > b AND a >= b "
            "AND a !< b AND a !> b");
}

TEST(ParserExprTest, Predicates) {
  EXPECT_EQ(Canon("SELECT 1 WHERE a IS NULL AND b IS NOT NULL"),
            "SELECT 1 WHERE a IS NULL AND b IS NOT NULL");
  EXPECT_EQ(Canon("SELECT 1 WHERE a BETWEEN 1 AND 2 AND b NOT BETWEEN x + 1 AND y"),
            "SELECT 1 WHERE a BETWEEN 1 AND 2 AND b NOT BETWEEN x + 1 AND y");
  EXPECT_EQ(Canon("SELECT 1 WHERE a IN (1, 2, 3) AND b NOT IN (SELECT c FROM t)"),
            "SELECT 1 WHERE a IN (1, 2, 3) AND b NOT IN (SELECT c FROM t)");
  EXPECT_EQ(Canon("SELECT 1 WHERE a LIKE 'x%' AND b NOT LIKE '%!_%' ESCAPE '!'"),
            "SELECT 1 WHERE a LIKE 'x%' AND b NOT LIKE '%!_%' ESCAPE '!'");
  EXPECT_EQ(Canon("SELECT 1 WHERE EXISTS (SELECT 1 FROM t) AND NOT EXISTS (SELECT 2)"),
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM t) AND NOT EXISTS (SELECT 2)");
  EXPECT_EQ(Canon("SELECT 1 WHERE a > ALL (SELECT b FROM t) OR a = ANY (SELECT b FROM t) OR a < "
                  "some (select 1)"),
            "SELECT 1 WHERE a > ALL (SELECT b FROM t) OR a = ANY (SELECT b FROM t) OR a < SOME "
            "(SELECT 1)");
  Batch b = ParseOk("SELECT 1 WHERE a BETWEEN 1 AND 2 AND c = 1");
  const auto* top = WhereExpr(b).As<BinaryExpr>();
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->op, BinaryOp::kAnd);
  EXPECT_NE(top->left->As<BetweenExpr>(), nullptr);
}

TEST(ParserExprTest, Case) {
  EXPECT_EQ(Canon("SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END"),
            "SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END");
  EXPECT_EQ(Canon("SELECT CASE WHEN a > 1 AND b IS NULL THEN 1 END"),
            "SELECT CASE WHEN a > 1 AND b IS NULL THEN 1 END");
  EXPECT_EQ(ParseError("SELECT CASE END").number, 156);
}

TEST(ParserExprTest, CastAndConvert) {
  EXPECT_EQ(
      Canon("SELECT CAST(a AS int), TRY_CAST('1' AS decimal(10, 2)), cast(x as nvarchar(max))"),
      "SELECT CAST(a AS int), TRY_CAST('1' AS decimal(10, 2)), CAST(x AS nvarchar(MAX))");
  EXPECT_EQ(
      Canon("SELECT CONVERT(varchar(10), d, 120), TRY_CONVERT(int, '1'), convert(datetime2(7), "
            "x)"),
      "SELECT CONVERT(varchar(10), d, 120), TRY_CONVERT(int, '1'), CONVERT(datetime2(7), x)");
  Batch b = ParseOk("SELECT CAST(1 AS double precision)");
  const auto* cast = SelectExpr(b).As<CastExpr>();
  ASSERT_NE(cast, nullptr);
  EXPECT_EQ(cast->type.name.parts[0].value, "double precision");
}

TEST(ParserExprTest, DataTypeNames) {
  EXPECT_EQ(Canon("SELECT CAST(a AS national character varying(20)), CAST(a AS char varying(3)), "
                  "CAST(a AS NATIONAL CHAR(2)), CAST(a AS sysname), CAST(a AS [int]), "
                  "CAST(a AS dbo.MyType), CAST(a AS binary varying(4)), CAST(a AS float(53))"),
            "SELECT CAST(a AS national character varying(20)), CAST(a AS char varying(3)), "
            "CAST(a AS NATIONAL CHAR(2)), CAST(a AS sysname), CAST(a AS [int]), "
            "CAST(a AS dbo.MyType), CAST(a AS binary varying(4)), CAST(a AS float(53))");
  Batch b = ParseOk("SELECT CAST(a AS varchar(MAX)), CAST(b AS decimal(38, 10))");
  const auto& t1 = SelectExpr(b).As<CastExpr>()->type;
  EXPECT_TRUE(t1.is_max);
  const auto& t2 = SelectExpr(b, 1).As<CastExpr>()->type;
  ASSERT_EQ(t2.facets.size(), 2u);
  EXPECT_EQ(t2.facets[0], 38);
  EXPECT_EQ(t2.facets[1], 10);
  SqlError e = ParseError("SELECT CAST(a AS varchar(99999999999))");
  EXPECT_EQ(e.number, 1001);
}

TEST(ParserExprTest, FunctionCalls) {
  EXPECT_EQ(Canon("SELECT COUNT(*), COUNT(DISTINCT a), count_big(all b), SUM(x), GETDATE(), "
                  "dbo.f(1, 'a'), LEFT(s, 2), RIGHT(s, 3), COALESCE(a, b, 0), NULLIF(a, 0), "
                  "ISNULL(a, 1), IIF(a > 1, 'y', 'n'), db.dbo.f()"),
            "SELECT COUNT(*), COUNT(DISTINCT a), count_big(b), SUM(x), GETDATE(), dbo.f(1, 'a'), "
            "LEFT(s, 2), RIGHT(s, 3), COALESCE(a, b, 0), NULLIF(a, 0), ISNULL(a, 1), IIF(a > 1, "
            "'y', 'n'), db.dbo.f()");
  EXPECT_EQ(Canon("SELECT CURRENT_TIMESTAMP, current_user, SESSION_USER, SYSTEM_USER, USER"),
            "SELECT CURRENT_TIMESTAMP, current_user, SESSION_USER, SYSTEM_USER, USER");
  EXPECT_EQ(Canon("SELECT STRING_AGG(name, ',') WITHIN GROUP (ORDER BY name DESC) FROM t"),
            "SELECT STRING_AGG(name, ',') WITHIN GROUP (ORDER BY name DESC) FROM t");
  Batch b = ParseOk("SELECT CURRENT_TIMESTAMP");
  EXPECT_TRUE(SelectExpr(b).As<FunctionCallExpr>()->no_parens);
  SqlError iif = ParseError("SELECT IIF(a > 1, 2)");
  EXPECT_EQ(iif.number, 174);
  EXPECT_EQ(iif.message, "The iif function requires 3 argument(s).");
}

TEST(ParserExprTest, DatePartFunctions) {
  Batch b = ParseOk(
      "SELECT DATEADD(day, 1, d), DATEDIFF(mi, a, b), DATEPART(yyyy, d), "
      "DATENAME(weekday, d), DATETRUNC(month, d), DATEDIFF_BIG(ns, a, b)");
  const auto* call = SelectExpr(b).As<FunctionCallExpr>();
  ASSERT_NE(call, nullptr);
  ASSERT_EQ(call->args.size(), 3u);
  const auto* part = call->args[0]->As<DatePartExpr>();
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->name, "day");
  EXPECT_EQ(Canon("SELECT DATEADD(DAY, 1, d)"), "SELECT DATEADD(DAY, 1, d)");
  SqlError bad_part = ParseError("SELECT DATEADD(fortnight, 1, d)");
  EXPECT_EQ(bad_part.number, 155);
  EXPECT_EQ(bad_part.message, "'fortnight' is not a recognized dateadd option.");
  SqlError bad_arg = ParseError("SELECT DATEADD(@p, 1, d)");
  EXPECT_EQ(bad_arg.number, 1023);
  EXPECT_EQ(bad_arg.message, "Invalid parameter 1 specified for dateadd.");
  SqlError count = ParseError("SELECT DATEPART(day, a, b)");
  EXPECT_EQ(count.number, 174);
  EXPECT_EQ(count.message, "The datepart function requires 2 argument(s).");
}

TEST(ParserExprTest, WindowFunctions) {
  EXPECT_EQ(Canon("SELECT ROW_NUMBER() OVER (ORDER BY a), SUM(x) OVER (PARTITION BY g, h ORDER BY "
                  "a DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), AVG(x) OVER (), "
                  "SUM(x) OVER (ORDER BY a RANGE UNBOUNDED PRECEDING), LAG(x, 1) OVER (ORDER BY a "
                  "ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) FROM t"),
            "SELECT ROW_NUMBER() OVER (ORDER BY a), SUM(x) OVER (PARTITION BY g, h ORDER BY a DESC "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), AVG(x) OVER (), SUM(x) OVER (ORDER "
            "BY a RANGE UNBOUNDED PRECEDING), LAG(x, 1) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING "
            "AND 1 FOLLOWING) FROM t");
}

TEST(ParserExprTest, ScalarSubqueriesAndCollate) {
  EXPECT_EQ(Canon("SELECT (SELECT MAX(a) FROM t) + 1, name COLLATE Latin1_General_CS_AS FROM t"),
            "SELECT (SELECT MAX(a) FROM t) + 1, name COLLATE Latin1_General_CS_AS FROM t");
  EXPECT_EQ(Canon("SELECT 1 WHERE (SELECT COUNT(*) FROM t) > 0"),
            "SELECT 1 WHERE (SELECT COUNT(*) FROM t) > 0");
  Batch b = ParseOk("SELECT a + b COLLATE x");
  EXPECT_NE(SelectExpr(b).As<BinaryExpr>()->right->As<CollateExpr>(), nullptr);
}

TEST(ParserExprTest, ConditionsAndValuesAreDistinct) {
  // A comparison is not a value...
  SqlError e = ParseError("SELECT a > b FROM t");
  EXPECT_EQ(e.number, 102);
  EXPECT_EQ(e.message, "Incorrect syntax near '>'.");
  // ... and a value is not a condition.
  SqlError where = ParseError("SELECT * FROM t WHERE 1");
  EXPECT_EQ(where.number, 4145);
  EXPECT_EQ(where.message,
            "An expression of non-boolean type specified in a context where a condition is "
            "expected, near '1'.");
  SqlError if_error = ParseError("IF 1 PRINT 'x'");
  EXPECT_EQ(if_error.number, 4145);
  EXPECT_EQ(if_error.message,
            "An expression of non-boolean type specified in a context where a condition is "
            "expected, near 'PRINT'.");
  EXPECT_EQ(ParseError("SELECT 1 WHERE 1 AND a = 1").number, 4145);
  EXPECT_EQ(ParseError("SELECT 1 WHERE (a = 1) + 1 = 2").number, 102);
}

TEST(ParserExprTest, UnsupportedExpressions) {
  SqlError next = ParseError("SELECT NEXT VALUE FOR dbo.seq");
  EXPECT_EQ(next.number, 40517);
  EXPECT_EQ(next.message,
            "Keyword or statement option 'NEXT VALUE FOR' is not supported in this version of SQL "
            "Server.");
  EXPECT_EQ(ParseError("SELECT geography::Point(1, 2, 4326)").number, 40517);
  EXPECT_EQ(ParseError("SELECT d AT TIME ZONE 'UTC' FROM t").number, 40517);
  EXPECT_EQ(ParseError("SELECT TRIM(LEADING 'x' FROM a) FROM t").number, 102);
  EXPECT_EQ(ParseError("SELECT * FROM OPENJSON(@j) WITH (a int '$.a')").number, 40517);
  SqlError parse = ParseError("SELECT PARSE('1' AS int)");
  EXPECT_EQ(parse.number, 40511);
}

TEST(ParserExprTest, SignedMoneyConstant) {
  EXPECT_EQ(Canon("SELECT $-23, $+1.5, -$45.56, $ - 1"), "SELECT $-23, $+1.5, -$45.56, $ - 1");
}

TEST(ParserExprTest, TrimFrom) {
  // TRIM(characters FROM string): the string is the first argument, as in TRIM(string).
  EXPECT_EQ(Canon("SELECT TRIM('.,' FROM a), TRIM(a)"), "SELECT TRIM('.,' FROM a), TRIM(a)");
  EXPECT_EQ(Canon("SELECT trim(@c from 'x' + a)"), "SELECT trim(@c FROM 'x' + a)");
  EXPECT_EQ(ParseError("SELECT TRIM('x' FROM a, b)").number, 102);
  EXPECT_EQ(ParseError("SELECT TRIM('x', 'y' FROM a)").number, 156);
}

TEST(ParserExprTest, StandaloneExpressionEntryPoints) {
  Result<ExprPtr> e = ParseExpression("(getdate())");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ToString(**e), "getdate()");
  Result<ExprPtr> c = ParseCondition("[a] > (0)");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(ToString(**c), "[a] > 0");
  EXPECT_FALSE(ParseCondition("1").ok());
  EXPECT_FALSE(ParseExpression("1 2").ok());
}

}  // namespace
}  // namespace edgesql::tsql
