// Binder: literals, implicit and explicit conversions, and the type rules that combine operands
// ("Data type precedence", "Data type conversion" in SQL Server's documentation).
#include <cmath>
#include <cstdlib>

#include "common/utf.h"
#include "tsql/binder.h"
#include "tsql/convert_style.h"
#include "tsql/type_code.h"
#include "types/convert.h"
#include "types/storage_form.h"

namespace edgesql::tsql::bind {
namespace {

int IntRank(TypeId id) {
  switch (id) {
    case TypeId::kBit:
      return 0;
    case TypeId::kTinyInt:
      return 1;
    case TypeId::kSmallInt:
      return 2;
    case TypeId::kInt:
      return 3;
    default:
      return 4;
  }
}

struct Facets {
  int p;
  int s;
};

Facets DecimalFacets(const SqlType& t) {
  if (t.id == TypeId::kMoney) return {19, 4};
  if (t.id == TypeId::kSmallMoney) return {10, 4};
  return {t.precision, t.scale};
}

// True when every value of `f` is already, in storage form, the same value of `t`: the
// conversion changes only the SQL Server type (decimal keys are scale-free, integers share one
// storage class, a wider string holds the narrower one unchanged, ...).
bool IsNoOp(const SqlType& f, const SqlType& t) {
  if (f.IsInteger() && t.IsInteger()) {
    if (t.id == TypeId::kBit) return f.id == TypeId::kBit;
    return IntRank(f.id) <= IntRank(t.id);
  }
  if (f.id == TypeId::kReal && t.id == TypeId::kFloat) return true;
  if (f.IsDecimalLike() && t.IsDecimalLike()) {
    Facets a = DecimalFacets(f);
    if (t.id == TypeId::kMoney) {
      return f.id == TypeId::kMoney || f.id == TypeId::kSmallMoney || (a.s <= 4 && a.p - a.s <= 14);
    }
    if (t.id == TypeId::kSmallMoney) {
      return f.id == TypeId::kSmallMoney || (f.id != TypeId::kMoney && a.s <= 4 && a.p - a.s <= 5);
    }
    return t.scale >= a.s && t.precision - t.scale >= a.p - a.s;
  }
  if (f.IsString() && t.IsString()) {
    if (f.IsUnicode() && !t.IsUnicode()) return false;
    if (t.IsFixedLength()) return f.IsFixedLength() && f.length == t.length;
    if (t.IsMax()) return true;
    if (f.IsMax()) return false;
    return f.length <= t.length;
  }
  if (f.IsBinary() && t.IsBinary()) {
    if (t.id == TypeId::kBinary) return f.id == TypeId::kBinary && f.length == t.length;
    if (t.IsMax()) return true;
    if (f.IsMax()) return false;
    return f.length <= t.length;
  }
  if (f.id == t.id &&
      (f.id == TypeId::kTime || f.id == TypeId::kDateTime2 || f.id == TypeId::kDateTimeOffset)) {
    return t.scale >= f.scale;
  }
  if (t.id == TypeId::kDateTime2) {
    return f.id == TypeId::kSmallDateTime || (f.id == TypeId::kDateTime && t.scale == 7);
  }
  if (f.id == TypeId::kSmallDateTime && t.id == TypeId::kDateTime) return true;
  return f == t;
}

ConversionKind KindOf(Conversion c) {
  switch (c) {
    case Conversion::kAssignment:
      return ConversionKind::kAssignment;
    case Conversion::kImplicit:
      return ConversionKind::kImplicit;
    default:
      return ConversionKind::kExplicit;
  }
}

// The type of an unsigned integer literal: int, else decimal(p, 0) ("Integer constants greater
// than 2,147,483,647 are converted to a decimal data type, not bigint").
Result<Value> IntegerLiteral(const std::string& digits) {
  size_t start = digits.find_first_not_of('0');
  std::string_view d =
      start == std::string::npos ? std::string_view("0") : std::string_view(digits).substr(start);
  if (d.size() <= 10) {
    int64_t v = std::strtoll(std::string(d).c_str(), nullptr, 10);
    if (v <= INT32_MAX) return Value::Integer(v);
  }
  if (d.size() > 38) return errors::Make(errors::kNumberOutOfRange, {digits});
  std::optional<Decimal> dec = Decimal::Parse(d);
  if (!dec) return errors::Make(errors::kNumberOutOfRange, {digits});
  return Value::Dec(SqlType::Numeric(static_cast<int>(d.size()), 0), *dec);
}

// 1.50 -> numeric(3,2); .5 -> numeric(1,1); 001.5 -> numeric(2,1).
Result<Value> DecimalLiteral(const std::string& text) {
  std::optional<Decimal> dec = Decimal::Parse(text);
  if (!dec) return errors::Make(errors::kNumberOutOfRange, {text});
  size_t dot = text.find('.');
  std::string_view ip = std::string_view(text).substr(0, dot);
  size_t nz = ip.find_first_not_of('0');
  int int_digits = nz == std::string_view::npos ? 0 : static_cast<int>(ip.size() - nz);
  int scale = dec->scale();
  int precision = std::max(1, int_digits + scale);
  if (precision > 38) return errors::Make(errors::kNumberOutOfRange, {text});
  return Value::Dec(SqlType::Numeric(precision, scale), *dec);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

Result<BoundExpr> BindLiteralValue(const LiteralExpr& lit) {
  Value v;
  switch (lit.kind) {
    case LiteralKind::kNull:
      break;
    case LiteralKind::kInteger: {
      EDGESQL_ASSIGN_OR_RETURN(v, IntegerLiteral(lit.text));
      break;
    }
    case LiteralKind::kDecimal: {
      EDGESQL_ASSIGN_OR_RETURN(v, DecimalLiteral(lit.text));
      break;
    }
    case LiteralKind::kFloat:
      v = Value::Float(SqlType::Float(), std::strtod(lit.text.c_str(), nullptr));
      break;
    case LiteralKind::kMoney: {
      std::optional<Decimal> d = Decimal::Parse(lit.text.empty() ? "0" : lit.text);
      std::optional<Decimal> m = d ? d->Rescale(4) : std::nullopt;
      if (!m || m->coefficient() > INT64_MAX || m->coefficient() < INT64_MIN) {
        return errors::Make(errors::kArithmeticOverflow, {"expression", "money"});
      }
      v = Value::Dec(SqlType::Money(), *m);
      break;
    }
    case LiteralKind::kString: {
      v = Value::VarChar(utf::ToVarcharRepertoire(lit.text));
      if (v.type().length > 8000) v.set_type(SqlType::VarChar(SqlType::kMax));
      break;
    }
    case LiteralKind::kNString:
      v = Value::NVarChar(lit.text);
      if (v.type().length > 4000) v.set_type(SqlType::NVarChar(SqlType::kMax));
      break;
    case LiteralKind::kBinary: {
      std::string hex = lit.text;
      if (hex.size() % 2 != 0) hex.insert(hex.begin(), '0');
      std::string bytes;
      for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>(HexDigit(hex[i]) * 16 + HexDigit(hex[i + 1])));
      }
      int32_t n = static_cast<int32_t>(std::max<size_t>(1, bytes.size()));
      v = Value::Str(n > 8000 ? SqlType::VarBinary(SqlType::kMax) : SqlType::VarBinary(n),
                     std::move(bytes));
      break;
    }
  }
  return Binder::Literal(v);
}

Result<BoundExpr> Binder::ConvertTo(BoundExpr e, const SqlType& to, Conversion kind, int style,
                                    std::string_view table, std::string_view column) {
  const SqlType from = e.type;
  if (from == to && kind != Conversion::kTry) return e;
  if (from.IsNull()) {
    // An untyped NULL (the NULL literal, or CASE/COALESCE of NULLs) becomes NULL of any type.
    e.type = to;
    if (e.constant) e.constant = Value::Null(to);
    return e;
  }
  bool explicit_kind = kind == Conversion::kExplicit || kind == Conversion::kTry;
  bool allowed =
      explicit_kind ? IsExplicitlyConvertible(from, to) : IsImplicitlyConvertible(from, to);
  if (!allowed) {
    if (explicit_kind) {
      return errors::Make(errors::kExplicitConversionNotAllowed, {from.Name(), to.Name()});
    }
    if (IsExplicitlyConvertible(from, to)) {
      return errors::Make(errors::kImplicitConversionNotAllowed, {from.Name(), to.Name()});
    }
    return errors::Make(errors::kOperandTypeClash, {from.Name(), to.Name()});
  }

  BoundExpr out;
  out.type = to;
  out.nullable = e.nullable || kind == Conversion::kTry;
  Absorb(&out, e);

  if (e.constant) {
    ConversionContext cc;
    cc.kind = KindOf(kind);
    cc.style = style;
    cc.dates = settings().dates;
    if (from.IsString()) ApplyInputStyle(style, to, &cc.dates);
    cc.table_name = std::string(table);
    cc.column_name = std::string(column);
    Result<Value> r = edgesql::Convert(*e.constant, to, cc);
    if (r.ok()) {
      BoundExpr lit = Literal(*r);
      Absorb(&lit, e);
      return lit;
    }
    if (kind == Conversion::kTry) return Literal(Value::Null(to));
    // A literal that does not convert fails when the row is evaluated, as in SQL Server: not in
    // a CASE branch never taken, and in TRY...CATCH as a run-time error (the engine does not
    // catch compile errors). The conversion below raises the same error then.
  }
  if (e.variable && kind == Conversion::kImplicit) {
    // The engine converts the variable's value to `to` when it binds the placeholder.
    const ParamSource& p = params_[static_cast<size_t>(e.param)];
    out.sql = AddVariableParam(p.variable, to, &out.param);
    out.variable = true;
    return out;
  }
  if (IsNoOp(from, to)) {
    out.sql = e.sql;
    out.chain = e.chain;  // the same SQL: still the same chain
    out.chain_size = e.chain_size;
    out.chain_args = e.chain_args;
    out.collated = e.collated && to.IsString();
    out.column = e.column;
    out.column_name = e.column_name;
    out.table_name = e.table_name;
    return out;
  }
  if (kind != Conversion::kAssignment && kind != Conversion::kTry) {
    // Conversions SQLite does natively, exactly.
    if (from.IsInteger() &&
        (to.id == TypeId::kFloat || (to.id == TypeId::kReal && IntRank(from.id) <= 2))) {
      out.sql = "CAST(" + e.sql + " AS REAL)";
      return out;
    }
    if (from.IsInteger() && to.id == TypeId::kBit) {
      out.sql = "(" + e.sql + " <> 0)";
      return out;
    }
    if (from.id == TypeId::kDate && (to.id == TypeId::kDateTime2 || to.id == TypeId::kDateTime)) {
      out.sql = "(" + e.sql + " * " + Int(kTicksPerDay) + ")";
      return out;
    }
    if ((from.id == TypeId::kDateTime || from.id == TypeId::kSmallDateTime ||
         from.id == TypeId::kDateTime2) &&
        to.id == TypeId::kDate) {
      out.sql = "(" + e.sql + " / " + Int(kTicksPerDay) + ")";
      return out;
    }
  }
  std::string codes = ", " + Int(TypeCode(from)) + ", " + Int(TypeCode(to));
  switch (kind) {
    case Conversion::kAssignment:
      out.sql =
          "es_assign(" + e.sql + codes + ", " + SqlString(table) + ", " + SqlString(column) + ")";
      break;
    case Conversion::kTry:
      out.sql = "es_try_cast(" + e.sql + codes + ", " + Int(style) + ")";
      break;
    default:
      out.sql = "es_cast(" + e.sql + codes + (style != 0 ? ", " + Int(style) : "") + ")";
      break;
  }
  return out;
}

Result<SqlType> Binder::CombineTypes(const BoundExpr& a, const BoundExpr& b,
                                     std::string_view op_name) {
  if (a.type.IsNull() && b.type.IsNull()) return SqlType::Int();
  if (a.type.IsNull()) return b.type;
  if (b.type.IsNull()) return a.type;
  SqlType t = CommonType(a.type, b.type);
  if (!IsImplicitlyConvertible(a.type, t) || !IsImplicitlyConvertible(b.type, t)) {
    return errors::Make(errors::kOperandTypeClash, {a.type.Name(), b.type.Name()});
  }
  return t;
}

Result<SqlType> Binder::ResultTypeOf(const std::vector<const BoundExpr*>& arms,
                                     std::string_view op_name) {
  SqlType t = SqlType::Null();
  for (const BoundExpr* a : arms) {
    if (a->type.IsNull()) continue;
    if (t.IsNull()) {
      t = a->type;
      continue;
    }
    SqlType c = CommonType(t, a->type);
    if (!IsImplicitlyConvertible(a->type, c) || !IsImplicitlyConvertible(t, c)) {
      const SqlType& lo = c == a->type ? t : a->type;
      return errors::Make(errors::kOperandTypeClash, {lo.Name(), c.Name()});
    }
    t = c;
  }
  return t;
}

}  // namespace edgesql::tsql::bind
