// Calendar arithmetic, rounding, DATEPART/DATEADD/DATEDIFF. Parsing is in datetime_parse.cc and
// formatting in datetime_format.cc.
#include "types/datetime.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace edgesql::datetime {
namespace {

constexpr int64_t kTicksPerMinute = 60 * kTicksPerSecond;
constexpr int64_t kTicksPerHour = 60 * kTicksPerMinute;
constexpr int64_t kTicksPerMs = 10'000;

// Days from 0001-01-01 to 1970-01-01, to reuse the civil-from-days algorithm on the Unix epoch.
constexpr int64_t kDaysTo1970 = 719162;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Day index of the week that contains `days`, with weeks starting on Sunday (DATEDIFF(week)
// "always uses Sunday as the first day of the week"). 0001-01-01 is a Monday, so the first
// Sunday is day 6.
int64_t SundayWeek(int64_t days) { return FloorDiv(days + 1, 7); }

struct Ymd {
  int y, m, d;
};

Ymd YmdOf(int64_t ticks) {
  CivilDate c = CivilFromDays(FloorDiv(ticks, kTicksPerDay));
  return {c.year, c.month, c.day};
}

int DayOfYear(const CivilDate& c) {
  return static_cast<int>(DaysFromCivil(c) - DaysFromCivil({c.year, 1, 1})) + 1;
}

std::optional<int64_t> AddMonths(int64_t ticks, __int128 months) {
  int64_t days = FloorDiv(ticks, kTicksPerDay);
  int64_t tod = ticks - days * kTicksPerDay;
  CivilDate c = CivilFromDays(days);
  __int128 total = static_cast<__int128>(c.year) * 12 + (c.month - 1) + months;
  if (total < 12 || total >= 12 * 10000) return std::nullopt;  // years 1..9999
  int y = static_cast<int>(total / 12);
  int m = static_cast<int>(total % 12) + 1;
  // "DATEADD": when the day does not exist in the result month, the last day of that month.
  int d = std::min(c.day, DaysInMonth(y, m));
  return DaysFromCivil({y, m, d}) * kTicksPerDay + tod;
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Proleptic Gregorian day numbering through 400-year eras (the algorithm popularised by
// H. Hinnant's "chrono-compatible low-level date algorithms"), shifted to 0001-01-01.
int64_t DaysFromCivil(const CivilDate& d) {
  int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;
  int64_t mp = (d.month + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 + kDaysTo1970;
}

CivilDate CivilFromDays(int64_t days) {
  int64_t z = days - kDaysTo1970 + 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return {y, m, d};
}

int DayOfWeek(int64_t days, int datefirst) {
  int sunday0 = static_cast<int>(((days + 1) % 7 + 7) % 7);  // 0001-01-01 is a Monday
  return (sunday0 - datefirst % 7 + 7) % 7 + 1;
}

int64_t MinTicks(TypeId type) {
  switch (type) {
    case TypeId::kDateTime:
      return DaysFromCivil({1753, 1, 1}) * kTicksPerDay;
    case TypeId::kSmallDateTime:
      return kDays1900 * kTicksPerDay;
    default:
      return 0;
  }
}

int64_t MaxTicks(TypeId type) {
  const int64_t last_day = DaysFromCivil({9999, 12, 31});
  switch (type) {
    case TypeId::kDate:
      return last_day * kTicksPerDay;
    case TypeId::kTime:
      return kTicksPerDay - 1;
    case TypeId::kDateTime:
      // 23:59:59.997: the last 1/300 s of the day (25,919,999 / 300 s), in ticks.
      return last_day * kTicksPerDay + (25'919'999LL * 100'000 + 1) / 3;
    case TypeId::kSmallDateTime:
      return DaysFromCivil({2079, 6, 6}) * kTicksPerDay + 23 * kTicksPerHour + 59 * kTicksPerMinute;
    default:
      return last_day * kTicksPerDay + kTicksPerDay - 1;
  }
}

// datetime keeps 1/300 s: the time of day rounds to the nearest 1/300 s (so milliseconds end in
// 0, 3 or 7, as the "Rounding of datetime Fractional Second Precision" table shows), and the
// value is held as the 100 ns tick nearest to that 1/300 s instant.
static int64_t RoundToDateTime(int64_t ticks) {
  int64_t days = FloorDiv(ticks, kTicksPerDay);
  int64_t tod = ticks - days * kTicksPerDay;
  int64_t units = (tod * 3 + 50'000) / 100'000;  // round(tod * 300 / 10^7), halves up
  return days * kTicksPerDay + (units * 100'000 + 1) / 3;
}

int64_t RoundTicks(int64_t ticks, const SqlType& type) {
  switch (type.id) {
    case TypeId::kDateTime:
      return RoundToDateTime(ticks);
    case TypeId::kSmallDateTime: {
      // "smalldatetime": 29.998 seconds or less round down to the minute, 29.999 or more round
      // up: the seconds first take datetime's 1/300 s precision, then round half up.
      int64_t t = RoundToDateTime(ticks);
      int64_t minute = FloorDiv(t, kTicksPerMinute) * kTicksPerMinute;
      return t - minute >= 30 * kTicksPerSecond ? minute + kTicksPerMinute : minute;
    }
    case TypeId::kDate:
      return FloorDiv(ticks, kTicksPerDay) * kTicksPerDay;
    case TypeId::kTime:
    case TypeId::kDateTime2:
    case TypeId::kDateTimeOffset: {
      int scale = std::clamp<int>(type.scale, 0, 7);
      int64_t unit = 1;
      for (int i = scale; i < 7; ++i) unit *= 10;
      return FloorDiv(ticks + unit / 2, unit) * unit;
    }
    default:
      return ticks;
  }
}

int64_t LocalTicks(const Value& value) {
  switch (value.type().id) {
    case TypeId::kDate:
      return value.AsInt() * kTicksPerDay;
    case TypeId::kDateTimeOffset: {
      const DateTimeOffset& d = value.AsDateTimeOffset();
      return d.utc_ticks + d.offset_minutes * kTicksPerMinute;
    }
    default:
      return value.AsInt();
  }
}

std::optional<DatePart> ParseDatePart(std::string_view name) {
  std::string n;
  for (char c : name) n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  // The names and abbreviations of the DATEPART, DATEADD and DATEDIFF datepart tables.
  struct Entry {
    const char* name;
    DatePart part;
  };
  static constexpr Entry kNames[] = {
      {"year", DatePart::kYear},       {"yy", DatePart::kYear},
      {"yyyy", DatePart::kYear},       {"quarter", DatePart::kQuarter},
      {"qq", DatePart::kQuarter},      {"q", DatePart::kQuarter},
      {"month", DatePart::kMonth},     {"mm", DatePart::kMonth},
      {"m", DatePart::kMonth},         {"dayofyear", DatePart::kDayOfYear},
      {"dy", DatePart::kDayOfYear},    {"y", DatePart::kDayOfYear},
      {"day", DatePart::kDay},         {"dd", DatePart::kDay},
      {"d", DatePart::kDay},           {"week", DatePart::kWeek},
      {"wk", DatePart::kWeek},         {"ww", DatePart::kWeek},
      {"weekday", DatePart::kWeekday}, {"dw", DatePart::kWeekday},
      {"w", DatePart::kWeekday},       {"hour", DatePart::kHour},
      {"hh", DatePart::kHour},         {"minute", DatePart::kMinute},
      {"mi", DatePart::kMinute},       {"n", DatePart::kMinute},
      {"second", DatePart::kSecond},   {"ss", DatePart::kSecond},
      {"s", DatePart::kSecond},        {"millisecond", DatePart::kMillisecond},
      {"ms", DatePart::kMillisecond},  {"microsecond", DatePart::kMicrosecond},
      {"mcs", DatePart::kMicrosecond}, {"nanosecond", DatePart::kNanosecond},
      {"ns", DatePart::kNanosecond},   {"tzoffset", DatePart::kTzOffset},
      {"tz", DatePart::kTzOffset},     {"iso_week", DatePart::kIsoWeek},
      {"isowk", DatePart::kIsoWeek},   {"isoww", DatePart::kIsoWeek},
  };
  for (const Entry& e : kNames) {
    if (n == e.name) return e.part;
  }
  return std::nullopt;
}

std::optional<int64_t> AddToTicks(DatePart part, int64_t n, int64_t ticks) {
  __int128 delta = 0;
  switch (part) {
    case DatePart::kYear:
      return AddMonths(ticks, static_cast<__int128>(n) * 12);
    case DatePart::kQuarter:
      return AddMonths(ticks, static_cast<__int128>(n) * 3);
    case DatePart::kMonth:
      return AddMonths(ticks, n);
    case DatePart::kDayOfYear:
    case DatePart::kDay:
    case DatePart::kWeekday:  // "dayofyear, day, and weekday return the same value"
      delta = static_cast<__int128>(n) * kTicksPerDay;
      break;
    case DatePart::kWeek:
      delta = static_cast<__int128>(n) * 7 * kTicksPerDay;
      break;
    case DatePart::kHour:
      delta = static_cast<__int128>(n) * kTicksPerHour;
      break;
    case DatePart::kMinute:
      delta = static_cast<__int128>(n) * kTicksPerMinute;
      break;
    case DatePart::kSecond:
      delta = static_cast<__int128>(n) * kTicksPerSecond;
      break;
    case DatePart::kMillisecond:
      delta = static_cast<__int128>(n) * kTicksPerMs;
      break;
    case DatePart::kMicrosecond:
      delta = static_cast<__int128>(n) * 10;
      break;
    case DatePart::kNanosecond:
      // 100 ns resolution: 1-49 ns round to 0, 50-99 to 100 ns (DATEADD "Fractional seconds
      // precision"), symmetrically for negative numbers.
      delta = n >= 0 ? (static_cast<__int128>(n) + 50) / 100
                     : -((-static_cast<__int128>(n) + 50) / 100);
      break;
    case DatePart::kTzOffset:
    case DatePart::kIsoWeek:
      return std::nullopt;
  }
  __int128 r = static_cast<__int128>(ticks) + delta;
  if (r < 0 || r > MaxTicks(TypeId::kDateTime2)) return std::nullopt;
  return static_cast<int64_t>(r);
}

std::optional<int64_t> DiffTicks(DatePart part, int64_t start, int64_t end) {
  // DATEDIFF counts the boundaries of `part` crossed between the two instants.
  auto boundaries = [&](int64_t unit) { return FloorDiv(end, unit) - FloorDiv(start, unit); };
  switch (part) {
    case DatePart::kYear: {
      return static_cast<int64_t>(YmdOf(end).y - YmdOf(start).y);
    }
    case DatePart::kQuarter: {
      Ymd a = YmdOf(start), b = YmdOf(end);
      return static_cast<int64_t>((b.y * 4 + (b.m - 1) / 3) - (a.y * 4 + (a.m - 1) / 3));
    }
    case DatePart::kMonth: {
      Ymd a = YmdOf(start), b = YmdOf(end);
      return static_cast<int64_t>((b.y * 12 + b.m) - (a.y * 12 + a.m));
    }
    case DatePart::kDayOfYear:
    case DatePart::kDay:
    case DatePart::kWeekday:
      return boundaries(kTicksPerDay);
    case DatePart::kWeek:
      return SundayWeek(FloorDiv(end, kTicksPerDay)) - SundayWeek(FloorDiv(start, kTicksPerDay));
    case DatePart::kHour:
      return boundaries(kTicksPerHour);
    case DatePart::kMinute:
      return boundaries(kTicksPerMinute);
    case DatePart::kSecond:
      return boundaries(kTicksPerSecond);
    case DatePart::kMillisecond:
      return boundaries(kTicksPerMs);
    case DatePart::kMicrosecond:
      return boundaries(10);
    case DatePart::kNanosecond: {
      __int128 ns = (static_cast<__int128>(end) - start) * 100;
      if (ns > INT64_MAX || ns < INT64_MIN) return std::nullopt;
      return static_cast<int64_t>(ns);
    }
    case DatePart::kTzOffset:
    case DatePart::kIsoWeek:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<int64_t> PartOfTicks(DatePart part, int64_t ticks, const DateSettings& settings) {
  int64_t days = FloorDiv(ticks, kTicksPerDay);
  int64_t tod = ticks - days * kTicksPerDay;
  CivilDate c = CivilFromDays(days);
  switch (part) {
    case DatePart::kYear:
      return c.year;
    case DatePart::kQuarter:
      return (c.month - 1) / 3 + 1;
    case DatePart::kMonth:
      return c.month;
    case DatePart::kDayOfYear:
      return DayOfYear(c);
    case DatePart::kDay:
      return c.day;
    case DatePart::kWeek: {
      // "January 1 of any year defines the starting number for the week datepart"; weeks start
      // on the SET DATEFIRST day.
      int64_t jan1 = DaysFromCivil({c.year, 1, 1});
      int jan1_offset = DayOfWeek(jan1, settings.datefirst) - 1;
      return (days - jan1 + jan1_offset) / 7 + 1;
    }
    case DatePart::kWeekday:
      return DayOfWeek(days, settings.datefirst);
    case DatePart::kHour:
      return tod / kTicksPerHour;
    case DatePart::kMinute:
      return tod / kTicksPerMinute % 60;
    case DatePart::kSecond:
      return tod / kTicksPerSecond % 60;
    case DatePart::kMillisecond:
      return tod % kTicksPerSecond / kTicksPerMs;
    case DatePart::kMicrosecond:
      return tod % kTicksPerSecond / 10;
    case DatePart::kNanosecond:
      return tod % kTicksPerSecond * 100;
    case DatePart::kTzOffset:
      return 0;  // datetime2 and the types without an offset report 0; see the caller for dto
    case DatePart::kIsoWeek: {
      // ISO 8601: weeks start on Monday and belong to the year of their Thursday.
      int64_t monday0 = ((days % 7) + 7) % 7;  // 0001-01-01 is a Monday
      int64_t thursday = days - monday0 + 3;
      CivilDate t = CivilFromDays(thursday);
      return (thursday - DaysFromCivil({t.year, 1, 1})) / 7 + 1;
    }
  }
  return std::nullopt;
}

}  // namespace edgesql::datetime
