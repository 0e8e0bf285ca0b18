// The emitter's runtime library: the SQL functions (es_*), aggregates and the CI_AS collation
// that compiled statements call, registered on every SQLite connection edgesql opens.
//
// The functions operate on values in storage form (types/storage_form.h) and implement SQL Server
// semantics that SQLite lacks: exact decimal arithmetic, conversions with SQL Server's rules and
// errors, date/time functions, collation-aware string functions and LIKE. They raise SQL Server
// errors through SqliteConnection::RaiseFromFunction, so the engine reports e.g. 8134 for a
// division by zero. Functions that need the executing session (identity values, DATEFIRST) find
// its tsql::RuntimeContext in the connection's user data.
//
// Registration is per connection; the functions themselves are reentrant.
#pragma once

#include <sqlite3.h>

#include "common/status.h"
#include "storage/sqlite_conn.h"

namespace edgesql::tsql {

Status RegisterRuntimeFunctions(sqlite3* db, storage::SqliteConnection* conn);

}  // namespace edgesql::tsql
