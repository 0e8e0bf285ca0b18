// RuntimeContext: what edgesql's SQL functions (the emitter's runtime library, registered on every
// SQLite connection) need from the session executing the statement.
//
// The engine sets the connection's user data (SqliteConnection::set_user_data) to the
// RuntimeContext of the session for the duration of each statement. A function that needs it
// (es_identity, es_newid's generator, date functions that depend on DATEFIRST) fetches it from
// there; a statement run without one is an engine bug (the function raises 8630).
//
// Called on the thread running the statement; implementations need no locking of their own
// beyond what the identity counters (Database) already do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "types/datetime.h"
#include "types/storage_form.h"
#include "types/value.h"

namespace edgesql::tsql {

class RuntimeContext {
 public:
  virtual ~RuntimeContext() = default;
  // The next identity value for the table (object id), recorded as the session's
  // SCOPE_IDENTITY() and @@IDENTITY.
  virtual Result<int64_t> NextIdentity(int64_t object_id) = 0;
  virtual const datetime::DateSettings& date_settings() const = 0;
  // SERVERPROPERTY(name): the property's value, or NULL for an unknown name (as SQL Server).
  virtual Value ServerProperty(std::string_view name) const = 0;
  // DB_ID(name) / DB_NAME(id) for databases other than the current one; nullopt if none.
  virtual std::optional<int64_t> DatabaseId(std::string_view name) const = 0;
  virtual std::optional<std::string> DatabaseName(int64_t id) const = 0;
  // Remembers the value about to be stored in a key column (es_key), so that a duplicate-key
  // failure can name the offending value as SQL Server does ("The duplicate key value is (7).").
  // Only the most recent value per column is kept; the engine clears them per statement.
  virtual void RecordKeyValue(int32_t column_id, const StoredValue& value) = 0;
};

}  // namespace edgesql::tsql
