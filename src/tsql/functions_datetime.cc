// Runtime library: date and time functions over the storage forms of the date/time types
// (types/datetime.h does the calendar work).
#include <algorithm>
#include <cstdio>
#include <vector>

#include "tsql/functions_internal.h"

namespace edgesql::tsql::runtime {
namespace {

using datetime::DatePart;

constexpr int64_t kTicksPerMinute = 60 * kTicksPerSecond;
constexpr int64_t kBase1900 = datetime::kDays1900 * kTicksPerDay;

// Local ticks since 0001-01-01 of a date/time value; a time counts from 1900-01-01, the date
// SQL Server supplies for a time value.
int64_t Ticks(const Value& v) {
  int64_t t = datetime::LocalTicks(v);
  if (v.type().id == TypeId::kTime) t += kBase1900;
  return t;
}

// A value of `type` holding local ticks `t` (for datetimeoffset, at `offset` minutes).
Value FromTicks(int64_t t, const SqlType& type, int16_t offset) {
  switch (type.id) {
    case TypeId::kDate:
      return Value::Int(type, t / kTicksPerDay);
    case TypeId::kTime:
      return Value::Int(type, ((t % kTicksPerDay) + kTicksPerDay) % kTicksPerDay);
    case TypeId::kDateTimeOffset:
      return Value::Dto(type, DateTimeOffset{t - offset * kTicksPerMinute, offset});
    default:
      return Value::Int(type, t);
  }
}

Result<Value> Arg(sqlite3_context* ctx, sqlite3_value* v, sqlite3_value* code) {
  std::optional<SqlType> t = TypeFromCode(Int64(code));
  if (!t) return errors::Make(errors::kInternalError, {"invalid type code"});
  return ReadValue(v, *t);
}

// es_dateadd(part, n, value, type)
void DateAdd(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[1]) || IsNull(argv[2])) return sqlite3_result_null(ctx);
  Result<Value> v = Arg(ctx, argv[2], argv[3]);
  if (!v.ok()) return Raise(ctx, v.error());
  const SqlType type = v->type();
  DatePart part = static_cast<DatePart>(Int64(argv[0]));
  int16_t offset = type.id == TypeId::kDateTimeOffset ? v->AsDateTimeOffset().offset_minutes : 0;
  int64_t t = Ticks(*v);
  std::optional<int64_t> r = datetime::AddToTicks(part, Int64(argv[1]), t);
  SqlError overflow = errors::Make(errors::kDateAddOverflow, {type.Name()});
  if (type.id == TypeId::kTime) {
    // time wraps around midnight ("DATEADD (Transact-SQL)").
    __int128 delta = 0;
    if (r) {
      delta = static_cast<__int128>(*r) - t;
    } else {
      return Raise(ctx, overflow);
    }
    __int128 tod = (static_cast<__int128>(v->AsInt()) + delta) % kTicksPerDay;
    if (tod < 0) tod += kTicksPerDay;
    return ResultValue(ctx,
                       Value::Int(type, datetime::RoundTicks(static_cast<int64_t>(tod), type)));
  }
  if (!r) return Raise(ctx, overflow);
  int64_t rounded = datetime::RoundTicks(*r, type);
  if (rounded < datetime::MinTicks(type.id) || rounded > datetime::MaxTicks(type.id)) {
    return Raise(ctx, overflow);
  }
  ResultValue(ctx, FromTicks(rounded, type, offset));
}

// es_datediff(part, start, start_type, end, end_type, big)
void DateDiff(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[1]) || IsNull(argv[3])) return sqlite3_result_null(ctx);
  Result<Value> a = Arg(ctx, argv[1], argv[2]);
  if (!a.ok()) return Raise(ctx, a.error());
  Result<Value> b = Arg(ctx, argv[3], argv[4]);
  if (!b.ok()) return Raise(ctx, b.error());
  // datetimeoffset values are compared as instants (UTC).
  auto ticks = [](const Value& v) {
    return v.type().id == TypeId::kDateTimeOffset ? v.AsDateTimeOffset().utc_ticks : Ticks(v);
  };
  std::optional<int64_t> d =
      datetime::DiffTicks(static_cast<DatePart>(Int64(argv[0])), ticks(*a), ticks(*b));
  bool big = Int64(argv[5]) != 0;
  if (!d || (!big && (*d < INT32_MIN || *d > INT32_MAX))) {
    return Raise(ctx, errors::Make(errors::kDateDiffOverflow));
  }
  sqlite3_result_int64(ctx, *d);
}

std::optional<int64_t> Part(sqlite3_context* ctx, DatePart part, const Value& v) {
  if (part == DatePart::kTzOffset) {
    return v.type().id == TypeId::kDateTimeOffset ? v.AsDateTimeOffset().offset_minutes : 0;
  }
  return datetime::PartOfTicks(part, Ticks(v), Dates(ctx));
}

// es_datepart(part, value, type)
void DatePartFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[1])) return sqlite3_result_null(ctx);
  Result<Value> v = Arg(ctx, argv[1], argv[2]);
  if (!v.ok()) return Raise(ctx, v.error());
  std::optional<int64_t> p = Part(ctx, static_cast<DatePart>(Int64(argv[0])), *v);
  if (!p) return sqlite3_result_null(ctx);
  sqlite3_result_int64(ctx, *p);
}

// es_datename(part, value, type): month and weekday names (us_english), numbers otherwise.
void DateName(sqlite3_context* ctx, int, sqlite3_value** argv) {
  static const char* kMonths[] = {"January",   "February", "March",    "April",
                                  "May",       "June",     "July",     "August",
                                  "September", "October",  "November", "December"};
  static const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                "Thursday", "Friday", "Saturday"};
  if (IsNull(argv[1])) return sqlite3_result_null(ctx);
  Result<Value> v = Arg(ctx, argv[1], argv[2]);
  if (!v.ok()) return Raise(ctx, v.error());
  DatePart part = static_cast<DatePart>(Int64(argv[0]));
  if (part == DatePart::kMonth) {
    int m = datetime::CivilFromDays(Ticks(*v) / kTicksPerDay).month;
    return ResultText(ctx, kMonths[m - 1]);
  }
  if (part == DatePart::kWeekday) {
    int dow = datetime::DayOfWeek(Ticks(*v) / kTicksPerDay, 7);  // 1 = Sunday
    return ResultText(ctx, kDays[dow - 1]);
  }
  if (part == DatePart::kTzOffset) {
    int off = v->type().id == TypeId::kDateTimeOffset ? v->AsDateTimeOffset().offset_minutes : 0;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", off < 0 ? '-' : '+', std::abs(off) / 60,
                  std::abs(off) % 60);
    return ResultText(ctx, buf);
  }
  std::optional<int64_t> p = Part(ctx, part, *v);
  if (!p) return sqlite3_result_null(ctx);
  ResultText(ctx, std::to_string(*p));
}

// es_eomonth(value, type, months)
void EoMonth(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[2])) return sqlite3_result_null(ctx);
  Result<Value> v = Arg(ctx, argv[0], argv[1]);
  if (!v.ok()) return Raise(ctx, v.error());
  datetime::CivilDate c = datetime::CivilFromDays(Ticks(*v) / kTicksPerDay);
  int64_t months = static_cast<int64_t>(c.year) * 12 + (c.month - 1) +
                   std::clamp<int64_t>(Int64(argv[2]), -1'000'000, 1'000'000);
  if (months < 0 || months >= 9999 * 12) {
    return Raise(ctx, errors::Make(errors::kDateAddOverflow, {"date"}));
  }
  int year = static_cast<int>(months / 12);
  int month = static_cast<int>(months % 12) + 1;
  datetime::CivilDate last{year, month, datetime::DaysInMonth(year, month)};
  sqlite3_result_int64(ctx, datetime::DaysFromCivil(last));
}

// es_fromparts(type, parts...): DATEFROMPARTS and friends; NULL if any part is NULL, 289 if the
// parts do not make a valid value.
void FromParts(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  std::optional<SqlType> type = ArgType(ctx, argv[0]);
  if (!type) return;
  std::vector<int64_t> p;
  for (int i = 1; i < argc; ++i) {
    if (IsNull(argv[i])) return sqlite3_result_null(ctx);
    p.push_back(Int64(argv[i]));
  }
  SqlError invalid = errors::Make(errors::kCannotConstructDate, {type->Name()});
  auto date_ok = [&](int64_t y, int64_t m, int64_t d) {
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= datetime::DaysInMonth(static_cast<int>(y), static_cast<int>(m));
  };
  auto days = [&](int64_t y, int64_t m, int64_t d) {
    return datetime::DaysFromCivil({static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)});
  };
  auto time_ok = [](int64_t h, int64_t mi, int64_t s) {
    return h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 60;
  };
  int64_t unit = 1;  // ticks per fraction unit at the type's precision
  for (int i = type->scale; i < 7; ++i) unit *= 10;
  switch (type->id) {
    case TypeId::kDate:
      if (!date_ok(p[0], p[1], p[2])) return Raise(ctx, invalid);
      return sqlite3_result_int64(ctx, days(p[0], p[1], p[2]));
    case TypeId::kDateTime: {
      if (!date_ok(p[0], p[1], p[2]) || !time_ok(p[3], p[4], p[5]) || p[6] < 0 || p[6] > 999) {
        return Raise(ctx, invalid);
      }
      int64_t t = days(p[0], p[1], p[2]) * kTicksPerDay + (p[3] * 60 + p[4]) * kTicksPerMinute +
                  p[5] * kTicksPerSecond + p[6] * 10'000;
      t = datetime::RoundTicks(t, *type);
      if (t < datetime::MinTicks(type->id) || t > datetime::MaxTicks(type->id)) {
        return Raise(ctx, invalid);
      }
      return sqlite3_result_int64(ctx, t);
    }
    case TypeId::kSmallDateTime: {
      if (!date_ok(p[0], p[1], p[2]) || !time_ok(p[3], p[4], 0)) return Raise(ctx, invalid);
      int64_t t = days(p[0], p[1], p[2]) * kTicksPerDay + (p[3] * 60 + p[4]) * kTicksPerMinute;
      if (t < datetime::MinTicks(type->id) || t > datetime::MaxTicks(type->id)) {
        return Raise(ctx, invalid);
      }
      return sqlite3_result_int64(ctx, t);
    }
    case TypeId::kDateTime2: {
      if (!date_ok(p[0], p[1], p[2]) || !time_ok(p[3], p[4], p[5]) || p[6] < 0 ||
          p[6] * unit >= kTicksPerSecond) {
        return Raise(ctx, invalid);
      }
      return sqlite3_result_int64(ctx, days(p[0], p[1], p[2]) * kTicksPerDay +
                                           (p[3] * 60 + p[4]) * kTicksPerMinute +
                                           p[5] * kTicksPerSecond + p[6] * unit);
    }
    case TypeId::kTime: {
      if (!time_ok(p[0], p[1], p[2]) || p[3] < 0 || p[3] * unit >= kTicksPerSecond) {
        return Raise(ctx, invalid);
      }
      return sqlite3_result_int64(
          ctx, (p[0] * 60 + p[1]) * kTicksPerMinute + p[2] * kTicksPerSecond + p[3] * unit);
    }
    case TypeId::kDateTimeOffset: {
      if (!date_ok(p[0], p[1], p[2]) || !time_ok(p[3], p[4], p[5]) || p[6] < 0 ||
          p[6] * unit >= kTicksPerSecond || p[7] < -14 || p[7] > 14 || p[8] < -59 || p[8] > 59) {
        return Raise(ctx, invalid);
      }
      int64_t local = days(p[0], p[1], p[2]) * kTicksPerDay + (p[3] * 60 + p[4]) * kTicksPerMinute +
                      p[5] * kTicksPerSecond + p[6] * unit;
      int64_t offset = p[7] * 60 + (p[7] < 0 ? -std::abs(p[8]) : p[8]);
      if (offset < -840 || offset > 840) return Raise(ctx, invalid);
      return ResultValue(ctx, FromTicks(local, *type, static_cast<int16_t>(offset)));
    }
    default:
      return Raise(ctx, invalid);
  }
}

void IsDate(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_int(ctx, 0);
  bool out_of_range = false;
  std::optional<datetime::ParsedDateTime> p =
      datetime::Parse(Text(argv[0]), Dates(ctx), TypeId::kDateTime, &out_of_range);
  bool ok = p && !out_of_range;
  if (ok && p->has_date) {
    int64_t t = p->days * kTicksPerDay;
    ok = t >= datetime::MinTicks(TypeId::kDateTime) && t <= datetime::MaxTicks(TypeId::kDateTime);
  }
  if (ok && p->has_offset) ok = false;  // datetime has no offset
  sqlite3_result_int(ctx, ok ? 1 : 0);
}

// An offset argument: '+hh:mm' / '-hh:mm' or minutes.
std::optional<int16_t> OffsetArg(sqlite3_value* v) {
  if (sqlite3_value_type(v) == SQLITE_INTEGER) {
    int64_t m = Int64(v);
    if (m < -840 || m > 840) return std::nullopt;
    return static_cast<int16_t>(m);
  }
  std::string_view s = Text(v);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return std::nullopt;
  auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (!digit(1) || !digit(2) || !digit(4) || !digit(5)) return std::nullopt;
  int h = (s[1] - '0') * 10 + (s[2] - '0');
  int m = (s[4] - '0') * 10 + (s[5] - '0');
  int total = h * 60 + m;
  if (m > 59 || total > 840) return std::nullopt;
  return static_cast<int16_t>(s[0] == '-' ? -total : total);
}

// es_switchoffset(dto, type, offset, result_type): the same instant at another offset.
// es_todatetimeoffset(value, type, offset, result_type): the local value at that offset.
template <bool kSwitch>
void Offset(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[2])) return sqlite3_result_null(ctx);
  Result<Value> v = Arg(ctx, argv[0], argv[1]);
  if (!v.ok()) return Raise(ctx, v.error());
  std::optional<SqlType> rt = ArgType(ctx, argv[3]);
  if (!rt) return;
  std::optional<int16_t> off = OffsetArg(argv[2]);
  if (!off) {
    return Raise(ctx, errors::Make(errors::kInvalidParameterFor,
                                   {"2", kSwitch ? "switchoffset" : "todatetimeoffset"}));
  }
  int64_t utc = 0;
  if (kSwitch) {
    utc = v->AsDateTimeOffset().utc_ticks;
  } else {
    utc = Ticks(*v) - *off * kTicksPerMinute;
  }
  ResultValue(ctx, Value::Dto(*rt, DateTimeOffset{utc, *off}));
}

constexpr FunctionSpec kFunctions[] = {
    {"es_dateadd", 4, DateAdd},
    {"es_datediff", 6, DateDiff},
    {"es_datepart", 3, DatePartFn},
    {"es_datename", 3, DateName},
    {"es_eomonth", 3, EoMonth},
    {"es_fromparts", -1, FromParts},
    {"es_isdate", 1, IsDate},
    {"es_switchoffset", 4, Offset<true>},
    {"es_todatetimeoffset", 4, Offset<false>},
};

}  // namespace

Status RegisterDateFunctions(sqlite3* db, storage::SqliteConnection* conn) {
  return RegisterAll(db, conn, kFunctions, std::size(kFunctions));
}

}  // namespace edgesql::tsql::runtime
