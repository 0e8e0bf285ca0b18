// Internal to the runtime library (runtime_functions.h): argument decoding, results and error
// raising shared by the functions_*.cc files.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/errors.h"
#include "common/status.h"
#include "storage/sqlite_conn.h"
#include "tsql/runtime_context.h"
#include "tsql/type_code.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/storage_form.h"
#include "types/value.h"

namespace edgesql::tsql::runtime {

using Fn = void (*)(sqlite3_context*, int, sqlite3_value**);

inline storage::SqliteConnection* Connection(sqlite3_context* ctx) {
  return static_cast<storage::SqliteConnection*>(sqlite3_user_data(ctx));
}

// The session executing the statement, or nullptr when the engine set none.
inline RuntimeContext* Runtime(sqlite3_context* ctx) {
  storage::SqliteConnection* conn = Connection(ctx);
  return conn ? static_cast<RuntimeContext*>(conn->user_data()) : nullptr;
}

// SET DATEFORMAT / DATEFIRST of the executing session (SQL Server's defaults without one).
const datetime::DateSettings& Dates(sqlite3_context* ctx);

// Fails the statement with a SQL Server error.
void Raise(sqlite3_context* ctx, SqlError error);

inline bool IsNull(sqlite3_value* v) { return sqlite3_value_type(v) == SQLITE_NULL; }
inline int64_t Int64(sqlite3_value* v) { return sqlite3_value_int64(v); }
inline std::string_view Text(sqlite3_value* v) {
  const unsigned char* p = sqlite3_value_text(v);
  int n = sqlite3_value_bytes(v);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
           : std::string_view();
}
inline std::string_view Blob(sqlite3_value* v) {
  const void* p = sqlite3_value_blob(v);
  int n = sqlite3_value_bytes(v);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n))
           : std::string_view();
}

void ReadStored(sqlite3_value* v, StoredValue* out);
// The SQL Server value of `v` whose type is `type` (storage form -> Value). Integers are
// accepted where a decimal is expected.
Result<Value> ReadValue(sqlite3_value* v, const SqlType& type);
// The type encoded in a type-code argument; raises and returns nullopt if it is not one.
std::optional<SqlType> ArgType(sqlite3_context* ctx, sqlite3_value* v);

// A decimal operand: an INTEGER or a decimal key BLOB.
std::optional<Decimal> ReadDecimal(sqlite3_value* v);

void ResultValue(sqlite3_context* ctx, const Value& v);
void ResultDecimal(sqlite3_context* ctx, const Decimal& d);
void ResultText(sqlite3_context* ctx, std::string_view s);
void ResultBlob(sqlite3_context* ctx, std::string_view s);

// Decimal results: checks that `d` fits `type` (decimal precision, money range) and raises 8115
// otherwise.
bool FitsType(const Decimal& d, const SqlType& type);
SqlError Overflow(const SqlType& type);

struct FunctionSpec {
  const char* name;
  int args;  // -1: any number
  Fn fn;
};

// Registers scalar functions with the connection as user data.
Status RegisterAll(sqlite3* db, storage::SqliteConnection* conn, const FunctionSpec* specs,
                   size_t count);

Status RegisterNumericFunctions(sqlite3* db, storage::SqliteConnection* conn);
Status RegisterStringFunctions(sqlite3* db, storage::SqliteConnection* conn);
Status RegisterDateFunctions(sqlite3* db, storage::SqliteConnection* conn);

}  // namespace edgesql::tsql::runtime
