// Left-deep operator chains (a + b + c ...) as long as the parser accepts (ParseOptions::
// max_depth) compile to SQL SQLite 3.40 accepts: its parser stack overflows at about 30 nested
// parentheses or calls and its expression trees are at most 1000 deep, so the emitter extends a
// chain instead of nesting it (BoundExpr::chain). SQL Server accepts these chains.
#include <gtest/gtest.h>

#include "tsql/binder_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Db;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// The largest number of steps `head step step ... tail` the parser accepts.
int LongestAccepted(const std::string& head, const std::string& step, const std::string& tail) {
  int lo = 1;
  int hi = 5000;
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (ParseBatch(head + Repeat(step, mid) + tail).ok()) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

struct Chain {
  std::string head, step, tail;
  // The value for n steps.
  std::string (*expected)(int n);
  // Steps short of the longest accepted chain to run: SQLite's 1000-deep expression trees count
  // the depth of the chain's first operand too (es_cast(es_replicate(x)) || y || ...).
  int headroom = 0;
  // Operators in one step (the parser's limit counts each).
  int operators = 1;
};

std::string Text(int64_t v) { return std::to_string(v); }

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db.MustExec("INSERT INTO people (id, name, age, city, salary) VALUES (1, N'a', 1, 'b', 1.50)");
  }
  // Runs the chain at 1, 40 (past SQLite's nesting limit) and the longest accepted length.
  void Check(const Chain& c) {
    int longest = LongestAccepted(c.head, c.step, c.tail);
    EXPECT_GE(longest * c.operators, 990) << c.head << c.step;
    for (int n : {1, 40, longest - c.headroom}) {
      std::string tsql = c.head + Repeat(c.step, n) + c.tail;
      auto cs = db.Compile(tsql);
      ASSERT_TRUE(cs.ok()) << c.head << c.step << " x" << n << ": " << cs.status().ToString();
      // Linear in the input: no operand is repeated at each step.
      EXPECT_LT((*cs)->sql.size(), tsql.size() * 8) << c.head << c.step << " x" << n;
      EXPECT_EQ(db.Scalar(tsql), c.expected(n)) << c.head << c.step << " x" << n;
    }
  }
  Db db;
};

TEST_F(ChainTest, IntegerArithmetic) {
  Check({"SELECT 1", " + 1", "", [](int n) { return Text(n + 1); }});
  Check({"SELECT 1", " - 1", "", [](int n) { return Text(1 - n); }});
  Check({"SELECT 1", " * 1", "", [](int n) { return Text(1); }});
  Check({"SELECT 1000000", " / 1", "", [](int n) { return Text(1000000); }});
  Check({"SELECT 7", " % 5", "", [](int n) { return Text(2); }});
  Check({"SELECT age", " + age", " FROM people", [](int n) { return Text(n + 1); }});
  // Mixed operators of one precedence class keep T-SQL's left-to-right order.
  Check({"SELECT 10", " - 3 + 2", "", [](int n) { return Text(10 - n); }, 0, 2});
}

TEST_F(ChainTest, FloatAndDecimalArithmetic) {
  Check({"SELECT 0.5E0", " + 0.5E0", "",
         [](int n) { return Text((n + 1) / 2) + (n % 2 ? "" : ".5"); }});
  Check({"SELECT 1.5", " + 1.5", "",
         [](int n) { return Text((3 * (n + 1)) / 2) + ((n + 1) % 2 ? ".5" : ".0"); }});
  Check({"SELECT salary", " + salary", " FROM people",
         [](int n) { return Text((3 * (n + 1)) / 2) + ((n + 1) % 2 ? ".50" : ".00"); }});
  Check({"SELECT CAST(1 AS money)", " * 1", "", [](int n) { return std::string("1.00"); }});
}

TEST_F(ChainTest, BitwiseOperators) {
  Check({"SELECT 7", " & 7", "", [](int n) { return Text(7); }});
  Check({"SELECT 1", " | 2", "", [](int n) { return Text(3); }});
  // ^ (a function call in SQLite) used to repeat both operands: 2^n SQL.
  Check({"SELECT 5", " ^ 1", "", [](int n) { return Text(n % 2 ? 4 : 5); }});
}

TEST_F(ChainTest, StringConcatenation) {
  Check({"SELECT 'a'", " + 'a'", "", [](int n) { return std::string(n + 1, 'a'); }});
  Check({"SELECT name", " + name", " FROM people", [](int n) { return std::string(n + 1, 'a'); }});
  // Past 4000 characters each step cuts the result (es_cast); the chain is cut once instead.
  Check({"SELECT REPLICATE(name, 3000)", " + name", " FROM people",
         [](int n) { return std::string(std::min(n + 3000, 4000), 'a'); }, 5});
  Check({"SELECT CONVERT(varchar(max), 0x01", " + 0x02", ", 1)",
         [](int n) { return "0x01" + Repeat("02", n); }});
  // CONCAT_NULL_YIELDS_NULL OFF used to repeat both operands too.
  db.settings().concat_null_yields_null = false;
  Check({"SELECT 'a'", " + 'a'", "", [](int n) { return std::string(n + 1, 'a'); }});
  Check({"SELECT city", " + NULL + city", " FROM people",
         [](int n) { return std::string(n + 1, 'b'); }, 0, 2});
  Check({"SELECT REPLICATE(city, 7000)", " + city", " FROM people",
         [](int n) { return std::string(std::min(n + 7000, 8000), 'b'); }, 5});
}

TEST_F(ChainTest, SearchConditions) {
  Check({"SELECT 1 WHERE 1 = 2", " OR 1 = 1", "", [](int n) { return Text(1); }});
  Check({"SELECT 1 WHERE 1 = 1", " AND 1 = 1", "", [](int n) { return Text(1); }});
  Check({"SELECT id FROM people WHERE age = 2", " OR age = 1", "", [](int n) { return Text(1); }});
}

TEST_F(ChainTest, SetOperationChains) {
  // SQLite's compound SELECT takes 500 members; T-SQL chains are as long as the parser takes.
  Check({"SELECT COUNT(*) FROM (SELECT 1 AS x", " UNION ALL SELECT 1", ") AS t",
         [](int n) { return Text(n + 1); }});
  Check({"SELECT COUNT(*) FROM (SELECT 1 AS x", " UNION SELECT 2", ") AS t",
         [](int n) { return Text(2); }});
  // Members of growing string length change the result type at every step; each member converts
  // once to the final type instead of the chain nesting a subquery per step.
  std::string sql = "SELECT MAX(LEN(x)), COUNT(*) FROM (SELECT 'a' AS x";
  for (int i = 2; i <= 300; ++i) sql += " UNION ALL SELECT '" + std::string(i, 'a') + "'";
  sql += " UNION SELECT 1.5) AS t";
  EXPECT_EQ(db.Query(sql).size(), 1u);
  std::string strings = "SELECT COUNT(*) FROM (SELECT 'a' AS x";
  for (int i = 2; i <= 700; ++i)
    strings += " UNION ALL SELECT '" + std::string(i % 50 + 1, 'b') + "'";
  strings += ") AS t";
  EXPECT_EQ(db.Scalar(strings), "700");
  // Mixed operators keep T-SQL's left-to-right grouping: ((1 UNION ALL 1) UNION 2) EXCEPT 2.
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM (SELECT 1 AS x UNION ALL SELECT 1 UNION SELECT 2 "
                      "EXCEPT SELECT 2) AS t"),
            "1");
  EXPECT_EQ(
      db.Scalar("SELECT COUNT(*) FROM (SELECT 1 AS x UNION SELECT 1 UNION ALL SELECT 1) AS t"),
      "2");
}

TEST_F(ChainTest, NestedReplace) {
  // REPLACE(REPLACE(...)) that cannot outgrow its type needs no cut to 8000 bytes, and the
  // nesting becomes one call: 100 levels (the parser's nesting limit is 128).
  std::string sql = "city";
  for (int i = 0; i < 100; ++i)
    sql = "REPLACE(" + sql + ", '" + std::string(1, 'a' + i % 26) + "', '')";
  db.MustExec("UPDATE people SET city = 'a-b-c xyz' WHERE id = 1");
  EXPECT_EQ(db.Scalar("SELECT " + sql + " FROM people"), "-- ");
  auto cs = db.Compile("SELECT REPLACE(REPLACE(city, '-', ''), ' ', '') FROM people");
  ASSERT_TRUE(cs.ok());
  EXPECT_EQ((*cs)->sql, "SELECT es_replace(c4, '-', '', ' ', '') FROM t1001");
  // A REPLACE that may grow past 8000 bytes keeps its cut and nests.
  EXPECT_EQ(db.Scalar("SELECT LEN(REPLACE(REPLACE(REPLICATE('ab', 3000), 'a', 'xyz'), 'b', 'b'))"),
            "8000");
  EXPECT_EQ(db.Scalar("SELECT REPLACE(REPLACE('aXa', 'a', 'bb'), 'B', 'c')"), "ccXcc");
}

TEST_F(ChainTest, ChainsInsideOtherExpressions) {
  // A chain stays a chain inside parentheses, function arguments and comparisons.
  EXPECT_EQ(db.Scalar("SELECT ABS(-1" + Repeat(" - 1", 200) + ")"), "201");
  EXPECT_EQ(db.Scalar("SELECT CASE WHEN 1" + Repeat(" + 1", 200) + " = 201 THEN 'y' END"), "y");
  EXPECT_EQ(db.Scalar("SELECT (1" + Repeat(" + 1", 200) + ") * 2"), "402");
  // A parenthesized right operand is not flattened: 1 - (1 - 1) - ... keeps its grouping.
  EXPECT_EQ(db.Scalar("SELECT 1" + Repeat(" - (1 - 1)", 200)), "1");
  EXPECT_EQ(db.Scalar("SELECT 2" + Repeat(" * 2", 20) + " / 4 + 1"), "524289");
}

}  // namespace
}  // namespace edgesql::tsql
