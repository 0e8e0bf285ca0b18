// Printer: names, types, expressions, queries and table sources.
#include <variant>

#include "tsql/printer_internal.h"

namespace edgesql::tsql {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// Binding strength for printing, 0 = binds tightest. Mirrors the parser: primaries, COLLATE,
// unary + - ~, * / %, + - & ^ |, predicates, NOT, AND, OR.
constexpr int kPrimary = 0;
constexpr int kCollate = 1;
constexpr int kUnary = 2;
constexpr int kMultiplicative = 3;
constexpr int kAdditive = 4;
constexpr int kPredicate = 5;
constexpr int kNot = 6;
constexpr int kAnd = 7;
constexpr int kOr = 8;

int BinaryPrecedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      return kMultiplicative;
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kBitAnd:
    case BinaryOp::kBitOr:
    case BinaryOp::kBitXor:
      return kAdditive;
    case BinaryOp::kAnd:
      return kAnd;
    case BinaryOp::kOr:
      return kOr;
    default:
      return kPredicate;
  }
}

int Precedence(const Expr& e) {
  if (const auto* b = e.As<BinaryExpr>()) return BinaryPrecedence(b->op);
  if (const auto* u = e.As<UnaryExpr>()) return u->op == UnaryOp::kNot ? kNot : kUnary;
  if (e.As<CollateExpr>()) return kCollate;
  if (IsPredicate(e)) return kPredicate;
  return kPrimary;
}

const char* BinaryOpText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kBitAnd:
      return "&";
    case BinaryOp::kBitOr:
      return "|";
    case BinaryOp::kBitXor:
      return "^";
    case BinaryOp::kEq:
      return "=";
    case BinaryOp::kNotEq:
      return "<>";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessEq:
      return "<=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterEq:
      return ">=";
    case BinaryOp::kNotLess:
      return "!<";
    case BinaryOp::kNotGreater:
      return "!>";
    case BinaryOp::kAnd:
      return "AND";
    case BinaryOp::kOr:
      return "OR";
  }
  return "?";
}

bool EqualsIgnoreCase(std::string_view a, std::string_view upper) {
  if (a.size() != upper.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

const char* SetOpText(SetOpKind kind) {
  switch (kind) {
    case SetOpKind::kUnion:
      return " UNION ";
    case SetOpKind::kUnionAll:
      return " UNION ALL ";
    case SetOpKind::kExcept:
      return " EXCEPT ";
    case SetOpKind::kIntersect:
      return " INTERSECT ";
  }
  return " ";
}

int SetPrecedence(const QueryExpr& q) {
  if (const auto* op = std::get_if<SetOperation>(&q.node)) {
    return op->kind == SetOpKind::kIntersect ? 1 : 2;
  }
  return 0;
}

const char* JoinText(JoinKind kind) {
  switch (kind) {
    case JoinKind::kInner:
      return "INNER";
    case JoinKind::kLeft:
      return "LEFT";
    case JoinKind::kRight:
      return "RIGHT";
    case JoinKind::kFull:
      return "FULL";
    case JoinKind::kCross:
      return "CROSS JOIN";
    case JoinKind::kCrossApply:
      return "CROSS APPLY";
    case JoinKind::kOuterApply:
      return "OUTER APPLY";
  }
  return "";
}

void FrameBoundText(Printer* p, const FrameBound& b) {
  switch (b.kind) {
    case FrameBoundKind::kUnboundedPreceding:
      p->out += "UNBOUNDED PRECEDING";
      break;
    case FrameBoundKind::kUnboundedFollowing:
      p->out += "UNBOUNDED FOLLOWING";
      break;
    case FrameBoundKind::kCurrentRow:
      p->out += "CURRENT ROW";
      break;
    case FrameBoundKind::kPreceding:
      p->Expression(*b.offset);
      p->out += " PRECEDING";
      break;
    case FrameBoundKind::kFollowing:
      p->Expression(*b.offset);
      p->out += " FOLLOWING";
      break;
  }
}

}  // namespace

std::string QuoteIdentifier(const Identifier& name) {
  if (!name.quoted) return name.value;
  std::string out = "[";
  for (char c : name.value) {
    out += c;
    if (c == ']') out += ']';
  }
  out += ']';
  return out;
}

std::string QuoteString(std::string_view text, bool unicode) {
  std::string out = unicode ? "N'" : "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += '\'';
  return out;
}

const char* AssignOpText(AssignOp op) {
  switch (op) {
    case AssignOp::kAssign:
      return "=";
    case AssignOp::kAdd:
      return "+=";
    case AssignOp::kSub:
      return "-=";
    case AssignOp::kMul:
      return "*=";
    case AssignOp::kDiv:
      return "/=";
    case AssignOp::kMod:
      return "%=";
    case AssignOp::kBitAnd:
      return "&=";
    case AssignOp::kBitOr:
      return "|=";
    case AssignOp::kBitXor:
      return "^=";
  }
  return "=";
}

void Printer::Name(const Identifier& id) { out += QuoteIdentifier(id); }

void Printer::Name(const MultiPartName& name) {
  for (size_t i = 0; i < name.parts.size(); ++i) {
    if (i > 0) out += '.';
    Name(name.parts[i]);
  }
}

void Printer::Names(const std::vector<Identifier>& names) {
  out += '(';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    Name(names[i]);
  }
  out += ')';
}

void Printer::Type(const DataTypeRef& type) {
  Name(type.name);
  if (type.is_max) {
    out += "(MAX)";
  } else if (!type.facets.empty()) {
    out += '(';
    for (size_t i = 0; i < type.facets.size(); ++i) {
      if (i > 0) out += ", ";
      out += std::to_string(type.facets[i]);
    }
    out += ')';
  }
}

void Printer::ExpressionAt(const Expr& expr, int max_precedence_without_parens) {
  if (Precedence(expr) > max_precedence_without_parens) {
    out += '(';
    Expression(expr);
    out += ')';
  } else {
    Expression(expr);
  }
}

void Printer::ExprList(const std::vector<ExprPtr>& exprs) {
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    Expression(*exprs[i]);
  }
}

void Printer::OrderBy(const std::vector<OrderItem>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    Expression(*items[i].expr);
    if (items[i].order == SortOrder::kAsc) out += " ASC";
    if (items[i].order == SortOrder::kDesc) out += " DESC";
  }
}

void Printer::Over(const OverClause& over) {
  out += " OVER (";
  bool space = false;
  if (!over.partition_by.empty()) {
    out += "PARTITION BY ";
    ExprList(over.partition_by);
    space = true;
  }
  if (!over.order_by.empty()) {
    if (space) out += ' ';
    out += "ORDER BY ";
    OrderBy(over.order_by);
    space = true;
  }
  if (over.frame) {
    if (space) out += ' ';
    out += over.frame->unit == FrameUnit::kRows ? "ROWS " : "RANGE ";
    if (over.frame->end) {
      out += "BETWEEN ";
      FrameBoundText(this, over.frame->start);
      out += " AND ";
      FrameBoundText(this, *over.frame->end);
    } else {
      FrameBoundText(this, over.frame->start);
    }
  }
  out += ')';
}

void Printer::Expression(const Expr& expr) {
  std::visit(Overloaded{
                 [&](const LiteralExpr& e) {
                   switch (e.kind) {
                     case LiteralKind::kNull:
                       out += "NULL";
                       break;
                     case LiteralKind::kMoney:
                       out += '$' + e.text;
                       break;
                     case LiteralKind::kString:
                       out += QuoteString(e.text, false);
                       break;
                     case LiteralKind::kNString:
                       out += QuoteString(e.text, true);
                       break;
                     case LiteralKind::kBinary:
                       out += "0x" + e.text;
                       break;
                     default:
                       out += e.text;
                       break;
                   }
                 },
                 [&](const ColumnRefExpr& e) { Name(e.name); },
                 [&](const VariableExpr& e) { out += e.name; },
                 [&](const GlobalVariableExpr& e) { out += e.name; },
                 [&](const UnaryExpr& e) {
                   if (e.op == UnaryOp::kNot) {
                     out += "NOT ";
                     ExpressionAt(*e.operand, kNot);
                     return;
                   }
                   out += e.op == UnaryOp::kMinus ? "-" : e.op == UnaryOp::kPlus ? "+" : "~";
                   if (e.operand->As<UnaryExpr>()) out += ' ';  // "- -x", never the comment "--x"
                   ExpressionAt(*e.operand, kUnary);
                 },
                 [&](const BinaryExpr& e) {
                   int prec = BinaryPrecedence(e.op);
                   ExpressionAt(*e.left, prec);
                   out += ' ';
                   out += BinaryOpText(e.op);
                   out += ' ';
                   ExpressionAt(*e.right, prec - 1);
                 },
                 [&](const IsNullExpr& e) {
                   ExpressionAt(*e.operand, kAdditive);
                   out += e.negated ? " IS NOT NULL" : " IS NULL";
                 },
                 [&](const BetweenExpr& e) {
                   ExpressionAt(*e.operand, kAdditive);
                   out += e.negated ? " NOT BETWEEN " : " BETWEEN ";
                   ExpressionAt(*e.low, kAdditive);
                   out += " AND ";
                   ExpressionAt(*e.high, kAdditive);
                 },
                 [&](const InExpr& e) {
                   ExpressionAt(*e.operand, kAdditive);
                   out += e.negated ? " NOT IN (" : " IN (";
                   if (e.subquery) {
                     QueryText(*e.subquery);
                   } else {
                     ExprList(e.values);
                   }
                   out += ')';
                 },
                 [&](const LikeExpr& e) {
                   ExpressionAt(*e.operand, kAdditive);
                   out += e.negated ? " NOT LIKE " : " LIKE ";
                   ExpressionAt(*e.pattern, kAdditive);
                   if (e.escape) {
                     out += " ESCAPE ";
                     ExpressionAt(*e.escape, kAdditive);
                   }
                 },
                 [&](const ExistsExpr& e) {
                   out += "EXISTS (";
                   QueryText(*e.subquery);
                   out += ')';
                 },
                 [&](const QuantifiedExpr& e) {
                   ExpressionAt(*e.operand, kAdditive);
                   out += ' ';
                   out += BinaryOpText(e.op);
                   out += e.quantifier == Quantifier::kAll   ? " ALL ("
                          : e.quantifier == Quantifier::kAny ? " ANY ("
                                                             : " SOME (";
                   QueryText(*e.subquery);
                   out += ')';
                 },
                 [&](const CaseExpr& e) {
                   out += "CASE";
                   if (e.operand) {
                     out += ' ';
                     Expression(*e.operand);
                   }
                   for (const WhenClause& w : e.whens) {
                     out += " WHEN ";
                     Expression(*w.when);
                     out += " THEN ";
                     Expression(*w.then);
                   }
                   if (e.else_result) {
                     out += " ELSE ";
                     Expression(*e.else_result);
                   }
                   out += " END";
                 },
                 [&](const CastExpr& e) {
                   out += e.is_try ? "TRY_CAST(" : "CAST(";
                   Expression(*e.operand);
                   out += " AS ";
                   Type(e.type);
                   out += ')';
                 },
                 [&](const ConvertExpr& e) {
                   out += e.is_try ? "TRY_CONVERT(" : "CONVERT(";
                   Type(e.type);
                   out += ", ";
                   Expression(*e.operand);
                   if (e.style) {
                     out += ", ";
                     Expression(*e.style);
                   }
                   out += ')';
                 },
                 [&](const DatePartExpr& e) { out += e.name; },
                 [&](const FunctionCallExpr& e) {
                   Name(e.name);
                   if (e.no_parens) return;
                   out += '(';
                   if (e.star) {
                     out += '*';
                   } else if (e.trim_from && e.args.size() == 2) {
                     Expression(*e.args[1]);
                     out += " FROM ";
                     Expression(*e.args[0]);
                   } else {
                     if (e.distinct) out += "DISTINCT ";
                     ExprList(e.args);
                   }
                   out += ')';
                   if (!e.within_group.empty()) {
                     out += " WITHIN GROUP (ORDER BY ";
                     OrderBy(e.within_group);
                     out += ')';
                   }
                   if (e.over) Over(*e.over);
                 },
                 [&](const SubqueryExpr& e) {
                   out += '(';
                   QueryText(*e.query);
                   out += ')';
                 },
                 [&](const CollateExpr& e) {
                   ExpressionAt(*e.operand, kCollate);
                   out += " COLLATE ";
                   Name(e.collation);
                 },
                 [&](const DefaultExpr&) { out += "DEFAULT"; },
             },
             expr.node);
}

// ---------------------------------------------------------------------------------------------
// Queries

void Printer::Ctes(const std::vector<CommonTableExpr>& ctes) {
  if (ctes.empty()) return;
  out += "WITH ";
  for (size_t i = 0; i < ctes.size(); ++i) {
    if (i > 0) out += ", ";
    Name(ctes[i].name);
    if (!ctes[i].columns.empty()) Names(ctes[i].columns);
    out += " AS (";
    QueryText(*ctes[i].query);
    out += ')';
  }
  out += ' ';
}

void Printer::QueryText(const Query& query) {
  Ctes(query.ctes);
  Body(*query.body);
  if (!query.order_by.empty()) {
    out += " ORDER BY ";
    OrderBy(query.order_by);
  }
  if (query.offset) {
    out += " OFFSET ";
    Expression(*query.offset);
    out += " ROWS";
    if (query.fetch) {
      out += " FETCH NEXT ";
      Expression(*query.fetch);
      out += " ROWS ONLY";
    }
  }
}

void Printer::Body(const QueryExpr& body) {
  std::visit(Overloaded{
                 [&](const QuerySpec& s) { Spec(s); },
                 [&](const SetOperation& s) {
                   int prec = s.kind == SetOpKind::kIntersect ? 1 : 2;
                   bool left_parens = SetPrecedence(*s.left) > prec;
                   bool right_parens = SetPrecedence(*s.right) >= prec;
                   if (left_parens) out += '(';
                   Body(*s.left);
                   if (left_parens) out += ')';
                   out += SetOpText(s.kind);
                   if (right_parens) out += '(';
                   Body(*s.right);
                   if (right_parens) out += ')';
                 },
                 [&](const ParenQuery& s) {
                   out += '(';
                   QueryText(*s.query);
                   out += ')';
                 },
             },
             body.node);
}

void Printer::Top(const TopClause& top) {
  out += "TOP (";
  Expression(*top.count);
  out += ')';
  if (top.percent) out += " PERCENT";
  if (top.with_ties) out += " WITH TIES";
}

void Printer::SelectItems(const std::vector<SelectItem>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    const SelectItem& item = items[i];
    switch (item.kind) {
      case SelectItemKind::kStar:
        if (!item.star_qualifier.parts.empty()) {
          Name(item.star_qualifier);
          out += '.';
        }
        out += '*';
        break;
      case SelectItemKind::kAssign:
        out += item.variable;
        out += ' ';
        out += AssignOpText(item.op);
        out += ' ';
        Expression(*item.expr);
        break;
      case SelectItemKind::kExpr:
        Expression(*item.expr);
        if (item.alias) {
          out += " AS ";
          Name(*item.alias);
        }
        break;
    }
  }
}

void Printer::Spec(const QuerySpec& spec) {
  out += "SELECT ";
  if (spec.distinct) out += "DISTINCT ";
  if (spec.top) {
    Top(*spec.top);
    out += ' ';
  }
  SelectItems(spec.items);
  if (spec.into) {
    out += " INTO ";
    Name(*spec.into);
  }
  if (!spec.from.empty()) {
    out += " FROM ";
    for (size_t i = 0; i < spec.from.size(); ++i) {
      if (i > 0) out += ", ";
      Table(*spec.from[i]);
    }
  }
  if (spec.where) {
    out += " WHERE ";
    Expression(*spec.where);
  }
  if (!spec.group_by.empty()) {
    out += " GROUP BY ";
    ExprList(spec.group_by);
  }
  if (spec.having) {
    out += " HAVING ";
    Expression(*spec.having);
  }
}

void Printer::Alias(const std::optional<Identifier>& alias,
                    const std::vector<Identifier>& columns) {
  if (!alias) return;
  out += " AS ";
  Name(*alias);
  if (!columns.empty()) Names(columns);
}

void Printer::Hints(const std::vector<TableHint>& hints) {
  if (hints.empty()) return;
  out += " WITH (";
  for (size_t i = 0; i < hints.size(); ++i) {
    if (i > 0) out += ", ";
    Name(hints[i].name);
    if (hints[i].args.empty()) continue;
    bool equals = EqualsIgnoreCase(hints[i].name.value, "SPATIAL_WINDOW_MAX_CELLS");
    if (equals) {
      out += " = ";
      Expression(*hints[i].args[0]);
    } else {
      out += '(';
      ExprList(hints[i].args);
      out += ')';
    }
  }
  out += ')';
}

void Printer::ValuesRows(const std::vector<std::vector<ExprPtr>>& rows) {
  out += "VALUES ";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out += ", ";
    out += '(';
    ExprList(rows[i]);
    out += ')';
  }
}

void Printer::Table(const TableRef& table) {
  std::visit(Overloaded{
                 [&](const NamedTableRef& t) {
                   Name(t.name);
                   Alias(t.alias, {});
                   Hints(t.hints);
                 },
                 [&](const VariableTableRef& t) {
                   out += t.variable;
                   Alias(t.alias, {});
                 },
                 [&](const FunctionTableRef& t) {
                   Name(t.name);
                   out += '(';
                   ExprList(t.args);
                   out += ')';
                   Alias(t.alias, t.columns);
                 },
                 [&](const DerivedTableRef& t) {
                   out += '(';
                   QueryText(*t.query);
                   out += ')';
                   Alias(t.alias, t.columns);
                 },
                 [&](const ValuesTableRef& t) {
                   out += '(';
                   ValuesRows(t.rows);
                   out += ')';
                   Alias(t.alias, t.columns);
                 },
                 [&](const JoinTableRef& t) {
                   Table(*t.left);
                   out += ' ';
                   out += JoinText(t.kind);
                   if (t.kind == JoinKind::kInner || t.kind == JoinKind::kLeft ||
                       t.kind == JoinKind::kRight || t.kind == JoinKind::kFull) {
                     if (!t.hint.empty()) {
                       out += ' ';
                       out += t.hint;
                     }
                     out += " JOIN";
                   }
                   out += ' ';
                   // The right side of a join with ON is parsed greedily up to its ON, so
                   // "a JOIN b JOIN c ON x ON y" needs no parentheses; CROSS JOIN and APPLY
                   // take a single table source on the right.
                   bool parens = !t.on && std::holds_alternative<JoinTableRef>(t.right->node);
                   if (parens) out += '(';
                   Table(*t.right);
                   if (parens) out += ')';
                   if (t.on) {
                     out += " ON ";
                     Expression(*t.on);
                   }
                 },
             },
             table.node);
}

void Printer::Options(const QueryHints& hints) {
  if (hints.empty()) return;
  out += " OPTION (";
  for (size_t i = 0; i < hints.size(); ++i) {
    if (i > 0) out += ", ";
    out += hints[i];
  }
  out += ')';
}

std::string ToString(const Query& query) {
  Printer p;
  p.QueryText(query);
  return std::move(p.out);
}

std::string ToString(const TableRef& table) {
  Printer p;
  p.Table(table);
  return std::move(p.out);
}

std::string ToString(const Expr& expr) {
  Printer p;
  p.Expression(expr);
  return std::move(p.out);
}

std::string ToString(const DataTypeRef& type) {
  Printer p;
  p.Type(type);
  return std::move(p.out);
}

}  // namespace edgesql::tsql
