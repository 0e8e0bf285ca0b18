// Binder: query blocks (SELECT ... FROM ... WHERE ... GROUP BY ... HAVING), ORDER BY, TOP,
// OFFSET/FETCH, set operations and subqueries.
#include <string>

#include "tsql/binder.h"
#include "tsql/printer.h"
#include "types/collation.h"

namespace edgesql::tsql::bind {
namespace {

bool IsIntegerLiteral(const Expr& e, int64_t* value) {
  const LiteralExpr* lit = e.As<LiteralExpr>();
  if (lit == nullptr || lit->kind != LiteralKind::kInteger) return false;
  if (lit->text.size() > 18) {
    *value = INT64_MAX;
  } else {
    *value = std::stoll(lit->text);
  }
  return true;
}

const char* SetOpSql(SetOpKind k) {
  switch (k) {
    case SetOpKind::kUnion:
      return " UNION ";
    case SetOpKind::kUnionAll:
      return " UNION ALL ";
    case SetOpKind::kExcept:
      return " EXCEPT ";
    case SetOpKind::kIntersect:
      return " INTERSECT ";
  }
  return " UNION ";
}

OutputColumn OutputOf(const BoundExpr& e, std::string name) {
  OutputColumn c;
  c.name = std::move(name);
  c.type = e.type.IsNull() ? SqlType::Int() : e.type;
  c.nullable = e.nullable;
  c.identity = e.is_column && e.column != nullptr && e.column->identity.has_value();
  c.collated = e.collated;
  c.column = e.is_column ? e.column : nullptr;
  c.table_name = e.is_column ? e.table_name : std::string();
  return c;
}

}  // namespace

// ---- ORDER BY ----

Status Binder::BindOrderBy(const std::vector<OrderItem>& order_by, const BoundQuery& q,
                           bool grouped, std::vector<OrderTerm>* terms) {
  ClauseGuard clause(scope_, Clause::kOrderBy);
  for (size_t i = 0; i < order_by.size(); ++i) {
    const OrderItem& item = order_by[i];
    const Expr& e = *item.expr;
    OrderTerm term;
    term.desc = item.order == SortOrder::kDesc;
    int64_t ordinal = 0;
    int match = -1;
    if (IsIntegerLiteral(e, &ordinal)) {
      if (ordinal < 1 || ordinal > static_cast<int64_t>(q.items.size())) {
        return At(errors::Make(errors::kOrderByPositionOutOfRange, {std::to_string(ordinal)}),
                  item.pos);
      }
      match = static_cast<int>(ordinal - 1);
    } else if (e.As<LiteralExpr>() != nullptr) {
      return At(errors::Make(errors::kConstantInOrderBy, {std::to_string(i + 1)}), item.pos);
    } else if (const ColumnRefExpr* ref = e.As<ColumnRefExpr>();
               ref != nullptr && ref->name.parts.size() == 1) {
      // A select-list alias (or column name) takes precedence over the FROM clause.
      for (size_t k = 0; k < q.columns.size(); ++k) {
        if (q.columns[k].name.empty() ||
            !collation::Equal(q.columns[k].name, ref->name.parts[0].value)) {
          continue;
        }
        if (match >= 0 && q.items[static_cast<size_t>(match)].sql != q.items[k].sql) {
          return At(errors::Make(errors::kAmbiguousColumnName, {ref->name.parts[0].value}),
                    item.pos);
        }
        if (match < 0) match = static_cast<int>(k);
      }
    }
    if (match >= 0) {
      const BoundExpr& it = q.items[static_cast<size_t>(match)];
      term.expr_sql = Collated(it);
      term.clause_sql = std::to_string(match + 1);
      if (it.type.IsString() && !it.collated) term.clause_sql += " COLLATE CI_AS";
    } else {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr b, BindValue(e));
      if (b.constant) {
        return At(errors::Make(errors::kConstantInOrderBy, {std::to_string(i + 1)}), item.pos);
      }
      if (grouped) {
        for (const ColumnUse& u : b.ungrouped) {
          if (u.scope == scope_->id) {
            return At(errors::Make(errors::kNotInGroupByOrderBy, {u.name}), item.pos);
          }
        }
      }
      if (q.distinct) {
        bool listed = false;
        for (const BoundExpr& it : q.items) {
          listed = listed || it.sql == b.sql || it.sql == Collated(b);
        }
        if (!listed) return At(errors::Make(errors::kOrderByNotInDistinct), item.pos);
      }
      term.expr_sql = Collated(b);
      term.clause_sql = term.expr_sql;
    }
    for (const OrderTerm& t : *terms) {
      if (t.expr_sql == term.expr_sql) {
        return At(errors::Make(errors::kOrderByColumnRepeated), item.pos);
      }
    }
    terms->push_back(std::move(term));
  }
  return Status::Ok();
}

// The running value of `@v = @v + x` over the rows so far: @v followed by the rows' x
// concatenated (strings) or summed (numbers), NULL from the first NULL on, as SQL Server's
// row-by-row assignment computes it. The engine keeps the last row's value.
Result<BoundExpr> Binder::AccumulationSql(const Accumulation& acc, const std::string& over) {
  const BoundExpr& var = acc.var;
  BoundExpr inc = acc.increment;
  const SqlType vt = var.type;
  bool concat = vt.IsString() || (vt.IsNull() && inc.type.IsString());
  std::string any_null = "count(*)" + over + " <> count(" + inc.sql + ")" + over;
  BoundExpr running;
  if (concat) {
    EDGESQL_ASSIGN_OR_RETURN(inc, AsString(std::move(inc)));
    std::string all = "ifnull(group_concat(" + inc.sql + ", '')" + over + ", '')";
    running.type = vt.IsNull() ? inc.type : vt;
    if (settings().concat_null_yields_null) {
      running.sql = "CASE WHEN " + var.sql + " IS NULL OR " + any_null + " THEN NULL ELSE " +
                    var.sql + " || " + all + " END";
    } else {
      running.sql = "(ifnull(" + var.sql + ", '') || " + all + ")";
    }
  } else {
    FunctionCallExpr sum;
    sum.name.parts.push_back(Identifier{"SUM", false, acc.pos});
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr total, AggregateSql(sum, "SUM", {inc}, over, acc.pos));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr added,
                             BindArithmetic(BinaryOp::kAdd, var, std::move(total), acc.pos));
    running.type = added.type;
    running.sql = "CASE WHEN " + any_null + " THEN NULL ELSE " + added.sql + " END";
    running.may_overflow = added.may_overflow;
  }
  running.window = true;
  SqlType target = vt.IsNull() ? running.type : vt;
  auto c = ConvertTo(CheckedInt(std::move(running)), target);
  if (!c.ok()) return At(c.error(), acc.pos);
  return c;
}

// ---- TOP / OFFSET / FETCH ----

// The row count of TOP, OFFSET or FETCH as SQL: a checked constant, or a runtime check.
Result<std::string> Binder::BindRowCount(const Expr& count, RowCountKind kind, SourcePos pos) {
  Scope empty;
  ScopeGuard guard(this, &empty, nullptr);
  ClauseGuard clause(scope_, Clause::kTop);
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(count));
  if (kind == RowCountKind::kPercent) {
    auto f = ConvertTo(std::move(e), SqlType::Float());
    if (!f.ok()) return At(f.error(), pos);
    if (f->constant && !f->constant->is_null()) {
      double p = f->constant->AsDouble();
      if (p < 0 || p > 100) return At(errors::Make(errors::kTopPercentOutOfRange), pos);
    }
    return "es_rowcount(" + f->sql + ", 3)";
  }
  if (!e.type.IsInteger() && !e.type.IsNull() &&
      !(e.type.IsDecimalLike() && e.type.scale == 0 && !e.variable)) {
    return At(errors::Make(errors::kTopNotInteger), pos);
  }
  auto c = ConvertTo(std::move(e), SqlType::BigInt());
  if (!c.ok()) return At(c.error(), pos);
  if (c->constant && !c->constant->is_null()) {
    int64_t n = c->constant->AsInt();
    if (kind == RowCountKind::kTop && n < 0) return At(errors::Make(errors::kTopInvalidValue), pos);
    if (kind == RowCountKind::kOffset && n < 0) {
      return At(errors::Make(errors::kOffsetNegative), pos);
    }
    if (kind == RowCountKind::kFetch && n <= 0) {
      return At(errors::Make(errors::kFetchNotPositive), pos);
    }
    return std::to_string(n);
  }
  return "es_rowcount(" + c->sql + ", " + std::to_string(static_cast<int>(kind)) + ")";
}

// ---- SELECT blocks ----

Result<BoundQuery> Binder::BindQuerySpec(const QuerySpec& spec, const Query* owner) {
  if (spec.into) {
    return At(errors::Make(errors::kUnsupportedStatement, {"SELECT INTO"}), spec.into->pos);
  }
  Scope scope;
  ScopeGuard guard(this, &scope);
  BoundQuery q;
  q.open = true;
  q.distinct = spec.distinct;

  EDGESQL_ASSIGN_OR_RETURN(std::string from, BindFrom(spec.from));
  std::string where;
  if (spec.where) {
    ClauseGuard clause(scope_, Clause::kWhere);
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr w, BindCondition(*spec.where));
    where = " WHERE " + Unwrap(w.sql);
  }

  bool grouped = !spec.group_by.empty() || spec.having != nullptr;
  for (const SelectItem& item : spec.items) {
    if (item.expr && ContainsAggregate(*item.expr)) grouped = true;
  }
  if (owner != nullptr) {
    for (const OrderItem& o : owner->order_by) grouped = grouped || ContainsAggregate(*o.expr);
  }
  scope.grouped = grouped;

  std::string group_by;
  {
    ClauseGuard clause(scope_, Clause::kGroupBy);
    for (const ExprPtr& g : spec.group_by) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*g));
      if (e.subquery || e.aggregate) return At(errors::Make(errors::kAggregateInGroupBy), g->pos);
      if (e.constant || e.variable) {
        return At(errors::Make(errors::kGroupByNeedsColumn), g->pos);
      }
      scope.group_sqls.push_back(e.sql);
      group_by += group_by.empty() ? " GROUP BY " : ", ";
      group_by += Collated(e);
    }
  }

  // The select list.
  std::vector<Accumulation> accumulations;
  {
    ClauseGuard clause(scope_, Clause::kSelect);
    bool assigns = false;
    bool retrieves = false;
    for (const SelectItem& item : spec.items) {
      if (item.kind == SelectItemKind::kStar) {
        retrieves = true;
        EDGESQL_RETURN_IF_ERROR(ExpandStar(item.star_qualifier, item.pos, &q.items, &q.columns));
        continue;
      }
      // SELECT @v = @v + x / @v += x over several rows accumulates row by row in SQL Server:
      // bound as a running window aggregate (see AccumulationSql).
      const Expr* increment = nullptr;
      if (item.kind == SelectItemKind::kAssign && !spec.from.empty() && !grouped) {
        const BinaryExpr* add = item.expr->As<BinaryExpr>();
        if (item.op == AssignOp::kAdd) {
          increment = item.expr.get();
        } else if (item.op == AssignOp::kAssign && add != nullptr && add->op == BinaryOp::kAdd &&
                   add->left->As<VariableExpr>() != nullptr &&
                   collation::Equal(add->left->As<VariableExpr>()->name, item.variable)) {
          increment = add->right.get();
        }
        if (increment != nullptr && MentionsVariable(*increment, item.variable)) {
          increment = nullptr;
        }
      }
      if (increment != nullptr) {
        if (&spec != assign_spec_) return At(errors::Make(errors::kSelectAssignMixed), item.pos);
        assigns = true;
        EDGESQL_ASSIGN_OR_RETURN(BoundExpr inc, BindValue(*increment));
        EDGESQL_ASSIGN_OR_RETURN(BoundExpr var, BindVariable(item.variable, item.pos));
        Accumulation acc;
        acc.item = q.items.size();
        acc.var = std::move(var);
        acc.increment = std::move(inc);
        acc.pos = item.pos;
        OutputColumn col;
        col.name = item.variable;
        col.type = acc.var.type;
        q.assign_variables.push_back(item.variable);
        q.columns.push_back(std::move(col));
        q.items.push_back(BoundExpr{});
        accumulations.push_back(std::move(acc));
        continue;
      }
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*item.expr));
      if (grouped) {
        for (const ColumnUse& u : e.ungrouped) {
          if (u.scope == scope.id) {
            return At(errors::Make(errors::kNotInGroupBy, {u.name}), item.pos);
          }
        }
      }
      if (item.kind == SelectItemKind::kAssign) {
        assigns = true;
        if (&spec != assign_spec_) {
          return At(errors::Make(errors::kSelectAssignMixed), item.pos);
        }
        EDGESQL_ASSIGN_OR_RETURN(BoundExpr var, BindVariable(item.variable, item.pos));
        SqlType vt = var.type;
        EDGESQL_ASSIGN_OR_RETURN(BoundExpr value,
                                 BindAssignOp(item.op, std::move(var), std::move(e), item.pos));
        auto c = ConvertTo(CheckedInt(std::move(value)), vt);
        if (!c.ok()) return At(c.error(), item.pos);
        OutputColumn col = OutputOf(*c, item.variable);
        col.type = vt;
        q.assign_variables.push_back(item.variable);
        q.columns.push_back(std::move(col));
        q.items.push_back(std::move(*c));
        continue;
      }
      retrieves = true;
      std::string name = item.alias ? item.alias->value : (e.is_column ? e.column_name : "");
      OutputColumn col = OutputOf(e, std::move(name));
      if (spec.distinct && e.type.IsString() && !e.collated) {
        e.sql = Collated(e);
        e.collated = true;
      }
      q.columns.push_back(std::move(col));
      q.items.push_back(std::move(e));
    }
    if (assigns && retrieves)
      return At(errors::Make(errors::kSelectAssignMixed), spec.items[0].pos);
  }

  std::string having;
  if (spec.having) {
    ClauseGuard clause(scope_, Clause::kHaving);
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr h, BindCondition(*spec.having));
    for (const ColumnUse& u : h.ungrouped) {
      if (u.scope == scope.id) {
        return At(errors::Make(errors::kNotInGroupByHaving, {u.name}), spec.having->pos);
      }
    }
    having = " HAVING " + Unwrap(h.sql);
  }

  std::vector<OrderTerm> terms;
  if (owner != nullptr && !owner->order_by.empty()) {
    EDGESQL_RETURN_IF_ERROR(BindOrderBy(owner->order_by, q, grouped, &terms));
  }
  if (!accumulations.empty()) {
    std::string over = " OVER (";
    for (size_t i = 0; i < terms.size(); ++i) {
      over += (i ? ", " : "ORDER BY ") + terms[i].expr_sql + (terms[i].desc ? " DESC" : "");
    }
    over += terms.empty() ? "ROWS UNBOUNDED PRECEDING)" : " ROWS UNBOUNDED PRECEDING)";
    for (Accumulation& acc : accumulations) {
      ClauseGuard clause(scope_, Clause::kSelect);
      EDGESQL_ASSIGN_OR_RETURN(q.items[acc.item], AccumulationSql(acc, over));
    }
  }
  std::string order_by;
  for (const OrderTerm& t : terms) {
    order_by += order_by.empty() ? " ORDER BY " : ", ";
    order_by += t.clause_sql + (t.desc ? " DESC" : "");
  }

  std::string limit;
  bool top_one = false;
  bool special_top = spec.top && (spec.top->percent || spec.top->with_ties);
  if (spec.top && !special_top) {
    EDGESQL_ASSIGN_OR_RETURN(std::string n,
                             BindRowCount(*spec.top->count, RowCountKind::kTop, spec.top->pos));
    limit = " LIMIT " + n;
    top_one = n == "1" || n == "0";
  }
  if (owner != nullptr && owner->offset) {
    if (spec.top) {
      // "TOP cannot be combined with OFFSET and FETCH in the same query expression" (ORDER BY
      // clause); SQL Server's message 10741 is not in the common catalog.
      SqlError e = errors::MakeUser(
          10741, 15, 2, "A TOP can not be used in the same query or sub-query as a OFFSET.");
      e.scope = ErrorScope::kBatch;
      return At(e, spec.top->pos);
    }
    EDGESQL_ASSIGN_OR_RETURN(
        std::string off, BindRowCount(*owner->offset, RowCountKind::kOffset, owner->offset->pos));
    std::string fetch = "-1";
    if (owner->fetch) {
      EDGESQL_ASSIGN_OR_RETURN(
          fetch, BindRowCount(*owner->fetch, RowCountKind::kFetch, owner->fetch->pos));
    }
    limit = " LIMIT " + fetch + " OFFSET " + off;
  }

  q.outer_uses = scope.outer_uses;
  q.aggregate = grouped && spec.group_by.empty();
  q.single_row = q.aggregate || spec.from.empty() || top_one;
  q.ordered_or_limited = !order_by.empty() || !limit.empty() || special_top;

  if (!special_top) {
    q.tail = from + where + group_by + having + order_by + limit;
    return q;
  }

  // TOP (n) PERCENT and TOP (n) WITH TIES: number the rows with a window function over the
  // ORDER BY and keep those within the bound, then order the survivors.
  if (spec.distinct) {
    return At(
        errors::Make(errors::kUnsupportedStatement, {"DISTINCT with TOP PERCENT or WITH TIES"}),
        spec.top->pos);
  }
  if (spec.top->with_ties && terms.empty()) {
    return At(errors::Make(errors::kTopWithTiesNeedsOrderBy), spec.top->pos);
  }
  EDGESQL_ASSIGN_OR_RETURN(
      std::string n,
      BindRowCount(*spec.top->count,
                   spec.top->percent ? RowCountKind::kPercent : RowCountKind::kTop, spec.top->pos));
  std::string window_order;
  std::string outer_order;
  std::string extra;
  for (size_t i = 0; i < terms.size(); ++i) {
    window_order += (i ? ", " : "") + terms[i].expr_sql + (terms[i].desc ? " DESC" : "");
    extra += ", " + terms[i].expr_sql + " AS o" + std::to_string(i + 1);
    outer_order +=
        (i ? ", o" : " ORDER BY o") + std::to_string(i + 1) + (terms[i].desc ? " DESC" : "");
  }
  std::string rank = spec.top->with_ties ? "rank()" : "row_number()";
  extra += ", " + rank + " OVER (" + (window_order.empty() ? "" : "ORDER BY " + window_order) +
           ") AS r_";
  std::string bound = n;
  if (spec.top->percent) {
    extra += ", count(*) OVER () AS n_";
    bound = "es_ceiling(" + n + " * n_ / 100.0)";
  }
  std::string inner = "SELECT ";
  std::string outer = "SELECT ";
  for (size_t i = 0; i < q.items.size(); ++i) {
    inner += (i ? ", " : "") + q.items[i].sql + " AS x" + std::to_string(i + 1);
    outer += (i ? ", x" : "x") + std::to_string(i + 1);
  }
  inner += extra + from + where + group_by + having;
  q.sql = outer + " FROM (" + inner + ") WHERE r_ <= " + bound + outer_order;
  q.open = false;
  return q;
}

Result<BoundQuery> Binder::BindQueryExpr(const QueryExpr& qe, const Query* owner) {
  if (const QuerySpec* spec = std::get_if<QuerySpec>(&qe.node)) {
    return BindQuerySpec(*spec, owner);
  }
  if (const ParenQuery* pq = std::get_if<ParenQuery>(&qe.node)) {
    return BindQuery(*pq->query, false);
  }
  // A chain a UNION b EXCEPT c ... (left-deep: the parser groups INTERSECT, and parentheses, as
  // right operands) is one compound SELECT: every member converts once to the chain's result
  // types, which are the same whatever the grouping (the higher precedence type, the longer
  // length, the wider decimal), so that a long chain of members of growing string lengths does
  // not nest a subquery per member (SQLite's parser stack holds about 30 levels).
  std::vector<const QueryExpr*> chain;  // innermost operation first
  const QueryExpr* leftmost = &qe;
  while (const SetOperation* so = std::get_if<SetOperation>(&leftmost->node)) {
    chain.push_back(leftmost);
    leftmost = so->left.get();
  }
  std::reverse(chain.begin(), chain.end());
  std::vector<BoundQuery> members;
  EDGESQL_ASSIGN_OR_RETURN(BoundQuery first, BindQueryExpr(*leftmost, nullptr));
  members.push_back(std::move(first));
  std::vector<SqlType> types;
  for (const OutputColumn& c : members[0].columns) types.push_back(c.type);
  for (const QueryExpr* node : chain) {
    const SetOperation& op = std::get<SetOperation>(node->node);
    EDGESQL_ASSIGN_OR_RETURN(BoundQuery r, BindQueryExpr(*op.right, nullptr));
    if (types.size() != r.columns.size()) {
      return At(errors::Make(errors::kSetOperandColumnCount), node->pos);
    }
    for (size_t i = 0; i < types.size(); ++i) {
      BoundExpr a;
      a.type = types[i];
      BoundExpr b;
      b.type = r.columns[i].type;
      auto t = ResultTypeOf({&a, &b}, "union");
      if (!t.ok()) return At(t.error(), node->pos);
      types[i] = *t;
    }
    members.push_back(std::move(r));
  }
  for (SqlType& t : types) {
    if (t.IsNull()) t = SqlType::Int();
  }
  BoundQuery out;
  out.open = false;
  for (size_t i = 0; i < types.size(); ++i) {
    OutputColumn c;
    c.name = members[0].columns[i].name;
    c.type = types[i];
    c.nullable = false;
    for (const BoundQuery& m : members) c.nullable = c.nullable || m.columns[i].nullable;
    c.collated = types[i].IsString();
    out.columns.push_back(std::move(c));
  }
  // SQLite takes at most 500 members in one compound SELECT: past that the compound so far
  // becomes the first member of the rest (as T-SQL groups it: from the left).
  constexpr size_t kMaxCompoundMembers = 500;
  size_t in_compound = 0;
  for (size_t m = 0; m < members.size(); ++m) {
    BoundQuery& member = members[m];
    EDGESQL_RETURN_IF_ERROR(ConvertOutputs(&member, types));
    out.outer_uses.insert(out.outer_uses.end(), member.outer_uses.begin(), member.outer_uses.end());
    if (m == 0) {
      out.sql = MemberSql(member, true);
      in_compound = 1;
      continue;
    }
    if (in_compound == kMaxCompoundMembers) {
      std::string wrapped = "SELECT ";
      for (size_t i = 0; i < types.size(); ++i) {
        std::string x = "x" + std::to_string(i + 1);
        wrapped += (i ? ", " : "") + x + " AS " + x;
      }
      out.sql = wrapped + " FROM (" + out.sql + ")";
      in_compound = 1;
    }
    const SetOperation& op = std::get<SetOperation>(chain[m - 1]->node);
    out.sql += SetOpSql(op.kind) + MemberSql(member, false);
    ++in_compound;
  }
  return out;
}

// One operand of a compound SELECT: its outputs named x1..xN with text under CI_AS (so UNION,
// EXCEPT and INTERSECT compare as SQL Server does). Operands that carry their own ORDER BY or
// LIMIT, and right operands that are compounds, become subqueries: SQLite evaluates compound
// operators left to right and allows ORDER BY/LIMIT only at the end.
std::string Binder::MemberSql(const BoundQuery& q, bool left) {
  if (q.open && !q.ordered_or_limited && q.with.empty()) {
    BoundQuery copy = q;
    for (BoundExpr& e : copy.items) {
      if (e.type.IsString() && !e.collated) {
        e.sql = Collated(e);
        e.collated = true;
      }
    }
    return copy.Render(true);
  }
  if (!q.open && left && !q.ordered_or_limited) return q.sql;
  std::string sql = "SELECT ";
  for (size_t i = 0; i < q.columns.size(); ++i) {
    std::string x = "x" + std::to_string(i + 1);
    sql +=
        (i ? ", " : "") + x + (q.columns[i].type.IsString() ? " COLLATE CI_AS" : "") + " AS " + x;
  }
  return sql + " FROM (" + q.Render(true) + ")";
}

Status Binder::ConvertOutputs(BoundQuery* q, const std::vector<SqlType>& types) {
  bool needed = false;
  for (size_t i = 0; i < types.size(); ++i) needed = needed || !(q->columns[i].type == types[i]);
  if (!needed) return Status::Ok();
  if (!q->open) {
    std::string alias = NextAlias();
    std::string inner = q->Render(true);
    q->items.clear();
    for (size_t i = 0; i < q->columns.size(); ++i) {
      BoundExpr e;
      e.sql = alias + ".x" + std::to_string(i + 1);
      e.type = q->columns[i].type;
      e.nullable = q->columns[i].nullable;
      q->items.push_back(std::move(e));
    }
    q->tail = " FROM (" + inner + ") AS " + alias;
    q->open = true;
    q->distinct = false;
    q->ordered_or_limited = false;
    q->with.clear();
  }
  for (size_t i = 0; i < types.size(); ++i) {
    if (q->columns[i].type == types[i]) continue;
    EDGESQL_ASSIGN_OR_RETURN(q->items[i], ConvertTo(std::move(q->items[i]), types[i]));
    q->columns[i].type = types[i];
    q->columns[i].collated = false;
  }
  return Status::Ok();
}

Result<BoundQuery> Binder::BindQuery(const Query& query, bool allow_order) {
  size_t mark = cte_mark();
  std::string with;
  if (!query.ctes.empty()) EDGESQL_RETURN_IF_ERROR(BindCtes(query.ctes, &with));
  const QuerySpec* spec = std::get_if<QuerySpec>(&query.body->node);
  if (!allow_order && !query.order_by.empty() && !query.offset && !(spec && spec->top)) {
    PopCtes(mark);
    return At(errors::Make(errors::kOrderByInSubquery), query.pos);
  }
  Result<BoundQuery> bound =
      spec ? BindQuerySpec(*spec, &query) : BindQueryExpr(*query.body, nullptr);
  if (!bound.ok()) {
    PopCtes(mark);
    return bound;
  }
  BoundQuery q = std::move(*bound);
  if (!spec && (!query.order_by.empty() || query.offset)) {
    // ORDER BY of a compound: output names or ordinals only.
    std::string order;
    for (const OrderItem& item : query.order_by) {
      int64_t ordinal = 0;
      int match = -1;
      if (IsIntegerLiteral(*item.expr, &ordinal)) {
        if (ordinal < 1 || ordinal > static_cast<int64_t>(q.columns.size())) {
          return At(errors::Make(errors::kOrderByPositionOutOfRange, {std::to_string(ordinal)}),
                    item.pos);
        }
        match = static_cast<int>(ordinal - 1);
      } else if (const ColumnRefExpr* ref = item.expr->As<ColumnRefExpr>()) {
        const std::string& name = ref->name.parts.back().value;
        for (size_t k = 0; k < q.columns.size() && match < 0; ++k) {
          if (collation::Equal(q.columns[k].name, name)) match = static_cast<int>(k);
        }
      }
      if (match < 0) return At(errors::Make(errors::kOrderByNotInUnionSelect), item.pos);
      order += order.empty() ? " ORDER BY " : ", ";
      order += std::to_string(match + 1);
      if (q.columns[static_cast<size_t>(match)].type.IsString()) order += " COLLATE CI_AS";
      if (item.order == SortOrder::kDesc) order += " DESC";
    }
    std::string limit;
    if (query.offset) {
      EDGESQL_ASSIGN_OR_RETURN(
          std::string off, BindRowCount(*query.offset, RowCountKind::kOffset, query.offset->pos));
      std::string fetch = "-1";
      if (query.fetch) {
        EDGESQL_ASSIGN_OR_RETURN(
            fetch, BindRowCount(*query.fetch, RowCountKind::kFetch, query.fetch->pos));
      }
      limit = " LIMIT " + fetch + " OFFSET " + off;
    }
    // Ordered from outside: SQLite 3.40 fails to resolve "ORDER BY 1 COLLATE ..." on a compound
    // whose members group and alias their outputs ("no such column").
    q.sql = "SELECT * FROM (" + q.Render(true) + ")" + order + limit;
    q.open = false;
    q.ordered_or_limited = true;
  }
  PopCtes(mark);
  if (!with.empty()) {
    if (q.open) {
      q.with = with + q.with;
    } else {
      q.sql = with + q.sql;
    }
  }
  return q;
}

// ---- Subqueries ----

Result<BoundQuery> Binder::BindSubquery(const Query& query, std::vector<ColumnUse>* outer) {
  EDGESQL_ASSIGN_OR_RETURN(BoundQuery q, BindQuery(query, false));
  *outer = q.outer_uses;
  return q;
}

Result<BoundExpr> Binder::BindScalarSubquery(const Query& query, SourcePos pos) {
  std::vector<ColumnUse> outer;
  EDGESQL_ASSIGN_OR_RETURN(BoundQuery q, BindSubquery(query, &outer));
  if (q.columns.size() != 1) return At(errors::Make(errors::kSubqueryMultipleColumns), pos);
  if (!q.assign_variables.empty()) return At(errors::Make(errors::kSelectAssignMixed), pos);
  BoundExpr out;
  out.type = q.columns[0].type;
  out.nullable = true;
  out.subquery = true;
  out.ungrouped = std::move(outer);
  if (q.single_row) {
    out.sql = "(" + q.Render(false) + ")";
    return out;
  }
  // SQLite takes the first row of a scalar subquery; SQL Server raises 512 when there are more.
  std::string two = q.open && !q.ordered_or_limited
                        ? q.Render(true) + " LIMIT 2"
                        : "SELECT x1 FROM (" + q.Render(true) + ") LIMIT 2";
  out.sql =
      "(SELECT CASE WHEN count(*) > 1 THEN es_error(512) ELSE max(x1) END FROM (" + two + "))";
  return out;
}

}  // namespace edgesql::tsql::bind
