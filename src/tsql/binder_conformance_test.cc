// Cases the T-SQL conformance suite (tests/sql) found, each pinned at the level of the binder
// and the runtime functions: one case per documented SQL Server behaviour.
#include <gtest/gtest.h>

#include "tsql/binder_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Db;

class ConformanceTest : public ::testing::Test {
 protected:
  std::string S(std::string_view expr) { return db.Scalar("SELECT " + std::string(expr)); }
  int E(std::string_view expr) { return db.Error("SELECT " + std::string(expr)); }
  std::string Type(std::string_view expr) {
    auto cs = db.Compile("SELECT " + std::string(expr));
    if (!cs.ok()) return cs.status().ToString();
    return (*cs)->columns.at(0).type.ToString();
  }
  Db db;
};

TEST_F(ConformanceTest, TrimCharactersFrom) {
  // "TRIM( '.,! ' FROM '     #     test    .')" is '#     test'.
  EXPECT_EQ(S("TRIM('.,! ' FROM '     #     test    .')"), "#     test");
  EXPECT_EQ(S("TRIM('x' FROM NULL)"), "NULL");
  // The characters come only with FROM: TRIM takes one argument (174).
  EXPECT_EQ(E("TRIM('a', 'b')"), errors::kFunctionArgCount);
}

TEST_F(ConformanceTest, StrRoundsHalfAwayFromZero) {
  // "The number is rounded to an integer by default": 2.5 is 3 (printf alone gives 2).
  EXPECT_EQ(S("STR(2.5)"), "         3");
  EXPECT_EQ(S("STR(-2.5)"), "        -3");
  EXPECT_EQ(S("STR(0.125, 5, 2)"), " 0.13");
  EXPECT_EQ(S("STR(123.45, 6, 1)"), " 123.5");
  EXPECT_EQ(S("STR(123.45, 2, 2)"), "**");
}

TEST_F(ConformanceTest, TranslateLengthMismatchIs9828) {
  auto r = db.Exec("SELECT TRANSLATE('abc', 'ab', 'x')");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().number, 9828);
  EXPECT_EQ(r.error().message,
            "The second and third arguments of the TRANSLATE built-in function must contain an "
            "equal number of characters.");
}

TEST_F(ConformanceTest, ConcatOfNullsIsVarchar1) {
  // "If CONCAT receives arguments with all NULL values, it returns an empty string of type
  // varchar(1)"; CONCAT_WS likewise.
  EXPECT_EQ(Type("CONCAT(NULL, NULL)"), "varchar(1)");
  EXPECT_EQ(Type("CONCAT_WS(',', NULL, NULL, NULL)"), "varchar(1)");
  EXPECT_EQ(S("CONCAT(NULL, NULL)"), "");
}

TEST_F(ConformanceTest, ConcatTakes254Arguments) {
  // SQLite calls take 127 arguments; CONCAT and CONCAT_WS take 254.
  std::string args;
  std::string expected;
  for (int i = 1; i <= 254; ++i) {
    args += (i > 1 ? ", " : "") + (i % 3 == 0 ? std::string("NULL") : std::to_string(i));
    if (i % 3 != 0) expected += std::to_string(i);
  }
  EXPECT_EQ(S("CONCAT(" + args + ")"), expected);
  std::string ws_args = "NULL, NULL";
  for (int i = 0; i < 200; ++i) ws_args += ", NULL";
  ws_args += ", 'a', 'b'";
  EXPECT_EQ(S("CONCAT_WS('-', " + ws_args + ")"), "a-b");
  // A group of only NULLs adds no separator; a group ending in '' does.
  std::string empties = "'x'";
  for (int i = 0; i < 130; ++i) empties += ", NULL";
  empties += ", ''";
  EXPECT_EQ(S("CONCAT_WS('-', " + empties + ")"), "x-");
}

TEST_F(ConformanceTest, DateAddSubMillisecondPartsNeedPrecision) {
  // "DATEADD does not allow addition for a datepart of microsecond or nanosecond for date data
  // types smalldatetime, date, and datetime."
  EXPECT_EQ(E("DATEADD(microsecond, 1, CAST('2024-01-01' AS datetime))"),
            errors::kDatePartNotSupported);
  EXPECT_EQ(E("DATEADD(nanosecond, 1, CAST('2024-01-01' AS smalldatetime))"),
            errors::kDatePartNotSupported);
  EXPECT_EQ(E("DATEADD(microsecond, 1, CAST('2024-01-01' AS date))"),
            errors::kDatePartNotSupported);
  EXPECT_EQ(S("DATEADD(microsecond, 1, CAST('2024-01-01' AS datetime2))"),
            "2024-01-01 00:00:00.0000010");
}

TEST_F(ConformanceTest, RoundReturnTypes) {
  // "ROUND (Transact-SQL)", Return Types.
  EXPECT_EQ(Type("ROUND(CAST(15 AS tinyint), -1)"), "int");
  EXPECT_EQ(Type("ROUND(CAST(15 AS smallint), -1)"), "int");
  EXPECT_EQ(Type("ROUND(CAST(15 AS bigint), -1)"), "bigint");
  EXPECT_EQ(Type("ROUND(CAST(1.5 AS smallmoney), 0)"), "money");
  EXPECT_EQ(Type("ROUND(CAST(1.5 AS real), 0)"), "float");
  EXPECT_EQ(Type("ROUND(CAST(1.5 AS decimal(5,2)), 0)"), "decimal(5,2)");
  EXPECT_EQ(S("ROUND(CAST(255 AS tinyint), -1)"), "260");
  EXPECT_EQ(S("ROUND(CAST(1.25 AS smallmoney), 1)"), "1.30");
}

TEST_F(ConformanceTest, SignedMoneyConstant) {
  // "$-23" is a money constant ("Constants"); CEILING($-123.45) is -123.00 money.
  EXPECT_EQ(Type("$-23"), "money");
  EXPECT_EQ(Type("CEILING($-123.45)"), "money");
  EXPECT_EQ(S("CEILING($-123.45)"), "-123.00");
  EXPECT_EQ(S("$+1.5"), "1.50");
}

TEST_F(ConformanceTest, StringAggOfNumbersIsNvarchar) {
  // "STRING_AGG": non-string types are converted to NVARCHAR; the result is nvarchar(4000).
  auto cs = db.Compile("SELECT STRING_AGG(age, ';') FROM people");
  ASSERT_TRUE(cs.ok()) << cs.status().ToString();
  EXPECT_EQ((*cs)->columns[0].type.ToString(), "nvarchar(4000)");
  db.MustExec("INSERT INTO people (id, name, age) VALUES (1, N'a', 30), (2, N'b', NULL)");
  EXPECT_EQ(db.Scalar("SELECT STRING_AGG(age, ';') FROM people"), "30");
}

TEST_F(ConformanceTest, TopWithOffsetIs10741) {
  // "TOP cannot be combined with OFFSET and FETCH in the same query expression."
  auto r = db.Exec("SELECT TOP 1 id FROM people ORDER BY id OFFSET 1 ROWS");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().number, 10741);
  EXPECT_EQ(r.error().severity, 15);
}

TEST_F(ConformanceTest, InsertValuesTakesAtMost1000Rows) {
  // "Table Value Constructor": at most 1000 rows inserted directly from VALUES (10738); a VALUES
  // derived table may have more.
  std::string rows;
  for (int i = 1; i <= 1001; ++i) rows += (i > 1 ? ", (" : "(") + std::to_string(i) + ")";
  EXPECT_EQ(db.Error("INSERT INTO people (id) VALUES " + rows), 10738);
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM (VALUES " + rows + ") AS v(n)"), "1001");
  std::string thousand = rows.substr(0, rows.rfind(", ("));
  EXPECT_EQ(db.Error("INSERT INTO people (id, name) SELECT n, N'x' FROM (VALUES " + thousand +
                     ") AS v(n)"),
            0);
}

TEST_F(ConformanceTest, StringAggWithinGroup) {
  db.MustExec(
      "INSERT INTO people (id, name, age, city) VALUES (1, N'syed', 3, 'Seattle'), "
      "(2, N'Catherine', 1, 'Seattle'), (3, N'kim', 2, 'Seattle'), (4, N'sam', NULL, 'LA'), "
      "(5, N'hazem', 5, 'LA')");
  // "STRING_AGG (email, ';') WITHIN GROUP (ORDER BY email ASC)" (example F); text keys compare
  // under the collation (Catherine before kim).
  EXPECT_EQ(db.Query("SELECT city, STRING_AGG(name, ';') WITHIN GROUP (ORDER BY name ASC) FROM "
                     "people GROUP BY city ORDER BY city"),
            (testing::TextRows{{"LA", "hazem;sam"}, {"Seattle", "Catherine;kim;syed"}}));
  // DESC puts NULL keys last; several keys; expressions as keys.
  EXPECT_EQ(S("STRING_AGG(name, ',') WITHIN GROUP (ORDER BY age DESC) FROM people"),
            "hazem,syed,kim,Catherine,sam");
  EXPECT_EQ(S("STRING_AGG(LEFT(name, 1), '') WITHIN GROUP (ORDER BY city, age) FROM people"),
            "shCks");
  EXPECT_EQ(S("STRING_AGG(name, ',') WITHIN GROUP (ORDER BY name COLLATE Latin1_General_BIN) "
              "FROM people WHERE id < 3"),
            "Catherine,syed");
}

TEST_F(ConformanceTest, StringAggPast8000BytesIs9829) {
  // Non-(max) input: the result is varchar(8000) / nvarchar(4000); longer is 9829.
  std::string two =
      "FROM (SELECT REPLICATE('a', 5000) AS x UNION ALL SELECT REPLICATE('b', 5000)) t";
  EXPECT_EQ(E("STRING_AGG(x, ',') " + two), 9829);
  EXPECT_EQ(S("LEN(STRING_AGG(CAST(x AS varchar(max)), ',')) " + two), "10001");
  EXPECT_EQ(E("STRING_AGG(CAST(x AS nvarchar(3000)), N',') " + two), 9829);
}

}  // namespace
}  // namespace edgesql::tsql
