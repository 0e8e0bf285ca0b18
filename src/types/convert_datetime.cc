// Conversions to the date and time types from date/time and numeric values, following the
// "Converting ..." sections of the date, time, datetime, smalldatetime, datetime2 and
// datetimeoffset reference pages.
#include <cmath>

#include "common/errors.h"
#include "types/convert_internal.h"

namespace edgesql::convert_internal {
namespace {

constexpr int64_t kTicksPerMinute = 60 * kTicksPerSecond;
constexpr int64_t kUnitsPerDay = 25'920'000;  // datetime's 1/300 s per day

SqlError OutOfRange(const SqlType& from, const SqlType& to) {
  return errors::Make(errors::kDateTimeOutOfRange, {from.Name(), to.Name()});
}

bool InRange(int64_t ticks, TypeId t) {
  return ticks >= datetime::MinTicks(t) && ticks <= datetime::MaxTicks(t);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// A local date and time, as ticks since 0001-01-01, into `target`.
Result<Value> FromLocalTicks(int64_t local, bool more_precise_than_ms, const SqlType& from,
                             const SqlType& target) {
  switch (target.id) {
    case TypeId::kDate:
      return Value::Int(target, FloorDiv(local, kTicksPerDay));
    case TypeId::kTime: {
      // The time of day, rounded to the target's fractional digits ("time(n)": "the value is
      // rounded up to fit"); a rounding that reaches midnight wraps to 00:00:00.
      int64_t tod = local - FloorDiv(local, kTicksPerDay) * kTicksPerDay;
      tod = datetime::RoundTicks(tod, target) % kTicksPerDay;
      return Value::Int(target, tod);
    }
    case TypeId::kDateTime: {
      // "When the fractional precision of the datetime2(n) [time(n), datetimeoffset(n)] value is
      // greater than three digits, the value will be truncated": to milliseconds, after which
      // datetime's 1/300 s rounding applies.
      if (more_precise_than_ms) local = FloorDiv(local, 10'000) * 10'000;
      int64_t t = datetime::RoundTicks(local, target);
      if (!InRange(t, target.id)) return OutOfRange(from, target);
      return Value::Int(target, t);
    }
    case TypeId::kSmallDateTime: {
      int64_t t = datetime::RoundTicks(local, target);
      if (!InRange(t, target.id)) return OutOfRange(from, target);
      return Value::Int(target, t);
    }
    case TypeId::kDateTime2: {
      int64_t t = datetime::RoundTicks(local, target);
      if (!InRange(t, target.id)) return OutOfRange(from, target);
      return Value::Int(target, t);
    }
    case TypeId::kDateTimeOffset: {
      // A value without an offset gets +00:00, its local time becoming the UTC instant.
      int64_t t = datetime::RoundTicks(local, target);
      if (!InRange(t, target.id)) return OutOfRange(from, target);
      return Value::Dto(target, DateTimeOffset{t, 0});
    }
    default:
      return errors::Make(errors::kExplicitConversionNotAllowed, {from.Name(), target.Name()});
  }
}

// A number of days since 1900-01-01 (numeric to datetime/smalldatetime): the integer part
// counts days and the fraction is the time of day; "float to datetime: Round".
Result<Value> FromDays(const Value& v, const SqlType& target) {
  const SqlType& src = v.type();
  __int128 ticks = 0;
  const Value::Payload& p = v.payload();
  if (std::holds_alternative<int64_t>(p)) {
    ticks = (static_cast<__int128>(v.AsInt()) + datetime::kDays1900) * kTicksPerDay;
  } else if (std::holds_alternative<double>(p)) {
    double d = v.AsDouble();
    if (!std::isfinite(d) || std::fabs(d) > 1e7) return Overflow("expression", target);
    double days = std::floor(d);
    ticks = (static_cast<__int128>(days) + datetime::kDays1900) * kTicksPerDay +
            static_cast<int64_t>(std::llround((d - days) * static_cast<double>(kTicksPerDay)));
  } else {
    std::optional<Decimal> t = Decimal::Mul(v.AsDecimal(), Decimal::FromInt(kTicksPerDay), 0);
    std::optional<int64_t> i = t ? t->ToInt64() : std::nullopt;
    if (!i) return Overflow("expression", target);
    ticks = static_cast<__int128>(*i) + static_cast<__int128>(datetime::kDays1900) * kTicksPerDay;
  }
  if (ticks < 0 || ticks > datetime::MaxTicks(TypeId::kDateTime2)) {
    return Overflow("expression", target);
  }
  int64_t t = datetime::RoundTicks(static_cast<int64_t>(ticks), target);
  if (!InRange(t, target.id)) return Overflow("expression", target);
  (void)src;
  return Value::Int(target, t);
}

}  // namespace

std::optional<Decimal> DateTimeAsDays(int64_t ticks, int scale) {
  int64_t days = FloorDiv(ticks, kTicksPerDay);
  int64_t tod = ticks - days * kTicksPerDay;
  int64_t units = (tod * 3 + 50'000) / 100'000;  // back to exact 1/300 s
  __int128 num = static_cast<__int128>(days - datetime::kDays1900) * kUnitsPerDay + units;
  return Decimal::Div(Decimal(num, 0), Decimal::FromInt(kUnitsPerDay), scale);
}

Result<Value> ToDateTime(const Value& v, const SqlType& target) {
  const SqlType& src = v.type();
  if (!src.IsDateTime()) return FromDays(v, target);
  if (src.id == TypeId::kDateTimeOffset && target.id == TypeId::kDateTimeOffset) {
    // Same instant and offset, fractional seconds rounded to the target's scale.
    DateTimeOffset d = v.AsDateTimeOffset();
    d.utc_ticks = datetime::RoundTicks(d.utc_ticks, target);
    int64_t local = d.utc_ticks + d.offset_minutes * kTicksPerMinute;
    if (!InRange(d.utc_ticks, target.id) || !InRange(local, target.id)) {
      return OutOfRange(src, target);
    }
    return Value::Dto(target, d);
  }
  // Other pairs carry the local date and time: datetimeoffset to datetime2 "the date and time
  // are copied ... and the time zone is truncated"; a time gains the date 1900-01-01.
  int64_t local = datetime::LocalTicks(v);
  if (src.id == TypeId::kTime) local += datetime::kDays1900 * kTicksPerDay;
  bool fine =
      src.id == TypeId::kTime || src.id == TypeId::kDateTime2 || src.id == TypeId::kDateTimeOffset;
  return FromLocalTicks(local, fine, src, target);
}

}  // namespace edgesql::convert_internal
