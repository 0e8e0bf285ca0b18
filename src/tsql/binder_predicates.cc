// Binder: predicates over sets and patterns (BETWEEN, IN, LIKE, quantified comparisons).
#include "tsql/binder.h"

namespace edgesql::tsql::bind {

Result<BoundExpr> Binder::BindBetween(const BetweenExpr& n, SourcePos pos) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(*n.operand));
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr lo, BindValue(*n.low));
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr hi, BindValue(*n.high));
  auto t1 = CombineTypes(v, lo, "between");
  if (!t1.ok()) return At(t1.error(), pos);
  BoundExpr probe;
  probe.type = *t1;
  auto t2 = CombineTypes(probe, hi, "between");
  if (!t2.ok()) return At(t2.error(), pos);
  SqlType t = *t2;
  BoundExpr out;
  Absorb(&out, v);
  Absorb(&out, lo);
  Absorb(&out, hi);
  out.nullable = v.nullable || lo.nullable || hi.nullable;
  for (BoundExpr* e : {&v, &lo, &hi}) {
    if (t.IsApproxNumeric() && e->type.IsInteger()) continue;
    auto c = ConvertTo(std::move(*e), t);
    if (!c.ok()) return At(c.error(), pos);
    *e = std::move(*c);
  }
  out.type = SqlType::Bit();
  out.predicate = true;
  if (t.id == TypeId::kDateTimeOffset) {
    for (BoundExpr* x : {&v, &lo, &hi}) x->sql = "substr(" + x->sql + ", 1, 8)";
  }
  out.sql = "(" + Collated(v) + (n.negated ? " NOT BETWEEN " : " BETWEEN ") + lo.sql + " AND " +
            hi.sql + ")";
  return out;
}

Result<BoundExpr> Binder::BindIn(const InExpr& n, SourcePos pos) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(*n.operand));
  BoundExpr out;
  out.type = SqlType::Bit();
  out.predicate = true;
  Absorb(&out, v);
  out.nullable = true;
  if (n.subquery) {
    std::vector<ColumnUse> outer;
    EDGESQL_ASSIGN_OR_RETURN(BoundQuery q, BindSubquery(*n.subquery, &outer));
    if (q.columns.size() != 1) {
      return At(errors::Make(errors::kSubqueryMultipleColumns), pos);
    }
    BoundExpr col;
    col.type = q.columns[0].type;
    auto t = CombineTypes(v, col, "in");
    if (!t.ok()) return At(t.error(), pos);
    if (!(t->IsApproxNumeric() && v.type.IsInteger())) {
      auto c = ConvertTo(std::move(v), *t);
      if (!c.ok()) return At(c.error(), pos);
      v = std::move(*c);
    }
    if (!(t->IsApproxNumeric() && col.type.IsInteger())) {
      auto st = ConvertOutputs(&q, {*t});
      if (!st.ok()) return At(st.error(), pos);
    }
    out.subquery = true;
    out.ungrouped.insert(out.ungrouped.end(), outer.begin(), outer.end());
    out.sql = "(" + Collated(v) + (n.negated ? " NOT IN (" : " IN (") + q.Render(false) + "))";
    return out;
  }
  std::vector<BoundExpr> values;
  SqlType t = v.type;
  for (const ExprPtr& e : n.values) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr b, BindValue(*e));
    BoundExpr probe;
    probe.type = t;
    auto c = CombineTypes(probe, b, "in");
    if (!c.ok()) return At(c.error(), pos);
    t = *c;
    Absorb(&out, b);
    values.push_back(std::move(b));
  }
  if (!(t.IsApproxNumeric() && v.type.IsInteger())) {
    auto c = ConvertTo(std::move(v), t);
    if (!c.ok()) return At(c.error(), pos);
    v = std::move(*c);
  }
  std::string list;
  for (BoundExpr& b : values) {
    if (!(t.IsApproxNumeric() && b.type.IsInteger())) {
      auto c = ConvertTo(std::move(b), t);
      if (!c.ok()) return At(c.error(), pos);
      b = std::move(*c);
    }
    if (!list.empty()) list += ", ";
    list += t.id == TypeId::kDateTimeOffset ? "substr(" + b.sql + ", 1, 8)" : b.sql;
  }
  if (t.id == TypeId::kDateTimeOffset) v.sql = "substr(" + v.sql + ", 1, 8)";
  out.sql = "(" + Collated(v) + (n.negated ? " NOT IN (" : " IN (") + list + "))";
  return out;
}

Result<BoundExpr> Binder::BindLike(const LikeExpr& n, SourcePos pos) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(*n.operand));
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr p, BindValue(*n.pattern));
  bool unicode = v.type.IsUnicode() || p.type.IsUnicode();
  BoundExpr out;
  Absorb(&out, v);
  Absorb(&out, p);
  EDGESQL_ASSIGN_OR_RETURN(v, AsString(std::move(v)));
  EDGESQL_ASSIGN_OR_RETURN(p, AsString(std::move(p)));
  std::string args = v.sql + ", " + p.sql + ", " + (unicode ? "1" : "0");
  if (n.escape) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*n.escape));
    Absorb(&out, e);
    EDGESQL_ASSIGN_OR_RETURN(e, AsString(std::move(e)));
    args += ", " + e.sql;
  }
  out.type = SqlType::Bit();
  out.predicate = true;
  out.sql = std::string(n.negated ? "(NOT es_like(" : "(es_like(") + args + "))";
  return out;
}

Result<BoundExpr> Binder::BindQuantified(const QuantifiedExpr& n, SourcePos pos) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(*n.operand));
  std::vector<ColumnUse> outer;
  EDGESQL_ASSIGN_OR_RETURN(BoundQuery q, BindSubquery(*n.subquery, &outer));
  if (q.columns.size() != 1) return At(errors::Make(errors::kSubqueryMultipleColumns), pos);
  std::string alias = NextAlias();
  BoundExpr col;
  col.type = q.columns[0].type;
  col.sql = alias + ".x1";
  col.collated = q.columns[0].collated;
  col.nullable = true;
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr cmp, BindComparison(n.op, v, col, pos));
  std::string sub = q.Render(true);
  std::string from = "(SELECT 1 FROM (" + sub + ") AS " + alias + " WHERE ";
  BoundExpr out;
  Absorb(&out, v);
  out.subquery = true;
  out.ungrouped.insert(out.ungrouped.end(), outer.begin(), outer.end());
  out.type = SqlType::Bit();
  out.predicate = true;
  std::string unknown = "EXISTS " + from + cmp.sql + " IS NULL)";
  if (n.quantifier == Quantifier::kAll) {
    out.sql = "CASE WHEN EXISTS " + from + "NOT " + cmp.sql + ") THEN 0 WHEN " + unknown +
              " THEN NULL ELSE 1 END";
  } else {
    out.sql =
        "CASE WHEN EXISTS " + from + cmp.sql + ") THEN 1 WHEN " + unknown + " THEN NULL ELSE 0 END";
  }
  return out;
}

}  // namespace edgesql::tsql::bind
