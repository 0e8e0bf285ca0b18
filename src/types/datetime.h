// Calendar arithmetic, parsing and formatting for SQL Server's date and time types.
//
// Values use the representations of types/value.h: days since 0001-01-01 (date), 100 ns ticks
// since midnight (time) and 100 ns ticks since 0001-01-01 00:00:00 (datetime, smalldatetime,
// datetime2; datetimeoffset in UTC). The proleptic Gregorian calendar is used throughout, as
// datetime2 does; datetime's range starts at 1753-01-01 and smalldatetime's at 1900-01-01.
//
// Parsing and formatting follow SQL Server's documented string literal formats and CONVERT styles.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "types/sql_type.h"
#include "types/value.h"

namespace edgesql::datetime {

struct CivilDate {
  int year = 1;   // 1..9999
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days from 0001-01-01 to 1900-01-01: the date SQL Server supplies when a string or a time value
// has no date part, and day 0 of datetime's numeric form (CAST(0 AS datetime) = 1900-01-01).
inline constexpr int64_t kDays1900 = 693595;

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
// Days since 0001-01-01 for a valid civil date; and back.
int64_t DaysFromCivil(const CivilDate& d);
CivilDate CivilFromDays(int64_t days);
// 1 = Sunday ... 7 = Saturday, for DATEFIRST 7 (SQL Server's us_english default).
int DayOfWeek(int64_t days, int datefirst = 7);

// Smallest and largest ticks each type allows; used for range checks (error 242 / 517).
int64_t MinTicks(TypeId type);
int64_t MaxTicks(TypeId type);

// Rounds ticks to the precision of the type: datetime to 1/300 s (.000/.003/.007 as SQL Server),
// smalldatetime to the minute (29.998 s rounds down, 29.999 s up), time/datetime2/datetimeoffset
// to 10^-scale seconds (half up).
int64_t RoundTicks(int64_t ticks, const SqlType& type);

// Session settings that affect parsing: SET DATEFORMAT and SET DATEFIRST.
struct DateSettings {
  char order[4] = "mdy";  // one of mdy dmy ymd ydm myd dym
  int datefirst = 7;
  bool operator==(const DateSettings&) const = default;
};

// A parsed date/time string: which parts were present, and the offset if one was given.
struct ParsedDateTime {
  bool has_date = false;
  bool has_time = false;
  bool has_offset = false;
  int64_t days = 0;   // since 0001-01-01 (0 = 1900-01-01 is substituted by callers when !has_date)
  int64_t ticks = 0;  // since midnight, full 100 ns precision as written
  int16_t offset_minutes = 0;
  int fraction_digits = 0;      // digits written after the decimal point of the seconds
  bool utc_designator = false;  // the offset was written as 'Z'
};

// Parses the string forms SQL Server accepts for date/time conversion: ISO 8601
// ("2024-01-31T12:00:00.1234567+01:00", "20240131"), numeric formats governed by DATEFORMAT
// ("1/31/2024", "31.01.2024" with dmy), alphabetic month formats ("Jan 31 2024 12:00PM",
// "31 January 2024"), and times ("12:30", "12:30:15.5", "3PM"). nullopt if not recognised.
// `target` matters for one documented difference: a year-first numeric date such as
// "2024-01-31" follows SET DATEFORMAT's day/month order for datetime and smalldatetime (so
// DATEFORMAT dmy reads it as ydm), but is always ymd for date, datetime2 and datetimeoffset.
// When the text is well formed but names an impossible date (month 13, February 30),
// *out_of_range is set (SQL Server reports 242 for datetime and smalldatetime, 241 otherwise).
std::optional<ParsedDateTime> Parse(std::string_view text, const DateSettings& settings,
                                    TypeId target = TypeId::kDateTime2,
                                    bool* out_of_range = nullptr);

// The local date and time of a date/time value as ticks since 0001-01-01 (date: midnight; time:
// ticks since midnight; datetimeoffset: UTC plus its offset).
int64_t LocalTicks(const Value& value);

// The default string form of CAST(value AS varchar) for each type:
//   date "2024-01-31", time(7) "12:30:15.1234567", datetime2(3) "2024-01-31 12:30:15.123",
//   datetimeoffset(7) "2024-01-31 12:30:15.1234567 +01:00",
//   datetime / smalldatetime "Jan 31 2024 12:30PM" (style 0).
std::string FormatDefault(const Value& value);

// CONVERT(varchar, value, style) for the documented styles 0-14, 20-25, 100-114, 120, 121, 126
// and 127. Style 0 is each type's default (0 for datetime/smalldatetime, 121 for the others). A
// date shows only the date portion of a style and a time only the time portion. nullopt for any
// other style (SQL Server error 281), including the Hijri styles 130 and 131, which edgesql lacks.
std::optional<std::string> FormatStyle(const Value& value, int style);

// DATEPART names and abbreviations as SQL Server accepts them ("year", "yy", "yyyy", "mi", "n",
// ...).
enum class DatePart {
  kYear,
  kQuarter,
  kMonth,
  kDayOfYear,
  kDay,
  kWeek,
  kWeekday,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kNanosecond,
  kTzOffset,
  kIsoWeek,
};
std::optional<DatePart> ParseDatePart(std::string_view name);

// DATEADD(part, n, value): for datetime-family ticks; month arithmetic clamps the day to the end
// of the month as SQL Server does. nullopt on overflow of the type's range (error 517).
std::optional<int64_t> AddToTicks(DatePart part, int64_t n, int64_t ticks);
// DATEDIFF(part, start, end): counts boundaries crossed, as SQL Server does (DATEDIFF(year,
// '2023-12-31', '2024-01-01') = 1). Week boundaries are Sundays regardless of DATEFIRST.
std::optional<int64_t> DiffTicks(DatePart part, int64_t start_ticks, int64_t end_ticks);
// DATEPART(part, value) on local ticks since 0001-01-01. tzoffset is 0 here: the caller reports
// a datetimeoffset's own offset.
std::optional<int64_t> PartOfTicks(DatePart part, int64_t ticks, const DateSettings& settings);

}  // namespace edgesql::datetime
