// Batches and procedural T-SQL: variables, SET options (including every batch the real clients
// send right after login, verbatim from the team notes, notes/tds-clients.md), control flow, error
// handling, transactions, and statements ORMs generate.
#include <gtest/gtest.h>

#include "tsql/parser_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Canon;
using testing::ParseError;
using testing::ParseOk;
using testing::RoundTrip;

TEST(ParserBatchTest, EmptyBatchesAndSemicolons) {
  EXPECT_TRUE(ParseOk("").statements.empty());
  EXPECT_TRUE(ParseOk(" -- nothing\n ;;; ").statements.empty());
  EXPECT_EQ(ParseOk(";;;;SELECT 1;;;;;;;;;;;;SELECT 2;;;;;;;;SELECT 3;;;;;").statements.size(), 3u);
  EXPECT_EQ(ParseOk("SELECT 1 SELECT 2\nSELECT 3").statements.size(), 3u);
}

TEST(ParserBatchTest, StatementPositions) {
  std::string sql = "SELECT 1;\n  PRINT 'x'  ;";
  Batch b = ParseOk(sql);
  ASSERT_EQ(b.statements.size(), 2u);
  const Statement& print = *b.statements[1];
  EXPECT_EQ(print.pos.line, 2);
  EXPECT_EQ(print.pos.column, 3);
  EXPECT_EQ(sql.substr(print.pos.offset, print.end_offset - print.pos.offset), "PRINT 'x'");
}

TEST(ParserBatchTest, Declare) {
  EXPECT_EQ(Canon("DECLARE @a int = 1, @b varchar(10), @c AS decimal(5, 2) = 1.5, @t TABLE (id int "
                  "PRIMARY KEY, name nvarchar(20) NULL)"),
            "DECLARE @a int = 1, @b varchar(10), @c decimal(5, 2) = 1.5, @t TABLE (id int PRIMARY "
            "KEY, name nvarchar(20) NULL)");
  Batch b = ParseOk("DECLARE @t TABLE (a int), @n sysname");
  const auto& declare = std::get<DeclareStmt>(b.statements[0]->node);
  ASSERT_EQ(declare.variables.size(), 2u);
  EXPECT_NE(declare.variables[0].table, nullptr);
  EXPECT_EQ(declare.variables[1].type->name.parts[0].value, "sysname");
  EXPECT_EQ(ParseError("DECLARE c CURSOR FOR SELECT 1").number, 40517);
  EXPECT_EQ(ParseError("DECLARE @c CURSOR").number, 40517);
}

TEST(ParserBatchTest, SetVariables) {
  EXPECT_EQ(Canon("SET @a = 1; SET @b += 2; SET @c = (SELECT MAX(x) FROM t); SET @d |= 4"),
            "SET @a = 1;\nSET @b += 2;\nSET @c = (SELECT MAX(x) FROM t);\nSET @d |= 4");
  EXPECT_EQ(ParseError("SET @a.modify('x')").number, 40517);
}

TEST(ParserBatchTest, SetOptions) {
  EXPECT_EQ(Canon("SET NOCOUNT ON"), "SET NOCOUNT ON");
  EXPECT_EQ(Canon("set ansi_nulls, quoted_identifier, ansi_padding off"),
            "SET ANSI_NULLS, QUOTED_IDENTIFIER, ANSI_PADDING OFF");
  EXPECT_EQ(Canon("SET STATISTICS IO ON; SET STATISTICS TIME OFF; SET STATISTICS IO, TIME ON"),
            "SET STATISTICS IO ON;\nSET STATISTICS TIME OFF;\nSET STATISTICS IO, TIME ON");
  EXPECT_EQ(ParseError("SET STATISTICS XML ON").number, 40517);
  EXPECT_EQ(Canon("SET DATEFIRST 1; SET DATEFORMAT dmy; SET LANGUAGE [us_english]; SET LANGUAGE "
                  "N'Deutsch'; SET LOCK_TIMEOUT -1; SET ROWCOUNT @n; SET DEADLOCK_PRIORITY LOW; "
                  "SET CONTEXT_INFO 0x01"),
            "SET DATEFIRST 1;\nSET DATEFORMAT dmy;\nSET LANGUAGE [us_english];\nSET LANGUAGE "
            "N'Deutsch';\nSET LOCK_TIMEOUT -1;\nSET ROWCOUNT @n;\nSET DEADLOCK_PRIORITY LOW;\nSET "
            "CONTEXT_INFO 0x01");
  EXPECT_EQ(
      Canon("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION ISOLATION LEVEL "
            "SNAPSHOT; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; SET TRANSACTION "
            "ISOLATION LEVEL READ UNCOMMITTED"),
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;\nSET TRANSACTION ISOLATION LEVEL "
      "SNAPSHOT;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSET TRANSACTION ISOLATION "
      "LEVEL READ UNCOMMITTED");
  EXPECT_EQ(Canon("SET IDENTITY_INSERT dbo.t ON; SET IDENTITY_INSERT [t] OFF"),
            "SET IDENTITY_INSERT dbo.t ON;\nSET IDENTITY_INSERT [t] OFF");
  EXPECT_EQ(Canon("SET NOEXEC ON; SET FMTONLY OFF; SET XACT_ABORT ON; SET ANSI_DEFAULTS ON"),
            "SET NOEXEC ON;\nSET FMTONLY OFF;\nSET XACT_ABORT ON;\nSET ANSI_DEFAULTS ON");
  Batch b = ParseOk("SET ANSI_NULLS, NOCOUNT ON");
  const auto& set = std::get<SetOptionStmt>(b.statements[0]->node);
  EXPECT_EQ(set.kind, SetOptionKind::kOnOff);
  EXPECT_EQ(set.options, (std::vector<std::string>{"ANSI_NULLS", "NOCOUNT"}));
  EXPECT_TRUE(set.on);
  Batch iso = ParseOk("set transaction isolation level read committed");
  EXPECT_EQ(std::get<SetOptionStmt>(iso.statements[0]->node).level, IsolationLevel::kReadCommitted);
  SqlError unknown = ParseError("SET FASTER ON");
  EXPECT_EQ(unknown.number, 102);
  EXPECT_EQ(unknown.message, "Incorrect syntax near 'FASTER'.");
}

TEST(ParserBatchTest, QuotedIdentifierIsSetAtParseTime) {
  // "SET QUOTED_IDENTIFIER is set at parse time": the rest of the batch reads "..." accordingly,
  // whether or not the SET runs.
  EXPECT_EQ(Canon("SELECT \"a\"; SET QUOTED_IDENTIFIER OFF; SELECT \"b\""),
            "SELECT [a];\nSET QUOTED_IDENTIFIER OFF;\nSELECT 'b'");
  ParseOptions off;
  off.quoted_identifier = false;
  EXPECT_EQ(Canon("SELECT \"a\"; SET ANSI_NULLS, QUOTED_IDENTIFIER ON; SELECT \"b\"", off),
            "SELECT 'a';\nSET ANSI_NULLS, QUOTED_IDENTIFIER ON;\nSELECT [b]");
  EXPECT_EQ(Canon("IF 1 = 0 SET QUOTED_IDENTIFIER OFF; SELECT \"x\""),
            "IF 1 = 0\nSET QUOTED_IDENTIFIER OFF;\nSELECT 'x'");
  EXPECT_EQ(Canon("SET ANSI_DEFAULTS ON; SELECT \"x\"", off), "SET ANSI_DEFAULTS ON;\nSELECT [x]");
}

TEST(ParserBatchTest, TediousLoginBatch) {
  const char* batch =
      "set ansi_nulls on\n"
      "set ansi_null_dflt_on on\n"
      "set ansi_padding on\n"
      "set ansi_warnings on\n"
      "set arithabort on\n"
      "set concat_null_yields_null on\n"
      "set datefirst 7\n"
      "set dateformat mdy\n"
      "set implicit_transactions off\n"
      "set language us_english\n"
      "set numeric_roundabort off\n"
      "set quoted_identifier on\n"
      "set textsize 2147483647\n"
      "set transaction isolation level read committed\n"
      "set xact_abort off";
  Batch b = ParseOk(batch);
  ASSERT_EQ(b.statements.size(), 15u);
  for (const StatementPtr& s : b.statements) EXPECT_NE(s->As<SetOptionStmt>(), nullptr);
  EXPECT_EQ(
      RoundTrip(batch),
      "SET ANSI_NULLS ON;\nSET ANSI_NULL_DFLT_ON ON;\nSET ANSI_PADDING ON;\nSET ANSI_WARNINGS "
      "ON;\nSET ARITHABORT ON;\nSET CONCAT_NULL_YIELDS_NULL ON;\nSET DATEFIRST 7;\nSET "
      "DATEFORMAT mdy;\nSET IMPLICIT_TRANSACTIONS OFF;\nSET LANGUAGE us_english;\nSET "
      "NUMERIC_ROUNDABORT OFF;\nSET QUOTED_IDENTIFIER ON;\nSET TEXTSIZE 2147483647;\nSET "
      "TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSET XACT_ABORT OFF;\n");
}

TEST(ParserBatchTest, PymssqlLoginBatches) {
  Batch b = ParseOk(
      "SET ARITHABORT ON; SET CONCAT_NULL_YIELDS_NULL ON; SET ANSI_NULLS ON; SET ANSI_NULL_DFLT_ON "
      "ON; SET ANSI_PADDING ON; SET ANSI_WARNINGS ON; SET CURSOR_CLOSE_ON_COMMIT ON; SET "
      "QUOTED_IDENTIFIER ON; SET TEXTSIZE 2147483647;");
  EXPECT_EQ(b.statements.size(), 9u);
  Batch tran = ParseOk("BEGIN TRAN");
  EXPECT_NE(tran.statements[0]->As<BeginTransactionStmt>(), nullptr);
}

TEST(ParserBatchTest, FreeTdsAndJtdsLoginBatches) {
  EXPECT_EQ(RoundTrip("set textsize 2147483647"), "SET TEXTSIZE 2147483647;\n");
  EXPECT_EQ(RoundTrip("select @@spid"), "SELECT @@spid;\n");
  EXPECT_EQ(RoundTrip("use [shop]"), "USE [shop];\n");
  EXPECT_EQ(RoundTrip("SELECT @@MAX_PRECISION\nSET TRANSACTION ISOLATION LEVEL READ COMMITTED\nSET "
                      "IMPLICIT_TRANSACTIONS OFF\nSET QUOTED_IDENTIFIER ON\nSET TEXTSIZE "
                      "2147483647"),
            "SELECT @@MAX_PRECISION;\nSET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSET "
            "IMPLICIT_TRANSACTIONS OFF;\nSET QUOTED_IDENTIFIER ON;\nSET TEXTSIZE 2147483647;\n");
  // Transaction control jTDS and pymssql send as T-SQL.
  EXPECT_EQ(RoundTrip("IF @@TRANCOUNT > 0 COMMIT TRAN"),
            "IF @@TRANCOUNT > 0\nCOMMIT TRANSACTION;\n");
  EXPECT_EQ(RoundTrip("SET IMPLICIT_TRANSACTIONS ON"), "SET IMPLICIT_TRANSACTIONS ON;\n");
}

TEST(ParserBatchTest, IfElseWhile) {
  EXPECT_EQ(
      Canon("IF @a = 1 SELECT 1; ELSE IF @a = 2 SELECT 2 ELSE BEGIN SELECT 3; SELECT 4 END"),
      "IF @a = 1\nSELECT 1\nELSE\nIF @a = 2\nSELECT 2\nELSE\nBEGIN\nSELECT 3;\nSELECT 4;\nEND");
  EXPECT_EQ(Canon("WHILE @i < 10 BEGIN SET @i += 1; IF @i = 5 CONTINUE; IF @i = 8 BREAK END"),
            "WHILE @i < 10\nBEGIN\nSET @i += 1;\nIF @i = 5\nCONTINUE;\nIF @i = 8\nBREAK;\nEND");
  EXPECT_EQ(Canon("IF EXISTS (SELECT * FROM sys.tables WHERE name = 't') DROP TABLE t"),
            "IF EXISTS (SELECT * FROM sys.tables WHERE name = 't')\nDROP TABLE t");
  Batch b = ParseOk("IF 1 = 1 PRINT 'a' ELSE PRINT 'b'");
  const auto& stmt = std::get<IfStmt>(b.statements[0]->node);
  EXPECT_NE(stmt.else_stmt, nullptr);
  SqlError empty_block = ParseError("BEGIN END");
  EXPECT_EQ(empty_block.number, 156);
  EXPECT_EQ(empty_block.message, "Incorrect syntax near the keyword 'END'.");
}

TEST(ParserBatchTest, TryCatchThrowRaiserror) {
  EXPECT_EQ(Canon("BEGIN TRY SELECT 1/0 END TRY BEGIN CATCH THROW; END CATCH"),
            "BEGIN TRY\nSELECT 1 / 0;\nEND TRY\nBEGIN CATCH\nTHROW;\nEND CATCH");
  EXPECT_EQ(Canon("BEGIN TRY SELECT 1 END TRY BEGIN CATCH END CATCH"),
            "BEGIN TRY\nSELECT 1;\nEND TRY\nBEGIN CATCH\nEND CATCH");
  EXPECT_EQ(Canon("THROW 50001, N'Bad thing', 1"), "THROW 50001, N'Bad thing', 1");
  EXPECT_EQ(Canon("IF @x IS NULL THROW 50000, 'x is null', 16"),
            "IF @x IS NULL\nTHROW 50000, 'x is null', 16");
  EXPECT_EQ(Canon("RAISERROR('Value %d too big', 16, 1, @v) WITH NOWAIT, LOG"),
            "RAISERROR('Value %d too big', 16, 1, @v) WITH NOWAIT, LOG");
  EXPECT_EQ(Canon("RAISERROR (50001, 10, 1)"), "RAISERROR(50001, 10, 1)");
  EXPECT_EQ(Canon("PRINT 'n = ' + CAST(@n AS varchar(10))"),
            "PRINT 'n = ' + CAST(@n AS varchar(10))");
  EXPECT_EQ(ParseError("BEGIN TRY END TRY BEGIN CATCH END CATCH").number, 156);
}

TEST(ParserBatchTest, StatementBeforeThrowOrCteNeedsSemicolon) {
  SqlError cte = ParseError("SELECT 1\nWITH c AS (SELECT 1 AS a) SELECT a FROM c");
  EXPECT_EQ(cte.number, 319);
  EXPECT_EQ(cte.line, 2);
  EXPECT_EQ(cte.message,
            "Incorrect syntax near the keyword 'WITH'. If this statement is a common table "
            "expression, an xmlnamespaces clause or a change tracking context clause, the previous "
            "statement must be terminated with a semicolon.");
  EXPECT_EQ(ParseOk("SELECT 1;\nWITH c AS (SELECT 1 AS a) SELECT a FROM c").statements.size(), 2u);
  SqlError throw_error = ParseError("PRINT 'x' THROW 50000, 'm', 1");
  EXPECT_EQ(throw_error.number, 102);
  EXPECT_EQ(throw_error.message, "Incorrect syntax near 'THROW'.");
  // Without a terminator THROW is just a column alias, and the arguments are left over.
  SqlError alias = ParseError("SELECT 1 THROW 50000, 'm', 1");
  EXPECT_EQ(alias.message, "Incorrect syntax near '50000'.");
  EXPECT_EQ(ParseOk("PRINT 'x'; THROW 50000, 'm', 1").statements.size(), 2u);
}

TEST(ParserBatchTest, ReturnBreakContinue) {
  EXPECT_EQ(Canon("RETURN"), "RETURN");
  EXPECT_EQ(Canon("RETURN @@ERROR"), "RETURN @@ERROR");
  EXPECT_EQ(Canon("RETURN (SELECT COUNT(*) FROM t)"), "RETURN (SELECT COUNT(*) FROM t)");
  Batch b = ParseOk("RETURN\nSELECT 1");
  EXPECT_EQ(b.statements.size(), 2u);
}

TEST(ParserBatchTest, Transactions) {
  EXPECT_EQ(Canon("BEGIN TRAN; BEGIN TRANSACTION t1 WITH MARK 'nightly'; BEGIN TRAN @name"),
            "BEGIN TRANSACTION;\nBEGIN TRANSACTION t1 WITH MARK 'nightly';\nBEGIN TRANSACTION "
            "@name");
  EXPECT_EQ(Canon("COMMIT; COMMIT TRAN; COMMIT WORK; COMMIT TRANSACTION t1 WITH "
                  "(DELAYED_DURABILITY = ON)"),
            "COMMIT TRANSACTION;\nCOMMIT TRANSACTION;\nCOMMIT TRANSACTION;\nCOMMIT TRANSACTION t1 "
            "WITH (DELAYED_DURABILITY = ON)");
  EXPECT_EQ(
      Canon("ROLLBACK; ROLLBACK WORK; ROLLBACK TRAN sp1; SAVE TRAN sp1; SAVE TRANSACTION @sp"),
      "ROLLBACK TRANSACTION;\nROLLBACK TRANSACTION;\nROLLBACK TRANSACTION sp1;\nSAVE "
      "TRANSACTION sp1;\nSAVE TRANSACTION @sp");
  Batch b = ParseOk("ROLLBACK TRANSACTION sp1");
  EXPECT_EQ(std::get<RollbackStmt>(b.statements[0]->node).name->value, "sp1");
  SqlError distributed = ParseError("BEGIN DISTRIBUTED TRANSACTION");
  EXPECT_EQ(distributed.number, 40517);
  EXPECT_EQ(distributed.message,
            "Keyword or statement option 'BEGIN DISTRIBUTED TRANSACTION' is not supported in this "
            "version of SQL Server.");
}

TEST(ParserBatchTest, WaitforCheckpointUse) {
  EXPECT_EQ(Canon("WAITFOR DELAY '00:00:05'; WAITFOR TIME '23:00'; WAITFOR DELAY @d"),
            "WAITFOR DELAY '00:00:05';\nWAITFOR TIME '23:00';\nWAITFOR DELAY @d");
  EXPECT_EQ(Canon("CHECKPOINT; CHECKPOINT 10"), "CHECKPOINT;\nCHECKPOINT 10");
  EXPECT_EQ(Canon("USE master"), "USE master");
}

TEST(ParserBatchTest, UnsupportedStatements) {
  struct Case {
    const char* sql;
    const char* construct;
  };
  const Case cases[] = {
      {"GOTO done", "GOTO"},
      {"done: SELECT 1", "GOTO"},
      {"OPEN c", "CURSOR"},
      {"FETCH NEXT FROM c INTO @x", "CURSOR"},
      {"GRANT SELECT ON t TO u", "GRANT"},
      {"DBCC CHECKDB", "DBCC"},
      {"BACKUP DATABASE d TO DISK = 'x'", "BACKUP"},
      {"BULK INSERT t FROM 'f'", "BULK"},
      {"CREATE TRIGGER tr ON t AFTER INSERT AS SELECT 1", "CREATE TRIGGER"},
      {"CREATE SCHEMA s", "CREATE SCHEMA"},
      {"CREATE SEQUENCE s", "CREATE SEQUENCE"},
      {"CREATE TYPE t FROM int", "CREATE TYPE"},
      {"DROP SCHEMA s", "DROP SCHEMA"},
      {"ENABLE TRIGGER tr ON t", "ENABLE TRIGGER"},
      {"SET OFFSETS SELECT ON", "OFFSETS"},
  };
  for (const Case& c : cases) {
    SqlError e = ParseError(c.sql);
    EXPECT_EQ(e.number, 40517) << c.sql;
    EXPECT_EQ(e.message, std::string("Keyword or statement option '") + c.construct +
                             "' is not supported in this version of SQL Server.")
        << c.sql;
  }
}

TEST(ParserBatchTest, EntityFrameworkStatements) {
  EXPECT_EQ(
      RoundTrip("SET NOCOUNT ON;\nINSERT INTO [Blogs] ([Url])\nOUTPUT INSERTED.[BlogId]\n"
                "VALUES (@p0);\n"),
      "SET NOCOUNT ON;\nINSERT INTO [Blogs] ([Url]) OUTPUT INSERTED.[BlogId] VALUES (@p0);\n");
  EXPECT_EQ(
      Canon("SELECT TOP(1) [b].[BlogId], [b].[Url]\nFROM [Blogs] AS [b]\nWHERE [b].[BlogId] = "
            "@__id_0"),
      "SELECT TOP (1) [b].[BlogId], [b].[Url] FROM [Blogs] AS [b] WHERE [b].[BlogId] = "
      "@__id_0");
  EXPECT_EQ(RoundTrip("IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL\nBEGIN\n    CREATE TABLE "
                      "[__EFMigrationsHistory] (\n        [MigrationId] nvarchar(150) NOT NULL,\n  "
                      "      [ProductVersion] nvarchar(32) NOT NULL,\n        CONSTRAINT "
                      "[PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])\n    );\nEND;\n"),
            "IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL\nBEGIN\nCREATE TABLE "
            "[__EFMigrationsHistory] ([MigrationId] nvarchar(150) NOT NULL, [ProductVersion] "
            "nvarchar(32) NOT NULL, CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY "
            "([MigrationId]));\nEND;\n");
  EXPECT_EQ(
      RoundTrip(
          "DECLARE @var0 sysname;\nSELECT @var0 = [d].[name]\nFROM [sys].[default_constraints] "
          "[d]\nINNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] "
          "AND [d].[parent_object_id] = [c].[object_id]\nWHERE ([d].[parent_object_id] = "
          "OBJECT_ID(N'[Blogs]') AND [c].[name] = N'Url');\nIF @var0 IS NOT NULL EXEC(N'ALTER "
          "TABLE [Blogs] DROP CONSTRAINT [' + @var0 + '];');"),
      "DECLARE @var0 sysname;\nSELECT @var0 = [d].[name] FROM [sys].[default_constraints] AS [d] "
      "INNER JOIN [sys].[columns] AS [c] ON [d].[parent_column_id] = [c].[column_id] AND "
      "[d].[parent_object_id] = [c].[object_id] WHERE [d].[parent_object_id] = "
      "OBJECT_ID(N'[Blogs]') AND [c].[name] = N'Url';\nIF @var0 IS NOT NULL\nEXEC (N'ALTER TABLE "
      "[Blogs] DROP CONSTRAINT [' + @var0 + '];');\n");
  EXPECT_EQ(Canon("SELECT CASE\n    WHEN EXISTS (\n        SELECT 1\n        FROM [Blogs] AS [b]) "
                  "THEN CAST(1 AS bit)\n    ELSE CAST(0 AS bit)\nEND"),
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM [Blogs] AS [b]) THEN CAST(1 AS bit) ELSE "
            "CAST(0 AS bit) END");
  EXPECT_EQ(Canon("UPDATE [Blogs] SET [Url] = @p0\nOUTPUT 1\nWHERE [BlogId] = @p1;"),
            "UPDATE [Blogs] SET [Url] = @p0 OUTPUT 1 WHERE [BlogId] = @p1");
  EXPECT_EQ(
      Canon("SELECT [b].[Url] FROM [Blogs] AS [b] ORDER BY (SELECT 1) OFFSET @__p_0 ROWS FETCH "
            "NEXT @__p_1 ROWS ONLY"),
      "SELECT [b].[Url] FROM [Blogs] AS [b] ORDER BY (SELECT 1) OFFSET @__p_0 ROWS FETCH "
      "NEXT @__p_1 ROWS ONLY");
  EXPECT_EQ(Canon("SELECT [MigrationId], [ProductVersion] FROM [__EFMigrationsHistory] ORDER BY "
                  "[MigrationId];"),
            "SELECT [MigrationId], [ProductVersion] FROM [__EFMigrationsHistory] ORDER BY "
            "[MigrationId]");
}

TEST(ParserBatchTest, OtherOrmStatements) {
  // SQLAlchemy
  EXPECT_EQ(Canon("SELECT CAST(SERVERPROPERTY('ProductVersion') AS VARCHAR(max))"),
            "SELECT CAST(SERVERPROPERTY('ProductVersion') AS VARCHAR(MAX))");
  EXPECT_EQ(Canon("select default_schema_name from sys.database_principals where "
                  "principal_id=database_principal_id()"),
            "SELECT default_schema_name FROM sys.database_principals WHERE principal_id = "
            "database_principal_id()");
  EXPECT_EQ(
      Canon("SELECT [INFORMATION_SCHEMA].[TABLES].[TABLE_NAME] FROM "
            "[INFORMATION_SCHEMA].[TABLES] WHERE [INFORMATION_SCHEMA].[TABLES].[TABLE_SCHEMA] "
            "= CAST(N'dbo' AS NVARCHAR(max)) ORDER BY [INFORMATION_SCHEMA].[TABLES].[TABLE_NAME]"),
      "SELECT [INFORMATION_SCHEMA].[TABLES].[TABLE_NAME] FROM [INFORMATION_SCHEMA].[TABLES] "
      "WHERE [INFORMATION_SCHEMA].[TABLES].[TABLE_SCHEMA] = CAST(N'dbo' AS NVARCHAR(MAX)) "
      "ORDER BY [INFORMATION_SCHEMA].[TABLES].[TABLE_NAME]");
  EXPECT_EQ(
      Canon("SELECT 1 FROM fn_listextendedproperty(NULL, 'schema', 'dbo', 'table', 't', NULL, "
            "NULL)"),
      "SELECT 1 FROM fn_listextendedproperty(NULL, 'schema', 'dbo', 'table', 't', NULL, "
      "NULL)");
  // Dapper / ADO.NET
  EXPECT_EQ(Canon("INSERT INTO t (a) VALUES (@a); SELECT CAST(SCOPE_IDENTITY() AS int)"),
            "INSERT INTO t (a) VALUES (@a);\nSELECT CAST(SCOPE_IDENTITY() AS int)");
  // Django (mssql-django)
  EXPECT_EQ(
      Canon("SELECT [app_item].[id] FROM [app_item] ORDER BY [app_item].[id] ASC OFFSET 0 ROWS "
            "FETCH FIRST 21 ROWS ONLY"),
      "SELECT [app_item].[id] FROM [app_item] ORDER BY [app_item].[id] ASC OFFSET 0 ROWS "
      "FETCH NEXT 21 ROWS ONLY");
  // Sequelize
  EXPECT_EQ(RoundTrip("IF OBJECT_ID('[Users]', 'U') IS NULL CREATE TABLE [Users] ([id] INTEGER NOT "
                      "NULL IDENTITY(1,1) , [name] NVARCHAR(255) NULL, [createdAt] DATETIMEOFFSET "
                      "NOT NULL, PRIMARY KEY ([id]));"),
            "IF OBJECT_ID('[Users]', 'U') IS NULL\nCREATE TABLE [Users] ([id] INTEGER IDENTITY(1, "
            "1) NOT NULL, [name] NVARCHAR(255) NULL, [createdAt] DATETIMEOFFSET NOT NULL, PRIMARY "
            "KEY ([id]));\n");
  EXPECT_EQ(RoundTrip("DECLARE @tmp TABLE ([id] INTEGER); INSERT INTO [Users] ([name]) OUTPUT "
                      "INSERTED.[id] INTO @tmp VALUES (@0); SELECT * FROM @tmp;"),
            "DECLARE @tmp TABLE ([id] INTEGER);\nINSERT INTO [Users] ([name]) OUTPUT INSERTED.[id] "
            "INTO @tmp VALUES (@0);\nSELECT * FROM @tmp;\n");
  // Hibernate's sequences are outside the subset.
  EXPECT_EQ(ParseError("select next value for hibernate_sequence").number, 40517);
}

}  // namespace
}  // namespace edgesql::tsql
