#include "engine/catalog.h"

#include <algorithm>

#include "common/errors.h"
#include "types/collation.h"
#include "types/storage_form.h"

namespace edgesql::engine {
namespace {

using storage::SqliteConnection;
using storage::Statement;

// The catalog tables. Kinds and type names are stored as text so that the file format does not
// depend on the numbering of C++ enums.
constexpr const char* kCatalogSchema = R"sql(
CREATE TABLE edgesql_meta(key TEXT PRIMARY KEY, value ANY) STRICT;
INSERT INTO edgesql_meta VALUES ('format', 1), ('next_object_id', 1001);
CREATE TABLE edgesql_objects(
  object_id INTEGER PRIMARY KEY,
  schema_name TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  parent_object_id INTEGER NOT NULL,
  create_date INTEGER NOT NULL,
  modify_date INTEGER NOT NULL) STRICT;
CREATE TABLE edgesql_columns(
  object_id INTEGER NOT NULL,
  column_id INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  type_name TEXT NOT NULL,
  max_length INTEGER NOT NULL,
  precision INTEGER NOT NULL,
  scale INTEGER NOT NULL,
  nullable INTEGER NOT NULL,
  identity_seed INTEGER,
  identity_increment INTEGER,
  default_name TEXT,
  default_sql TEXT,
  PRIMARY KEY (object_id, column_id)) STRICT;
CREATE TABLE edgesql_indexes(
  object_id INTEGER NOT NULL,
  index_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  key_columns TEXT NOT NULL,
  is_rowid INTEGER NOT NULL,
  PRIMARY KEY (object_id, index_id)) STRICT;
CREATE TABLE edgesql_identity(object_id INTEGER PRIMARY KEY, last_value INTEGER NOT NULL) STRICT;
)sql";

const char* KindName(IndexKind k) {
  switch (k) {
    case IndexKind::kIndex:
      return "index";
    case IndexKind::kUniqueIndex:
      return "unique_index";
    case IndexKind::kPrimaryKey:
      return "primary_key";
    case IndexKind::kUniqueConstraint:
      return "unique_constraint";
  }
  return "index";
}

IndexKind KindFromName(std::string_view s) {
  if (s == "unique_index") return IndexKind::kUniqueIndex;
  if (s == "primary_key") return IndexKind::kPrimaryKey;
  if (s == "unique_constraint") return IndexKind::kUniqueConstraint;
  return IndexKind::kIndex;
}

// Key columns as "3,1-": column ids in key order, '-' marking descending.
std::string EncodeKey(const IndexInfo& index) {
  std::string out;
  for (size_t i = 0; i < index.column_ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(index.column_ids[i]);
    if (i < index.descending.size() && index.descending[i]) out += '-';
  }
  return out;
}

void DecodeKey(std::string_view text, IndexInfo* index) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(',', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(pos, end - pos);
    bool desc = !part.empty() && part.back() == '-';
    if (desc) part.remove_suffix(1);
    index->column_ids.push_back(std::stoi(std::string(part)));
    index->descending.push_back(desc);
    pos = end + 1;
  }
}

// Lookup key for names: SQL Server compares identifiers with the database collation, so case
// and trailing spaces do not distinguish them.
std::string NameKey(std::string_view name) {
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  return collation::Upper(name);
}

Status Run(SqliteConnection& conn, Statement* st) {
  auto r = st->Step();
  if (!r.ok()) return r.status();
  st->Reset();
  return Status::Ok();
}

std::string IndexSqliteName(const TableInfo& t, const IndexInfo& i) {
  return "i" + std::to_string(t.object_id) + "_" + std::to_string(i.index_id);
}

// The rowid-alias primary key SQLite gives a single ascending integer key column.
bool RowidEligible(const TableInfo& t, const IndexInfo& i) {
  if (i.kind != IndexKind::kPrimaryKey || i.column_ids.size() != 1) return false;
  if (!i.descending.empty() && i.descending[0]) return false;
  const ColumnInfo* c = t.ColumnById(i.column_ids[0]);
  return c != nullptr && c->type.IsInteger() && c->type.id != TypeId::kBit;
}

}  // namespace

Result<std::shared_ptr<const Catalog>> Catalog::Load(SqliteConnection& conn) {
  auto catalog = std::make_shared<Catalog>();
  EDGESQL_ASSIGN_OR_RETURN(catalog->schema_version_, conn.QueryInt("PRAGMA schema_version"));

  EDGESQL_ASSIGN_OR_RETURN(
      Statement * tables,
      conn.Prepare("SELECT object_id, schema_name, name, create_date, modify_date "
                   "FROM edgesql_objects WHERE type = 'U' ORDER BY object_id"));
  std::unordered_map<int64_t, size_t> by_id;
  for (;;) {
    EDGESQL_ASSIGN_OR_RETURN(bool row, tables->Step());
    if (!row) break;
    TableInfo t;
    t.object_id = tables->ColumnInt(0);
    t.schema = std::string(tables->ColumnText(1));
    t.name = std::string(tables->ColumnText(2));
    t.create_date = tables->ColumnInt(3);
    t.modify_date = tables->ColumnInt(4);
    by_id[t.object_id] = catalog->tables_.size();
    catalog->tables_.push_back(std::move(t));
  }

  EDGESQL_ASSIGN_OR_RETURN(
      Statement * cols,
      conn.Prepare("SELECT object_id, column_id, name, type_name, max_length, precision, scale, "
                   "nullable, identity_seed, identity_increment, default_name, default_sql "
                   "FROM edgesql_columns ORDER BY object_id, ordinal"));
  for (;;) {
    EDGESQL_ASSIGN_OR_RETURN(bool row, cols->Step());
    if (!row) break;
    auto it = by_id.find(cols->ColumnInt(0));
    if (it == by_id.end()) continue;
    ColumnInfo c;
    c.column_id = static_cast<int32_t>(cols->ColumnInt(1));
    c.name = std::string(cols->ColumnText(2));
    std::optional<SqlType> type = LookupTypeName(cols->ColumnText(3));
    if (!type) {
      return errors::Make(
          errors::kDatabaseCorrupt,
          {conn.path(), "unknown type in catalog: " + std::string(cols->ColumnText(3))});
    }
    type->length = static_cast<int32_t>(cols->ColumnInt(4));
    type->precision = static_cast<uint8_t>(cols->ColumnInt(5));
    type->scale = static_cast<uint8_t>(cols->ColumnInt(6));
    c.type = *type;
    c.nullable = cols->ColumnInt(7) != 0;
    if (!cols->ColumnIsNull(8)) c.identity = IdentityInfo{cols->ColumnInt(8), cols->ColumnInt(9)};
    c.default_name = std::string(cols->ColumnText(10));
    c.default_sql = std::string(cols->ColumnText(11));
    catalog->tables_[it->second].columns.push_back(std::move(c));
  }

  EDGESQL_ASSIGN_OR_RETURN(Statement * idx,
                           conn.Prepare("SELECT object_id, index_id, name, kind, key_columns, "
                                        "is_rowid FROM edgesql_indexes ORDER BY object_id, "
                                        "index_id"));
  for (;;) {
    EDGESQL_ASSIGN_OR_RETURN(bool row, idx->Step());
    if (!row) break;
    auto it = by_id.find(idx->ColumnInt(0));
    if (it == by_id.end()) continue;
    IndexInfo i;
    i.index_id = static_cast<int32_t>(idx->ColumnInt(1));
    i.name = std::string(idx->ColumnText(2));
    i.kind = KindFromName(idx->ColumnText(3));
    DecodeKey(idx->ColumnText(4), &i);
    i.is_rowid = idx->ColumnInt(5) != 0;
    catalog->tables_[it->second].indexes.push_back(std::move(i));
  }
  return std::shared_ptr<const Catalog>(std::move(catalog));
}

const TableInfo* Catalog::FindTable(std::string_view schema, std::string_view name) const {
  std::string want_schema = NameKey(schema.empty() ? std::string_view("dbo") : schema);
  std::string want = NameKey(name);
  for (const TableInfo& t : tables_) {
    if (NameKey(t.name) == want && NameKey(t.schema) == want_schema) return &t;
  }
  return nullptr;
}

const TableInfo* Catalog::TableById(int64_t object_id) const {
  for (const TableInfo& t : tables_) {
    if (t.object_id == object_id) return &t;
  }
  return nullptr;
}

bool Catalog::ObjectNameTaken(std::string_view schema, std::string_view name) const {
  std::string want_schema = NameKey(schema.empty() ? std::string_view("dbo") : schema);
  std::string want = NameKey(name);
  for (const TableInfo& t : tables_) {
    if (NameKey(t.schema) != want_schema) continue;
    if (NameKey(t.name) == want) return true;
    for (const IndexInfo& i : t.indexes) {
      bool constraint = i.kind == IndexKind::kPrimaryKey || i.kind == IndexKind::kUniqueConstraint;
      if (constraint && NameKey(i.name) == want) return true;
    }
    for (const ColumnInfo& c : t.columns) {
      if (!c.default_name.empty() && NameKey(c.default_name) == want) return true;
    }
  }
  return false;
}

Status InitializeCatalogSchema(SqliteConnection& conn) { return conn.Exec(kCatalogSchema); }

namespace catalog_writer {

Result<int64_t> NextObjectId(SqliteConnection& conn) {
  EDGESQL_ASSIGN_OR_RETURN(int64_t id, conn.QueryInt("SELECT value FROM edgesql_meta WHERE key = "
                                                     "'next_object_id'"));
  EDGESQL_RETURN_IF_ERROR(
      conn.Exec("UPDATE edgesql_meta SET value = value + 1 WHERE key = 'next_object_id'"));
  return id;
}

Status CreateTable(SqliteConnection& conn, const TableInfo& table) {
  const IndexInfo* pk = table.PrimaryKey();
  const bool rowid_pk = pk != nullptr && RowidEligible(table, *pk);
  std::string sql = "CREATE TABLE " + table.sqlite_name() + "(";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnInfo& c = table.columns[i];
    if (i > 0) sql += ", ";
    sql += c.sqlite_name();
    if (rowid_pk && pk->column_ids[0] == c.column_id) {
      // The rowid alias. SQLite would turn a NULL stored here into a new rowid; the T-SQL
      // emitter guards every INSERT/UPDATE of this column against NULL (error 515).
      sql += " INTEGER PRIMARY KEY";
    } else {
      sql += " ";
      sql += SqliteColumnType(c.type);
    }
    if (!c.nullable) sql += " NOT NULL";
  }
  sql += ")";
  EDGESQL_RETURN_IF_ERROR(conn.Exec(sql));

  EDGESQL_ASSIGN_OR_RETURN(
      Statement * obj,
      conn.Prepare("INSERT INTO edgesql_objects VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"));
  EDGESQL_RETURN_IF_ERROR(obj->BindInt(1, table.object_id));
  EDGESQL_RETURN_IF_ERROR(obj->BindText(2, table.schema));
  EDGESQL_RETURN_IF_ERROR(obj->BindText(3, table.name));
  EDGESQL_RETURN_IF_ERROR(obj->BindText(4, "U"));
  EDGESQL_RETURN_IF_ERROR(obj->BindInt(5, 0));
  EDGESQL_RETURN_IF_ERROR(obj->BindInt(6, table.create_date));
  EDGESQL_RETURN_IF_ERROR(Run(conn, obj));

  EDGESQL_ASSIGN_OR_RETURN(
      Statement * col, conn.Prepare("INSERT INTO edgesql_columns VALUES "
                                    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnInfo& c = table.columns[i];
    EDGESQL_RETURN_IF_ERROR(col->BindInt(1, table.object_id));
    EDGESQL_RETURN_IF_ERROR(col->BindInt(2, c.column_id));
    EDGESQL_RETURN_IF_ERROR(col->BindInt(3, static_cast<int64_t>(i + 1)));
    EDGESQL_RETURN_IF_ERROR(col->BindText(4, c.name));
    EDGESQL_RETURN_IF_ERROR(col->BindText(5, c.type.Name()));
    EDGESQL_RETURN_IF_ERROR(col->BindInt(6, c.type.length));
    EDGESQL_RETURN_IF_ERROR(col->BindInt(7, c.type.precision));
    EDGESQL_RETURN_IF_ERROR(col->BindInt(8, c.type.scale));
    EDGESQL_RETURN_IF_ERROR(col->BindInt(9, c.nullable ? 1 : 0));
    if (c.identity) {
      EDGESQL_RETURN_IF_ERROR(col->BindInt(10, c.identity->seed));
      EDGESQL_RETURN_IF_ERROR(col->BindInt(11, c.identity->increment));
    }
    if (!c.default_sql.empty()) {
      EDGESQL_RETURN_IF_ERROR(col->BindText(12, c.default_name));
      EDGESQL_RETURN_IF_ERROR(col->BindText(13, c.default_sql));
    }
    EDGESQL_RETURN_IF_ERROR(Run(conn, col));
  }
  for (const IndexInfo& index : table.indexes) {
    IndexInfo copy = index;
    copy.is_rowid = rowid_pk && &index == pk;
    EDGESQL_RETURN_IF_ERROR(CreateIndex(conn, table, copy));
  }
  return Status::Ok();
}

Status AddColumn(SqliteConnection& conn, const TableInfo& table, const ColumnInfo& c) {
  EDGESQL_RETURN_IF_ERROR(conn.Exec("ALTER TABLE " + table.sqlite_name() + " ADD COLUMN " +
                                    c.sqlite_name() + " " + SqliteColumnType(c.type)));
  EDGESQL_ASSIGN_OR_RETURN(
      Statement * col,
      conn.Prepare("INSERT INTO edgesql_columns (object_id, column_id, ordinal, name, type_name, "
                   "max_length, precision, scale, nullable) VALUES (?1, ?2, (SELECT "
                   "coalesce(max(ordinal), 0) + 1 FROM edgesql_columns WHERE object_id = ?1), ?3, "
                   "?4, ?5, ?6, ?7, 1)"));
  EDGESQL_RETURN_IF_ERROR(col->BindInt(1, table.object_id));
  EDGESQL_RETURN_IF_ERROR(col->BindInt(2, c.column_id));
  EDGESQL_RETURN_IF_ERROR(col->BindText(3, c.name));
  EDGESQL_RETURN_IF_ERROR(col->BindText(4, c.type.Name()));
  EDGESQL_RETURN_IF_ERROR(col->BindInt(5, c.type.length));
  EDGESQL_RETURN_IF_ERROR(col->BindInt(6, c.type.precision));
  EDGESQL_RETURN_IF_ERROR(col->BindInt(7, c.type.scale));
  return Run(conn, col);
}

Status DropColumn(SqliteConnection& conn, const TableInfo& table, const ColumnInfo& c) {
  EDGESQL_RETURN_IF_ERROR(
      conn.Exec("ALTER TABLE " + table.sqlite_name() + " DROP COLUMN " + c.sqlite_name()));
  return conn.Exec(
      "DELETE FROM edgesql_columns WHERE object_id = " + std::to_string(table.object_id) +
      " AND column_id = " + std::to_string(c.column_id));
}

Status DropTable(SqliteConnection& conn, const TableInfo& table) {
  EDGESQL_RETURN_IF_ERROR(conn.Exec("DROP TABLE " + table.sqlite_name()));
  std::string id = std::to_string(table.object_id);
  return conn.Exec("DELETE FROM edgesql_objects WHERE object_id = " + id +
                   " OR parent_object_id = " + id +
                   "; DELETE FROM edgesql_columns WHERE object_id = " + id +
                   "; DELETE FROM edgesql_indexes WHERE object_id = " + id +
                   "; DELETE FROM edgesql_identity WHERE object_id = " + id);
}

Status CreateIndex(SqliteConnection& conn, const TableInfo& table, const IndexInfo& index) {
  if (!index.is_rowid) {
    std::string sql = std::string(index.unique() ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") +
                      IndexSqliteName(table, index) + " ON " + table.sqlite_name() + "(";
    for (size_t i = 0; i < index.column_ids.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += "c" + std::to_string(index.column_ids[i]);
      if (i < index.descending.size() && index.descending[i]) sql += " DESC";
    }
    sql += ")";
    EDGESQL_RETURN_IF_ERROR(conn.Exec(sql));
    // SQL Server treats NULLs as equal in unique indexes (one NULL allowed); SQLite admits any
    // number. A trigger on nullable key columns restores SQL Server's rule; the engine maps its
    // RAISE message back to 2627/2601 for this index.
    bool any_nullable = false;
    std::string match;
    for (int32_t id : index.column_ids) {
      const ColumnInfo* c = table.ColumnById(id);
      any_nullable |= c != nullptr && c->nullable;
      if (!match.empty()) match += " AND ";
      match += "o.c" + std::to_string(id) + " IS NEW.c" + std::to_string(id);
    }
    if (index.unique() && any_nullable) {
      std::string null_test;
      for (int32_t id : index.column_ids) {
        if (!null_test.empty()) null_test += " OR ";
        null_test += "NEW.c" + std::to_string(id) + " IS NULL";
      }
      std::string raise = "SELECT RAISE(ABORT, 'edgesql_unique:" + std::to_string(table.object_id) +
                          ":" + std::to_string(index.index_id) + "') FROM " + table.sqlite_name() +
                          " AS o WHERE " + match;
      std::string name = IndexSqliteName(table, index);
      EDGESQL_RETURN_IF_ERROR(
          conn.Exec("CREATE TRIGGER " + name + "_ins BEFORE INSERT ON " + table.sqlite_name() +
                    " WHEN " + null_test + " BEGIN " + raise + "; END; CREATE TRIGGER " + name +
                    "_upd BEFORE UPDATE ON " + table.sqlite_name() + " WHEN " + null_test +
                    " BEGIN " + raise + " AND o.rowid <> NEW.rowid; END"));
    }
  }
  EDGESQL_ASSIGN_OR_RETURN(
      Statement * st, conn.Prepare("INSERT INTO edgesql_indexes VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  EDGESQL_RETURN_IF_ERROR(st->BindInt(1, table.object_id));
  EDGESQL_RETURN_IF_ERROR(st->BindInt(2, index.index_id));
  EDGESQL_RETURN_IF_ERROR(st->BindText(3, index.name));
  EDGESQL_RETURN_IF_ERROR(st->BindText(4, KindName(index.kind)));
  EDGESQL_RETURN_IF_ERROR(st->BindText(5, EncodeKey(index)));
  EDGESQL_RETURN_IF_ERROR(st->BindInt(6, index.is_rowid ? 1 : 0));
  return Run(conn, st);
}

Status DropIndex(SqliteConnection& conn, const TableInfo& table, const IndexInfo& index) {
  std::string name = IndexSqliteName(table, index);
  if (!index.is_rowid) {
    EDGESQL_RETURN_IF_ERROR(conn.Exec("DROP INDEX " + name + "; DROP TRIGGER IF EXISTS " + name +
                                      "_ins; DROP TRIGGER IF EXISTS " + name + "_upd"));
  }
  return conn.Exec(
      "DELETE FROM edgesql_indexes WHERE object_id = " + std::to_string(table.object_id) +
      " AND index_id = " + std::to_string(index.index_id));
}

Status SaveIdentity(SqliteConnection& conn, int64_t object_id, int64_t last_value) {
  EDGESQL_ASSIGN_OR_RETURN(
      Statement * st, conn.Prepare("INSERT INTO edgesql_identity VALUES (?1, ?2) ON CONFLICT "
                                   "(object_id) DO UPDATE SET last_value = excluded.last_value"));
  EDGESQL_RETURN_IF_ERROR(st->BindInt(1, object_id));
  EDGESQL_RETURN_IF_ERROR(st->BindInt(2, last_value));
  return Run(conn, st);
}

Result<std::optional<int64_t>> LoadIdentity(SqliteConnection& conn, int64_t object_id) {
  EDGESQL_ASSIGN_OR_RETURN(
      Statement * st, conn.Prepare("SELECT last_value FROM edgesql_identity WHERE object_id = ?1"));
  EDGESQL_RETURN_IF_ERROR(st->BindInt(1, object_id));
  EDGESQL_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<int64_t> v;
  if (row) v = st->ColumnInt(0);
  st->Reset();
  return v;
}

}  // namespace catalog_writer
}  // namespace edgesql::engine
