// Robustness: every query/DML statement of the parser's fuzz corpus and a set of client-shaped
// statements compile without crashing, and whatever compiles is SQL SQLite accepts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tsql/binder_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Db;

// Every variable exists: as int for EF Core's paging parameters (@__p_0), otherwise as
// nvarchar(4000), what drivers send for strings.
class AnyVariables : public VariableScope {
 public:
  const SqlType* FindVariable(std::string_view name) const override {
    return name.find("__p_") != std::string_view::npos ? &int_ : &text_;
  }

 private:
  SqlType int_ = SqlType::Int();
  SqlType text_ = SqlType::NVarChar(4000);
};

void CollectDml(const std::vector<StatementPtr>& list, std::vector<const Statement*>* out);

void CollectDml(const Statement& s, std::vector<const Statement*>* out) {
  if (s.As<SelectStmt>() || s.As<InsertStmt>() || s.As<UpdateStmt>() || s.As<DeleteStmt>()) {
    out->push_back(&s);
  } else if (const BlockStmt* b = s.As<BlockStmt>()) {
    CollectDml(b->statements, out);
  } else if (const IfStmt* i = s.As<IfStmt>()) {
    CollectDml(*i->then_stmt, out);
    if (i->else_stmt) CollectDml(*i->else_stmt, out);
  } else if (const WhileStmt* w = s.As<WhileStmt>()) {
    CollectDml(*w->body, out);
  } else if (const TryCatchStmt* t = s.As<TryCatchStmt>()) {
    CollectDml(t->try_block, out);
    CollectDml(t->catch_block, out);
  } else if (const CreateProcedureStmt* p = s.As<CreateProcedureStmt>()) {
    CollectDml(p->body, out);
  }
}

void CollectDml(const std::vector<StatementPtr>& list, std::vector<const Statement*>* out) {
  for (const StatementPtr& s : list) CollectDml(*s, out);
}

// Compiles `sql` (all its query/DML statements); every success must prepare in SQLite.
int CompileAll(Db& db, std::string_view sql, int* compiled, bool verbose = false) {
  Result<Batch> batch = ParseBatch(sql);
  if (!batch.ok()) return 0;
  std::vector<const Statement*> stmts;
  CollectDml(batch->statements, &stmts);
  AnyVariables vars;
  BindContext ctx = db.context();
  ctx.variables = &vars;
  int failures = 0;
  for (const Statement* s : stmts) {
    auto cs = CompileStatement(*s, ctx);
    if (!cs.ok()) {
      EXPECT_NE(cs.error().number, errors::kInternalError) << cs.error().message << "\n" << sql;
      if (verbose) ADD_FAILURE() << cs.status().ToString() << "\n" << sql;
      continue;
    }
    ++*compiled;
    auto prepared = db.conn().Prepare((*cs)->sql);
    if (!prepared.ok()) {
      ++failures;
      ADD_FAILURE() << "SQLite rejects the compiled SQL: " << prepared.status().ToString()
                    << "\nT-SQL: " << sql << "\nSQL: " << (*cs)->sql;
    }
  }
  return failures;
}

TEST(CorpusTest, ParserCorpusCompilesOrFailsCleanly) {
  std::filesystem::path dir = std::filesystem::path(EDGESQL_SOURCE_DIR) / "fuzz/corpus/tsql_parser";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no corpus at " << dir;
  Db db;
  int compiled = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(CompileAll(db, text.str(), &compiled), 0) << entry.path();
  }
}

TEST(CorpusTest, ClientShapedStatementsCompileAndPrepare) {
  Db db;
  int compiled = 0;
  const char* statements[] = {
      // Entity Framework Core
      "SELECT TOP(1) [p].[id], [p].[name] FROM [people] AS [p] WHERE [p].[id] = @__id_0",
      "SELECT [p].[name] FROM [people] AS [p] ORDER BY (SELECT 1) OFFSET @__p_0 ROWS FETCH NEXT "
      "@__p_1 ROWS ONLY",
      "SELECT CASE WHEN EXISTS (SELECT 1 FROM [people] AS [p] WHERE [p].[age] > 3) THEN CAST(1 AS "
      "bit) ELSE CAST(0 AS bit) END",
      "INSERT INTO [orders] ([person_id], [amount]) OUTPUT INSERTED.[order_id] VALUES (@p0, @p1)",
      "UPDATE [people] SET [name] = @p0 OUTPUT 1 WHERE [id] = @p1",
      "DELETE FROM [people] OUTPUT 1 WHERE [id] = @p0",
      "SELECT COUNT(*) FROM [people] AS [p] WHERE [p].[name] LIKE @__p_0 ESCAPE N'\\'",
      "SELECT [p].[id], [o].[order_id] FROM [people] AS [p] LEFT JOIN [orders] AS [o] ON [p].[id] "
      "= [o].[person_id] ORDER BY [p].[id], [o].[order_id]",
      "SELECT [t].[id] FROM (SELECT TOP(@__p_0) [p].[id] FROM [people] AS [p] ORDER BY [p].[name]) "
      "AS [t] ORDER BY [t].[id]",
      // Dapper / ADO.NET
      "INSERT INTO people (id, name) VALUES (@id, @name); ",
      "SELECT CAST(SCOPE_IDENTITY() AS int)",
      "SELECT * FROM people WHERE id IN (@p1, @p2, @p3)",
      // SQLAlchemy / Django / Sequelize
      "SELECT people.id AS people_id, people.name AS people_name FROM people WHERE people.name = "
      "@name_1 ORDER BY people.id OFFSET 0 ROWS FETCH FIRST 5 ROWS ONLY",
      "SELECT [people].[id] FROM [people] WHERE [people].[born] >= @born AND [people].[created] < "
      "GETDATE()",
      "SELECT TOP 1 1 AS a FROM people WHERE city IS NULL",
      "SELECT name, ROW_NUMBER() OVER (PARTITION BY city ORDER BY age DESC) AS rn FROM people",
      "SELECT city, STRING_AGG(name, ', ') FROM people GROUP BY city",
      "WITH t AS (SELECT person_id, SUM(amount) s FROM orders GROUP BY person_id) "
      "UPDATE people SET salary = t.s FROM t WHERE t.person_id = people.id",
      "WITH t AS (SELECT id FROM people WHERE age > 3) DELETE FROM orders WHERE person_id IN "
      "(SELECT id FROM t)",
      "INSERT INTO kv (a, b, val) SELECT city, id, name FROM people WHERE city IS NOT NULL",
      "SELECT a.name, (SELECT COUNT(*) FROM orders o WHERE o.person_id = a.id) FROM people a "
      "WHERE a.salary > ALL (SELECT amount FROM orders) ORDER BY 2 DESC, 1",
      "SELECT DISTINCT TOP 10 city FROM people ORDER BY city",
      "SELECT TOP 10 PERCENT WITH TIES age FROM people ORDER BY age",
      "SELECT * FROM people p FULL OUTER JOIN orders o ON o.person_id = p.id RIGHT JOIN kv ON "
      "kv.b = p.id",
      "SELECT x.a, x.b FROM (VALUES (1, N'a'), (2, NULL)) x(a, b) UNION ALL SELECT id, name FROM "
      "people EXCEPT SELECT 1, 'z'",
      "SELECT COALESCE(city, name, 'x'), ISNULL(age, 0) + 1, NULLIF(age, 0), IIF(age > 1, 'a', "
      "'b') FROM people",
      "SELECT DATEADD(day, -7, GETDATE()), DATEDIFF(minute, created, SYSDATETIME()), "
      "FORMAT_UNSUPPORTED = CONVERT(varchar(10), created, 112) FROM people",
  };
  for (const char* sql : statements) {
    EXPECT_EQ(CompileAll(db, sql, &compiled, true), 0) << sql;
  }
  EXPECT_EQ(compiled, static_cast<int>(std::size(statements)));
}

}  // namespace
}  // namespace edgesql::tsql
