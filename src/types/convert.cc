// Convert(): dispatch by type family, and the conversions between numeric types.
#include "types/convert.h"

#include <cfloat>
#include <cmath>
#include <cstdio>

#include "common/errors.h"
#include "types/convert_internal.h"

namespace edgesql {
namespace convert_internal {
namespace {

// money is an 8-byte and smallmoney a 4-byte count of ten-thousandths.
bool MoneyInRange(const Decimal& d4, TypeId t) {
  __int128 c = d4.coefficient();
  if (t == TypeId::kSmallMoney) return c >= INT32_MIN && c <= INT32_MAX;
  return c >= INT64_MIN && c <= INT64_MAX;
}

Result<Value> ToMoney(const Decimal& v, std::string_view from, const SqlType& target) {
  std::optional<Decimal> d = v.Rescale(4);  // "numeric to money: Round"
  if (!d || !MoneyInRange(*d, target.id)) return Overflow(from, target);
  return Value::Dec(target, *d);
}

Result<Value> ToDecimal(const Decimal& v, std::string_view from, const SqlType& target) {
  std::optional<Decimal> d = v.Rescale(target.scale);  // "numeric to numeric: Round"
  if (!d || !d->FitsPrecision(target.precision)) return Overflow(from, target);
  return Value::Dec(target, *d);
}

Result<Value> ToInteger(int64_t v, const SqlType& target) {
  if (target.id == TypeId::kBit) return Value::Int(target, v != 0 ? 1 : 0);
  if (!FitsIntegerType(target.id, v)) return Overflow("expression", target);
  return Value::Int(target, v);
}

}  // namespace

std::string_view MessageName(const SqlType& t) {
  if (t.id == TypeId::kDecimal || t.id == TypeId::kNumeric) return "numeric";
  return t.Name();
}

SqlError Overflow(std::string_view from, const SqlType& to) {
  return errors::Make(errors::kArithmeticOverflow, {from, MessageName(to)});
}

Result<Value> FromInteger(int64_t v, const SqlType& src, const SqlType& target) {
  switch (target.id) {
    case TypeId::kBit:
      return Value::Int(target, v != 0 ? 1 : 0);
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
      if (!FitsIntegerType(target.id, v)) {
        // Error 220 names the target type and the value that did not fit.
        std::string value = std::to_string(v);
        return errors::Make(errors::kArithmeticOverflowValue, {target.Name(), value});
      }
      return Value::Int(target, v);
    case TypeId::kInt:
    case TypeId::kBigInt:
      return ToInteger(v, target);
    case TypeId::kDecimal:
    case TypeId::kNumeric:
      return ToDecimal(Decimal::FromInt(v), src.Name(), target);
    case TypeId::kMoney:
    case TypeId::kSmallMoney:
      return ToMoney(Decimal::FromInt(v), "expression", target);
    case TypeId::kReal:
      return Value::Float(target, static_cast<float>(v));
    case TypeId::kFloat:
      return Value::Float(target, static_cast<double>(v));
    default:
      return ToDateTime(Value::Int(src, v), target);
  }
}

Result<Value> FromDecimal(const Decimal& v, const SqlType& src, const SqlType& target) {
  bool money = src.id == TypeId::kMoney || src.id == TypeId::kSmallMoney;
  switch (target.id) {
    case TypeId::kBit:
      return Value::Int(target, v.is_zero() ? 0 : 1);
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: {
      // "Truncating and rounding results": numeric to int truncates, money to int rounds.
      std::optional<int64_t> i;
      if (money) {
        std::optional<Decimal> r = v.Rescale(0);
        if (r) i = r->ToInt64();
      } else {
        i = v.ToInt64();
      }
      if (!i) return Overflow("expression", target);
      return ToInteger(*i, target);
    }
    case TypeId::kDecimal:
    case TypeId::kNumeric:
      return ToDecimal(v, MessageName(src), target);
    case TypeId::kMoney:
    case TypeId::kSmallMoney:
      return ToMoney(v, MessageName(src), target);
    case TypeId::kReal: {
      double d = v.ToDouble();
      return Value::Float(target, static_cast<float>(d));
    }
    case TypeId::kFloat:
      return Value::Float(target, v.ToDouble());
    default:
      return ToDateTime(Value::Dec(src, v), target);
  }
}

Result<Value> FromDouble(double v, const SqlType& src, const SqlType& target) {
  switch (target.id) {
    case TypeId::kBit:
      return Value::Int(target, v != 0 ? 1 : 0);
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: {
      // "float to int: Truncate"; an out-of-range float raises 232 with the value as %f.
      double t = std::trunc(v);
      bool fits = t >= -9223372036854775808.0 && t < 9223372036854775808.0 &&
                  FitsIntegerType(target.id, static_cast<int64_t>(t));
      if (!fits) {
        char buf[400];
        std::snprintf(buf, sizeof buf, "%f", v);
        return errors::Make(errors::kArithmeticOverflowFloat, {target.Name(), buf});
      }
      return Value::Int(target, static_cast<int64_t>(t));
    }
    case TypeId::kDecimal:
    case TypeId::kNumeric: {
      std::optional<Decimal> d = Decimal::FromDouble(v, target.scale);
      if (!d || !d->FitsPrecision(target.precision)) return Overflow(src.Name(), target);
      return Value::Dec(target, *d);
    }
    case TypeId::kMoney:
    case TypeId::kSmallMoney: {
      std::optional<Decimal> d = Decimal::FromDouble(v, 4);
      if (!d || !MoneyInRange(*d, target.id)) return Overflow(src.Name(), target);
      return Value::Dec(target, *d);
    }
    case TypeId::kReal:
      if (std::fabs(v) > FLT_MAX) return Overflow(src.Name(), target);
      return Value::Float(target, static_cast<float>(v));
    case TypeId::kFloat:
      return Value::Float(target, v);
    default:
      return ToDateTime(Value::Float(src, v), target);
  }
}

}  // namespace convert_internal

using namespace convert_internal;  // NOLINT: the module's own helpers

namespace {

SqlError NotAllowed(const SqlType& from, const SqlType& to, ConversionKind kind) {
  if (kind == ConversionKind::kExplicit || IsExplicitlyConvertible(from, to)) {
    if (kind == ConversionKind::kExplicit) {
      return errors::Make(errors::kExplicitConversionNotAllowed, {from.Name(), to.Name()});
    }
    return errors::Make(errors::kImplicitConversionNotAllowed, {from.Name(), to.Name()});
  }
  // "date": an implicit conversion the chart forbids is an operand type clash (206).
  return errors::Make(errors::kOperandTypeClash, {from.Name(), to.Name()});
}

// datetime/smalldatetime to a number: the days since 1900-01-01 and the fraction of the day
// ("datetime to int: Round").
Result<Value> DateTimeToNumber(const Value& v, const SqlType& target) {
  int64_t ticks = v.AsInt();
  if (target.IsApproxNumeric()) {
    double days = DateTimeAsDays(ticks, 9)->ToDouble();  // at most 10^7 days: always fits
    return FromDouble(days, SqlType::Float(), target);
  }
  int scale = 0;
  if (target.id == TypeId::kMoney || target.id == TypeId::kSmallMoney) {
    scale = 4;
  } else if (!target.IsInteger()) {
    scale = target.scale;
  }
  std::optional<Decimal> days = DateTimeAsDays(ticks, scale);
  if (!days) return Overflow("expression", target);
  Result<Value> r = FromDecimal(*days, SqlType::Decimal(38, scale), target);
  if (!r.ok()) return Overflow("expression", target);  // the only failure is an overflow
  return r;
}

}  // namespace

Result<Value> Convert(const Value& value, const SqlType& target, const ConversionContext& ctx) {
  if (value.is_null()) return Value::Null(target);
  const SqlType& src = value.type();
  if (!IsExplicitlyConvertible(src, target) ||
      (ctx.kind != ConversionKind::kExplicit && !IsImplicitlyConvertible(src, target))) {
    return NotAllowed(src, target, ctx.kind);
  }
  if (target.IsString()) return ToText(value, target, ctx);
  if (target.IsBinary()) return ToBinary(value, target, ctx);
  if (src.IsString()) return FromText(value, target, ctx);
  if (src.IsBinary()) return FromBinary(value, target);
  if (target.IsDateTime()) return ToDateTime(value, target);
  if (target.id == TypeId::kUniqueIdentifier) return Value::Uuid(value.AsGuid());
  if (src.id == TypeId::kDateTime || src.id == TypeId::kSmallDateTime) {
    return DateTimeToNumber(value, target);
  }
  const Value::Payload& p = value.payload();
  if (std::holds_alternative<int64_t>(p)) return FromInteger(value.AsInt(), src, target);
  if (std::holds_alternative<Decimal>(p)) return FromDecimal(value.AsDecimal(), src, target);
  if (std::holds_alternative<double>(p)) return FromDouble(value.AsDouble(), src, target);
  return NotAllowed(src, target, ctx.kind);
}

}  // namespace edgesql
