// The compiler's view of a database schema: what the binder needs to resolve names and types.
//
// TableInfo and friends are plain data describing SQL Server objects (declared types, identity,
// defaults, keys) together with the opaque SQLite names they are stored under (table
// t<object_id>, column c<column_id>, index i<object_id>_<index_id>). The engine persists them in
// each database's edgesql_* catalog tables (engine/catalog.h) and implements CatalogView over an
// immutable snapshot, so a CatalogView is thread-safe to read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "types/collation.h"
#include "types/sql_type.h"

namespace edgesql::tsql {

struct IdentityInfo {
  int64_t seed = 1;
  int64_t increment = 1;
};

struct ColumnInfo {
  int32_t column_id = 0;  // 1-based, stable for the life of the column
  std::string name;
  SqlType type;
  bool nullable = true;
  std::optional<IdentityInfo> identity;
  std::string default_name;  // DF__ constraint name, empty if no default
  std::string default_sql;   // T-SQL text of the DEFAULT expression, empty if none
  std::string sqlite_name() const { return "c" + std::to_string(column_id); }
};

enum class IndexKind : uint8_t { kIndex, kUniqueIndex, kPrimaryKey, kUniqueConstraint };

struct IndexInfo {
  int32_t index_id = 0;
  std::string name;  // constraint or index name as SQL Server shows it
  IndexKind kind = IndexKind::kIndex;
  std::vector<int32_t> column_ids;
  std::vector<bool> descending;
  // The primary key of a table whose key is one integer column is SQLite's rowid (no index).
  bool is_rowid = false;
  bool unique() const { return kind != IndexKind::kIndex; }
};

struct TableInfo {
  int64_t object_id = 0;
  std::string schema = "dbo";
  std::string name;
  int64_t create_date = 0;  // ticks since 0001-01-01 (datetime storage form)
  int64_t modify_date = 0;
  std::vector<ColumnInfo> columns;  // in ordinal order
  std::vector<IndexInfo> indexes;

  std::string sqlite_name() const { return "t" + std::to_string(object_id); }
  const ColumnInfo* FindColumn(std::string_view name) const {  // CI_AS comparison
    for (const ColumnInfo& c : columns) {
      if (collation::Equal(c.name, name)) return &c;
    }
    return nullptr;
  }
  const ColumnInfo* ColumnById(int32_t id) const {
    for (const ColumnInfo& c : columns) {
      if (c.column_id == id) return &c;
    }
    return nullptr;
  }
  const ColumnInfo* IdentityColumn() const {
    for (const ColumnInfo& c : columns) {
      if (c.identity) return &c;
    }
    return nullptr;
  }
  const IndexInfo* PrimaryKey() const {
    for (const IndexInfo& i : indexes) {
      if (i.kind == IndexKind::kPrimaryKey) return &i;
    }
    return nullptr;
  }
};

class CatalogView {
 public:
  virtual ~CatalogView() = default;
  // Finds a table by (optional) schema and name, case-insensitively. An empty schema means dbo.
  virtual const TableInfo* FindTable(std::string_view schema, std::string_view name) const = 0;
  virtual const TableInfo* TableById(int64_t object_id) const = 0;
};

}  // namespace edgesql::tsql
