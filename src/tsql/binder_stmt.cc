// Binder: SELECT statements (including SELECT @v = ...) and the scalar statements the batch
// interpreter compiles (SET @v = expr, IF/WHILE conditions, PRINT/RETURN expressions).
#include <cstdlib>

#include "tsql/binder.h"

namespace edgesql::tsql::bind {
namespace {

// A query over exactly one base table with no subquery anywhere: its columns can be emitted
// unqualified and the table without an alias, which keeps point queries minimal.
bool IsSimpleQuery(const Query& q) {
  if (!q.ctes.empty()) return false;
  const QuerySpec* spec = std::get_if<QuerySpec>(&q.body->node);
  if (spec == nullptr || spec->from.size() != 1) return false;
  if (!std::holds_alternative<NamedTableRef>(spec->from[0]->node)) return false;
  auto sub = [](const ExprPtr& e) { return e && ContainsSubquery(*e); };
  for (const SelectItem& item : spec->items) {
    if (sub(item.expr)) return false;
  }
  if (sub(spec->where) || sub(spec->having) || (spec->top && sub(spec->top->count))) return false;
  for (const ExprPtr& g : spec->group_by) {
    if (sub(g)) return false;
  }
  for (const OrderItem& o : q.order_by) {
    if (sub(o.expr)) return false;
  }
  return !sub(q.offset) && !sub(q.fetch);
}

}  // namespace

void Binder::ApplyQueryHints(const QueryHints& hints) {
  for (const std::string& h : hints) {
    std::string upper = Upper(h);
    if (upper.rfind("MAXRECURSION", 0) != 0) continue;
    size_t digits = upper.find_first_of("0123456789");
    if (digits == std::string::npos) continue;
    max_recursion_ =
        static_cast<int>(std::min<long>(std::strtol(upper.c_str() + digits, nullptr, 10), 32767));
  }
}

Result<CompiledStatement> Binder::CompileSelect(const SelectStmt& stmt) {
  const Query& query = *stmt.query;
  ApplyQueryHints(stmt.options);
  set_qualify(!IsSimpleQuery(query));
  if (const QuerySpec* spec = std::get_if<QuerySpec>(&query.body->node)) assign_spec_ = spec;
  EDGESQL_ASSIGN_OR_RETURN(BoundQuery q, BindQuery(query, true));
  CompiledStatement cs;
  if (!q.assign_variables.empty()) {
    cs.kind = StatementKind::kSelectAssign;
    cs.assign_variables = q.assign_variables;
  } else {
    cs.kind = StatementKind::kSelect;
    cs.returns_rows = true;
  }
  for (const OutputColumn& c : q.columns) cs.columns.push_back(ToResultColumn(c));
  if (q.open) {
    for (BoundExpr& item : q.items) item = CheckedInt(std::move(item));
  }
  cs.sql = q.Render(false);
  return cs;
}

Result<CompiledStatement> Binder::CompileScalar(const Expr& expr, const SqlType* target) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(expr));
  e = CheckedInt(std::move(e));
  if (target != nullptr) {
    auto c = ConvertTo(std::move(e), *target);
    if (!c.ok()) return At(c.error(), expr.pos);
    e = std::move(*c);
    e.type = *target;
  }
  CompiledStatement cs;
  cs.kind = StatementKind::kSelect;
  cs.returns_rows = true;
  OutputColumn col;
  col.type = e.type.IsNull() ? SqlType::Int() : e.type;
  col.nullable = e.nullable;
  cs.columns.push_back(ToResultColumn(col));
  cs.sql = "SELECT " + e.sql;
  return cs;
}

Result<CompiledStatement> Binder::CompileSetVariable(std::string_view variable, AssignOp op,
                                                     const Expr& value) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr target, BindVariable(std::string(variable), value.pos));
  SqlType type = target.type;
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(value));
  EDGESQL_ASSIGN_OR_RETURN(v, BindAssignOp(op, std::move(target), std::move(v), value.pos));
  auto c = ConvertTo(CheckedInt(std::move(v)), type);
  if (!c.ok()) return At(c.error(), value.pos);
  CompiledStatement cs;
  cs.kind = StatementKind::kSelect;
  cs.returns_rows = true;
  OutputColumn col;
  col.type = type;
  col.nullable = true;
  cs.columns.push_back(ToResultColumn(col));
  cs.sql = "SELECT " + c->sql;
  return cs;
}

Result<CompiledStatement> Binder::CompileIfCondition(const Expr& condition) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr c, BindCondition(condition));
  CompiledStatement cs;
  cs.kind = StatementKind::kSelect;
  cs.returns_rows = true;
  OutputColumn col;
  col.type = SqlType::Bit();
  col.nullable = false;
  cs.columns.push_back(ToResultColumn(col));
  cs.sql = "SELECT CASE WHEN " + c.sql + " THEN 1 ELSE 0 END";
  return cs;
}

}  // namespace edgesql::tsql::bind
