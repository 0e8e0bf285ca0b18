// Syntax errors as SQL Server reports them, and the bounds that protect the server from hostile
// input.
#include <gtest/gtest.h>
#include <pthread.h>

#include <string>

#include "tsql/parser_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::ParseError;
using testing::ParseOk;

TEST(ParserErrorTest, NamesTheOffendingToken) {
  SqlError e = ParseError("SELECT * FROM t WHERE");
  EXPECT_EQ(e.number, 156);
  EXPECT_EQ(e.severity, 15);
  EXPECT_EQ(e.message, "Incorrect syntax near the keyword 'WHERE'.");
  // At the end of the batch SQL Server names the last token, in its original case.
  EXPECT_EQ(ParseError("select * from").message, "Incorrect syntax near the keyword 'from'.");
  EXPECT_EQ(ParseError("SELECT 1 +").message, "Incorrect syntax near '+'.");
  EXPECT_EQ(ParseError("SELECT id, name, FROM t").message,
            "Incorrect syntax near the keyword 'FROM'.");
  EXPECT_EQ(ParseError("SELECT id FROM t ORDER BY id LIMIT 10").message,
            "Incorrect syntax near 'LIMIT'.");
  // After a table name LIMIT is an alias, so the number is what is wrong.
  EXPECT_EQ(ParseError("SELECT id FROM t LIMIT 10").message, "Incorrect syntax near '10'.");
  EXPECT_EQ(ParseError("SELECT `a` FROM t").message, "Incorrect syntax near '`'.");
  // 'a' 'b' is the value 'a' with the alias b; a third string is one too many.
  EXPECT_EQ(ParseError("SELECT 'a' 'b' 'c'").message, "Incorrect syntax near 'c'.");
}

TEST(ParserErrorTest, KeywordMisuse) {
  SqlError e = ParseError("CREATE TABLE t (id int, User nvarchar(50))");
  EXPECT_EQ(e.number, 156);
  EXPECT_EQ(e.message, "Incorrect syntax near the keyword 'User'.");
  EXPECT_EQ(ParseError("SELECT * FROM Order").message,
            "Incorrect syntax near the keyword 'Order'.");
  EXPECT_EQ(ParseError("SELECT select").message, "Incorrect syntax near the keyword 'select'.");
  EXPECT_EQ(ParseError("ELSE SELECT 1").message, "Incorrect syntax near the keyword 'ELSE'.");
  EXPECT_EQ(ParseError("END").message, "Incorrect syntax near the keyword 'END'.");
}

TEST(ParserErrorTest, UnbalancedParentheses) {
  EXPECT_EQ(ParseError("SELECT (1 + 2").message, "Incorrect syntax near '2'.");
  EXPECT_EQ(ParseError("SELECT (1 + 2))").message, "Incorrect syntax near ')'.");
  EXPECT_EQ(ParseError("SELECT COUNT(* FROM t").message,
            "Incorrect syntax near the keyword 'FROM'.");
  EXPECT_EQ(ParseError("INSERT INTO t (a VALUES (1)").message,
            "Incorrect syntax near the keyword 'VALUES'.");
}

TEST(ParserErrorTest, MissingFromItem) {
  EXPECT_EQ(ParseError("SELECT * FROM WHERE a = 1").message,
            "Incorrect syntax near the keyword 'WHERE'.");
  EXPECT_EQ(ParseError("SELECT * FROM t,").message, "Incorrect syntax near ','.");
  EXPECT_EQ(ParseError("SELECT * FROM t JOIN ON 1 = 1").message,
            "Incorrect syntax near the keyword 'ON'.");
}

TEST(ParserErrorTest, StringAliasesFollowIdentifierRules) {
  EXPECT_EQ(ParseError("SELECT 1 AS ''").number, 1038);
  EXPECT_EQ(ParseError("SELECT '' = 1").number, 1038);
  SqlError e = ParseError("SELECT 1 '" + std::string(129, 'x') + "'");
  EXPECT_EQ(e.number, 103);
  EXPECT_EQ(e.message, "The identifier that starts with '" + std::string(128, 'x') +
                           "' is too long. Maximum length is 128.");
  ParseOptions off;
  off.quoted_identifier = false;
  EXPECT_EQ(ParseError("SELECT 1 AS \"" + std::string(200, 'y') + "\"", off).number, 103);
}

TEST(ParserErrorTest, LexerErrorsSurface) {
  EXPECT_EQ(ParseError("SELECT 'abc").number, 105);
  EXPECT_EQ(ParseError("SELECT [abc").number, 105);
  EXPECT_EQ(ParseError("SELECT 1 /* open").number, 113);
}

TEST(ParserErrorTest, ErrorsCarryTheirLine) {
  SqlError e = ParseError("SELECT 1\nSELECT\n  2 +\n  FROM t");
  EXPECT_EQ(e.line, 4);
  EXPECT_EQ(e.message, "Incorrect syntax near the keyword 'FROM'.");
}

TEST(ParserErrorTest, QuotedIdentifierOption) {
  ParseOptions off;
  off.quoted_identifier = false;
  Batch b = ParseOk("SELECT \"text\"", off);
  const auto& spec =
      std::get<QuerySpec>(std::get<SelectStmt>(b.statements[0]->node).query->body->node);
  EXPECT_NE(spec.items[0].expr->As<LiteralExpr>(), nullptr);
  Batch on = ParseOk("SELECT \"col\" FROM t");
  const auto& spec_on =
      std::get<QuerySpec>(std::get<SelectStmt>(on.statements[0]->node).query->body->node);
  EXPECT_NE(spec_on.items[0].expr->As<ColumnRefExpr>(), nullptr);
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(ParserErrorTest, DeepNestingIsAnErrorNotACrash) {
  // 100 nested parentheses are fine; 200 exceed the bound.
  EXPECT_EQ(ParseOk("SELECT " + Repeat("(", 100) + "1" + Repeat(")", 100)).statements.size(), 1u);
  SqlError parens = ParseError("SELECT " + Repeat("(", 200) + "1" + Repeat(")", 200));
  EXPECT_EQ(parens.number, 191);
  EXPECT_EQ(
      parens.message,
      "Some part of your SQL statement is nested too deeply. Rewrite the query or break it up "
      "into smaller queries.");
  EXPECT_EQ(ParseError("SELECT " + Repeat("(SELECT ", 200) + "1" + Repeat(")", 200)).number, 191);
  EXPECT_EQ(ParseError(Repeat("BEGIN ", 200) + "SELECT 1" + Repeat(" END", 200)).number, 191);
  EXPECT_EQ(ParseError("SELECT " + Repeat("- ", 500) + "1").number, 191);
  EXPECT_EQ(ParseError("SELECT 1 WHERE " + Repeat("NOT ", 500) + "1 = 1").number, 191);
  EXPECT_EQ(ParseError(Repeat("IF 1 = 1 ", 300) + "SELECT 1").number, 191);
  EXPECT_EQ(ParseError("SELECT * FROM " + Repeat("(", 300) + "t" + Repeat(")", 300)).number, 191);
  // Hostile input of every kind ends in an error, never a stack overflow.
  EXPECT_EQ(ParseError("SELECT " + Repeat("(", 100000)).number, 191);
  EXPECT_EQ(ParseError(Repeat("BEGIN ", 100000)).number, 191);
}

TEST(ParserErrorTest, AcceptedNestingSurvivesPrinting) {
  // Whatever parses within the bounds prints to something that parses within them too.
  std::string joins = "SELECT * FROM t0" + Repeat(" JOIN t", 100) + "x" + Repeat(" ON 1 = 1", 100);
  EXPECT_EQ(testing::RoundTrip(joins).substr(0, 6), "SELECT");
  std::string minus = "SELECT " + Repeat("- ", 120) + "1";
  EXPECT_EQ(testing::RoundTrip(minus).substr(0, 6), "SELECT");
  std::string conditions = "SELECT 1 WHERE " + Repeat("(a = 1 OR ", 60) + "b = 1" + Repeat(")", 60);
  EXPECT_EQ(testing::RoundTrip(conditions).substr(0, 6), "SELECT");
}

TEST(ParserErrorTest, LongOperatorChainsAreBounded) {
  // Left-deep chains do not recurse in the parser but make deep trees; they are bounded too.
  EXPECT_EQ(ParseOk("SELECT 1" + Repeat(" + 1", 900)).statements.size(), 1u);
  EXPECT_EQ(ParseOk("SELECT 1 WHERE a = 1" + Repeat(" OR a = 1", 900)).statements.size(), 1u);
  EXPECT_EQ(ParseError("SELECT 1" + Repeat(" + 1", 5000)).number, 191);
  EXPECT_EQ(ParseError("SELECT 1" + Repeat(" UNION SELECT 1", 5000)).number, 191);
  EXPECT_EQ(ParseError("SELECT * FROM t" + Repeat(" CROSS JOIN t", 5000)).number, 191);
  // Wide is fine: long lists are not deep.
  std::string in_list = "SELECT 1 WHERE a IN (1" + Repeat(", 1", 20000) + ")";
  EXPECT_EQ(ParseOk(in_list).statements.size(), 1u);
  std::string values = "INSERT INTO t VALUES (1)" + Repeat(", (1)", 20000);
  EXPECT_EQ(ParseOk(values).statements.size(), 1u);
  EXPECT_EQ(ParseOk(Repeat("SELECT 1;", 20000)).statements.size(), 20000u);
}

// Runs `sql` through the parser and the printer on a thread with a 2 MB stack.
bool ParsesOnSmallStack(const std::string& sql) {
  struct Job {
    const std::string* sql;
    bool ok = false;
  } job{&sql};
  auto run = [](void* arg) -> void* {
    Job* j = static_cast<Job*>(arg);
    Result<Batch> batch = ParseBatch(*j->sql);
    j->ok = batch.ok() && !ToString(*batch).empty();
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 2 * 1024 * 1024);
  pthread_t thread;
  if (pthread_create(&thread, &attr, run, &job) != 0) return false;
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return job.ok;
}

TEST(ParserErrorTest, WorstCaseNestingFitsInTwoMegabytesOfStack) {
  EXPECT_TRUE(ParsesOnSmallStack("SELECT " + Repeat("(SELECT ", 62) + "1" + Repeat(")", 62)));
  EXPECT_TRUE(ParsesOnSmallStack("SELECT " + Repeat("f(", 124) + "1" + Repeat(")", 124)));
  EXPECT_TRUE(ParsesOnSmallStack("SELECT " + Repeat("(", 124) + "1" + Repeat(")", 124)));
  EXPECT_TRUE(
      ParsesOnSmallStack("SELECT 1 WHERE " + Repeat("(", 124) + "a = 1" + Repeat(")", 124)));
  EXPECT_TRUE(ParsesOnSmallStack(Repeat("BEGIN ", 125) + "SELECT 1" + Repeat(" END", 125)));
  EXPECT_TRUE(ParsesOnSmallStack("SELECT * FROM " + Repeat("(", 62) + "t" + Repeat(")", 62)));
}

TEST(ParserErrorTest, LimitsAreOptions) {
  ParseOptions tight;
  tight.max_nesting = 3;
  EXPECT_EQ(ParseError("SELECT ((((1))))", tight).number, 191);
  ParseOptions roomy;
  roomy.max_nesting = 400;
  EXPECT_EQ(ParseOk("SELECT " + Repeat("(", 300) + "1" + Repeat(")", 300), roomy).statements.size(),
            1u);
}

}  // namespace
}  // namespace edgesql::tsql
