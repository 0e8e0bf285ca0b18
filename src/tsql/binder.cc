// Binder core: names (tables, columns, variables), placeholders, GROUP BY coverage, and the AST
// walks the other binder files share.
#include "tsql/binder.h"

#include <algorithm>
#include <cctype>

#include "types/collation.h"
#include "types/storage_form.h"

namespace edgesql::tsql::bind {

// ---- Helpers ----

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string NameText(const MultiPartName& name) {
  std::string out;
  for (size_t i = 0; i < name.parts.size(); ++i) {
    if (i > 0) out += '.';
    out += name.parts[i].value;
  }
  return out;
}

bool IsAggregateName(std::string_view upper) {
  static constexpr std::string_view kNames[] = {
      "COUNT", "COUNT_BIG", "SUM", "AVG",  "MIN",      "MAX",          "STRING_AGG",
      "STDEV", "STDEVP",    "VAR", "VARP", "GROUPING", "CHECKSUM_AGG", "APPROX_COUNT_DISTINCT"};
  for (std::string_view n : kNames) {
    if (n == upper) return true;
  }
  return false;
}

namespace {

// Calls f on each direct child expression of `e` (not descending into subqueries).
template <typename F>
void ForEachChild(const Expr& e, F&& f) {
  auto visit = [&](const ExprPtr& p) {
    if (p) f(*p);
  };
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, UnaryExpr>) {
          visit(n.operand);
        } else if constexpr (std::is_same_v<T, BinaryExpr>) {
          visit(n.left);
          visit(n.right);
        } else if constexpr (std::is_same_v<T, IsNullExpr>) {
          visit(n.operand);
        } else if constexpr (std::is_same_v<T, BetweenExpr>) {
          visit(n.operand);
          visit(n.low);
          visit(n.high);
        } else if constexpr (std::is_same_v<T, InExpr>) {
          visit(n.operand);
          for (const ExprPtr& v : n.values) visit(v);
        } else if constexpr (std::is_same_v<T, LikeExpr>) {
          visit(n.operand);
          visit(n.pattern);
          visit(n.escape);
        } else if constexpr (std::is_same_v<T, QuantifiedExpr>) {
          visit(n.operand);
        } else if constexpr (std::is_same_v<T, CaseExpr>) {
          visit(n.operand);
          for (const WhenClause& w : n.whens) {
            visit(w.when);
            visit(w.then);
          }
          visit(n.else_result);
        } else if constexpr (std::is_same_v<T, CastExpr>) {
          visit(n.operand);
        } else if constexpr (std::is_same_v<T, ConvertExpr>) {
          visit(n.operand);
          visit(n.style);
        } else if constexpr (std::is_same_v<T, FunctionCallExpr>) {
          for (const ExprPtr& a : n.args) visit(a);
        } else if constexpr (std::is_same_v<T, CollateExpr>) {
          visit(n.operand);
        }
      },
      e.node);
}

bool IsSubqueryNode(const Expr& e) {
  if (e.As<SubqueryExpr>() || e.As<ExistsExpr>() || e.As<QuantifiedExpr>()) return true;
  const InExpr* in = e.As<InExpr>();
  return in != nullptr && in->subquery != nullptr;
}

bool TableRefReferences(const TableRef& ref, std::string_view name);

}  // namespace

bool QueryExprReferencesName(const QueryExpr& qe, std::string_view name) {
  if (const QuerySpec* spec = std::get_if<QuerySpec>(&qe.node)) {
    for (const TableRefPtr& t : spec->from) {
      if (TableRefReferences(*t, name)) return true;
    }
    return false;
  }
  if (const SetOperation* op = std::get_if<SetOperation>(&qe.node)) {
    return QueryExprReferencesName(*op->left, name) || QueryExprReferencesName(*op->right, name);
  }
  const ParenQuery& pq = std::get<ParenQuery>(qe.node);
  return QueryReferences(*pq.query, name);
}

namespace {

bool TableRefReferences(const TableRef& ref, std::string_view name) {
  if (const NamedTableRef* n = std::get_if<NamedTableRef>(&ref.node)) {
    return n->name.parts.size() == 1 && collation::Equal(n->name.parts[0].value, name);
  }
  if (const JoinTableRef* j = std::get_if<JoinTableRef>(&ref.node)) {
    return TableRefReferences(*j->left, name) || TableRefReferences(*j->right, name);
  }
  if (const DerivedTableRef* d = std::get_if<DerivedTableRef>(&ref.node)) {
    return QueryReferences(*d->query, name);
  }
  return false;
}

}  // namespace

bool ContainsAggregate(const Expr& expr) {
  if (IsSubqueryNode(expr)) {
    // A quantified comparison's operand is evaluated in the outer query.
    if (const QuantifiedExpr* q = expr.As<QuantifiedExpr>()) return ContainsAggregate(*q->operand);
    if (const InExpr* in = expr.As<InExpr>()) return ContainsAggregate(*in->operand);
    return false;
  }
  if (const FunctionCallExpr* f = expr.As<FunctionCallExpr>()) {
    if (!f->over && f->name.parts.size() == 1 && IsAggregateName(Upper(f->name.parts[0].value))) {
      return true;
    }
  }
  bool found = false;
  ForEachChild(expr, [&](const Expr& c) { found = found || ContainsAggregate(c); });
  return found;
}

bool MentionsVariable(const Expr& expr, std::string_view name) {
  if (const VariableExpr* v = expr.As<VariableExpr>()) return collation::Equal(v->name, name);
  bool found = false;
  ForEachChild(expr, [&](const Expr& c) { found = found || MentionsVariable(c, name); });
  return found;
}

bool ContainsSubquery(const Expr& expr) {
  if (IsSubqueryNode(expr)) return true;
  bool found = false;
  ForEachChild(expr, [&](const Expr& c) { found = found || ContainsSubquery(c); });
  return found;
}

bool QueryReferences(const Query& query, std::string_view name) {
  return QueryExprReferencesName(*query.body, name);
}

std::string TypeName(const SqlType& t) { return std::string(t.Name()); }

std::string SqlString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

std::string Unwrap(const std::string& sql) {
  if (sql.size() < 2 || sql.front() != '(' || sql.back() != ')') return sql;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quoted) {
      if (c == '\'') quoted = false;  // a doubled quote re-enters on the next character
      continue;
    }
    if (c == '\'') {
      quoted = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0 && i + 1 != sql.size()) return sql;
    }
  }
  return sql.substr(1, sql.size() - 2);
}

std::string BoundQuery::Render(bool name_outputs) const {
  if (!open) return sql;
  std::string out = with;
  out += distinct ? "SELECT DISTINCT " : "SELECT ";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i].sql;
    if (name_outputs) out += " AS x" + std::to_string(i + 1);
  }
  out += tail;
  return out;
}

// ---- Binder ----

Binder::Binder(const BindContext& ctx) : ctx_(ctx) {
  root_.id = ++scope_counter_;
  scope_ = &root_;
}

const CteDef* Binder::FindCte(std::string_view name) const {
  for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it) {
    if (collation::Equal(it->name, name)) return &*it;
  }
  return nullptr;
}

std::string Binder::AddVariableParam(const std::string& name, const SqlType& type, int* index) {
  for (size_t i = 0; i < params_.size(); ++i) {
    const ParamSource& p = params_[i];
    if (p.kind == ParamKind::kVariable && p.type == type && collation::Equal(p.variable, name)) {
      if (index) *index = static_cast<int>(i);
      return "?" + std::to_string(i + 1);
    }
  }
  ParamSource p;
  p.kind = ParamKind::kVariable;
  p.variable = name;
  p.type = type;
  params_.push_back(std::move(p));
  if (index) *index = static_cast<int>(params_.size() - 1);
  return "?" + std::to_string(params_.size());
}

std::string Binder::AddRuntimeParam(RuntimeValue which, const SqlType& type) {
  for (size_t i = 0; i < params_.size(); ++i) {
    const ParamSource& p = params_[i];
    if (p.kind == ParamKind::kRuntime && p.runtime == which && p.type == type) {
      return "?" + std::to_string(i + 1);
    }
  }
  ParamSource p;
  p.kind = ParamKind::kRuntime;
  p.runtime = which;
  p.type = type;
  params_.push_back(std::move(p));
  return "?" + std::to_string(params_.size());
}

BoundExpr Binder::Runtime(RuntimeValue which, const SqlType& type, bool nullable) {
  BoundExpr e;
  e.sql = AddRuntimeParam(which, type);
  e.type = type;
  e.nullable = nullable;
  return e;
}

Result<BoundExpr> Binder::BindVariable(const std::string& name, SourcePos pos) {
  const SqlType* type = ctx_.variables ? ctx_.variables->FindVariable(name) : nullptr;
  if (type == nullptr) return At(errors::Make(errors::kMustDeclareVariable, {name}), pos);
  BoundExpr e;
  e.type = *type;
  e.sql = AddVariableParam(name, *type, &e.param);
  e.variable = true;
  e.nullable = true;
  return e;
}

Result<const TableInfo*> Binder::ResolveTable(const MultiPartName& name, SourcePos pos) {
  const Identifier* table = name.FromRight(0);
  const Identifier* schema = name.FromRight(1);
  const Identifier* database = name.FromRight(2);
  if (name.FromRight(3) != nullptr) {
    return At(errors::Make(errors::kUnsupportedStatement, {"linked server"}), pos);
  }
  if (table == nullptr) {
    return At(errors::Make(errors::kInvalidObjectName, {NameText(name)}), pos);
  }
  if (!table->value.empty() && table->value[0] == '#') {
    return At(errors::Make(errors::kUnsupportedStatement, {"#temporary table"}), pos);
  }
  if (database != nullptr && !collation::Equal(database->value, ctx_.database_name)) {
    return At(errors::Make(errors::kUnsupportedStatement, {"cross-database reference"}), pos);
  }
  const TableInfo* info =
      ctx_.catalog ? ctx_.catalog->FindTable(schema ? schema->value : "", table->value) : nullptr;
  if (info == nullptr) return At(errors::Make(errors::kInvalidObjectName, {NameText(name)}), pos);
  return info;
}

Result<BoundExpr> Binder::BindColumnRef(const ColumnRefExpr& ref, SourcePos pos) {
  const MultiPartName& name = ref.name;
  const Identifier* col = name.FromRight(0);
  if (col == nullptr) return At(errors::Make(errors::kInvalidColumnName, {NameText(name)}), pos);
  const Identifier* table = name.FromRight(1);
  const Identifier* schema = name.FromRight(2);
  const Identifier* database = name.FromRight(3);
  if (name.parts.size() >= 2 && table == nullptr) {
    return At(errors::Make(errors::kMultiPartIdentifierNotBound, {NameText(name)}), pos);
  }

  const Source* found_source = nullptr;
  const SourceColumn* found = nullptr;
  Scope* found_scope = nullptr;
  for (Scope* s = scope_; s != nullptr && found == nullptr; s = s->parent) {
    if (table == nullptr) {
      int matches = 0;
      for (const Source& src : s->sources) {
        for (const SourceColumn& c : src.columns) {
          if (!collation::Equal(c.name, col->value)) continue;
          if (matches == 0) {
            found = &c;
            found_source = &src;
          }
          ++matches;
          break;  // a source never exposes two columns of one name that both match
        }
      }
      if (matches > 1) {
        return At(errors::Make(errors::kAmbiguousColumnName, {col->value}), pos);
      }
      if (found) found_scope = s;
      continue;
    }
    for (const Source& src : s->sources) {
      if (!collation::Equal(src.exposed, table->value)) continue;
      if (schema != nullptr) {
        if (src.aliased || src.table == nullptr || !collation::Equal(src.schema, schema->value)) {
          continue;
        }
        if (database != nullptr && !collation::Equal(database->value, ctx_.database_name)) {
          continue;
        }
      }
      found_source = &src;
      found_scope = s;
      for (const SourceColumn& c : src.columns) {
        if (collation::Equal(c.name, col->value)) {
          found = &c;
          break;
        }
      }
      if (found == nullptr) {
        return At(errors::Make(errors::kInvalidColumnName, {col->value}), pos);
      }
      break;
    }
    if (found_source) break;
  }
  if (found == nullptr) {
    if (table != nullptr) {
      return At(errors::Make(errors::kMultiPartIdentifierNotBound, {NameText(name)}), pos);
    }
    return At(errors::Make(errors::kInvalidColumnName, {col->value}), pos);
  }

  BoundExpr e;
  e.sql = found->sql;
  e.type = found->type;
  e.nullable = found->nullable;
  e.collated = found->collated;
  e.column = found->column;
  e.column_name = found->name;
  e.table_name = found_source->table ? found_source->table->name : std::string();
  e.is_column = true;
  if (found_scope->aggregate_depth == 0) {
    e.ungrouped.push_back({found_scope->id, found_source->exposed + "." + found->name});
  }
  Finish(&e);
  // Outer references still uncovered travel out through every subquery between here and the
  // column's own scope.
  for (const ColumnUse& use : e.ungrouped) {
    if (use.scope == scope_->id) continue;
    for (Scope* s = scope_; s != nullptr && s->id != use.scope; s = s->parent) {
      s->outer_uses.push_back(use);
    }
  }
  return e;
}

void Binder::Finish(BoundExpr* e) {
  if (e->ungrouped.empty()) return;
  for (Scope* s = scope_; s != nullptr; s = s->parent) {
    if (!s->grouped || s->group_sqls.empty()) continue;
    if (std::find(s->group_sqls.begin(), s->group_sqls.end(), e->sql) == s->group_sqls.end()) {
      continue;
    }
    int id = s->id;
    std::erase_if(e->ungrouped, [id](const ColumnUse& u) { return u.scope == id; });
  }
}

std::string Binder::Collated(const BoundExpr& e) {
  if (!e.type.IsString() || e.collated) return e.sql;
  return e.sql + " COLLATE CI_AS";
}

BoundExpr Binder::Literal(const Value& v) {
  BoundExpr e;
  e.type = v.type();
  e.constant = v;
  e.sql = SqliteLiteral(v);
  e.nullable = v.is_null();
  return e;
}

BoundExpr Binder::CheckedInt(BoundExpr e) {
  if (!e.may_overflow || !e.type.IsInteger() || e.type.id == TypeId::kBit) return e;
  e.sql = "es_intchk(" + e.sql + ", " + std::to_string(static_cast<int>(e.type.id)) + ")";
  e.may_overflow = false;
  return e;
}

void Binder::Absorb(BoundExpr* parent, const BoundExpr& child) {
  parent->may_overflow |= child.may_overflow;
  parent->aggregate |= child.aggregate;
  parent->window |= child.window;
  parent->subquery |= child.subquery;
  parent->ungrouped.insert(parent->ungrouped.end(), child.ungrouped.begin(), child.ungrouped.end());
}

}  // namespace edgesql::tsql::bind
