// Binder: INSERT, UPDATE and DELETE, with their OUTPUT clauses.
//
// Values stored into a column go through the assignment conversion (2628 names the table,
// column and truncated value), the rowid-alias primary key is guarded against NULL (SQLite
// would silently assign a rowid; SQL Server raises 515), and every value stored into a column
// of a unique index passes through es_key so the engine can name it in 2627/2601.
#include "tsql/binder.h"
#include "tsql/parser.h"
#include "tsql/type_code.h"
#include "types/collation.h"

namespace edgesql::tsql::bind {
namespace {

const ColumnInfo* RowidColumn(const TableInfo& t) {
  const IndexInfo* pk = t.PrimaryKey();
  if (pk == nullptr || !pk->is_rowid || pk->column_ids.size() != 1) return nullptr;
  return t.ColumnById(pk->column_ids[0]);
}

bool IsKeyColumn(const TableInfo& t, int32_t column_id) {
  for (const IndexInfo& i : t.indexes) {
    if (!i.unique()) continue;
    for (int32_t id : i.column_ids) {
      if (id == column_id) return true;
    }
  }
  return false;
}

bool AnySubquery(const std::vector<OutputClause>& outputs) {
  for (const OutputClause& o : outputs) {
    for (const SelectItem& item : o.items) {
      if (item.expr && ContainsSubquery(*item.expr)) return true;
    }
  }
  return false;
}

bool MentionsDeleted(const OutputClause& out) {
  for (const SelectItem& item : out.items) {
    if (item.kind == SelectItemKind::kStar) {
      const Identifier* q = item.star_qualifier.FromRight(0);
      if (q && collation::Equal(q->value, "deleted")) return true;
      continue;
    }
    // Only direct column references are checked; expressions over deleted.x fail to bind.
    if (const ColumnRefExpr* ref = item.expr ? item.expr->As<ColumnRefExpr>() : nullptr) {
      if (ref->name.parts.size() >= 2 && collation::Equal(ref->name.parts[0].value, "deleted")) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::string Binder::QualifiedTableName(const TableInfo& t) const {
  return ctx_.database_name + "." + t.schema + "." + t.name;
}

// The value stored into `col`: converted as an assignment, guarded and recorded as described at
// the top of this file.
Result<std::string> Binder::StoredColumnValue(const TableInfo& table, const ColumnInfo& col,
                                              BoundExpr v, const char* statement, SourcePos pos) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr c, AssignedColumnValue(table, col, std::move(v), pos));
  bool non_null_constant = c.constant && !c.constant->is_null();
  return GuardedColumnValue(table, col, std::move(c.sql), non_null_constant, statement);
}

Result<BoundExpr> Binder::AssignedColumnValue(const TableInfo& table, const ColumnInfo& col,
                                              BoundExpr v, SourcePos pos) {
  std::string qualified = QualifiedTableName(table);
  v = CheckedInt(std::move(v));
  // SET ANSI_WARNINGS OFF: strings are truncated silently instead of raising 2628.
  Conversion kind = settings().ansi_warnings ? Conversion::kAssignment : Conversion::kImplicit;
  auto c = ConvertTo(std::move(v), col.type, kind, 0, qualified, col.name);
  if (!c.ok()) return At(c.error(), pos);
  return std::move(c).value();
}

std::string Binder::GuardedColumnValue(const TableInfo& table, const ColumnInfo& col,
                                       std::string sql, bool non_null_constant,
                                       const char* statement) {
  const ColumnInfo* rowid = RowidColumn(table);
  if (rowid == &col && !non_null_constant) {
    sql = "es_notnull(" + sql + ", " + SqlString(col.name) + ", " +
          SqlString(QualifiedTableName(table)) + ", " + SqlString(statement) + ")";
  }
  if (IsKeyColumn(table, col.column_id)) {
    sql = "es_key(" + sql + ", " + Int(col.column_id) + ")";
  }
  return sql;
}

Result<BoundExpr> Binder::BindColumnDefault(const ColumnInfo& col, SourcePos pos) {
  if (col.default_sql.empty()) return Literal(Value::Null(col.type));
  ParseOptions options;
  options.quoted_identifier = settings().quoted_identifier;
  Result<ExprPtr> parsed = ParseExpression(col.default_sql, options);
  if (!parsed.ok()) return At(parsed.error(), pos);
  Scope scope;
  ScopeGuard guard(this, &scope, nullptr);
  ClauseGuard clause(scope_, Clause::kValues);
  return BindValue(**parsed);
}

namespace {

// UPDATE a SET ... FROM t AS a: the target names a correlation name of the FROM clause.
const NamedTableRef* FindFromAlias(const TableRef& ref, std::string_view name) {
  if (const NamedTableRef* n = std::get_if<NamedTableRef>(&ref.node)) {
    return n->alias && collation::Equal(n->alias->value, name) ? n : nullptr;
  }
  if (const JoinTableRef* j = std::get_if<JoinTableRef>(&ref.node)) {
    const NamedTableRef* l = FindFromAlias(*j->left, name);
    return l ? l : FindFromAlias(*j->right, name);
  }
  return nullptr;
}

}  // namespace

Result<const TableInfo*> Binder::ResolveDmlTarget(const TableRef& target, const char* statement,
                                                  const std::vector<TableRefPtr>* from) {
  if (const NamedTableRef* n = std::get_if<NamedTableRef>(&target.node);
      n != nullptr && from != nullptr && n->name.parts.size() == 1) {
    for (const TableRefPtr& t : *from) {
      if (const NamedTableRef* a = FindFromAlias(*t, n->name.parts[0].value)) {
        return ResolveTable(a->name, target.pos);
      }
    }
  }
  if (std::holds_alternative<VariableTableRef>(target.node)) {
    return At(errors::Make(errors::kUnsupportedStatement, {"table variable"}), target.pos);
  }
  const NamedTableRef* n = std::get_if<NamedTableRef>(&target.node);
  if (n == nullptr) {
    return At(errors::Make(errors::kUnsupportedStatement,
                           {std::string(statement) + " of a derived table"}),
              target.pos);
  }
  if (n->name.parts.size() == 1 && FindCte(n->name.parts[0].value) != nullptr) {
    return At(errors::Make(errors::kUnsupportedStatement,
                           {std::string(statement) + " through a common table expression"}),
              target.pos);
  }
  return ResolveTable(n->name, target.pos);
}

Status Binder::BindOutput(const std::vector<OutputClause>& outputs, const TableInfo& table,
                          const char* pseudo, CompiledStatement* cs, std::string* returning) {
  if (outputs.empty()) return Status::Ok();
  for (const OutputClause& out : outputs) {
    if (out.into_table || !out.into_variable.empty()) {
      return At(errors::Make(errors::kUnsupportedStatement, {"OUTPUT INTO"}), out.pos);
    }
    if (std::string_view(pseudo) == "inserted" && MentionsDeleted(out) &&
        cs->kind == StatementKind::kUpdate) {
      return At(errors::Make(errors::kUnsupportedStatement, {"OUTPUT DELETED in UPDATE"}), out.pos);
    }
  }
  // RETURNING sees the row being written, by unqualified column name.
  Scope scope;
  ScopeGuard guard(this, &scope, nullptr);
  ClauseGuard clause(scope_, Clause::kOutput);
  Source src;
  src.exposed = pseudo;
  src.aliased = true;
  src.table = &table;
  for (const ColumnInfo& c : table.columns) {
    SourceColumn sc;
    sc.name = c.name;
    sc.type = c.type;
    sc.nullable = c.nullable;
    sc.sql = c.sqlite_name();
    sc.collated = c.type.IsString();
    sc.column = &c;
    sc.identity = c.identity.has_value();
    src.columns.push_back(std::move(sc));
  }
  scope_->sources.push_back(std::move(src));
  std::vector<BoundExpr> items;
  std::vector<OutputColumn> columns;
  for (const OutputClause& out : outputs) {
    for (const SelectItem& item : out.items) {
      if (item.kind == SelectItemKind::kStar) {
        EDGESQL_RETURN_IF_ERROR(ExpandStar(item.star_qualifier, item.pos, &items, &columns));
        continue;
      }
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*item.expr));
      if (e.aggregate || e.window) {
        return At(errors::Make(errors::kUnsupportedStatement, {"aggregate in OUTPUT"}), item.pos);
      }
      OutputColumn c;
      c.name = item.alias ? item.alias->value : (e.is_column ? e.column_name : "");
      c.type = e.type.IsNull() ? SqlType::Int() : e.type;
      c.nullable = e.nullable;
      c.identity = e.is_column && e.column && e.column->identity.has_value();
      columns.push_back(std::move(c));
      items.push_back(std::move(e));
    }
  }
  *returning = " RETURNING ";
  for (size_t i = 0; i < items.size(); ++i) *returning += (i ? ", " : "") + items[i].sql;
  for (const OutputColumn& c : columns) cs->columns.push_back(ToResultColumn(c));
  cs->returns_rows = true;
  return Status::Ok();
}

ResultColumn Binder::ToResultColumn(const OutputColumn& c) {
  ResultColumn r;
  r.name = c.name;
  r.type = c.type;
  r.nullable = c.nullable;
  r.identity = c.identity;
  r.updatable = c.column != nullptr;
  r.table_name = c.table_name;
  return r;
}

void Binder::FillTarget(const TableInfo& table, CompiledStatement* cs) {
  cs->writes = true;
  cs->target_object_id = table.object_id;
  cs->target_display_name = table.schema + "." + table.name;
}

Result<CompiledStatement> Binder::CompileInsert(const InsertStmt& s) {
  // "The maximum number of rows that can be constructed by inserting rows directly in the VALUES
  // list is 1000" ("Table Value Constructor"); a VALUES derived table has no such limit.
  if (s.source == InsertSource::kValues && s.values.size() > 1000 && !s.values[1000].empty()) {
    SqlError e = errors::MakeUser(10738, 15, 1,
                                  "The number of row value expressions in the INSERT statement "
                                  "exceeds the maximum allowed number of 1000 row values.");
    e.scope = ErrorScope::kBatch;
    return At(e, s.values[1000][0]->pos);
  }
  ApplyQueryHints(s.options);
  CompiledStatement cs;
  cs.kind = StatementKind::kInsert;
  std::string with;
  if (!s.ctes.empty()) EDGESQL_RETURN_IF_ERROR(BindCtes(s.ctes, &with));
  EDGESQL_ASSIGN_OR_RETURN(const TableInfo* table_ptr,
                           ResolveDmlTarget(*s.target, "INSERT", nullptr));
  const TableInfo& table = *table_ptr;
  FillTarget(table, &cs);
  if (s.source == InsertSource::kExec) {
    return At(errors::Make(errors::kUnsupportedStatement, {"INSERT EXEC"}), s.target->pos);
  }
  const bool identity_insert =
      settings().identity_insert && settings().identity_insert_object_id == table.object_id;
  const ColumnInfo* identity = table.IdentityColumn();

  // The columns given values, in order.
  std::vector<const ColumnInfo*> targets;
  if (!s.columns.empty()) {
    for (const Identifier& name : s.columns) {
      const ColumnInfo* c = table.FindColumn(name.value);
      if (c == nullptr) return At(errors::Make(errors::kInvalidColumnName, {name.value}), name.pos);
      for (const ColumnInfo* other : targets) {
        if (other == c) {
          return At(errors::Make(errors::kColumnAssignedTwice, {c->name}), name.pos);
        }
      }
      if (c == identity) {
        if (!identity_insert) {
          return At(errors::Make(errors::kIdentityInsertOff, {table.name}), name.pos);
        }
        cs.explicit_identity = true;
      }
      targets.push_back(c);
    }
  } else if (s.source != InsertSource::kDefaultValues) {
    for (const ColumnInfo& c : table.columns) {
      if (&c != identity) targets.push_back(&c);
    }
  }
  if (identity != nullptr && identity_insert && !cs.explicit_identity) {
    return At(errors::Make(errors::kIdentityValueRequired, {table.name}), s.target->pos);
  }

  // Columns the statement does not name: DEFAULT, identity, or NULL (omitted from the SQL).
  std::vector<const ColumnInfo*> defaulted;
  for (const ColumnInfo& c : table.columns) {
    bool named = std::find(targets.begin(), targets.end(), &c) != targets.end();
    if (named) continue;
    if (&c == identity || !c.default_sql.empty() || &c == RowidColumn(table)) {
      defaulted.push_back(&c);
    }
  }
  auto default_value = [&](const ColumnInfo& c, SourcePos pos) -> Result<std::string> {
    if (&c == identity && !identity_insert) {
      set_uses_identity();
      return "es_identity(" + Int(table.object_id) + ", " + Int(TypeCode(c.type)) + ")";
    }
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr d, BindColumnDefault(c, pos));
    return StoredColumnValue(table, c, std::move(d), "INSERT", pos);
  };

  std::string columns_sql;
  for (const ColumnInfo* c : targets)
    columns_sql += (columns_sql.empty() ? "" : ", ") + c->sqlite_name();
  for (const ColumnInfo* c : defaulted)
    columns_sql += (columns_sql.empty() ? "" : ", ") + c->sqlite_name();

  std::string body;
  if (s.source == InsertSource::kDefaultValues) {
    std::string row;
    for (const ColumnInfo* c : defaulted) {
      EDGESQL_ASSIGN_OR_RETURN(std::string v, default_value(*c, s.target->pos));
      row += (row.empty() ? "" : ", ") + v;
    }
    body = row.empty() ? " DEFAULT VALUES" : " VALUES (" + row + ")";
  } else if (s.source == InsertSource::kValues) {
    ClauseGuard clause(scope_, Clause::kValues);
    for (const std::vector<ExprPtr>& row : s.values) {
      if (row.size() != targets.size()) {
        if (s.columns.empty()) {
          return At(errors::Make(errors::kInsertColumnCountMismatch), s.target->pos);
        }
        return At(errors::Make(row.size() < targets.size() ? errors::kMoreInsertColumnsThanValues
                                                           : errors::kFewerInsertColumnsThanValues),
                  s.target->pos);
      }
      std::string values;
      for (size_t i = 0; i < row.size(); ++i) {
        const ColumnInfo& c = *targets[i];
        std::string v;
        if (row[i]->As<DefaultExpr>()) {
          EDGESQL_ASSIGN_OR_RETURN(v, default_value(c, row[i]->pos));
        } else {
          EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*row[i]));
          if (e.aggregate) return At(errors::Make(errors::kAggregateInWhere), row[i]->pos);
          EDGESQL_ASSIGN_OR_RETURN(
              v, StoredColumnValue(table, c, std::move(e), "INSERT", row[i]->pos));
        }
        values += (i ? ", " : "") + v;
      }
      for (const ColumnInfo* c : defaulted) {
        EDGESQL_ASSIGN_OR_RETURN(std::string v, default_value(*c, s.target->pos));
        values += (values.empty() ? "" : ", ") + v;
      }
      body += (body.empty() ? " VALUES (" : ", (") + values + ")";
    }
  } else {
    set_qualify(true);
    EDGESQL_ASSIGN_OR_RETURN(BoundQuery q, BindQuery(*s.query, true));
    if (!q.assign_variables.empty())
      return At(errors::Make(errors::kSelectAssignMixed), s.query->pos);
    if (q.columns.size() != targets.size()) {
      return At(errors::Make(q.columns.size() < targets.size() ? errors::kInsertSelectFewerItems
                                                               : errors::kInsertSelectMoreItems),
                s.query->pos);
    }
    std::string alias = NextAlias();
    std::string select;
    for (size_t i = 0; i < targets.size(); ++i) {
      BoundExpr e;
      e.sql = alias + ".x" + std::to_string(i + 1);
      e.type = q.columns[i].type;
      e.nullable = q.columns[i].nullable;
      EDGESQL_ASSIGN_OR_RETURN(std::string v, StoredColumnValue(table, *targets[i], std::move(e),
                                                                "INSERT", s.query->pos));
      select += (i ? ", " : "") + v;
    }
    for (const ColumnInfo* c : defaulted) {
      EDGESQL_ASSIGN_OR_RETURN(std::string v, default_value(*c, s.query->pos));
      select += (select.empty() ? "" : ", ") + v;
    }
    std::string limit;
    if (s.top) {
      if (s.top->percent || s.top->with_ties) {
        return At(errors::Make(errors::kUnsupportedStatement, {"TOP PERCENT in INSERT"}),
                  s.top->pos);
      }
      EDGESQL_ASSIGN_OR_RETURN(std::string n,
                               BindRowCount(*s.top->count, RowCountKind::kTop, s.top->pos));
      limit = " LIMIT " + n;
    }
    body =
        " SELECT " + select + " FROM (" + q.Render(true) + ") AS " + alias + " WHERE true" + limit;
  }
  if (s.top && s.source != InsertSource::kQuery) {
    return At(errors::Make(errors::kUnsupportedStatement, {"TOP in INSERT VALUES"}), s.top->pos);
  }
  std::string returning;
  EDGESQL_RETURN_IF_ERROR(BindOutput(s.outputs, table, "inserted", &cs, &returning));
  cs.sql = with + "INSERT INTO " + table.sqlite_name() +
           (columns_sql.empty() ? "" : "(" + columns_sql + ")") + body + returning;
  cs.uses_identity = uses_identity();
  return cs;
}

// The INSERT behind a bulk load (compiled.h, CompileBulkInsert). The values arrive as variables
// "@1".."@N", the position of the column in the rows of the stream.
Result<CompiledStatement> Binder::CompileBulkInsert(const InsertBulkStmt& s,
                                                    std::span<const SqlType> value_types) {
  CompiledStatement cs;
  cs.kind = StatementKind::kInsert;
  SourcePos pos = s.columns.empty() ? SourcePos{} : s.columns.front().pos;
  EDGESQL_ASSIGN_OR_RETURN(const TableInfo* table_ptr, ResolveTable(s.table, pos));
  const TableInfo& table = *table_ptr;
  FillTarget(table, &cs);
  const ColumnInfo* identity = table.IdentityColumn();
  // KEEPIDENTITY, or IDENTITY_INSERT ON for the table (FreeTDS freebcp -E turns it on): the
  // stream's identity values are stored. Otherwise they are ignored and the table generates
  // its own, as SQL Server does ("Keep identity values when bulk importing data").
  const bool keep_identity =
      s.keep_identity ||
      (settings().identity_insert && settings().identity_insert_object_id == table.object_id);

  std::vector<const ColumnInfo*> named;
  for (const InsertBulkColumn& c : s.columns) {
    const ColumnInfo* col = table.FindColumn(c.name.value);
    if (col == nullptr) return At(errors::Make(errors::kInvalidColumnName, {c.name.value}), c.pos);
    if (std::find(named.begin(), named.end(), col) != named.end()) {
      return At(errors::Make(errors::kColumnAssignedTwice, {col->name}), c.pos);
    }
    named.push_back(col);
  }
  if (named.size() != value_types.size()) {
    return At(errors::Make(errors::kInternalError, {"bulk load column count"}), pos);
  }
  auto generated_identity = [&](const ColumnInfo& c) {
    set_uses_identity();
    return "es_identity(" + Int(table.object_id) + ", " + Int(TypeCode(c.type)) + ")";
  };

  std::string columns_sql;
  std::string values_sql;
  auto add = [&](const ColumnInfo& c, const std::string& v) {
    columns_sql += (columns_sql.empty() ? "" : ", ") + c.sqlite_name();
    values_sql += (values_sql.empty() ? "" : ", ") + v;
  };
  ClauseGuard clause(scope_, Clause::kValues);
  for (size_t i = 0; i < named.size(); ++i) {
    const ColumnInfo& c = *named[i];
    const SourcePos at = s.columns[i].pos;
    if (&c == identity && !keep_identity) {
      add(c, generated_identity(c));
      continue;
    }
    if (&c == identity) cs.explicit_identity = true;
    BoundExpr value;
    value.type = value_types[i];
    value.sql = AddVariableParam("@" + std::to_string(i + 1), value_types[i], &value.param);
    value.variable = true;
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr stored, AssignedColumnValue(table, c, std::move(value), at));
    std::string sql = std::move(stored.sql);
    // Without KEEP_NULLS a NULL takes the column's default ("Keep nulls or use default values
    // during bulk import").
    if (!s.keep_nulls && !c.default_sql.empty()) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr d, BindColumnDefault(c, at));
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr def, AssignedColumnValue(table, c, std::move(d), at));
      sql = "coalesce(" + sql + ", " + def.sql + ")";
    }
    add(c, GuardedColumnValue(table, c, std::move(sql), false, "INSERT"));
  }
  // Columns the stream does not carry: identity, DEFAULT, or NULL (left out of the SQL); the
  // rowid key is named so that a missing value is 515, not a rowid SQLite would assign.
  for (const ColumnInfo& c : table.columns) {
    if (std::find(named.begin(), named.end(), &c) != named.end()) continue;
    if (&c == identity) {
      add(c, generated_identity(c));
    } else if (!c.default_sql.empty() || &c == RowidColumn(table)) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr d, BindColumnDefault(c, pos));
      EDGESQL_ASSIGN_OR_RETURN(std::string v,
                               StoredColumnValue(table, c, std::move(d), "INSERT", pos));
      add(c, v);
    }
  }
  cs.sql = "INSERT INTO " + table.sqlite_name() +
           (columns_sql.empty() ? " DEFAULT VALUES"
                                : "(" + columns_sql + ") VALUES (" + values_sql + ")");
  cs.uses_identity = uses_identity();
  return cs;
}

// Binds the SET list of an UPDATE against the current scope, in which `target` is the source
// being updated. Returns "cN = value" items.
Result<std::vector<std::pair<const ColumnInfo*, std::string>>> Binder::BindSetList(
    const std::vector<SetClause>& sets, const TableInfo& table, const Source& target) {
  std::vector<std::pair<const ColumnInfo*, std::string>> out;
  ClauseGuard clause(scope_, Clause::kSet);
  for (const SetClause& set : sets) {
    if (!set.variable.empty()) {
      return At(errors::Make(errors::kUnsupportedStatement, {"UPDATE SET @variable"}), set.pos);
    }
    const Identifier* name = set.column.FromRight(0);
    const Identifier* qualifier = set.column.FromRight(1);
    if (name == nullptr) return At(errors::Make(errors::kInvalidColumnName, {""}), set.pos);
    if (qualifier && !collation::Equal(qualifier->value, target.exposed) &&
        !collation::Equal(qualifier->value, table.name)) {
      return At(errors::Make(errors::kMultiPartIdentifierNotBound, {NameText(set.column)}),
                set.pos);
    }
    const ColumnInfo* c = table.FindColumn(name->value);
    if (c == nullptr) return At(errors::Make(errors::kInvalidColumnName, {name->value}), set.pos);
    if (c->identity) return At(errors::Make(errors::kCannotUpdateIdentity, {c->name}), set.pos);
    for (const auto& [other, sql] : out) {
      if (other == c) return At(errors::Make(errors::kColumnAssignedTwice, {c->name}), set.pos);
    }
    BoundExpr value;
    if (set.value->As<DefaultExpr>()) {
      EDGESQL_ASSIGN_OR_RETURN(value, BindColumnDefault(*c, set.pos));
    } else {
      EDGESQL_ASSIGN_OR_RETURN(value, BindValue(*set.value));
      if (value.aggregate) return At(errors::Make(errors::kAggregateInWhere), set.pos);
    }
    if (set.op != AssignOp::kAssign) {
      BoundExpr current;
      for (const SourceColumn& sc : target.columns) {
        if (sc.column == c) {
          current.sql = sc.sql;
          current.type = sc.type;
          current.nullable = sc.nullable;
          current.collated = sc.collated;
        }
      }
      EDGESQL_ASSIGN_OR_RETURN(value,
                               BindAssignOp(set.op, std::move(current), std::move(value), set.pos));
    }
    EDGESQL_ASSIGN_OR_RETURN(std::string v,
                             StoredColumnValue(table, *c, std::move(value), "UPDATE", set.pos));
    out.emplace_back(c, std::move(v));
  }
  return out;
}

// Binds the FROM list of UPDATE/DELETE and finds the target among its sources (by correlation
// name or table name); a target the FROM list does not name joins it as one more source.
// Returns the FROM SQL and the target's SQL alias.
Result<std::pair<std::string, std::string>> Binder::BindDmlFrom(
    const std::vector<TableRefPtr>& from, const TableRef& target, const TableInfo& table) {
  EDGESQL_ASSIGN_OR_RETURN(std::string from_sql, BindFrom(from));
  const NamedTableRef& n = std::get<NamedTableRef>(target.node);
  const std::string& want = n.name.parts.back().value;
  const Source* found = nullptr;
  for (const Source& src : scope_->sources) {
    if (collation::Equal(src.exposed, want)) {
      found = &src;
      break;
    }
  }
  if (found != nullptr && found->table != &table) {
    return At(errors::Make(errors::kUnsupportedStatement, {"UPDATE or DELETE of a derived table"}),
              target.pos);
  }
  if (found == nullptr) {
    Source s = MakeTableSource(table, std::nullopt);
    std::string sql = table.sqlite_name() + " AS " + s.sql_alias;
    EDGESQL_RETURN_IF_ERROR(AddSource(std::move(s), target.pos));
    found = &scope_->sources.back();
    from_sql += from_sql.empty() ? " FROM " + sql : ", " + sql;
  }
  return std::make_pair(from_sql, found->sql_alias);
}

Result<CompiledStatement> Binder::CompileUpdate(const UpdateStmt& s) {
  ApplyQueryHints(s.options);
  CompiledStatement cs;
  cs.kind = StatementKind::kUpdate;
  std::string with;
  if (!s.ctes.empty()) EDGESQL_RETURN_IF_ERROR(BindCtes(s.ctes, &with));
  EDGESQL_ASSIGN_OR_RETURN(const TableInfo* table_ptr,
                           ResolveDmlTarget(*s.target, "UPDATE", &s.from));
  const TableInfo& table = *table_ptr;
  FillTarget(table, &cs);
  std::string returning;
  EDGESQL_RETURN_IF_ERROR(BindOutput(s.outputs, table, "inserted", &cs, &returning));

  Scope scope;
  ScopeGuard guard(this, &scope);
  if (s.from.empty() && !s.top) {
    bool simple =
        s.ctes.empty() && !(s.where && ContainsSubquery(*s.where)) && !AnySubquery(s.outputs);
    for (const SetClause& set : s.sets) simple = simple && !ContainsSubquery(*set.value);
    set_qualify(!simple);
    const NamedTableRef& n = std::get<NamedTableRef>(s.target->node);
    Source src = MakeTableSource(table, n.alias);
    std::string target_sql = table.sqlite_name();
    if (!src.sql_alias.empty()) target_sql += " AS " + src.sql_alias;
    EDGESQL_RETURN_IF_ERROR(AddSource(std::move(src), s.target->pos));
    EDGESQL_ASSIGN_OR_RETURN(auto sets, BindSetList(s.sets, table, scope_->sources.back()));
    std::string where;
    if (s.where) {
      ClauseGuard clause(scope_, Clause::kWhere);
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr w, BindCondition(*s.where));
      where = " WHERE " + Unwrap(w.sql);
    }
    std::string set_sql;
    for (const auto& [c, v] : sets)
      set_sql += (set_sql.empty() ? "" : ", ") + c->sqlite_name() + " = " + v;
    cs.sql = with + "UPDATE " + target_sql + " SET " + set_sql + where + returning;
    return cs;
  }
  // UPDATE ... FROM / TOP: a SELECT over the full FROM clause computes the target rowid and the
  // new values; SQLite's UPDATE ... FROM joins it back by rowid.
  set_qualify(true);
  EDGESQL_ASSIGN_OR_RETURN(auto from, BindDmlFrom(s.from, *s.target, table));
  const Source* target = nullptr;
  for (const Source& src : scope_->sources) {
    if (src.sql_alias == from.second) target = &src;
  }
  EDGESQL_ASSIGN_OR_RETURN(auto sets, BindSetList(s.sets, table, *target));
  std::string where;
  if (s.where) {
    ClauseGuard clause(scope_, Clause::kWhere);
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr w, BindCondition(*s.where));
    where = " WHERE " + Unwrap(w.sql);
  }
  std::string limit;
  if (s.top) {
    if (s.top->percent || s.top->with_ties) {
      return At(errors::Make(errors::kUnsupportedStatement, {"TOP PERCENT in UPDATE"}), s.top->pos);
    }
    EDGESQL_ASSIGN_OR_RETURN(std::string n,
                             BindRowCount(*s.top->count, RowCountKind::kTop, s.top->pos));
    limit = " LIMIT " + n;
  }
  std::string q = NextAlias();
  std::string inner = "SELECT " + from.second + ".rowid AS r_";
  std::string set_sql;
  for (size_t i = 0; i < sets.size(); ++i) {
    std::string x = "x" + std::to_string(i + 1);
    inner += ", " + sets[i].second + " AS " + x;
    set_sql += (i ? ", " : "") + sets[i].first->sqlite_name() + " = " + q + "." + x;
  }
  inner += from.first + where + limit;
  cs.sql = with + "UPDATE " + table.sqlite_name() + " SET " + set_sql + " FROM (" + inner +
           ") AS " + q + " WHERE " + table.sqlite_name() + ".rowid = " + q + ".r_" + returning;
  return cs;
}

Result<CompiledStatement> Binder::CompileDelete(const DeleteStmt& s) {
  ApplyQueryHints(s.options);
  CompiledStatement cs;
  cs.kind = StatementKind::kDelete;
  std::string with;
  if (!s.ctes.empty()) EDGESQL_RETURN_IF_ERROR(BindCtes(s.ctes, &with));
  EDGESQL_ASSIGN_OR_RETURN(const TableInfo* table_ptr,
                           ResolveDmlTarget(*s.target, "DELETE", &s.from));
  const TableInfo& table = *table_ptr;
  FillTarget(table, &cs);
  std::string returning;
  EDGESQL_RETURN_IF_ERROR(BindOutput(s.outputs, table, "deleted", &cs, &returning));

  Scope scope;
  ScopeGuard guard(this, &scope);
  if (s.from.empty() && !s.top) {
    set_qualify(
        !(s.ctes.empty() && !(s.where && ContainsSubquery(*s.where)) && !AnySubquery(s.outputs)));
    const NamedTableRef& n = std::get<NamedTableRef>(s.target->node);
    Source src = MakeTableSource(table, n.alias);
    std::string target_sql = table.sqlite_name();
    if (!src.sql_alias.empty()) target_sql += " AS " + src.sql_alias;
    EDGESQL_RETURN_IF_ERROR(AddSource(std::move(src), s.target->pos));
    std::string where;
    if (s.where) {
      ClauseGuard clause(scope_, Clause::kWhere);
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr w, BindCondition(*s.where));
      where = " WHERE " + Unwrap(w.sql);
    }
    cs.sql = with + "DELETE FROM " + target_sql + where + returning;
    return cs;
  }
  set_qualify(true);
  EDGESQL_ASSIGN_OR_RETURN(auto from, BindDmlFrom(s.from, *s.target, table));
  std::string where;
  if (s.where) {
    ClauseGuard clause(scope_, Clause::kWhere);
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr w, BindCondition(*s.where));
    where = " WHERE " + Unwrap(w.sql);
  }
  std::string limit;
  if (s.top) {
    if (s.top->percent || s.top->with_ties) {
      return At(errors::Make(errors::kUnsupportedStatement, {"TOP PERCENT in DELETE"}), s.top->pos);
    }
    EDGESQL_ASSIGN_OR_RETURN(std::string n,
                             BindRowCount(*s.top->count, RowCountKind::kTop, s.top->pos));
    limit = " LIMIT " + n;
  }
  cs.sql = with + "DELETE FROM " + table.sqlite_name() + " WHERE rowid IN (SELECT " + from.second +
           ".rowid" + from.first + where + limit + ")" + returning;
  return cs;
}

}  // namespace edgesql::tsql::bind
