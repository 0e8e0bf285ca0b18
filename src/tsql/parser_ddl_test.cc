// CREATE / ALTER / DROP.
#include <gtest/gtest.h>

#include "tsql/parser_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Canon;
using testing::ParseError;
using testing::ParseOk;

TEST(ParserDdlTest, CreateTableColumns) {
  EXPECT_EQ(
      Canon("CREATE TABLE dbo.t (id int IDENTITY(1,1) NOT NULL PRIMARY KEY, name nvarchar(50) "
            "COLLATE Latin1_General_CI_AS NULL, price decimal(10, 2) DEFAULT 0, body "
            "varchar(max), ts datetime2(3) CONSTRAINT df_ts DEFAULT (sysutcdatetime()), "
            "total AS price * 2 PERSISTED, g uniqueidentifier ROWGUIDCOL DEFAULT NEWID())"),
      "CREATE TABLE dbo.t (id int IDENTITY(1, 1) NOT NULL PRIMARY KEY, name nvarchar(50) "
      "COLLATE Latin1_General_CI_AS NULL, price decimal(10, 2) DEFAULT 0, body varchar(MAX), "
      "ts datetime2(3) CONSTRAINT df_ts DEFAULT sysutcdatetime(), total AS price * 2 "
      "PERSISTED, g uniqueidentifier ROWGUIDCOL DEFAULT NEWID())");
  Batch b = ParseOk("CREATE TABLE t (id bigint IDENTITY(-1, -2) NOT NULL, x double precision)");
  const auto& create = std::get<CreateTableStmt>(b.statements[0]->node);
  ASSERT_EQ(create.definition.columns.size(), 2u);
  const ColumnDef& id = create.definition.columns[0];
  EXPECT_EQ(id.type->name.parts[0].value, "bigint");
  ASSERT_NE(id.identity, nullptr);
  EXPECT_EQ(id.identity->seed, "-1");
  EXPECT_EQ(id.identity->increment, "-2");
  EXPECT_EQ(id.nullability, Nullability::kNotNull);
  EXPECT_EQ(create.definition.columns[1].type->name.parts[0].value, "double precision");
}

TEST(ParserDdlTest, CreateTableConstraints) {
  EXPECT_EQ(
      Canon("CREATE TABLE o (id int NOT NULL, cid int REFERENCES c(id) ON DELETE CASCADE, code "
            "char(3) UNIQUE NONCLUSTERED, qty int CHECK (qty > 0), CONSTRAINT pk_o PRIMARY KEY "
            "CLUSTERED (id ASC, cid DESC), CONSTRAINT fk_c FOREIGN KEY (cid) REFERENCES dbo.c (id) "
            "ON DELETE SET NULL ON UPDATE NO ACTION, UNIQUE (code), CHECK (qty < 100),)"),
      "CREATE TABLE o (id int NOT NULL, cid int REFERENCES c (id) ON DELETE CASCADE, code char(3) "
      "UNIQUE NONCLUSTERED, qty int CHECK (qty > 0), CONSTRAINT pk_o PRIMARY KEY CLUSTERED (id "
      "ASC, "
      "cid DESC), CONSTRAINT fk_c FOREIGN KEY (cid) REFERENCES dbo.c (id) ON DELETE SET NULL ON "
      "UPDATE NO ACTION, UNIQUE (code), CHECK (qty < 100))");
  Batch b = ParseOk("CREATE TABLE t (a int, CONSTRAINT pk PRIMARY KEY (a))");
  const auto& create = std::get<CreateTableStmt>(b.statements[0]->node);
  ASSERT_EQ(create.definition.constraints.size(), 1u);
  EXPECT_EQ(create.definition.constraints[0].kind, ConstraintKind::kPrimaryKey);
  EXPECT_EQ(create.definition.constraints[0].name.value, "pk");
}

TEST(ParserDdlTest, CreateTableAsScriptedBySsms) {
  const char* sql =
      "CREATE TABLE [dbo].[Orders](\n"
      "\t[Id] [int] IDENTITY(1,1) NOT NULL,\n"
      "\t[Name] [nvarchar](100) NULL,\n"
      " CONSTRAINT [PK_Orders] PRIMARY KEY CLUSTERED \n"
      "(\n\t[Id] ASC\n)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, "
      "ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON "
      "[PRIMARY]\n) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]";
  EXPECT_EQ(
      Canon(sql),
      "CREATE TABLE [dbo].[Orders] ([Id] [int] IDENTITY(1, 1) NOT NULL, [Name] "
      "[nvarchar](100) NULL, CONSTRAINT [PK_Orders] PRIMARY KEY CLUSTERED ([Id] ASC) WITH "
      "(PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = "
      "ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY]) ON "
      "[PRIMARY] TEXTIMAGE_ON [PRIMARY]");
}

TEST(ParserDdlTest, CreateTableErrors) {
  EXPECT_EQ(ParseError("CREATE TABLE t (a int, INDEX ix (a))").number, 40517);
  SqlError e = ParseError("CREATE TABLE t (a int");
  EXPECT_EQ(e.number, 102);
  EXPECT_EQ(e.message, "Incorrect syntax near 'int'.");
  EXPECT_EQ(ParseError("CREATE TABLE t (select int)").number, 156);
}

TEST(ParserDdlTest, DropTable) {
  EXPECT_EQ(Canon("DROP TABLE IF EXISTS a, dbo.b, #c"), "DROP TABLE IF EXISTS a, dbo.b, #c");
  EXPECT_EQ(Canon("drop view v"), "DROP VIEW v");
  EXPECT_EQ(Canon("DROP PROC p; DROP PROCEDURE IF EXISTS q; DROP FUNCTION dbo.f"),
            "DROP PROCEDURE p;\nDROP PROCEDURE IF EXISTS q;\nDROP FUNCTION dbo.f");
  EXPECT_EQ(ParseError("DROP TRIGGER tr").number, 40517);
}

TEST(ParserDdlTest, AlterTable) {
  EXPECT_EQ(
      Canon("ALTER TABLE t ADD c int NULL, d varchar(10) DEFAULT 'x', CONSTRAINT ck CHECK (c > "
            "0)"),
      "ALTER TABLE t ADD c int NULL, d varchar(10) DEFAULT 'x', CONSTRAINT ck CHECK (c > 0)");
  EXPECT_EQ(Canon("ALTER TABLE t ADD CONSTRAINT df_c DEFAULT 0 FOR c"),
            "ALTER TABLE t ADD CONSTRAINT df_c DEFAULT 0 FOR c");
  EXPECT_EQ(Canon("ALTER TABLE [dbo].[t] WITH CHECK ADD CONSTRAINT [FK_t_u] FOREIGN KEY([uid]) "
                  "REFERENCES [dbo].[u] ([id])"),
            "ALTER TABLE [dbo].[t] WITH CHECK ADD CONSTRAINT [FK_t_u] FOREIGN KEY ([uid]) "
            "REFERENCES [dbo].[u] ([id])");
  EXPECT_EQ(Canon("ALTER TABLE [dbo].[t] CHECK CONSTRAINT [FK_t_u]"),
            "ALTER TABLE [dbo].[t] CHECK CONSTRAINT [FK_t_u]");
  EXPECT_EQ(Canon("ALTER TABLE t NOCHECK CONSTRAINT ALL"), "ALTER TABLE t NOCHECK CONSTRAINT ALL");
  EXPECT_EQ(Canon("ALTER TABLE t DROP COLUMN a, b, CONSTRAINT IF EXISTS c, d"),
            "ALTER TABLE t DROP COLUMN a, COLUMN b, CONSTRAINT IF EXISTS c, CONSTRAINT d");
  EXPECT_EQ(Canon("ALTER TABLE t DROP ck"), "ALTER TABLE t DROP CONSTRAINT ck");
  EXPECT_EQ(Canon("ALTER TABLE t ALTER COLUMN a nvarchar(200) COLLATE Latin1_General_BIN NOT NULL"),
            "ALTER TABLE t ALTER COLUMN a nvarchar(200) COLLATE Latin1_General_BIN NOT NULL");
  EXPECT_EQ(ParseError("ALTER TABLE t SWITCH TO u").number, 40517);
  Batch b = ParseOk("ALTER TABLE t DROP COLUMN IF EXISTS a");
  const auto& alter = std::get<AlterTableStmt>(b.statements[0]->node);
  EXPECT_EQ(alter.action, AlterTableAction::kDrop);
  EXPECT_TRUE(alter.drops[0].is_column);
  EXPECT_TRUE(alter.drops[0].if_exists);
}

TEST(ParserDdlTest, Indexes) {
  EXPECT_EQ(
      Canon("CREATE UNIQUE NONCLUSTERED INDEX ix ON dbo.t (a ASC, b DESC) INCLUDE (c, d) WHERE "
            "a IS NOT NULL WITH (FILLFACTOR = 80, ONLINE = ON) ON [PRIMARY]"),
      "CREATE UNIQUE NONCLUSTERED INDEX ix ON dbo.t (a ASC, b DESC) INCLUDE (c, d) WHERE a IS "
      "NOT NULL WITH (FILLFACTOR = 80, ONLINE = ON) ON [PRIMARY]");
  EXPECT_EQ(Canon("CREATE INDEX ix ON t (a)"), "CREATE INDEX ix ON t (a)");
  EXPECT_EQ(Canon("CREATE CLUSTERED INDEX ix ON t (a)"), "CREATE CLUSTERED INDEX ix ON t (a)");
  EXPECT_EQ(Canon("DROP INDEX ix ON dbo.t, t.ix2"), "DROP INDEX ix ON dbo.t, ix2 ON t");
  EXPECT_EQ(Canon("DROP INDEX IF EXISTS ix ON t"), "DROP INDEX IF EXISTS ix ON t");
  EXPECT_EQ(Canon("DROP INDEX db..t.ix"), "DROP INDEX ix ON db..t");
  // Found by the fuzzer: with the index taken off, "o." names no table.
  EXPECT_EQ(ParseError("DROP INDEX o..ix").number, 102);
  EXPECT_EQ(ParseError("CREATE COLUMNSTORE INDEX c ON t (a)").number, 40517);
  EXPECT_EQ(ParseError("CREATE NONCLUSTERED COLUMNSTORE INDEX c ON t (a)").number, 40517);
}

TEST(ParserDdlTest, Databases) {
  EXPECT_EQ(Canon("CREATE DATABASE shop"), "CREATE DATABASE shop");
  EXPECT_EQ(Canon("CREATE DATABASE [my db] COLLATE Latin1_General_CI_AS"),
            "CREATE DATABASE [my db] COLLATE Latin1_General_CI_AS");
  EXPECT_EQ(Canon("DROP DATABASE IF EXISTS a, b"), "DROP DATABASE IF EXISTS a, b");
  EXPECT_EQ(Canon("USE [master]"), "USE [master]");
  EXPECT_EQ(ParseError("CREATE DATABASE d ON PRIMARY (NAME = x)").number, 40517);
  EXPECT_EQ(ParseError("ALTER DATABASE d SET READ_ONLY").number, 40517);
}

TEST(ParserDdlTest, Views) {
  EXPECT_EQ(
      Canon("CREATE VIEW dbo.v (a, b) WITH SCHEMABINDING AS SELECT x, y FROM dbo.t WITH CHECK "
            "OPTION"),
      "CREATE VIEW dbo.v (a, b) WITH SCHEMABINDING AS SELECT x, y FROM dbo.t WITH CHECK "
      "OPTION");
  EXPECT_EQ(Canon("CREATE OR ALTER VIEW v AS WITH c AS (SELECT 1 AS a) SELECT a FROM c"),
            "CREATE OR ALTER VIEW v AS WITH c AS (SELECT 1 AS a) SELECT a FROM c");
  EXPECT_EQ(Canon("ALTER VIEW v AS SELECT 1 AS a;"), "ALTER VIEW v AS SELECT 1 AS a");
  SqlError not_first = ParseError("SELECT 1\nCREATE VIEW v AS SELECT 1 AS a");
  EXPECT_EQ(not_first.number, 111);
  EXPECT_EQ(not_first.message, "'CREATE VIEW' must be the first statement in a query batch.");
  EXPECT_EQ(not_first.line, 2);
  EXPECT_EQ(ParseError("CREATE VIEW v AS SELECT 1 AS a; SELECT 2").number, 156);
}

TEST(ParserDdlTest, Procedures) {
  const char* sql =
      "CREATE PROCEDURE dbo.get_orders\n"
      "  @customer int,\n"
      "  @since datetime2 = NULL,\n"
      "  @count int OUTPUT,\n"
      "  @rows dbo.IdList READONLY\n"
      "WITH RECOMPILE, EXECUTE AS OWNER\n"
      "AS\n"
      "BEGIN\n"
      "  SET NOCOUNT ON;\n"
      "  SELECT * FROM orders WHERE customer = @customer;\n"
      "  SET @count = @@ROWCOUNT\n"
      "  RETURN 0\n"
      "END";
  EXPECT_EQ(testing::RoundTrip(sql),
            "CREATE PROCEDURE dbo.get_orders @customer int, @since datetime2 = NULL, @count int "
            "OUTPUT, @rows dbo.IdList READONLY WITH RECOMPILE, EXECUTE AS OWNER AS\nBEGIN\nSET "
            "NOCOUNT ON;\nSELECT * FROM orders WHERE customer = @customer;\nSET @count = "
            "@@ROWCOUNT;\nRETURN 0;\nEND;\n");
  Batch b = ParseOk("CREATE PROC p (@a int = 5, @b varchar(10) OUT) AS SELECT @a; SELECT @b");
  const auto& proc = std::get<CreateProcedureStmt>(b.statements[0]->node);
  ASSERT_EQ(proc.params.size(), 2u);
  EXPECT_TRUE(proc.params[1].output);
  EXPECT_EQ(proc.body.size(), 2u);  // the body runs to the end of the batch
  EXPECT_EQ(Canon("CREATE OR ALTER PROCEDURE p AS SELECT 1"),
            "CREATE OR ALTER PROCEDURE p AS\nSELECT 1");
  EXPECT_EQ(Canon("ALTER PROC p AS RETURN"), "ALTER PROCEDURE p AS\nRETURN");
  SqlError not_first = ParseError("SET NOCOUNT ON\nCREATE PROCEDURE p AS SELECT 1");
  EXPECT_EQ(not_first.number, 111);
  EXPECT_EQ(not_first.message,
            "'CREATE/ALTER PROCEDURE' must be the first statement in a query batch.");
  EXPECT_EQ(ParseError("CREATE PROCEDURE p AS").number, 156);
}

TEST(ParserDdlTest, Functions) {
  EXPECT_EQ(Canon("CREATE FUNCTION dbo.add1 (@x int) RETURNS int WITH SCHEMABINDING AS BEGIN "
                  "RETURN @x + 1 END"),
            "CREATE FUNCTION dbo.add1 (@x int) RETURNS int WITH SCHEMABINDING AS\nBEGIN\nRETURN @x "
            "+ 1;\nEND");
  EXPECT_EQ(Canon("CREATE FUNCTION f() RETURNS TABLE AS RETURN (SELECT 1 AS a)"),
            "CREATE FUNCTION f () RETURNS TABLE AS RETURN SELECT 1 AS a");
  EXPECT_EQ(Canon("CREATE OR ALTER FUNCTION f(@a int = 1) RETURNS TABLE RETURN SELECT @a AS a"),
            "CREATE OR ALTER FUNCTION f (@a int = 1) RETURNS TABLE AS RETURN SELECT @a AS a");
  EXPECT_EQ(Canon("CREATE FUNCTION f(@n int) RETURNS @r TABLE (i int PRIMARY KEY) AS BEGIN "
                  "INSERT @r VALUES (@n) RETURN END"),
            "CREATE FUNCTION f (@n int) RETURNS @r TABLE (i int PRIMARY KEY) AS\nBEGIN\nINSERT "
            "INTO @r VALUES (@n);\nRETURN;\nEND");
  Batch b = ParseOk("CREATE FUNCTION f(@a int) RETURNS TABLE AS RETURN SELECT @a AS a");
  EXPECT_EQ(std::get<CreateFunctionStmt>(b.statements[0]->node).kind, FunctionKind::kInlineTable);
  EXPECT_EQ(ParseError("SELECT 1; CREATE FUNCTION f() RETURNS int AS BEGIN RETURN 1 END").number,
            111);
}

TEST(ParserDdlTest, Logins) {
  EXPECT_EQ(Canon("ALTER LOGIN sa WITH PASSWORD = 'n3w!' OLD_PASSWORD = 'old'"),
            "ALTER LOGIN sa WITH PASSWORD = 'n3w!' OLD_PASSWORD = 'old'");
  EXPECT_EQ(Canon("alter login [app] with password = N'x'"),
            "ALTER LOGIN [app] WITH PASSWORD = 'x'");
  EXPECT_EQ(ParseError("ALTER LOGIN sa WITH PASSWORD = 'x' MUST_CHANGE").number, 40517);
  EXPECT_EQ(ParseError("ALTER LOGIN sa WITH DEFAULT_DATABASE = master").number, 40517);
  EXPECT_EQ(ParseError("ALTER LOGIN sa DISABLE").number, 40517);
  SqlError create = ParseError("CREATE LOGIN app WITH PASSWORD = 'x'");
  EXPECT_EQ(create.number, 40517);
  EXPECT_EQ(create.message,
            "Keyword or statement option 'CREATE LOGIN' is not supported in this version of SQL "
            "Server.");
  EXPECT_EQ(ParseError("CREATE USER app FOR LOGIN app").number, 40517);
}

TEST(ParserDdlTest, ModuleSourceRange) {
  std::string sql = "CREATE VIEW v AS SELECT 1 AS a  ";
  Batch b = ParseOk(sql);
  const Statement& s = *b.statements[0];
  EXPECT_EQ(s.pos.offset, 0u);
  EXPECT_EQ(sql.substr(s.pos.offset, s.end_offset - s.pos.offset),
            "CREATE VIEW v AS SELECT 1 AS a");
}

}  // namespace
}  // namespace edgesql::tsql
