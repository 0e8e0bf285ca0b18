#include "engine/ddl.h"

#include <time.h>

#include <algorithm>
#include <cstdio>

#include "common/errors.h"
#include "engine/catalog.h"
#include "engine/result_sink.h"
#include "engine/session.h"
#include "engine/transaction.h"
#include "tsql/compiled.h"
#include "tsql/printer.h"
#include "types/collation.h"

namespace edgesql::engine {
namespace {

using storage::SqliteConnection;

class NoVariables : public tsql::VariableScope {
 public:
  const SqlType* FindVariable(std::string_view) const override { return nullptr; }
};

int64_t NowTicks() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t{719162} * 86400 + ts.tv_sec) * kTicksPerSecond + ts.tv_nsec / 100;
}

// SQL Server's generated constraint names: PK__Orders__<16 hex>, UQ__..., DF__Orders__Statu__<8
// hex>.
std::string ConstraintName(const char* prefix, std::string_view table, std::string_view column,
                           int64_t object_id) {
  char hex[24];
  std::snprintf(hex, sizeof(hex), column.empty() ? "%016llX" : "%08llX",
                static_cast<unsigned long long>(object_id));
  std::string name = std::string(prefix) + "__" + std::string(table.substr(0, 8)) + "__";
  if (!column.empty()) name += std::string(column.substr(0, 5)) + "__";
  return name + hex;
}

// The (schema, name) of a DDL target in the current database.
Status SplitName(const tsql::MultiPartName& name, const Database& db, std::string* schema,
                 std::string* object) {
  const tsql::Identifier* obj = name.FromRight(0);
  const tsql::Identifier* sch = name.FromRight(1);
  const tsql::Identifier* dbn = name.FromRight(2);
  if (dbn != nullptr && !collation::Equal(dbn->value, db.name())) {
    return errors::Make(errors::kUnsupportedStatement, {"cross-database reference"});
  }
  *schema = sch ? sch->value : "dbo";
  if (!collation::Equal(*schema, "dbo")) return errors::Make(errors::kUnknownSchema, {*schema});
  *schema = "dbo";
  *object = obj ? obj->value : "";
  return Status::Ok();
}

class DdlRunner {
 public:
  DdlRunner(Session& s, ResultSink& sink, const LaneWait& wait) : s_(s), sink_(sink), wait_(wait) {}

  Status Run(const tsql::Statement& stmt) {
    if (const auto* c = stmt.As<tsql::CreateTableStmt>())
      return InTable([&](auto& conn, auto& cat) { return CreateTable(*c, conn, cat); });
    if (const auto* d = stmt.As<tsql::DropStmt>()) return Drop(*d);
    if (const auto* ci = stmt.As<tsql::CreateIndexStmt>())
      return InTable([&](auto& conn, auto& cat) { return CreateIndex(*ci, conn, cat); });
    if (const auto* di = stmt.As<tsql::DropIndexStmt>())
      return InTable([&](auto& conn, auto& cat) { return DropIndex(*di, conn, cat); });
    if (const auto* t = stmt.As<tsql::TruncateTableStmt>())
      return InTable([&](auto& conn, auto& cat) { return Truncate(*t, conn, cat); });
    if (const auto* a = stmt.As<tsql::AlterTableStmt>())
      return InTable([&](auto& conn, auto& cat) { return AlterTable(*a, conn, cat); });
    if (const auto* cd = stmt.As<tsql::CreateDatabaseStmt>()) return CreateDatabase(*cd);
    if (const auto* al = stmt.As<tsql::AlterLoginStmt>()) {
      return s_.server().ChangePassword(al->login.value, al->password, al->old_password);
    }
    return errors::Make(errors::kInternalError, {"statement is not DDL"});
  }

 private:
  using TableWork = std::function<Status(SqliteConnection&, const Catalog&)>;

  // Runs table DDL as a write of the current database, against the catalog the writer sees.
  Status InTable(const TableWork& work) {
    Database& db = s_.database();
    return s_.txn().Run(db, true, wait_, [&](SqliteConnection& conn) -> Status {
      EDGESQL_ASSIGN_OR_RETURN(auto catalog, db.CatalogFor(conn));
      return work(conn, *catalog);
    });
  }

  Result<const tsql::TableInfo*> FindTable(const tsql::MultiPartName& name, const Catalog& catalog,
                                           int not_found_error) {
    std::string schema, object;
    EDGESQL_RETURN_IF_ERROR(SplitName(name, s_.database(), &schema, &object));
    const tsql::TableInfo* t = catalog.FindTable(schema, object);
    if (t == nullptr) return errors::Make(not_found_error, {object});
    return t;
  }

  Status ValidateDefault(const tsql::Expr& expr, const SqlType& type, const Catalog& catalog) {
    NoVariables none;
    tsql::BindContext ctx;
    ctx.catalog = &catalog;
    ctx.variables = &none;
    ctx.database_name = s_.database().name();
    return tsql::CompileExpression(expr, ctx, &type).status();
  }

  Status AddConstraintIndex(const tsql::ConstraintDef& c, tsql::TableInfo* table,
                            const std::vector<tsql::IndexColumn>& columns, SqliteConnection& conn,
                            const Catalog& catalog) {
    tsql::IndexInfo index;
    if (c.kind == tsql::ConstraintKind::kPrimaryKey) {
      if (table->PrimaryKey() != nullptr) {
        return errors::Make(errors::kMultiplePrimaryKeys, {table->name});
      }
      index.kind = tsql::IndexKind::kPrimaryKey;
    } else {
      index.kind = tsql::IndexKind::kUniqueConstraint;
    }
    int32_t next_id = 1;
    for (const auto& i : table->indexes) next_id = std::max(next_id, i.index_id + 1);
    // The primary key is index 1 (the clustered index) where possible, as in SQL Server.
    index.index_id = (index.kind == tsql::IndexKind::kPrimaryKey &&
                      std::none_of(table->indexes.begin(), table->indexes.end(),
                                   [](const auto& i) { return i.index_id == 1; }))
                         ? 1
                         : std::max(next_id, 2);
    EDGESQL_ASSIGN_OR_RETURN(int64_t oid, catalog_writer::NextObjectId(conn));
    index.name = c.name.value.empty()
                     ? ConstraintName(index.kind == tsql::IndexKind::kPrimaryKey ? "PK" : "UQ",
                                      table->name, "", oid)
                     : c.name.value;
    if (catalog.ObjectNameTaken("dbo", index.name)) {
      return errors::Make(errors::kObjectAlreadyExists, {index.name});
    }
    for (const tsql::IndexColumn& ic : columns) {
      const tsql::ColumnInfo* col = table->FindColumn(ic.name.value);
      if (col == nullptr) return errors::Make(errors::kColumnNotInTable, {ic.name.value});
      if (index.kind == tsql::IndexKind::kPrimaryKey && col->nullable) {
        // PRIMARY KEY makes its columns NOT NULL when they were not declared NULL explicitly;
        // the caller has applied that, so a nullable column here was declared NULL.
        return errors::Make(errors::kNullablePrimaryKey, {table->name});
      }
      if (col->type.IsMax()) {
        return errors::Make(errors::kUnsupportedStatement,
                            {"(max) column '" + col->name + "' in a key"});
      }
      index.column_ids.push_back(col->column_id);
      index.descending.push_back(ic.order == tsql::SortOrder::kDesc);
    }
    table->indexes.push_back(std::move(index));
    return Status::Ok();
  }

  // Constraint names share the schema's namespace with tables and each other ("constraint_name
  // ... must be unique within the schema"), so a name taken anywhere is 2714.
  static Status CheckConstraintNames(const tsql::TableInfo& table, const Catalog& catalog) {
    std::vector<std::string> names;
    for (const auto& i : table.indexes) {
      if (i.kind == tsql::IndexKind::kPrimaryKey || i.kind == tsql::IndexKind::kUniqueConstraint) {
        names.push_back(i.name);
      }
    }
    for (const auto& c : table.columns) {
      if (!c.default_name.empty()) names.push_back(c.default_name);
    }
    for (size_t i = 0; i < names.size(); ++i) {
      bool taken =
          collation::Equal(names[i], table.name) || catalog.ObjectNameTaken(table.schema, names[i]);
      for (size_t j = 0; j < i && !taken; ++j) taken = collation::Equal(names[i], names[j]);
      if (taken) return errors::Make(errors::kObjectAlreadyExists, {names[i]});
    }
    return Status::Ok();
  }

  static Status Unsupported(std::string what) {
    return errors::Make(errors::kUnsupportedStatement, {std::move(what)});
  }

  Status CreateTable(const tsql::CreateTableStmt& c, SqliteConnection& conn,
                     const Catalog& catalog) {
    tsql::TableInfo table;
    EDGESQL_RETURN_IF_ERROR(SplitName(c.name, s_.database(), &table.schema, &table.name));
    if (!table.name.empty() && table.name[0] == '#') return Unsupported("temporary tables");
    if (catalog.ObjectNameTaken(table.schema, table.name)) {
      return errors::Make(errors::kObjectAlreadyExists, {table.name});
    }
    if (c.definition.columns.size() > 1024) {
      return errors::Make(errors::kMaxColumnsExceeded,
                          {c.definition.columns[1024].name.value, table.name});
    }
    EDGESQL_ASSIGN_OR_RETURN(table.object_id, catalog_writer::NextObjectId(conn));
    table.create_date = table.modify_date = NowTicks();

    // Columns first; constraints that name columns are resolved after all columns exist.
    std::vector<std::pair<const tsql::ConstraintDef*, std::vector<tsql::IndexColumn>>> keys;
    int32_t column_id = 0;
    for (const tsql::ColumnDef& def : c.definition.columns) {
      if (!def.type) return Unsupported("computed column '" + def.name.value + "'");
      if (def.rowguidcol || def.sparse) return Unsupported("ROWGUIDCOL/SPARSE columns");
      if (def.collation && !collation::Equal(def.collation->value, collation::kSqlServerName)) {
        return Unsupported("COLLATE " + def.collation->value);
      }
      if (table.FindColumn(def.name.value) != nullptr) {
        return errors::Make(errors::kDuplicateColumnName, {def.name.value, table.name});
      }
      tsql::ColumnInfo col;
      col.column_id = ++column_id;
      col.name = def.name.value;
      EDGESQL_ASSIGN_OR_RETURN(col.type, tsql::ResolveDataType(*def.type));
      bool in_primary_key = false;
      for (const tsql::ConstraintDef& k : def.constraints) {
        in_primary_key |= k.kind == tsql::ConstraintKind::kPrimaryKey;
      }
      // SET ANSI_NULL_DFLT_ON decides undeclared nullability; identity and primary key columns
      // are NOT NULL unless declared NULL.
      if (def.nullability == tsql::Nullability::kUnspecified) {
        col.nullable = s_.options().ansi_null_dflt_on && !def.identity && !in_primary_key;
      } else {
        col.nullable = def.nullability == tsql::Nullability::kNull;
      }
      if (def.identity) {
        if (table.IdentityColumn() != nullptr) {
          return errors::Make(errors::kMultipleIdentityColumns, {table.name});
        }
        bool integer = col.type.IsInteger() && col.type.id != TypeId::kBit;
        if (!integer || col.nullable) {
          if ((col.type.IsDecimalLike() && col.type.scale == 0 && !col.type.IsNull())) {
            return Unsupported("IDENTITY on a decimal column");
          }
          return errors::Make(errors::kInvalidIdentityColumn, {col.name});
        }
        tsql::IdentityInfo id;
        try {
          id.seed = std::stoll(def.identity->seed);
          id.increment = std::stoll(def.identity->increment);
        } catch (...) {
          return errors::Make(errors::kArithmeticOverflow, {"expression", col.type.Name()});
        }
        if (id.increment == 0) return errors::Make(errors::kInvalidIdentityColumn, {col.name});
        col.identity = id;
      }
      for (const tsql::ConstraintDef& k : def.constraints) {
        switch (k.kind) {
          case tsql::ConstraintKind::kDefault: {
            if (col.identity) return errors::Make(errors::kInvalidIdentityColumn, {col.name});
            EDGESQL_RETURN_IF_ERROR(ValidateDefault(*k.expr, col.type, catalog));
            EDGESQL_ASSIGN_OR_RETURN(int64_t oid, catalog_writer::NextObjectId(conn));
            col.default_name = k.name.value.empty()
                                   ? ConstraintName("DF", table.name, col.name, oid)
                                   : k.name.value;
            col.default_sql = tsql::ToString(*k.expr);
            break;
          }
          case tsql::ConstraintKind::kPrimaryKey:
          case tsql::ConstraintKind::kUnique:
            keys.emplace_back(&k,
                              std::vector<tsql::IndexColumn>{{def.name, tsql::SortOrder::kAsc}});
            break;
          case tsql::ConstraintKind::kForeignKey:
            return Unsupported("FOREIGN KEY");
          case tsql::ConstraintKind::kCheck:
            return Unsupported("CHECK");
        }
      }
      table.columns.push_back(std::move(col));
    }
    for (const tsql::ConstraintDef& k : c.definition.constraints) {
      switch (k.kind) {
        case tsql::ConstraintKind::kPrimaryKey:
        case tsql::ConstraintKind::kUnique: {
          keys.emplace_back(&k, std::vector<tsql::IndexColumn>());
          for (const auto& ic : k.columns) keys.back().second.push_back({ic.name, ic.order});
          // A table-level PRIMARY KEY also makes its columns NOT NULL unless declared NULL.
          if (k.kind == tsql::ConstraintKind::kPrimaryKey) {
            for (const auto& ic : k.columns) {
              for (size_t i = 0; i < table.columns.size(); ++i) {
                if (collation::Equal(table.columns[i].name, ic.name.value) &&
                    c.definition.columns[i].nullability == tsql::Nullability::kUnspecified) {
                  table.columns[i].nullable = false;
                }
              }
            }
          }
          break;
        }
        case tsql::ConstraintKind::kForeignKey:
          return Unsupported("FOREIGN KEY");
        case tsql::ConstraintKind::kCheck:
          return Unsupported("CHECK");
        case tsql::ConstraintKind::kDefault:
          return Unsupported("table-level DEFAULT");
      }
    }
    for (auto& [k, cols] : keys) {
      EDGESQL_RETURN_IF_ERROR(AddConstraintIndex(*k, &table, cols, conn, catalog));
    }
    EDGESQL_RETURN_IF_ERROR(CheckConstraintNames(table, catalog));
    return catalog_writer::CreateTable(conn, table);
  }

  Status Drop(const tsql::DropStmt& d) {
    if (d.kind == tsql::ObjectKind::kDatabase) {
      if (s_.txn().active())
        return errors::Make(errors::kNotAllowedInTransaction, {"DROP DATABASE"});
      for (const auto& name : d.names) {
        const tsql::Identifier* id = name.FromRight(0);
        std::string n = id ? id->value : "";
        if (d.if_exists && s_.server().FindDatabase(n) == nullptr) continue;
        EDGESQL_RETURN_IF_ERROR(s_.server().DropDatabase(n));
      }
      return Status::Ok();
    }
    if (d.kind != tsql::ObjectKind::kTable) {
      const char* kind = d.kind == tsql::ObjectKind::kView        ? "view"
                         : d.kind == tsql::ObjectKind::kProcedure ? "procedure"
                                                                  : "function";
      if (d.if_exists) return Status::Ok();  // edgesql has none of these objects
      const tsql::Identifier* id = d.names.front().FromRight(0);
      return errors::Make(errors::kCannotDropTable, {kind, id ? id->value : ""});
    }
    return InTable([&](SqliteConnection& conn, const Catalog& catalog) -> Status {
      // SQL Server drops the tables it finds and reports the others (3701), statement by name.
      Status first_error;
      std::vector<int64_t> dropped;
      for (const auto& name : d.names) {
        std::string schema, object;
        EDGESQL_RETURN_IF_ERROR(SplitName(name, s_.database(), &schema, &object));
        const tsql::TableInfo* t = catalog.FindTable(schema, object);
        if (t == nullptr ||
            std::find(dropped.begin(), dropped.end(), t->object_id) != dropped.end()) {
          if (!d.if_exists && first_error.ok()) {
            first_error = errors::Make(errors::kCannotDropTable, {"table", object});
          }
          continue;
        }
        EDGESQL_RETURN_IF_ERROR(catalog_writer::DropTable(conn, *t));
        dropped.push_back(t->object_id);
        if (s_.mutable_options().identity_insert_object_id == t->object_id) {
          s_.mutable_options().identity_insert_object_id = 0;
        }
      }
      return first_error;
    });
  }

  Status CreateIndex(const tsql::CreateIndexStmt& c, SqliteConnection& conn,
                     const Catalog& catalog) {
    EDGESQL_ASSIGN_OR_RETURN(const tsql::TableInfo* t,
                             FindTable(c.table, catalog, errors::kCannotFindObjectGeneric));
    if (c.where) return Unsupported("filtered index");
    for (const auto& i : t->indexes) {
      if (collation::Equal(i.name, c.name.value)) {
        return errors::Make(errors::kIndexAlreadyExists, {c.name.value, t->schema + "." + t->name});
      }
    }
    tsql::IndexInfo index;
    index.name = c.name.value;
    index.kind = c.unique ? tsql::IndexKind::kUniqueIndex : tsql::IndexKind::kIndex;
    index.index_id = 2;
    for (const auto& i : t->indexes) index.index_id = std::max(index.index_id, i.index_id + 1);
    for (const auto& ic : c.columns) {
      const tsql::ColumnInfo* col = t->FindColumn(ic.name.value);
      if (col == nullptr) return errors::Make(errors::kColumnNotInTable, {ic.name.value});
      if (col->type.IsMax()) {
        return Unsupported("(max) column '" + col->name + "' in an index key");
      }
      index.column_ids.push_back(col->column_id);
      index.descending.push_back(ic.order == tsql::SortOrder::kDesc);
    }
    // INCLUDE columns only change what an index stores, never a result: nothing to do here.
    Status st = catalog_writer::CreateIndex(conn, *t, index);
    if (!st.ok() && (conn.last_error_code() & 0xFF) == SQLITE_CONSTRAINT) {
      return errors::Make(errors::kCreateUniqueIndexDuplicate,
                          {t->schema + "." + t->name, index.name, "(?)"});
    }
    return st;
  }

  Status DropIndex(const tsql::DropIndexStmt& d, SqliteConnection& conn, const Catalog& catalog) {
    for (const auto& item : d.items) {
      std::string schema, object;
      EDGESQL_RETURN_IF_ERROR(SplitName(item.table, s_.database(), &schema, &object));
      const tsql::TableInfo* t = catalog.FindTable(schema, object);
      const tsql::IndexInfo* found = nullptr;
      if (t != nullptr) {
        for (const auto& i : t->indexes) {
          if (collation::Equal(i.name, item.index.value)) found = &i;
        }
      }
      if (found == nullptr) {
        if (d.if_exists) continue;
        return errors::Make(errors::kCannotDropTable, {"index", object + "." + item.index.value});
      }
      if (found->kind == tsql::IndexKind::kPrimaryKey ||
          found->kind == tsql::IndexKind::kUniqueConstraint) {
        return errors::Make(
            errors::kIndexUsedByConstraint,
            {found->name,
             found->kind == tsql::IndexKind::kPrimaryKey ? "PRIMARY KEY" : "UNIQUE KEY"});
      }
      EDGESQL_RETURN_IF_ERROR(catalog_writer::DropIndex(conn, *t, *found));
    }
    return Status::Ok();
  }

  Status Truncate(const tsql::TruncateTableStmt& t, SqliteConnection& conn,
                  const Catalog& catalog) {
    EDGESQL_ASSIGN_OR_RETURN(const tsql::TableInfo* table,
                             FindTable(t.table, catalog, errors::kCannotFindObjectTruncate));
    EDGESQL_RETURN_IF_ERROR(conn.Exec("DELETE FROM " + table->sqlite_name()));
    // TRUNCATE TABLE resets the identity to its seed ("TRUNCATE TABLE (Transact-SQL)").
    if (table->IdentityColumn() != nullptr) {
      s_.database().ResetIdentity(table->object_id);
      EDGESQL_RETURN_IF_ERROR(conn.Exec("DELETE FROM edgesql_identity WHERE object_id = " +
                                        std::to_string(table->object_id)));
    }
    return Status::Ok();
  }

  Status AlterTable(const tsql::AlterTableStmt& a, SqliteConnection& conn, const Catalog& catalog) {
    EDGESQL_ASSIGN_OR_RETURN(const tsql::TableInfo* found,
                             FindTable(a.table, catalog, errors::kCannotFindObject));
    tsql::TableInfo table = *found;
    switch (a.action) {
      case tsql::AlterTableAction::kAdd: {
        for (const tsql::ColumnDef& def : a.columns) {
          if (!def.type || def.identity || !def.constraints.empty() ||
              def.nullability == tsql::Nullability::kNotNull) {
            return Unsupported(
                "ALTER TABLE ADD of a column with NOT NULL, IDENTITY or constraints");
          }
          if (table.FindColumn(def.name.value) != nullptr) {
            return errors::Make(errors::kDuplicateColumnName, {def.name.value, table.name});
          }
          tsql::ColumnInfo col;
          col.column_id = 1;
          for (const auto& c : table.columns)
            col.column_id = std::max(col.column_id, c.column_id + 1);
          col.name = def.name.value;
          EDGESQL_ASSIGN_OR_RETURN(col.type, tsql::ResolveDataType(*def.type));
          col.nullable = true;
          EDGESQL_RETURN_IF_ERROR(catalog_writer::AddColumn(conn, table, col));
          table.columns.push_back(col);
        }
        for (const tsql::ConstraintDef& k : a.constraints) {
          if (k.kind != tsql::ConstraintKind::kPrimaryKey &&
              k.kind != tsql::ConstraintKind::kUnique) {
            return Unsupported("ALTER TABLE ADD constraint other than PRIMARY KEY or UNIQUE");
          }
          std::vector<tsql::IndexColumn> cols;
          for (const auto& ic : k.columns) cols.push_back({ic.name, ic.order});
          EDGESQL_RETURN_IF_ERROR(AddConstraintIndex(k, &table, cols, conn, catalog));
          tsql::IndexInfo index = table.indexes.back();
          index.is_rowid = false;
          Status st = catalog_writer::CreateIndex(conn, table, index);
          if (!st.ok() && (conn.last_error_code() & 0xFF) == SQLITE_CONSTRAINT) {
            return errors::Make(errors::kCreateUniqueIndexDuplicate,
                                {table.schema + "." + table.name, index.name, "(?)"});
          }
          EDGESQL_RETURN_IF_ERROR(st);
        }
        return Status::Ok();
      }
      case tsql::AlterTableAction::kDrop: {
        for (const auto& item : a.drops) {
          if (item.is_column) {
            const tsql::ColumnInfo* col = table.FindColumn(item.name.value);
            if (col == nullptr) {
              if (item.if_exists) continue;
              return errors::Make(errors::kDropMissingColumn, {item.name.value, table.name});
            }
            for (const auto& i : table.indexes) {
              if (std::find(i.column_ids.begin(), i.column_ids.end(), col->column_id) !=
                  i.column_ids.end()) {
                return errors::Make(errors::kObjectDependsOnColumn, {i.name, col->name});
              }
            }
            EDGESQL_RETURN_IF_ERROR(catalog_writer::DropColumn(conn, table, *col));
          } else {
            const tsql::IndexInfo* index = nullptr;
            for (const auto& i : table.indexes) {
              if (collation::Equal(i.name, item.name.value) && i.kind != tsql::IndexKind::kIndex &&
                  i.kind != tsql::IndexKind::kUniqueIndex) {
                index = &i;
              }
            }
            if (index == nullptr) {
              if (item.if_exists) continue;
              return errors::Make(errors::kNotAConstraint, {item.name.value});
            }
            if (index->is_rowid) return Unsupported("dropping an integer PRIMARY KEY");
            EDGESQL_RETURN_IF_ERROR(catalog_writer::DropIndex(conn, table, *index));
          }
        }
        return Status::Ok();
      }
      case tsql::AlterTableAction::kAlterColumn:
        return Unsupported("ALTER TABLE ALTER COLUMN");
      case tsql::AlterTableAction::kCheckConstraints:
      case tsql::AlterTableAction::kNocheckConstraints:
        return Unsupported("ALTER TABLE CHECK/NOCHECK CONSTRAINT");
    }
    return Status::Ok();
  }

  Status CreateDatabase(const tsql::CreateDatabaseStmt& c) {
    if (s_.txn().active())
      return errors::Make(errors::kNotAllowedInTransaction, {"CREATE DATABASE"});
    if (c.collation && !collation::Equal(c.collation->value, collation::kSqlServerName)) {
      return Unsupported("COLLATE " + c.collation->value);
    }
    return s_.server().CreateDatabase(c.name.value).status();
  }

  Session& s_;
  ResultSink& sink_;
  const LaneWait& wait_;
};

}  // namespace

Status ExecuteDdl(Session& session, const tsql::Statement& stmt, ResultSink& sink,
                  const LaneWait& wait) {
  return DdlRunner(session, sink, wait).Run(stmt);
}

}  // namespace edgesql::engine
