// How SQL Server values are stored in SQLite: one storage class and encoding per type, chosen so
// that SQLite's own comparison (integers numerically, text under the CI_AS collation, blobs by
// memcmp) orders and equates values exactly as SQL Server does. docs/storage-format.md mirrors
// this table; the T-SQL emitter writes literals in these forms and the SQL functions registered
// on every connection read and write them.
//
//   bit, tinyint, smallint, int, bigint   INTEGER  the value
//   real, float                           REAL     the value (real rounded to float)
//   decimal, numeric, money, smallmoney   BLOB     Decimal::ToKey(): order-preserving, scale-free
//   char, varchar, nchar, nvarchar        TEXT     UTF-8 (char/nchar padded to n), COLLATE CI_AS
//   binary, varbinary                     BLOB     the bytes (binary padded to n)
//   date                                  INTEGER  days since 0001-01-01
//   time                                  INTEGER  100 ns ticks since midnight
//   datetime, smalldatetime, datetime2    INTEGER  100 ns ticks since 0001-01-01
//   datetimeoffset                        BLOB     8-byte big-endian UTC ticks, then 2-byte
//                                                  big-endian offset minutes + 0x8000
//   uniqueidentifier                      BLOB     guid::ToSortKey(): 16 bytes, SQL Server order
//
// The storage form carries no type: the catalog (column types) and the binder (expression types)
// say how to read it back. Pure and thread-safe; no SQLite dependency.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "types/sql_type.h"
#include "types/value.h"

namespace edgesql {

enum class StorageClass : uint8_t { kNull, kInteger, kReal, kText, kBlob };

struct StoredValue {
  StorageClass cls = StorageClass::kNull;
  int64_t i = 0;      // kInteger
  double d = 0;       // kReal
  std::string bytes;  // kText (UTF-8) or kBlob
};

// The storage class non-NULL values of `type` use.
StorageClass StorageClassOf(TypeId type);

// The declared column type edgesql gives SQLite for a column of `type`: "INTEGER", "REAL",
// "TEXT COLLATE CI_AS" or "BLOB", so that SQLite's affinity never alters a stored value.
const char* SqliteColumnType(const SqlType& type);

// Value -> storage form. The value must already have been converted to the column/expression type.
StoredValue ToStored(const Value& value);
void ToStored(const Value& value, StoredValue* out);  // reuses out's buffer

// Storage form -> Value of `type`. Fails with 8114 if the stored class does not match the type
// (a database written by something other than edgesql).
Result<Value> FromStored(const StoredValue& stored, const SqlType& type);

// The SQLite SQL literal for a value in storage form: 42, 1.5e0, 'it''s', X'0A0B', NULL.
std::string SqliteLiteral(const Value& value);

}  // namespace edgesql
