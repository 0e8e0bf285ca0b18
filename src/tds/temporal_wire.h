// Wire forms of SQL Server's date and time types ([MS-TDS] 2.2.5.5.1.7 - 2.2.5.5.1.10), converted
// from and to edgesql's representations (types/value.h: days since 0001-01-01, 100 ns ticks).
//
//   datetime        4-byte signed days since 1900-01-01, 4-byte 1/300-second ticks since midnight
//   smalldatetime   2-byte unsigned days since 1900-01-01, 2-byte minutes since midnight
//   date            3-byte days since 0001-01-01
//   time(n)         3-5 bytes: 10^-n second units since midnight
//   datetime2(n)    time(n) then date
//   datetimeoffset  time(n) and date of the UTC instant, then 2-byte signed offset in minutes
//
// Internal to src/tds; pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace edgesql::tds::temporal {

// Days from 0001-01-01 to 1900-01-01, the epoch of datetime and smalldatetime.
inline constexpr int64_t kDaysTo1900 = 693595;
// Last valid day (9999-12-31) in days since 0001-01-01.
inline constexpr int64_t kMaxDays = 3652058;

struct LegacyDateTime {
  int64_t days = 0;       // since 1900-01-01
  uint32_t fraction = 0;  // datetime: 1/300 s; smalldatetime: minutes
};

// Ticks since 0001-01-01 -> datetime's (days, 1/300 s), rounding to the nearest 1/300 s.
LegacyDateTime ToDateTime(int64_t ticks);
// Inverse; nullopt when the days or ticks are out of datetime's range (1753..9999).
std::optional<int64_t> FromDateTime(int32_t days, uint32_t ticks300);
// Ticks -> smalldatetime's (days, minutes), rounding to the nearest minute.
LegacyDateTime ToSmallDateTime(int64_t ticks);
std::optional<int64_t> FromSmallDateTime(uint16_t days, uint16_t minutes);

// 100 ns ticks since midnight <-> 10^-scale units (truncating: values arrive rounded).
uint64_t TicksToTimeUnits(int64_t ticks_of_day, int scale);
// nullopt if the units reach 24:00:00.
std::optional<int64_t> TimeUnitsToTicks(uint64_t units, int scale);

// Floor division helpers for splitting ticks into days and time of day.
int64_t FloorDiv(int64_t a, int64_t b);
int64_t FloorMod(int64_t a, int64_t b);

}  // namespace edgesql::tds::temporal
