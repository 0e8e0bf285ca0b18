// Catalog: the SQL Server view of one database's objects (tables, columns with their declared SQL
// Server types, identity, defaults, keys, indexes), kept in edgesql_* tables inside the database's
// own SQLite file so that it commits and rolls back with the data it describes.
//
// SQLite objects get opaque names derived from ids (table t<object_id>, column c<column_id>,
// index i<object_id>_<index_id>): T-SQL names, with their Unicode case-insensitivity, brackets and
// schemas, live only here, and renaming is a catalog update. The binder resolves every name
// through a Catalog snapshot; docs/storage-format.md describes the tables.
//
// A Catalog is an immutable snapshot (shared_ptr<const Catalog>), loaded from a connection at a
// given schema state; it is thread-safe to read. Changes are made with the SQL in CatalogWriter,
// on the writer connection inside the DDL statement's transaction, after which a new snapshot is
// loaded.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "storage/sqlite_conn.h"
#include "tsql/catalog_view.h"

namespace edgesql::engine {

using tsql::ColumnInfo;
using tsql::IdentityInfo;
using tsql::IndexInfo;
using tsql::IndexKind;
using tsql::TableInfo;

class Catalog : public tsql::CatalogView {
 public:
  // Loads the snapshot visible to `conn` (call inside the transaction that will use it).
  static Result<std::shared_ptr<const Catalog>> Load(storage::SqliteConnection& conn);

  // The SQLite schema_version the snapshot was loaded at.
  int64_t schema_version() const { return schema_version_; }
  // Finds a table by (optional) schema and name, case-insensitively. An empty schema means dbo.
  const TableInfo* FindTable(std::string_view schema, std::string_view name) const override;
  const TableInfo* TableById(int64_t object_id) const override;
  const std::vector<TableInfo>& tables() const { return tables_; }
  // True if any object (table, constraint, index name used as constraint) has this name in the
  // schema: SQL Server keeps tables and constraints in one namespace per schema (error 2714).
  bool ObjectNameTaken(std::string_view schema, std::string_view name) const;

 private:
  int64_t schema_version_ = 0;
  std::vector<TableInfo> tables_;
};

// Creates the catalog tables in a new database file (inside the caller's transaction).
Status InitializeCatalogSchema(storage::SqliteConnection& conn);

// Catalog mutations, each one SQL statement set run on the writer connection inside the DDL
// statement's transaction. They write both the SQLite objects and the edgesql_* rows.
namespace catalog_writer {

// Allocates the next object id (shared by tables, constraints and indexes, like sys.objects).
Result<int64_t> NextObjectId(storage::SqliteConnection& conn);
// CREATE TABLE: `table` has object_id, names, columns and indexes filled in; the SQLite table
// and its indexes are created from it.
Status CreateTable(storage::SqliteConnection& conn, const TableInfo& table);
Status DropTable(storage::SqliteConnection& conn, const TableInfo& table);
Status CreateIndex(storage::SqliteConnection& conn, const TableInfo& table, const IndexInfo& index);
// ALTER TABLE ADD column (nullable, no default) / DROP COLUMN.
Status AddColumn(storage::SqliteConnection& conn, const TableInfo& table, const ColumnInfo& column);
Status DropColumn(storage::SqliteConnection& conn, const TableInfo& table,
                  const ColumnInfo& column);
Status DropIndex(storage::SqliteConnection& conn, const TableInfo& table, const IndexInfo& index);
// Records the last identity value handed out for a table (persisted with the transaction).
Status SaveIdentity(storage::SqliteConnection& conn, int64_t object_id, int64_t last_value);
Result<std::optional<int64_t>> LoadIdentity(storage::SqliteConnection& conn, int64_t object_id);

}  // namespace catalog_writer

}  // namespace edgesql::engine
