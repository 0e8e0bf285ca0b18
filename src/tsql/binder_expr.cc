// Binder: scalar expressions and search conditions.
#include "tsql/binder.h"
#include "tsql/printer.h"
#include "tsql/type_code.h"
#include "types/collation.h"

namespace edgesql::tsql::bind {
namespace {

const char* ComparisonSql(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
      return "=";
    case BinaryOp::kNotEq:
      return "<>";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessEq:
    case BinaryOp::kNotGreater:
      return "<=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterEq:
    case BinaryOp::kNotLess:
      return ">=";
    default:
      return "=";
  }
}

const char* ComparisonName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
      return "equal to";
    case BinaryOp::kNotEq:
      return "not equal to";
    case BinaryOp::kLess:
      return "less than";
    case BinaryOp::kLessEq:
      return "less than or equal to";
    case BinaryOp::kGreater:
      return "greater than";
    case BinaryOp::kGreaterEq:
      return "greater than or equal to";
    case BinaryOp::kNotLess:
      return "not less than";
    case BinaryOp::kNotGreater:
      return "not greater than";
    default:
      return "equal to";
  }
}

const char* OperatorName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "add";
    case BinaryOp::kSub:
      return "subtract";
    case BinaryOp::kMul:
      return "multiply";
    case BinaryOp::kDiv:
      return "divide";
    case BinaryOp::kMod:
      return "modulo";
    case BinaryOp::kBitAnd:
      return "'&'";
    case BinaryOp::kBitOr:
      return "'|'";
    case BinaryOp::kBitXor:
      return "'^'";
    default:
      return "add";
  }
}

bool IsComparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
    case BinaryOp::kNotEq:
    case BinaryOp::kLess:
    case BinaryOp::kLessEq:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEq:
    case BinaryOp::kNotLess:
    case BinaryOp::kNotGreater:
      return true;
    default:
      return false;
  }
}

bool IsDateTimeArith(const SqlType& t) {
  return t.id == TypeId::kDateTime || t.id == TypeId::kSmallDateTime;
}

// Length in characters of a string type for concatenation (binary: bytes).
int32_t ConcatLength(const SqlType& t) { return t.IsNull() ? 0 : t.length; }

bool IsNonZeroConstant(const BoundExpr& e) {
  if (!e.constant || e.constant->is_null()) return false;
  const Value& v = *e.constant;
  if (std::holds_alternative<int64_t>(v.payload())) return v.AsInt() != 0;
  if (std::holds_alternative<double>(v.payload())) return v.AsDouble() != 0;
  return false;
}

// ---- Left-deep chains (BoundExpr::chain) ----

bool Extends(const BoundExpr& l, ChainKind kind) {
  return l.chain == kind && l.chain_size == l.sql.size();
}

void MarkChain(BoundExpr* out, ChainKind kind, int args = 0) {
  out->chain = kind;
  out->chain_size = out->sql.size();
  out->chain_args = args;
}

// "(l op r)"; when l is a parenthesized chain of the same SQLite precedence class, "(l... op r)"
// without another pair of parentheses (SQLite's binary operators associate to the left within a
// class, as T-SQL's do: ((a - b) + c) is (a - b + c)).
void EmitInfix(BoundExpr* out, BoundExpr& l, std::string_view op, const std::string& r,
               ChainKind kind) {
  std::string sql;
  if (Extends(l, kind)) {
    sql = std::move(l.sql);
    sql.back() = ' ';
  } else {
    sql = "(" + l.sql + " ";
  }
  sql.append(op).append(" ").append(r).append(")");
  out->sql = std::move(sql);
  MarkChain(out, kind);
}

// SQLite takes at most 127 arguments in a call (SQLITE_MAX_FUNCTION_ARG).
constexpr int kMaxCallArgs = 127;

// "fn(l, r)"; when l is already such a call with room for another argument, "fn(l..., r)".
void EmitVariadic(BoundExpr* out, BoundExpr& l, const char* fn, const std::string& r,
                  ChainKind kind) {
  std::string sql;
  int args = 2;
  if (Extends(l, kind) && l.chain_args < kMaxCallArgs) {
    args = l.chain_args + 1;
    sql = std::move(l.sql);
    sql.pop_back();
  } else {
    sql = std::string(fn) + "(" + l.sql;
  }
  sql.append(", ").append(r).append(")");
  out->sql = std::move(sql);
  MarkChain(out, kind, args);
}

// Decimal and money arithmetic: es_dec_chain('+T', a, b) computes a + b exactly in type T (a
// type code); a chain step appends its operator and type to the first argument and its operand
// to the others: es_dec_chain('+T1 *T2', a, b, c) is (a + b) * c.
void EmitDecimal(BoundExpr* out, BoundExpr& l, char op, int64_t type_code, const std::string& r) {
  std::string step = std::string(1, op) + Int(type_code);
  std::string sql;
  int args = 3;
  if (Extends(l, ChainKind::kDecimal) && l.chain_args < kMaxCallArgs) {
    // l is "es_dec_chain('<ops>', ...)": the operator list has no quote of its own.
    constexpr std::string_view kHead = "es_dec_chain('";
    size_t quote = l.sql.find('\'', kHead.size());
    args = l.chain_args + 1;
    sql = std::move(l.sql);
    sql.insert(quote, " " + step);
    sql.pop_back();
  } else {
    sql = "es_dec_chain('" + step + "', " + l.sql;
  }
  sql.append(", ").append(r).append(")");
  out->sql = std::move(sql);
  MarkChain(out, ChainKind::kDecimal, args);
}

}  // namespace

Result<BoundExpr> Binder::BindValue(const Expr& expr) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, Bind(expr));
  if (e.predicate) {
    return At(errors::Make(errors::kSyntaxError, {ToString(expr)}), expr.pos);
  }
  return e;
}

Result<BoundExpr> Binder::BindCondition(const Expr& expr) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, Bind(expr));
  if (!e.predicate) {
    return At(errors::Make(errors::kNonBooleanCondition, {ToString(expr)}), expr.pos);
  }
  return e;
}

Result<BoundExpr> Binder::BindComparison(BinaryOp op, BoundExpr l, BoundExpr r, SourcePos pos) {
  BoundExpr out;
  out.type = SqlType::Bit();
  out.predicate = true;
  Absorb(&out, l);
  Absorb(&out, r);
  out.nullable = l.nullable || r.nullable;
  // SET ANSI_NULLS OFF: = and <> against a NULL value (the NULL literal or a variable) compare
  // NULL as a value ("SET ANSI_NULLS (Transact-SQL)").
  bool legacy_nulls = !settings().ansi_nulls && (op == BinaryOp::kEq || op == BinaryOp::kNotEq) &&
                      (l.IsNullLiteral() || r.IsNullLiteral() || l.variable || r.variable);
  auto type = CombineTypes(l, r, ComparisonName(op));
  if (!type.ok()) return At(type.error(), pos);
  SqlType t = *type;
  // SQLite compares INTEGER with REAL numerically and exactly: no conversion needed.
  bool skip_l = t.IsApproxNumeric() && l.type.IsInteger();
  bool skip_r = t.IsApproxNumeric() && r.type.IsInteger();
  if (!skip_l) {
    auto c = ConvertTo(std::move(l), t);
    if (!c.ok()) return At(c.error(), pos);
    l = std::move(*c);
  }
  if (!skip_r) {
    auto c = ConvertTo(std::move(r), t);
    if (!c.ok()) return At(c.error(), pos);
    r = std::move(*c);
  }
  std::string rsql = (t.IsString() && !l.collated) ? Collated(r) : r.sql;
  if (t.id == TypeId::kDateTimeOffset) {
    // datetimeoffset compares instants: the first 8 bytes of the key are the UTC ticks, the
    // offset that follows must not make equal instants differ.
    l.sql = "substr(" + l.sql + ", 1, 8)";
    rsql = "substr(" + rsql + ", 1, 8)";
  }
  if (legacy_nulls) {
    out.sql = "(" + l.sql + (op == BinaryOp::kEq ? " IS " : " IS NOT ") + rsql + ")";
    out.nullable = false;
    return out;
  }
  out.sql = "(" + l.sql + " " + ComparisonSql(op) + " " + rsql + ")";
  return out;
}

Result<BoundExpr> Binder::BindArithmetic(BinaryOp op, BoundExpr l, BoundExpr r, SourcePos pos) {
  BoundExpr out;
  Absorb(&out, l);
  Absorb(&out, r);
  out.nullable = l.nullable || r.nullable;
  const SqlType lt = l.type;
  const SqlType rt = r.type;
  const SqlType& hi = TypePrecedence(lt.id) >= TypePrecedence(rt.id) ? lt : rt;
  auto fail_operand = [&](const SqlType& bad) -> SqlError {
    return At(errors::Make(errors::kInvalidOperandType, {bad.Name(), OperatorName(op)}), pos);
  };

  // Bitwise operators: integer operands only.
  if (op == BinaryOp::kBitAnd || op == BinaryOp::kBitOr || op == BinaryOp::kBitXor) {
    SqlType res = hi.IsNull() ? SqlType::Int() : hi;
    bool operands_ok = true;
    for (const SqlType* t : {&lt, &rt}) {
      operands_ok =
          operands_ok && (t->IsNull() || t->IsInteger() || t->IsString() || t->IsBinary());
    }
    if (!res.IsInteger() || !operands_ok) {
      return At(errors::Make(errors::kIncompatibleTypesInOperator,
                             {lt.Name(), rt.Name(), OperatorName(op)}),
                pos);
    }
    if (lt.id == TypeId::kBit && rt.id == TypeId::kBit) res = SqlType::Bit();
    EDGESQL_ASSIGN_OR_RETURN(l, ConvertTo(std::move(l), res));
    EDGESQL_ASSIGN_OR_RETURN(r, ConvertTo(std::move(r), res));
    out.type = res;
    if (op == BinaryOp::kBitXor) {
      // SQLite has no exclusive or; (a | b) - (a & b) would repeat both operands, doubling the
      // SQL at every step of a chain.
      EmitVariadic(&out, l, "es_bitxor", r.sql, ChainKind::kBitXor);
    } else {
      EmitInfix(&out, l, op == BinaryOp::kBitAnd ? "&" : "|", r.sql, ChainKind::kBitwise);
    }
    return out;
  }

  // String concatenation: + whose higher-precedence operand is a string ("+ (String
  // Concatenation)"); the result is as long as both operands, up to 8000 bytes unless (max).
  if (op == BinaryOp::kAdd && hi.IsString()) {
    bool unicode = lt.IsUnicode() || rt.IsUnicode();
    bool max = lt.IsMax() || rt.IsMax();
    int64_t len = static_cast<int64_t>(ConcatLength(lt.IsString() ? lt : hi)) +
                  ConcatLength(rt.IsString() ? rt : hi);
    int32_t cap = unicode ? 4000 : 8000;
    SqlType res = unicode ? SqlType::NVarChar() : SqlType::VarChar();
    res.length = max ? SqlType::kMax : static_cast<int32_t>(std::clamp<int64_t>(len, 1, cap));
    for (BoundExpr* e : {&l, &r}) {
      if (e->type.IsString() || e->type.IsNull()) continue;
      SqlType to = unicode ? SqlType::NVarChar(cap) : SqlType::VarChar(cap);
      auto c = ConvertTo(std::move(*e), to);
      if (!c.ok()) return At(c.error(), pos);
      *e = std::move(*c);
    }
    out.type = res;
    bool nulls_yield_null = settings().concat_null_yields_null;
    bool cut = !max && len > cap;
    SqlType uncut = res;
    uncut.length = SqlType::kMax;
    // A chain already cut at the limit that is cut again at the same limit: cutting the whole
    // chain once is the same (a prefix of a prefix), and keeps the SQL a flat chain.
    ChainKind cut_kind = nulls_yield_null ? ChainKind::kConcatCut : ChainKind::kConcatNullCut;
    if (cut && Extends(l, cut_kind) && l.type == res) {
      std::string head = "es_cast(";
      std::string tail = ", " + Int(TypeCode(uncut)) + ", " + Int(TypeCode(res)) + ")";
      if (l.sql.starts_with(head) && l.sql.ends_with(tail)) {
        l.sql = l.sql.substr(head.size(), l.sql.size() - head.size() - tail.size());
        l.chain = nulls_yield_null ? ChainKind::kConcat : ChainKind::kConcatNull;
        l.chain_size = l.sql.size();
      }
    }
    if (nulls_yield_null) {
      EmitInfix(&out, l, "||", r.sql, ChainKind::kConcat);
    } else {
      // NULL only when both are NULL; a function, so that neither operand is repeated.
      EmitVariadic(&out, l, "es_concat_null", r.sql, ChainKind::kConcatNull);
    }
    if (cut) {
      // "If the result of the concatenation of strings exceeds the limit of 8,000 bytes, the
      // result is truncated."
      int args = out.chain_args;
      out.type = uncut;
      auto c = ConvertTo(std::move(out), res, Conversion::kExplicit);
      if (!c.ok()) return At(c.error(), pos);
      MarkChain(&*c, cut_kind, args);
      return c;
    }
    return out;
  }
  if (op == BinaryOp::kAdd && hi.IsBinary() && (lt.IsBinary() || lt.IsNull()) &&
      (rt.IsBinary() || rt.IsNull())) {
    bool max = lt.IsMax() || rt.IsMax();
    int64_t len = static_cast<int64_t>(ConcatLength(lt)) + ConcatLength(rt);
    out.type = max ? SqlType::VarBinary(SqlType::kMax)
                   : SqlType::VarBinary(static_cast<int32_t>(std::clamp<int64_t>(len, 1, 8000)));
    EmitVariadic(&out, l, "es_binconcat", r.sql, ChainKind::kBinConcat);
    return out;
  }

  // datetime and smalldatetime take numbers (days) and each other ("+ (Addition)": "a number
  // of days to a date").
  if ((op == BinaryOp::kAdd || op == BinaryOp::kSub) &&
      (IsDateTimeArith(lt) || IsDateTimeArith(rt))) {
    SqlType res = (lt.id == TypeId::kDateTime || rt.id == TypeId::kDateTime)
                      ? SqlType::DateTime()
                      : SqlType::SmallDateTime();
    for (BoundExpr* e : {&l, &r}) {
      const SqlType& t = e->type;
      if (IsDateTimeArith(t) || t.IsNumeric() || t.IsNull()) continue;
      if (t.IsString()) {
        auto c = ConvertTo(std::move(*e), res);
        if (!c.ok()) return At(c.error(), pos);
        *e = std::move(*c);
        continue;
      }
      return fail_operand(t);
    }
    if (op == BinaryOp::kAdd && !IsDateTimeArith(l.type) && !IsDateTimeArith(r.type)) {
      return fail_operand(lt);
    }
    out.type = res;
    out.sql = "es_dtarith(" + std::string(op == BinaryOp::kAdd ? "1" : "-1") + ", " + l.sql + ", " +
              Int(TypeCode(l.type)) + ", " + r.sql + ", " + Int(TypeCode(r.type)) + ", " +
              Int(TypeCode(res)) + ")";
    return out;
  }

  // Numeric arithmetic. Operands of other types convert to the numeric operand's type when
  // SQL Server converts them implicitly (strings, binary); anything else is 8117.
  if (!lt.IsNumeric() && !lt.IsNull()) {
    if ((lt.IsString() || lt.IsBinary()) && rt.IsNumeric()) {
      auto c = ConvertTo(std::move(l), rt);
      if (!c.ok()) return At(c.error(), pos);
      l = std::move(*c);
    } else {
      return fail_operand(lt);
    }
  }
  if (!rt.IsNumeric() && !rt.IsNull()) {
    if ((rt.IsString() || rt.IsBinary()) && l.type.IsNumeric()) {
      auto c = ConvertTo(std::move(r), l.type);
      if (!c.ok()) return At(c.error(), pos);
      r = std::move(*c);
    } else {
      return fail_operand(rt);
    }
  }
  // "When a query is not autoparameterized, the constant value is first converted to numeric,
  // whose precision is just large enough to hold the value of the constant" (int, bigint,
  // smallint, and tinyint): an integer literal takes part in decimal arithmetic as numeric(p, 0).
  auto arith_type = [](const BoundExpr& e) {
    if (!e.constant || e.constant->is_null() || !e.type.IsInteger() || e.type.id == TypeId::kBit) {
      return e.type;
    }
    int64_t v = e.constant->AsInt();
    int digits = 1;
    for (uint64_t m = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v); m >= 10;
         m /= 10) {
      ++digits;
    }
    return SqlType::Numeric(digits, 0);
  };
  char opc = op == BinaryOp::kAdd   ? '+'
             : op == BinaryOp::kSub ? '-'
             : op == BinaryOp::kMul ? '*'
             : op == BinaryOp::kDiv ? '/'
                                    : '%';
  std::optional<SqlType> res = ArithmeticResultType(opc, l.type, r.type);
  if (res && res->IsDecimalLike() && (res->id == TypeId::kDecimal || res->id == TypeId::kNumeric)) {
    res = ArithmeticResultType(opc, arith_type(l), arith_type(r));
  }
  if (!res) {
    const SqlType& bad = (l.type.id == TypeId::kBit || l.type.IsApproxNumeric()) ? l.type : r.type;
    return fail_operand(bad);
  }
  out.type = *res;
  if (l.IsNullLiteral() || r.IsNullLiteral()) {
    out.sql = "NULL";
    return out;
  }
  if (res->IsDecimalLike()) {
    EmitDecimal(&out, l, opc, TypeCode(*res), r.sql);
    return out;
  }
  if (res->IsApproxNumeric()) {
    // Decimal operands become float; integers already compare and compute as numbers.
    for (BoundExpr* e : {&l, &r}) {
      if (!e->type.IsDecimalLike()) continue;
      auto c = ConvertTo(std::move(*e), SqlType::Float());
      if (!c.ok()) return At(c.error(), pos);
      *e = std::move(*c);
    }
  }
  std::string rsql = r.sql;
  // With ANSI_WARNINGS and ARITHABORT both OFF a division by zero is NULL ("SET ANSI_WARNINGS"),
  // which is what SQLite computes.
  bool checked = settings().ansi_warnings || settings().arithabort;
  if ((opc == '/' || opc == '%') && checked && !IsNonZeroConstant(r)) {
    rsql = "es_nz(" + r.sql + ")";
  }
  EmitInfix(&out, l, std::string(1, opc), rsql,
            opc == '+' || opc == '-' ? ChainKind::kAdditive : ChainKind::kMultiplicative);
  out.may_overflow = out.may_overflow || res->IsInteger();
  return out;
}

Result<BoundExpr> Binder::BindAssignOp(AssignOp op, BoundExpr target, BoundExpr value,
                                       SourcePos pos) {
  static const BinaryOp kOps[] = {BinaryOp::kAdd,    BinaryOp::kAdd,   BinaryOp::kSub,
                                  BinaryOp::kMul,    BinaryOp::kDiv,   BinaryOp::kMod,
                                  BinaryOp::kBitAnd, BinaryOp::kBitOr, BinaryOp::kBitXor};
  if (op == AssignOp::kAssign) return value;
  return BindArithmetic(kOps[static_cast<int>(op)], std::move(target), std::move(value), pos);
}

Result<BoundExpr> Binder::Bind(const Expr& expr) {
  const SourcePos pos = expr.pos;
  Result<BoundExpr> result = std::visit(
      [&](const auto& n) -> Result<BoundExpr> {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, LiteralExpr>) {
          auto r = BindLiteralValue(n);
          if (!r.ok()) return At(r.error(), pos);
          return r;
        } else if constexpr (std::is_same_v<T, ColumnRefExpr>) {
          return BindColumnRef(n, pos);
        } else if constexpr (std::is_same_v<T, VariableExpr>) {
          return BindVariable(n.name, pos);
        } else if constexpr (std::is_same_v<T, GlobalVariableExpr>) {
          return BindGlobalVariable(n.name, pos);
        } else if constexpr (std::is_same_v<T, UnaryExpr>) {
          return BindUnary(n, pos);
        } else if constexpr (std::is_same_v<T, BinaryExpr>) {
          return BindBinary(n, pos);
        } else if constexpr (std::is_same_v<T, IsNullExpr>) {
          EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(*n.operand));
          BoundExpr out;
          Absorb(&out, v);
          out.type = SqlType::Bit();
          out.predicate = true;
          out.nullable = false;
          out.sql = "(" + v.sql + (n.negated ? " IS NOT NULL)" : " IS NULL)");
          return out;
        } else if constexpr (std::is_same_v<T, BetweenExpr>) {
          return BindBetween(n, pos);
        } else if constexpr (std::is_same_v<T, InExpr>) {
          return BindIn(n, pos);
        } else if constexpr (std::is_same_v<T, LikeExpr>) {
          return BindLike(n, pos);
        } else if constexpr (std::is_same_v<T, ExistsExpr>) {
          std::vector<ColumnUse> outer;
          EDGESQL_ASSIGN_OR_RETURN(BoundQuery q, BindSubquery(*n.subquery, &outer));
          BoundExpr out;
          out.type = SqlType::Bit();
          out.predicate = true;
          out.nullable = false;
          out.subquery = true;
          out.ungrouped = std::move(outer);
          out.sql = "EXISTS (" + q.Render(false) + ")";
          return out;
        } else if constexpr (std::is_same_v<T, QuantifiedExpr>) {
          return BindQuantified(n, pos);
        } else if constexpr (std::is_same_v<T, CaseExpr>) {
          return BindCase(n, pos);
        } else if constexpr (std::is_same_v<T, CastExpr>) {
          EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(*n.operand));
          EDGESQL_ASSIGN_OR_RETURN(SqlType t, ResolveCastType(n.type));
          auto r = ConvertTo(std::move(v), t, n.is_try ? Conversion::kTry : Conversion::kExplicit);
          if (!r.ok()) return At(r.error(), pos);
          return r;
        } else if constexpr (std::is_same_v<T, ConvertExpr>) {
          return BindConvert(n, pos);
        } else if constexpr (std::is_same_v<T, DatePartExpr>) {
          return At(errors::Make(errors::kInvalidColumnName, {n.name}), pos);
        } else if constexpr (std::is_same_v<T, FunctionCallExpr>) {
          return BindFunction(n, pos);
        } else if constexpr (std::is_same_v<T, SubqueryExpr>) {
          return BindScalarSubquery(*n.query, pos);
        } else if constexpr (std::is_same_v<T, CollateExpr>) {
          return BindCollate(n, pos);
        } else {
          static_assert(std::is_same_v<T, DefaultExpr>);
          return At(errors::Make(errors::kSyntaxErrorKeyword, {"DEFAULT"}), pos);
        }
      },
      expr.node);
  if (result.ok()) Finish(&result.value());
  return result;
}

Result<BoundExpr> Binder::BindUnary(const UnaryExpr& n, SourcePos pos) {
  if (n.op == UnaryOp::kNot) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr c, BindCondition(*n.operand));
    c.sql = "(NOT " + c.sql + ")";
    return c;
  }
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(*n.operand));
  if (n.op == UnaryOp::kPlus) return v;
  SqlType t = v.type;
  if (t.IsString()) {
    // -'1' converts the string to int? SQL Server applies the operator to the string's
    // numeric value only for +; unary minus on a string is 8117.
    return At(errors::Make(errors::kInvalidOperandType,
                           {t.Name(), n.op == UnaryOp::kMinus ? "minus" : "~"}),
              pos);
  }
  BoundExpr out;
  Absorb(&out, v);
  out.nullable = v.nullable;
  if (n.op == UnaryOp::kMinus) {
    if (!t.IsNumeric() && !t.IsNull()) {
      return At(errors::Make(errors::kInvalidOperandType, {t.Name(), "minus"}), pos);
    }
    if (t.id == TypeId::kBit) {
      return At(errors::Make(errors::kInvalidOperandType, {t.Name(), "minus"}), pos);
    }
    if (v.constant && !v.constant->is_null()) {
      Value c = *v.constant;
      if (std::holds_alternative<int64_t>(c.payload())) {
        int64_t x = c.AsInt();
        if (t.id == TypeId::kTinyInt) {
          return At(errors::Make(errors::kInvalidOperandType, {t.Name(), "minus"}), pos);
        }
        return Literal(Value::Int(t, -x));
      }
      if (std::holds_alternative<double>(c.payload()))
        return Literal(Value::Float(t, -c.AsDouble()));
      if (std::holds_alternative<Decimal>(c.payload())) {
        return Literal(Value::Dec(t, c.AsDecimal().Negate()));
      }
    }
    out.type = t.IsNull() ? SqlType::Int() : t;
    if (t.IsDecimalLike()) {
      out.sql = "es_dec_neg(" + v.sql + ")";
    } else {
      out.sql = "(- " + v.sql + ")";
      out.may_overflow = out.may_overflow || t.IsInteger();
    }
    return out;
  }
  // ~: integer types; bit and tinyint flip within their width.
  if (!t.IsInteger() && !t.IsNull()) {
    return At(errors::Make(errors::kInvalidOperandType, {t.Name(), "~"}), pos);
  }
  out.type = t.IsNull() ? SqlType::Int() : t;
  if (t.id == TypeId::kBit) {
    out.sql = "(1 - " + v.sql + ")";
  } else if (t.id == TypeId::kTinyInt) {
    out.sql = "(255 - " + v.sql + ")";
  } else {
    out.sql = "(~ " + v.sql + ")";
  }
  return out;
}

Result<BoundExpr> Binder::BindBinary(const BinaryExpr& n, SourcePos pos) {
  if (n.op == BinaryOp::kAnd || n.op == BinaryOp::kOr) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr l, BindCondition(*n.left));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr r, BindCondition(*n.right));
    BoundExpr out;
    Absorb(&out, l);
    Absorb(&out, r);
    out.type = SqlType::Bit();
    out.predicate = true;
    out.nullable = l.nullable || r.nullable;
    if (n.op == BinaryOp::kAnd) {
      EmitInfix(&out, l, "AND", r.sql, ChainKind::kAnd);
    } else {
      EmitInfix(&out, l, "OR", r.sql, ChainKind::kOr);
    }
    return out;
  }
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr l, BindValue(*n.left));
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr r, BindValue(*n.right));
  if (IsComparison(n.op)) return BindComparison(n.op, std::move(l), std::move(r), pos);
  return BindArithmetic(n.op, std::move(l), std::move(r), pos);
}

Result<BoundExpr> Binder::BindCase(const CaseExpr& n, SourcePos pos) {
  BoundExpr out;
  std::optional<BoundExpr> operand;
  std::vector<BoundExpr> whens;
  std::vector<BoundExpr> thens;
  if (n.operand) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr o, BindValue(*n.operand));
    operand = std::move(o);
  }
  for (const WhenClause& w : n.whens) {
    if (operand) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr b, BindValue(*w.when));
      whens.push_back(std::move(b));
    } else {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr b, BindCondition(*w.when));
      whens.push_back(std::move(b));
    }
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr t, BindValue(*w.then));
    thens.push_back(std::move(t));
  }
  std::optional<BoundExpr> else_result;
  if (n.else_result) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*n.else_result));
    else_result = std::move(e);
  }
  // Result type: the highest precedence among the results ("CASE (Transact-SQL)").
  std::vector<const BoundExpr*> arms;
  for (const BoundExpr& t : thens) arms.push_back(&t);
  if (else_result) arms.push_back(&*else_result);
  auto rt = ResultTypeOf(arms, "case");
  if (!rt.ok()) return At(rt.error(), pos);
  if (rt->IsNull()) return At(errors::Make(errors::kCaseAllNull), pos);
  out.type = *rt;
  out.nullable = !else_result.has_value();
  std::string sql = "CASE";
  if (operand) {
    SqlType t = operand->type;
    for (const BoundExpr& w : whens) {
      BoundExpr probe;
      probe.type = t;
      auto c = CombineTypes(probe, w, "equal to");
      if (!c.ok()) return At(c.error(), pos);
      t = *c;
    }
    Absorb(&out, *operand);
    auto c = ConvertTo(std::move(*operand), t);
    if (!c.ok()) return At(c.error(), pos);
    sql += " " + Collated(*c);
    for (BoundExpr& w : whens) {
      auto cw = ConvertTo(std::move(w), t);
      if (!cw.ok()) return At(cw.error(), pos);
      w = std::move(*cw);
    }
  }
  for (size_t i = 0; i < whens.size(); ++i) {
    Absorb(&out, whens[i]);
    Absorb(&out, thens[i]);
    out.nullable |= thens[i].nullable;
    auto c = ConvertTo(std::move(thens[i]), out.type);
    if (!c.ok()) return At(c.error(), pos);
    sql += " WHEN " + whens[i].sql + " THEN " + c->sql;
  }
  if (else_result) {
    Absorb(&out, *else_result);
    out.nullable |= else_result->nullable;
    auto c = ConvertTo(std::move(*else_result), out.type);
    if (!c.ok()) return At(c.error(), pos);
    sql += " ELSE " + c->sql;
  }
  out.sql = sql + " END";
  return out;
}

Result<BoundExpr> Binder::BindConvert(const ConvertExpr& n, SourcePos pos) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(*n.operand));
  EDGESQL_ASSIGN_OR_RETURN(SqlType t, ResolveCastType(n.type));
  int style = 0;
  if (n.style) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, BindValue(*n.style));
    if (!s.constant || s.constant->is_null() ||
        !std::holds_alternative<int64_t>(s.constant->payload())) {
      return At(errors::Make(errors::kUnsupportedStatement, {"CONVERT with a non-constant style"}),
                pos);
    }
    style = static_cast<int>(s.constant->AsInt());
  }
  auto r = ConvertTo(std::move(v), t, n.is_try ? Conversion::kTry : Conversion::kExplicit, style);
  if (!r.ok()) return At(r.error(), pos);
  return r;
}

Result<BoundExpr> Binder::BindCollate(const CollateExpr& n, SourcePos pos) {
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, BindValue(*n.operand));
  std::string name = Upper(n.collation.value);
  if (!v.type.IsString()) {
    return At(errors::Make(errors::kInvalidOperandType, {v.type.Name(), "COLLATE"}), pos);
  }
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  BoundExpr out = v;
  out.is_column = false;
  out.column = nullptr;
  out.collated = true;
  if (name == "DATABASE_DEFAULT" || ends_with("_CI_AS") || name == "CI_AS") {
    out.sql = "(" + v.sql + " COLLATE CI_AS)";
  } else if (ends_with("_BIN") || ends_with("_BIN2")) {
    // Binary collations order by code point, which SQLite's BINARY does for UTF-8.
    out.sql = "(" + v.sql + " COLLATE BINARY)";
  } else {
    return At(errors::Make(errors::kUnsupportedStatement, {"COLLATE " + n.collation.value}), pos);
  }
  return out;
}

Result<BoundExpr> Binder::AsString(BoundExpr e) {
  if (e.type.IsString()) return e;
  if (e.type.IsNull()) {
    e.type = SqlType::VarChar(1);
    return e;
  }
  // The length SQL Server gives the implicit conversion of each type to a string.
  int32_t len = 30;
  if (e.type.IsBinary())
    len = e.type.IsMax() ? SqlType::kMax : std::min(8000, e.type.length * 2 + 2);
  if (e.type.id == TypeId::kUniqueIdentifier) len = 36;
  SqlType t = e.type.IsUnicode() ? SqlType::NVarChar(len) : SqlType::VarChar(len);
  return ConvertTo(std::move(e), t);
}

}  // namespace edgesql::tsql::bind
