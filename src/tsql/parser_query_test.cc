// Queries: SELECT clauses, set operations, CTEs, ORDER BY / OFFSET, table sources and joins.
#include <gtest/gtest.h>

#include "tsql/parser_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Canon;
using testing::ParseError;
using testing::ParseOk;

const Query& SelectQuery(const Batch& batch) {
  return *std::get<SelectStmt>(batch.statements.at(0)->node).query;
}

const QuerySpec& Spec(const Batch& batch) {
  return std::get<QuerySpec>(SelectQuery(batch).body->node);
}

TEST(ParserQueryTest, SelectList) {
  EXPECT_EQ(
      Canon("select *, t.*, dbo.t.*, a, b AS x, c y, 'lit' z, d AS 'w', e = f + 1, [g h] = 2, "
            "'s' = 3 from dbo.t"),
      "SELECT *, t.*, dbo.t.*, a, b AS x, c AS y, 'lit' AS z, d AS [w], f + 1 AS e, 2 AS [g "
      "h], 3 AS [s] FROM dbo.t");
  Batch b = ParseOk("SELECT t.*, a AS x FROM t");
  const QuerySpec& spec = Spec(b);
  EXPECT_EQ(spec.items[0].kind, SelectItemKind::kStar);
  EXPECT_EQ(spec.items[0].star_qualifier.parts[0].value, "t");
  EXPECT_EQ(spec.items[1].alias->value, "x");
}

TEST(ParserQueryTest, VariableAssignment) {
  Batch b = ParseOk("SELECT @a = a, @b += 1 FROM t");
  const QuerySpec& spec = Spec(b);
  EXPECT_EQ(spec.items[0].kind, SelectItemKind::kAssign);
  EXPECT_EQ(spec.items[0].variable, "@a");
  EXPECT_EQ(spec.items[1].op, AssignOp::kAdd);
  EXPECT_EQ(Canon("SELECT @a = a, @b += 1 FROM t"), "SELECT @a = a, @b += 1 FROM t");
}

TEST(ParserQueryTest, DistinctTopInto) {
  EXPECT_EQ(Canon("SELECT DISTINCT TOP 10 a FROM t"), "SELECT DISTINCT TOP (10) a FROM t");
  EXPECT_EQ(Canon("SELECT TOP (@n) PERCENT WITH TIES a INTO #tmp FROM t ORDER BY a"),
            "SELECT TOP (@n) PERCENT WITH TIES a INTO #tmp FROM t ORDER BY a");
  EXPECT_EQ(Canon("SELECT ALL a FROM t"), "SELECT a FROM t");
  Batch b = ParseOk("SELECT a INTO db..newt FROM t");
  EXPECT_TRUE(Spec(b).into->parts[1].omitted());
}

TEST(ParserQueryTest, WhereGroupByHaving) {
  EXPECT_EQ(Canon("SELECT a, COUNT(*) FROM t WHERE b > 0 GROUP BY a, c HAVING COUNT(*) > 1"),
            "SELECT a, COUNT(*) FROM t WHERE b > 0 GROUP BY a, c HAVING COUNT(*) > 1");
  EXPECT_EQ(ParseError("SELECT a FROM t GROUP BY ROLLUP(a)").number, 40517);
  EXPECT_EQ(ParseError("SELECT a FROM t GROUP BY a WITH CUBE").number, 40517);
  EXPECT_EQ(ParseError("SELECT a FROM t GROUP BY GROUPING SETS ((a))").number, 40517);
}

TEST(ParserQueryTest, OrderByOffsetFetch) {
  EXPECT_EQ(Canon("SELECT a FROM t ORDER BY a ASC, b DESC, 3"),
            "SELECT a FROM t ORDER BY a ASC, b DESC, 3");
  EXPECT_EQ(Canon("SELECT a FROM t ORDER BY a OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY"),
            "SELECT a FROM t ORDER BY a OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY");
  EXPECT_EQ(Canon("SELECT a FROM t ORDER BY a OFFSET 0 ROW FETCH FIRST 1 ROW ONLY"),
            "SELECT a FROM t ORDER BY a OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY");
  EXPECT_EQ(Canon("SELECT a FROM t ORDER BY a OFFSET @skip ROWS"),
            "SELECT a FROM t ORDER BY a OFFSET @skip ROWS");
  Batch b = ParseOk("SELECT a FROM t ORDER BY a OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY");
  EXPECT_NE(SelectQuery(b).offset, nullptr);
  EXPECT_NE(SelectQuery(b).fetch, nullptr);
}

TEST(ParserQueryTest, SetOperations) {
  EXPECT_EQ(Canon("SELECT 1 UNION SELECT 2 UNION ALL SELECT 3 EXCEPT SELECT 4"),
            "SELECT 1 UNION SELECT 2 UNION ALL SELECT 3 EXCEPT SELECT 4");
  // INTERSECT binds tighter than UNION.
  Batch b = ParseOk("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3");
  const auto& top = std::get<SetOperation>(SelectQuery(b).body->node);
  EXPECT_EQ(top.kind, SetOpKind::kUnion);
  EXPECT_EQ(std::get<SetOperation>(top.right->node).kind, SetOpKind::kIntersect);
  EXPECT_EQ(Canon("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3"),
            "(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3");
  EXPECT_EQ(Canon("SELECT 1 UNION (SELECT 2 UNION SELECT 3)"),
            "SELECT 1 UNION (SELECT 2 UNION SELECT 3)");
  EXPECT_EQ(Canon("((SELECT 1)) UNION (SELECT 2) ORDER BY 1"),
            "SELECT 1 UNION SELECT 2 ORDER BY 1");
  EXPECT_EQ(Canon("(SELECT TOP 1 a FROM t ORDER BY a) UNION ALL (SELECT TOP 1 a FROM u ORDER BY a "
                  "DESC)"),
            "(SELECT TOP (1) a FROM t ORDER BY a) UNION ALL (SELECT TOP (1) a FROM u ORDER BY a "
            "DESC)");
}

TEST(ParserQueryTest, CommonTableExpressions) {
  EXPECT_EQ(Canon("WITH c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10), d AS "
                  "(SELECT * FROM c) SELECT * FROM d OPTION (MAXRECURSION 100)"),
            "WITH c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10), d AS (SELECT * "
            "FROM c) SELECT * FROM d OPTION (MAXRECURSION 100)");
  Batch b = ParseOk(";WITH x AS (SELECT 1 AS a) SELECT a FROM x");
  EXPECT_EQ(SelectQuery(b).ctes.size(), 1u);
  EXPECT_EQ(SelectQuery(b).ctes[0].name.value, "x");
  EXPECT_EQ(ParseError("WITH XMLNAMESPACES ('u' AS p) SELECT 1").number, 40517);
}

TEST(ParserQueryTest, TableSources) {
  EXPECT_EQ(Canon("SELECT * FROM srv.db.dbo.t AS a, db..t b, #tmp, ##g, @tv AS v"),
            "SELECT * FROM srv.db.dbo.t AS a, db..t AS b, #tmp, ##g, @tv AS v");
  EXPECT_EQ(Canon("SELECT * FROM t WITH (NOLOCK) JOIN u (nolock) ON t.a = u.a"),
            "SELECT * FROM t WITH (NOLOCK) INNER JOIN u WITH (nolock) ON t.a = u.a");
  EXPECT_EQ(Canon("SELECT * FROM t x WITH (INDEX(ix_a), UPDLOCK ROWLOCK, INDEX = ix_b, HOLDLOCK)"),
            "SELECT * FROM t AS x WITH (INDEX(ix_a), UPDLOCK, ROWLOCK, INDEX(ix_b), HOLDLOCK)");
  Batch b = ParseOk("SELECT * FROM dbo.t AS x WITH (NOLOCK)");
  const auto& named = std::get<NamedTableRef>(Spec(b).from[0]->node);
  EXPECT_EQ(named.alias->value, "x");
  ASSERT_EQ(named.hints.size(), 1u);
  EXPECT_EQ(named.hints[0].name.value, "NOLOCK");
  EXPECT_EQ(ParseError("SELECT * FROM t WITH (FASTEST)").number, 102);
}

TEST(ParserQueryTest, DerivedTablesAndValues) {
  EXPECT_EQ(Canon("SELECT * FROM (SELECT a FROM t) AS d(x), (VALUES (1, 'a'), (2, 'b')) v(n, s)"),
            "SELECT * FROM (SELECT a FROM t) AS d(x), (VALUES (1, 'a'), (2, 'b')) AS v(n, s)");
  EXPECT_EQ(Canon("SELECT * FROM ((SELECT 1 AS a) UNION (SELECT 2)) AS u"),
            "SELECT * FROM (SELECT 1 AS a UNION SELECT 2) AS u");
  EXPECT_EQ(Canon("SELECT * FROM dbo.f(1, DEFAULT) AS r, OPENJSON(@j) WITH_ALIAS, STRING_SPLIT(@s, "
                  "',')"),
            "SELECT * FROM dbo.f(1, DEFAULT) AS r, OPENJSON(@j) AS WITH_ALIAS, STRING_SPLIT(@s, "
            "',')");
  // SQL Server requires an alias on a derived table: the error names the token after it.
  SqlError e = ParseError("SELECT * FROM (SELECT 1 AS a)");
  EXPECT_EQ(e.number, 102);
  EXPECT_EQ(e.message, "Incorrect syntax near ')'.");
}

TEST(ParserQueryTest, Joins) {
  EXPECT_EQ(
      Canon("SELECT * FROM a INNER JOIN b ON a.x = b.x LEFT OUTER JOIN c ON c.y = b.y RIGHT "
            "JOIN d ON 1 = 1 FULL OUTER JOIN e ON 1 = 1 CROSS JOIN f"),
      "SELECT * FROM a INNER JOIN b ON a.x = b.x LEFT JOIN c ON c.y = b.y RIGHT JOIN d ON 1 = "
      "1 FULL JOIN e ON 1 = 1 CROSS JOIN f");
  EXPECT_EQ(
      Canon("SELECT * FROM a CROSS APPLY dbo.f(a.x) AS r OUTER APPLY (SELECT TOP 1 * FROM b "
            "WHERE b.x = a.x) AS o"),
      "SELECT * FROM a CROSS APPLY dbo.f(a.x) AS r OUTER APPLY (SELECT TOP (1) * FROM b WHERE "
      "b.x = a.x) AS o");
  // A join nested on the right of another join needs no parentheses before its ON.
  EXPECT_EQ(Canon("SELECT * FROM a JOIN (b JOIN c ON b.x = c.x) ON a.x = b.x"),
            "SELECT * FROM a INNER JOIN b INNER JOIN c ON b.x = c.x ON a.x = b.x");
  EXPECT_EQ(Canon("SELECT * FROM a JOIN b JOIN c ON b.x = c.x ON a.x = b.x"),
            "SELECT * FROM a INNER JOIN b INNER JOIN c ON b.x = c.x ON a.x = b.x");
  Batch nested = ParseOk("SELECT * FROM a JOIN b JOIN c ON b.x = c.x ON a.x = b.x");
  const auto& outer = std::get<JoinTableRef>(Spec(nested).from[0]->node);
  EXPECT_NE(std::get_if<JoinTableRef>(&outer.right->node), nullptr);
  EXPECT_EQ(Canon("SELECT * FROM a CROSS JOIN (b CROSS JOIN c)"),
            "SELECT * FROM a CROSS JOIN (b CROSS JOIN c)");
  EXPECT_EQ(Canon("SELECT * FROM (a JOIN b ON a.x = b.x) JOIN c ON c.x = a.x"),
            "SELECT * FROM a INNER JOIN b ON a.x = b.x INNER JOIN c ON c.x = a.x");
  EXPECT_EQ(Canon("SELECT * FROM a INNER HASH JOIN b ON a.x = b.x LEFT LOOP JOIN c ON 1 = 1"),
            "SELECT * FROM a INNER HASH JOIN b ON a.x = b.x LEFT LOOP JOIN c ON 1 = 1");
  Batch b = ParseOk("SELECT * FROM a LEFT JOIN b ON a.x = b.x");
  const auto& join = std::get<JoinTableRef>(Spec(b).from[0]->node);
  EXPECT_EQ(join.kind, JoinKind::kLeft);
  EXPECT_NE(join.on, nullptr);
  SqlError missing_on = ParseError("SELECT * FROM a JOIN b");
  EXPECT_EQ(missing_on.number, 102);
  EXPECT_EQ(missing_on.message, "Incorrect syntax near 'b'.");
}

TEST(ParserQueryTest, UnsupportedQueryFeatures) {
  SqlError xml = ParseError("SELECT a FROM t FOR XML PATH('')");
  EXPECT_EQ(xml.number, 40517);
  EXPECT_EQ(
      xml.message,
      "Keyword or statement option 'FOR XML' is not supported in this version of SQL Server.");
  EXPECT_EQ(ParseError("SELECT a FROM t FOR JSON AUTO").number, 40517);
  EXPECT_EQ(ParseError("SELECT * FROM t PIVOT (SUM(a) FOR b IN ([1])) p").number, 40517);
  EXPECT_EQ(ParseError("SELECT * FROM OPENROWSET('x', 'y', 'z')").number, 40517);
  EXPECT_EQ(ParseError("SELECT * FROM t TABLESAMPLE (10 PERCENT)").number, 40517);
  EXPECT_EQ(ParseError("SELECT * FROM t FOR SYSTEM_TIME AS OF '2020-01-01'").number, 40517);
}

TEST(ParserQueryTest, QueryHints) {
  Batch b =
      ParseOk("SELECT * FROM t WHERE a = @p OPTION (RECOMPILE, MAXDOP 1, OPTIMIZE FOR (@p = 1))");
  const auto& select = std::get<SelectStmt>(b.statements[0]->node);
  ASSERT_EQ(select.options.size(), 3u);
  EXPECT_EQ(select.options[0], "RECOMPILE");
  EXPECT_EQ(select.options[1], "MAXDOP 1");
  EXPECT_EQ(select.options[2], "OPTIMIZE FOR ( @p = 1 )");
}

}  // namespace
}  // namespace edgesql::tsql
