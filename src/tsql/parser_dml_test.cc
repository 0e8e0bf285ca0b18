// INSERT, UPDATE, DELETE, TRUNCATE, OUTPUT, EXEC.
#include <gtest/gtest.h>

#include "common/errors.h"
#include "tsql/parser_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Canon;
using testing::ParseError;
using testing::ParseOk;

TEST(ParserDmlTest, InsertValues) {
  EXPECT_EQ(Canon("insert into dbo.t (a, b) values (1, 'x'), (2, DEFAULT), (NULL, @v)"),
            "INSERT INTO dbo.t (a, b) VALUES (1, 'x'), (2, DEFAULT), (NULL, @v)");
  EXPECT_EQ(Canon("INSERT t VALUES (1)"), "INSERT INTO t VALUES (1)");
  EXPECT_EQ(Canon("INSERT INTO t DEFAULT VALUES"), "INSERT INTO t DEFAULT VALUES");
  EXPECT_EQ(Canon("INSERT INTO @t (a) VALUES (1)"), "INSERT INTO @t (a) VALUES (1)");
  EXPECT_EQ(Canon("INSERT INTO #t WITH (TABLOCK) (x.a) VALUES (1)"),
            "INSERT INTO #t WITH (TABLOCK) (a) VALUES (1)");
  Batch b = ParseOk("INSERT INTO t (a, b) VALUES (1, 2), (3, 4)");
  const auto& insert = std::get<InsertStmt>(b.statements[0]->node);
  EXPECT_EQ(insert.source, InsertSource::kValues);
  EXPECT_EQ(insert.columns.size(), 2u);
  EXPECT_EQ(insert.values.size(), 2u);
}

TEST(ParserDmlTest, InsertSelectAndExec) {
  EXPECT_EQ(Canon("INSERT INTO t (a) SELECT a FROM u WHERE a > 1"),
            "INSERT INTO t (a) SELECT a FROM u WHERE a > 1");
  EXPECT_EQ(Canon("INSERT INTO t (SELECT a FROM u)"), "INSERT INTO t SELECT a FROM u");
  EXPECT_EQ(Canon("INSERT INTO t EXEC dbo.p 1, @x"), "INSERT INTO t EXEC dbo.p 1, @x");
  EXPECT_EQ(Canon("INSERT INTO t EXECUTE ('SELECT 1')"), "INSERT INTO t EXEC ('SELECT 1')");
  EXPECT_EQ(Canon("WITH c AS (SELECT 1 AS a) INSERT INTO t (a) SELECT a FROM c"),
            "WITH c AS (SELECT 1 AS a) INSERT INTO t (a) SELECT a FROM c");
  EXPECT_EQ(Canon("INSERT TOP (5) INTO t SELECT * FROM u"),
            "INSERT TOP (5) INTO t SELECT * FROM u");
}

TEST(ParserDmlTest, Output) {
  EXPECT_EQ(Canon("INSERT INTO t (a) OUTPUT inserted.* VALUES (1)"),
            "INSERT INTO t (a) OUTPUT inserted.* VALUES (1)");
  EXPECT_EQ(Canon("INSERT INTO [Blogs] ([Url]) OUTPUT INSERTED.[BlogId] VALUES (@p0)"),
            "INSERT INTO [Blogs] ([Url]) OUTPUT INSERTED.[BlogId] VALUES (@p0)");
  EXPECT_EQ(Canon("DELETE FROM t OUTPUT deleted.id, deleted.name AS n INTO @log (id, name) OUTPUT "
                  "deleted.id WHERE a = 1"),
            "DELETE FROM t OUTPUT deleted.id, deleted.name AS n INTO @log (id, name) OUTPUT "
            "deleted.id WHERE a = 1");
  EXPECT_EQ(Canon("UPDATE t SET a = 1 OUTPUT inserted.a, deleted.a INTO dbo.audit WHERE id = 2"),
            "UPDATE t SET a = 1 OUTPUT inserted.a, deleted.a INTO dbo.audit WHERE id = 2");
  Batch b = ParseOk("DELETE FROM t OUTPUT deleted.* INTO @x");
  const auto& del = std::get<DeleteStmt>(b.statements[0]->node);
  ASSERT_EQ(del.outputs.size(), 1u);
  EXPECT_EQ(del.outputs[0].into_variable, "@x");
}

TEST(ParserDmlTest, Update) {
  EXPECT_EQ(
      Canon("UPDATE t SET a = 1, b += 2, c = DEFAULT, @v = d = d + 1, @w = 3, t.e = NULL "
            "WHERE id = @id"),
      "UPDATE t SET a = 1, b += 2, c = DEFAULT, @v = d = d + 1, @w = 3, t.e = NULL WHERE id = "
      "@id");
  EXPECT_EQ(Canon("UPDATE TOP (10) x SET a = u.a FROM dbo.t AS x INNER JOIN u ON u.id = x.id"),
            "UPDATE TOP (10) x SET a = u.a FROM dbo.t AS x INNER JOIN u ON u.id = x.id");
  EXPECT_EQ(
      Canon("UPDATE t WITH (ROWLOCK) SET a -= 1, b *= 2, c /= 3, d %= 4, e &= 5, f |= 6, g ^= "
            "7"),
      "UPDATE t WITH (ROWLOCK) SET a -= 1, b *= 2, c /= 3, d %= 4, e &= 5, f |= 6, g ^= 7");
  Batch b = ParseOk("UPDATE t SET @v = c = 1");
  const auto& update = std::get<UpdateStmt>(b.statements[0]->node);
  EXPECT_EQ(update.sets[0].variable, "@v");
  EXPECT_EQ(update.sets[0].column.parts[0].value, "c");
  EXPECT_EQ(ParseError("UPDATE t SET c.WRITE('x', 0, 1)").number, 40517);
  EXPECT_EQ(ParseError("UPDATE t SET a = 1 WHERE CURRENT OF cur").number, 40517);
}

TEST(ParserDmlTest, DeleteAndTruncate) {
  EXPECT_EQ(Canon("DELETE t WHERE a = 1"), "DELETE FROM t WHERE a = 1");
  EXPECT_EQ(Canon("DELETE TOP (1) FROM t"), "DELETE TOP (1) FROM t");
  EXPECT_EQ(Canon("DELETE x FROM t x JOIN u ON u.id = x.id WHERE u.flag = 1"),
            "DELETE FROM x FROM t AS x INNER JOIN u ON u.id = x.id WHERE u.flag = 1");
  EXPECT_EQ(Canon("WITH d AS (SELECT TOP 1 * FROM t) DELETE FROM d"),
            "WITH d AS (SELECT TOP (1) * FROM t) DELETE FROM d");
  EXPECT_EQ(Canon("truncate table dbo.t"), "TRUNCATE TABLE dbo.t");
  EXPECT_EQ(ParseError("TRUNCATE t").number, 102);
}

TEST(ParserDmlTest, MergeIsUnsupported) {
  SqlError e = ParseError("MERGE t USING s ON t.id = s.id WHEN MATCHED THEN DELETE;");
  EXPECT_EQ(e.number, 40517);
  EXPECT_EQ(e.message,
            "Keyword or statement option 'MERGE' is not supported in this version of SQL Server.");
}

TEST(ParserDmlTest, Exec) {
  EXPECT_EQ(Canon("EXEC dbo.p 1, 'a', @x OUTPUT, @named = @v OUT, @d = DEFAULT, @n = NULL, -5"),
            "EXEC dbo.p 1, 'a', @x OUTPUT, @named = @v OUTPUT, @d = DEFAULT, @n = NULL, -5");
  EXPECT_EQ(Canon("EXECUTE @rc = p"), "EXEC @rc = p");
  EXPECT_EQ(Canon("EXEC @procname 1"), "EXEC @procname 1");
  EXPECT_EQ(Canon("EXEC ('SELECT ' + @cols + N' FROM t')"),
            "EXEC ('SELECT ' + @cols + N' FROM t')");
  EXPECT_EQ(Canon("EXEC sp_executesql N'SELECT * FROM t WHERE a = @p', N'@p int', @p = 1"),
            "EXEC sp_executesql N'SELECT * FROM t WHERE a = @p', N'@p int', @p = 1");
  EXPECT_EQ(Canon("EXEC sp_help t"), "EXEC sp_help 't'");
  EXPECT_EQ(Canon("EXEC p WITH RECOMPILE"), "EXEC p WITH RECOMPILE");
  Batch b = ParseOk("EXEC @r = dbo.p @a = 1, @b = @c OUTPUT");
  const auto& exec = std::get<ExecStmt>(b.statements[0]->node);
  EXPECT_EQ(exec.return_variable, "@r");
  EXPECT_EQ(exec.procedure.parts.size(), 2u);
  ASSERT_EQ(exec.args.size(), 2u);
  EXPECT_EQ(exec.args[1].name, "@b");
  EXPECT_TRUE(exec.args[1].output);
  // Arguments are values, not expressions.
  EXPECT_EQ(ParseError("EXEC p 1 + 1").number, 102);
  EXPECT_EQ(ParseError("EXEC p GETDATE()").number, 102);
  EXPECT_EQ(ParseError("EXECUTE AS USER = 'x'").number, 40517);
}

TEST(ParserDmlTest, ImplicitExecOnlyFirstInBatch) {
  EXPECT_EQ(testing::RoundTrip("sp_who"), "EXEC sp_who;\n");
  EXPECT_EQ(testing::RoundTrip("sp_help 't'; SELECT 1"), "EXEC sp_help 't';\nSELECT 1;\n");
  // GO is not T-SQL: sent to the server it is a procedure name (first) or an alias.
  EXPECT_EQ(testing::RoundTrip("GO"), "EXEC GO;\n");
  EXPECT_EQ(testing::RoundTrip("SELECT 1\nGO"), "SELECT 1 AS GO;\n");
  SqlError e = ParseError("SELECT 1; sp_who");
  EXPECT_EQ(e.number, 102);
  EXPECT_EQ(e.message, "Incorrect syntax near 'sp_who'.");
}

// INSERT BULK as the bulk-copy clients send it ([MS-TDS] 2.2.6.1): FreeTDS freebcp (lower case,
// COLLATE on character columns, the user's -h hints), pytds cursor.copy_to and go-mssqldb
// CopyIn (upper case, hints joined with commas, spaces around '=').
TEST(ParserDmlTest, InsertBulk) {
  EXPECT_EQ(Canon("insert bulk master.dbo.t1 ([id] int, [name] nvarchar(20) COLLATE "
                  "SQL_Latin1_General_CP1_CI_AS, [amount] decimal(38,10), [d] datetime2(7))"),
            "INSERT BULK master.dbo.t1 ([id] int, [name] nvarchar(20) COLLATE "
            "SQL_Latin1_General_CP1_CI_AS, [amount] decimal(38, 10), [d] datetime2(7))");
  EXPECT_EQ(Canon("INSERT BULK [t]([a] NVARCHAR(4000),[b] NVARCHAR(MAX)) "),
            "INSERT BULK [t] ([a] NVARCHAR(4000), [b] NVARCHAR(MAX))");
  EXPECT_EQ(Canon("INSERT BULK dbo.t ([id] int, [v] varchar(10)) WITH (CHECK_CONSTRAINTS,"
                  "FIRE_TRIGGERS,KEEP_NULLS,KILOBYTES_PER_BATCH = 10,ROWS_PER_BATCH = 100,"
                  "ORDER(id ASC,v DESC),TABLOCK)"),
            "INSERT BULK dbo.t ([id] int, [v] varchar(10)) WITH (CHECK_CONSTRAINTS, "
            "FIRE_TRIGGERS, KEEP_NULLS, TABLOCK, ROWS_PER_BATCH = 100, KILOBYTES_PER_BATCH = 10, "
            "ORDER (id ASC, v DESC))");
  EXPECT_EQ(Canon("insert bulk t (a int not null, b text null) with (keepidentity)"),
            "INSERT BULK t (a int NOT NULL, b text NULL) WITH (KEEPIDENTITY)");
  Batch b = ParseOk(
      "INSERT BULK db..t ([x] uniqueidentifier  , [y] money) WITH (KEEPNULLS, ROWS_PER_BATCH=5)");
  const auto& bulk = std::get<InsertBulkStmt>(b.statements[0]->node);
  ASSERT_EQ(bulk.table.parts.size(), 3u);
  EXPECT_EQ(bulk.table.parts[2].value, "t");
  ASSERT_EQ(bulk.columns.size(), 2u);
  EXPECT_EQ(bulk.columns[0].name.value, "x");
  EXPECT_TRUE(bulk.keep_nulls);
  EXPECT_EQ(bulk.rows_per_batch, 5);
  EXPECT_FALSE(bulk.keep_identity);
}

TEST(ParserDmlTest, InsertBulkErrors) {
  // The column list is required; hints are the known ones.
  EXPECT_EQ(ParseError("INSERT BULK t").number, errors::kSyntaxError);
  EXPECT_EQ(ParseError("INSERT BULK t ()").number, errors::kSyntaxError);
  EXPECT_EQ(ParseError("INSERT BULK t (a)").number, errors::kSyntaxError);
  SqlError e = ParseError("INSERT BULK t (a int) WITH (FAST)");
  EXPECT_EQ(e.number, errors::kUnrecognizedOption);
  EXPECT_EQ(e.message, "'FAST' is not a recognized INSERT BULK option.");
  EXPECT_EQ(ParseError("INSERT BULK t (a int) WITH (ROWS_PER_BATCH = x)").number,
            errors::kSyntaxError);
  EXPECT_EQ(ParseError("WITH c AS (SELECT 1 AS a) INSERT BULK t (a int)").number,
            errors::kSyntaxErrorKeyword);
}

}  // namespace
}  // namespace edgesql::tsql
