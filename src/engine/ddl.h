// DDL: CREATE/DROP TABLE, CREATE/DROP INDEX, TRUNCATE TABLE, the supported ALTER TABLE forms,
// CREATE/DROP DATABASE and ALTER LOGIN, with SQL Server's validation, error numbers and
// constraint naming.
//
// Table DDL runs as a write statement of the current database (group-committed, or inside the
// session's transaction: SQL Server DDL is transactional and so is edgesql's), against the catalog
// the writer connection sees, and changes the SQLite objects and the edgesql_* catalog rows
// together (engine/catalog.h). Database and login DDL is not allowed inside a transaction (226).
//
// Supported subset: columns of every edgesql type with NULL/NOT NULL, IDENTITY(seed, increment)
// on integer columns, DEFAULT, PRIMARY KEY and UNIQUE (column or table level); everything else
// (FOREIGN KEY, CHECK, computed columns, filtered indexes, ALTER COLUMN, other schemas) fails with
// 40517 naming the construct.
#pragma once

#include "common/status.h"
#include "engine/writer_lane.h"
#include "tsql/statement.h"

namespace edgesql::engine {

class Session;
class ResultSink;

// Runs one DDL statement for `session`. DEFAULT expressions are compiled for their column's type
// when the table is created, so a bad default fails CREATE TABLE as in SQL Server.
Status ExecuteDdl(Session& session, const tsql::Statement& stmt, ResultSink& sink,
                  const LaneWait& wait);

}  // namespace edgesql::engine
