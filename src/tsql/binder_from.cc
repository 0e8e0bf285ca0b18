// Binder: the FROM clause (tables, joins, derived tables, VALUES constructors), common table
// expressions and SELECT * expansion.
#include "tsql/binder.h"
#include "types/collation.h"

namespace edgesql::tsql::bind {
namespace {

const char* JoinSql(JoinKind k) {
  switch (k) {
    case JoinKind::kInner:
      return " JOIN ";
    case JoinKind::kLeft:
      return " LEFT JOIN ";
    case JoinKind::kRight:
      return " RIGHT JOIN ";
    case JoinKind::kFull:
      return " FULL JOIN ";
    default:
      return " CROSS JOIN ";
  }
}

}  // namespace

Source Binder::MakeTableSource(const TableInfo& table, const std::optional<Identifier>& alias) {
  Source s;
  s.table = &table;
  s.aliased = alias.has_value();
  s.exposed = alias ? alias->value : table.name;
  s.schema = table.schema;
  s.sql_alias = qualify_ ? NextAlias() : std::string();
  for (const ColumnInfo& c : table.columns) {
    SourceColumn sc;
    sc.name = c.name;
    sc.type = c.type;
    sc.nullable = c.nullable;
    sc.sql = qualify_ ? s.sql_alias + "." + c.sqlite_name() : c.sqlite_name();
    sc.collated = c.type.IsString();
    sc.column = &c;
    sc.identity = c.identity.has_value();
    s.columns.push_back(std::move(sc));
  }
  return s;
}

Status Binder::AddSource(Source source, SourcePos pos) {
  for (const Source& other : scope_->sources) {
    if (!collation::Equal(other.exposed, source.exposed)) continue;
    if (other.aliased || source.aliased) {
      return At(errors::Make(errors::kCorrelationNameRepeated, {source.exposed}), pos);
    }
    std::string a = other.schema + "." + other.exposed;
    std::string b = source.schema + "." + source.exposed;
    return At(errors::Make(errors::kDuplicateExposedNames, {a, b}), pos);
  }
  scope_->sources.push_back(std::move(source));
  return Status::Ok();
}

Result<std::string> Binder::BindFrom(const std::vector<TableRefPtr>& from) {
  std::string sql;
  for (const TableRefPtr& t : from) {
    EDGESQL_ASSIGN_OR_RETURN(std::string s, BindTableRef(*t));
    sql += sql.empty() ? " FROM " : ", ";
    sql += s;
  }
  return sql;
}

// Columns for a derived table, CTE or VALUES constructor named by `alias`: the explicit column
// list, or the query's own output names (8155 when one has none, 8156 for duplicates).
Status Binder::NameColumns(const std::vector<Identifier>& names, const std::string& alias,
                           SourcePos pos, std::vector<OutputColumn>* columns) {
  if (!names.empty()) {
    if (names.size() < columns->size()) {
      return At(errors::Make(errors::kMoreColumnsThanList, {alias}), pos);
    }
    if (names.size() > columns->size()) {
      return At(errors::Make(errors::kFewerColumnsThanList, {alias}), pos);
    }
    for (size_t i = 0; i < names.size(); ++i) (*columns)[i].name = names[i].value;
  }
  for (size_t i = 0; i < columns->size(); ++i) {
    const std::string& n = (*columns)[i].name;
    if (n.empty()) {
      return At(errors::Make(errors::kMissingColumnName, {std::to_string(i + 1), alias}), pos);
    }
    for (size_t k = 0; k < i; ++k) {
      if (collation::Equal((*columns)[k].name, n)) {
        return At(errors::Make(errors::kColumnSpecifiedMultipleTimes, {n, alias}), pos);
      }
    }
  }
  return Status::Ok();
}

Source Binder::MakeDerivedSource(const std::string& alias,
                                 const std::vector<OutputColumn>& columns) {
  Source s;
  s.exposed = alias;
  s.aliased = true;
  s.sql_alias = NextAlias();
  for (size_t i = 0; i < columns.size(); ++i) {
    SourceColumn sc;
    sc.name = columns[i].name;
    sc.type = columns[i].type;
    sc.nullable = columns[i].nullable;
    sc.sql = s.sql_alias + ".x" + std::to_string(i + 1);
    sc.identity = columns[i].identity;
    s.columns.push_back(std::move(sc));
  }
  return s;
}

Result<std::string> Binder::BindTableRef(const TableRef& ref) {
  const SourcePos pos = ref.pos;
  if (const NamedTableRef* n = std::get_if<NamedTableRef>(&ref.node)) {
    if (n->name.parts.size() == 1) {
      if (const CteDef* cte = FindCte(n->name.parts[0].value)) {
        std::string alias = n->alias ? n->alias->value : cte->name;
        Source s = MakeDerivedSource(alias, cte->columns);
        s.aliased = n->alias.has_value();
        std::string sql = cte->sql_name + " AS " + s.sql_alias;
        if (cte->recursive) recursive_self_alias_ = s.sql_alias;
        EDGESQL_RETURN_IF_ERROR(AddSource(std::move(s), pos));
        return sql;
      }
    }
    EDGESQL_ASSIGN_OR_RETURN(const TableInfo* table, ResolveTable(n->name, pos));
    Source s = MakeTableSource(*table, n->alias);
    // Table hints (NOLOCK, UPDLOCK, INDEX(...), ...) are accepted and ignored: every statement
    // reads a committed snapshot and writes hold the database's single writer lane, which is at
    // least as strong as any locking the hints ask for.
    std::string sql = table->sqlite_name();
    if (!s.sql_alias.empty()) sql += " AS " + s.sql_alias;
    EDGESQL_RETURN_IF_ERROR(AddSource(std::move(s), pos));
    return sql;
  }
  if (std::get_if<VariableTableRef>(&ref.node)) {
    return At(errors::Make(errors::kUnsupportedStatement, {"table variable"}), pos);
  }
  if (const FunctionTableRef* f = std::get_if<FunctionTableRef>(&ref.node)) {
    return At(
        errors::Make(errors::kUnsupportedStatement, {"table-valued function " + NameText(f->name)}),
        pos);
  }
  if (const DerivedTableRef* d = std::get_if<DerivedTableRef>(&ref.node)) {
    std::string alias = d->alias ? d->alias->value : "";
    // A derived table sees the enclosing query's outer scopes but not its FROM siblings.
    Scope* saved = scope_;
    scope_ = saved->parent;
    Result<BoundQuery> bound = BindQuery(*d->query, false);
    scope_ = saved;
    if (!bound.ok()) return bound.status();
    BoundQuery q = std::move(*bound);
    if (!q.assign_variables.empty()) return At(errors::Make(errors::kSelectAssignMixed), pos);
    EDGESQL_RETURN_IF_ERROR(NameColumns(d->columns, alias, pos, &q.columns));
    Source s = MakeDerivedSource(alias, q.columns);
    std::string sql = "(" + q.Render(true) + ") AS " + s.sql_alias;
    EDGESQL_RETURN_IF_ERROR(AddSource(std::move(s), pos));
    return sql;
  }
  if (const ValuesTableRef* v = std::get_if<ValuesTableRef>(&ref.node)) {
    std::string alias = v->alias ? v->alias->value : "";
    std::vector<std::vector<BoundExpr>> rows;
    size_t width = v->rows.empty() ? 0 : v->rows[0].size();
    {
      // Like a derived table, a VALUES constructor cannot see its FROM siblings.
      Scope scope;
      ScopeGuard guard(this, &scope, scope_->parent);
      ClauseGuard clause(scope_, Clause::kValues);
      for (const std::vector<ExprPtr>& row : v->rows) {
        if (row.size() != width) return At(errors::Make(errors::kValuesRowWidthMismatch), pos);
        std::vector<BoundExpr> bound;
        for (const ExprPtr& e : row) {
          EDGESQL_ASSIGN_OR_RETURN(BoundExpr b, BindValue(*e));
          bound.push_back(std::move(b));
        }
        rows.push_back(std::move(bound));
      }
    }
    std::vector<OutputColumn> columns(width);
    for (size_t c = 0; c < width; ++c) {
      std::vector<const BoundExpr*> arms;
      for (const auto& row : rows) arms.push_back(&row[c]);
      auto t = ResultTypeOf(arms, "values");
      if (!t.ok()) return At(t.error(), pos);
      columns[c].type = t->IsNull() ? SqlType::Int() : *t;
      columns[c].nullable = false;
      for (const auto& row : rows) columns[c].nullable |= row[c].nullable;
    }
    EDGESQL_RETURN_IF_ERROR(NameColumns(v->columns, alias, pos, &columns));
    std::string values;
    for (auto& row : rows) {
      values += values.empty() ? "(" : ", (";
      for (size_t c = 0; c < width; ++c) {
        auto conv = ConvertTo(std::move(row[c]), columns[c].type);
        if (!conv.ok()) return At(conv.error(), pos);
        values += (c ? ", " : "") + conv->sql;
      }
      values += ")";
    }
    Source s = MakeDerivedSource(alias, columns);
    std::string select = "SELECT ";
    for (size_t c = 0; c < width; ++c) {
      select +=
          (c ? ", column" : "column") + std::to_string(c + 1) + " AS x" + std::to_string(c + 1);
    }
    std::string sql = "(" + select + " FROM (VALUES " + values + ")) AS " + s.sql_alias;
    EDGESQL_RETURN_IF_ERROR(AddSource(std::move(s), pos));
    return sql;
  }
  const JoinTableRef& j = std::get<JoinTableRef>(ref.node);
  if (j.kind == JoinKind::kCrossApply || j.kind == JoinKind::kOuterApply) {
    return At(errors::Make(errors::kUnsupportedStatement,
                           {j.kind == JoinKind::kCrossApply ? "CROSS APPLY" : "OUTER APPLY"}),
              pos);
  }
  size_t first = scope_->sources.size();
  EDGESQL_ASSIGN_OR_RETURN(std::string left, BindTableRef(*j.left));
  size_t middle = scope_->sources.size();
  EDGESQL_ASSIGN_OR_RETURN(std::string right, BindTableRef(*j.right));
  size_t end = scope_->sources.size();
  if (std::holds_alternative<JoinTableRef>(j.right->node)) right = "(" + right + ")";
  std::string sql = left + JoinSql(j.kind) + right;
  if (j.on) {
    ClauseGuard clause(scope_, Clause::kOn);
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr on, BindCondition(*j.on));
    sql += " ON " + Unwrap(on.sql);
  }
  auto make_nullable = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      for (SourceColumn& c : scope_->sources[i].columns) c.nullable = true;
    }
  };
  if (j.kind == JoinKind::kLeft || j.kind == JoinKind::kFull) make_nullable(middle, end);
  if (j.kind == JoinKind::kRight || j.kind == JoinKind::kFull) make_nullable(first, middle);
  return sql;
}

Status Binder::ExpandStar(const MultiPartName& qualifier, SourcePos pos,
                          std::vector<BoundExpr>* items, std::vector<OutputColumn>* columns) {
  const Identifier* table = qualifier.FromRight(0);
  const Identifier* schema = qualifier.FromRight(1);
  bool any = false;
  for (const Source& src : scope_->sources) {
    if (table != nullptr) {
      if (!collation::Equal(src.exposed, table->value)) continue;
      if (schema != nullptr && (src.aliased || !collation::Equal(src.schema, schema->value))) {
        continue;
      }
    }
    any = true;
    for (const SourceColumn& c : src.columns) {
      BoundExpr e;
      e.sql = c.sql;
      e.type = c.type;
      e.nullable = c.nullable;
      e.collated = c.collated;
      e.column = c.column;
      e.column_name = c.name;
      e.table_name = src.table ? src.table->name : std::string();
      e.is_column = true;
      if (scope_->aggregate_depth == 0)
        e.ungrouped.push_back({scope_->id, src.exposed + "." + c.name});
      Finish(&e);
      if (scope_->grouped && !e.ungrouped.empty()) {
        return At(errors::Make(errors::kNotInGroupBy, {e.ungrouped[0].name}), pos);
      }
      OutputColumn out;
      out.name = c.name;
      out.type = c.type;
      out.nullable = c.nullable;
      out.identity = c.identity;
      out.collated = c.collated;
      out.column = c.column;
      out.table_name = e.table_name;
      columns->push_back(std::move(out));
      items->push_back(std::move(e));
    }
    if (table != nullptr) break;
  }
  if (!any) {
    if (table != nullptr) {
      return At(errors::Make(errors::kMultiPartIdentifierNotBound, {NameText(qualifier)}), pos);
    }
    return At(errors::Make(errors::kMustSpecifyTable), pos);
  }
  return Status::Ok();
}

Status Binder::BindCtes(const std::vector<CommonTableExpr>& ctes, std::string* with_sql) {
  std::string parts;
  bool recursive = false;
  for (const CommonTableExpr& cte : ctes) {
    const std::string& name = cte.name.value;
    CteDef def;
    bool depth = false;
    def.name = name;
    def.sql_name = NextCteName();
    std::string body;
    if (!QueryReferences(*cte.query, name)) {
      EDGESQL_ASSIGN_OR_RETURN(BoundQuery q, BindQuery(*cte.query, false));
      if (!q.assign_variables.empty()) return At(errors::Make(errors::kSelectAssignMixed), cte.pos);
      EDGESQL_RETURN_IF_ERROR(NameColumns(cte.columns, name, cte.pos, &q.columns));
      def.columns = q.columns;
      body = q.Render(true);
    } else {
      // Recursive: anchor UNION ALL recursive member. The recursive member's outputs are
      // converted to the anchor's types (SQL Server requires them to match exactly, error 240).
      const SetOperation* op = std::get_if<SetOperation>(&cte.query->body->node);
      if (op == nullptr || op->kind != SetOpKind::kUnionAll || !cte.query->order_by.empty() ||
          QueryExprReferencesName(*op->left, name)) {
        return At(errors::Make(errors::kRecursiveCteNoUnionAll, {name}), cte.pos);
      }
      EDGESQL_ASSIGN_OR_RETURN(BoundQuery anchor, BindQueryExpr(*op->left, nullptr));
      EDGESQL_RETURN_IF_ERROR(NameColumns(cte.columns, name, cte.pos, &anchor.columns));
      def.columns = anchor.columns;
      for (OutputColumn& c : def.columns) c.nullable = true;
      def.recursive = true;
      PushCte(def);
      recursive_self_alias_.clear();
      Result<BoundQuery> rec = BindQueryExpr(*op->right, nullptr);
      ctes_.pop_back();
      def.recursive = false;
      if (!rec.ok()) return rec.status();
      if (rec->columns.size() != anchor.columns.size()) {
        return At(errors::Make(errors::kSetOperandColumnCount), cte.pos);
      }
      std::vector<SqlType> types;
      for (const OutputColumn& c : anchor.columns) types.push_back(c.type);
      EDGESQL_RETURN_IF_ERROR(ConvertOutputs(&*rec, types));
      // OPTION (MAXRECURSION n), 100 by default: a recursion level column d_ counts the levels
      // and es_maxrec raises 530 past the limit (SQLite itself would recurse forever).
      depth = max_recursion_ > 0 && anchor.open && rec->open && !rec->ordered_or_limited &&
              !recursive_self_alias_.empty();
      if (depth) {
        BoundExpr zero = Literal(Value::Integer(0));
        anchor.items.push_back(zero);
        BoundExpr next;
        next.type = SqlType::Int();
        next.sql = "es_maxrec(" + recursive_self_alias_ + ".d_ + 1, " + Int(max_recursion_) + ")";
        rec->items.push_back(next);
      }
      body = MemberSql(anchor, true) + " UNION ALL " + MemberSql(*rec, false);
      recursive = true;
    }
    std::string cols;
    for (size_t i = 0; i < def.columns.size(); ++i)
      cols += (i ? ", x" : "x") + std::to_string(i + 1);
    if (depth) cols += ", d_";
    parts += (parts.empty() ? "" : ", ") + def.sql_name + "(" + cols + ") AS (" + body + ")";
    PushCte(std::move(def));
  }
  *with_sql = std::string(recursive ? "WITH RECURSIVE " : "WITH ") + parts + " ";
  return Status::Ok();
}

}  // namespace edgesql::tsql::bind
