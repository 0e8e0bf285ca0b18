#include "tds/temporal_wire.h"

#include "types/value.h"

namespace edgesql::tds::temporal {
namespace {

constexpr int64_t kTicksPerMinute = 60 * kTicksPerSecond;
constexpr int64_t kTicks300PerDay = 86'400 * 300;
// datetime's range: 1753-01-01 is day -53690 from 1900-01-01; 9999-12-31 is day 2958463.
constexpr int64_t kMinDateTimeDays = -53690;
constexpr int64_t kMaxDateTimeDays = kMaxDays - kDaysTo1900;

int64_t Pow10(int n) {
  int64_t v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

}  // namespace

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

LegacyDateTime ToDateTime(int64_t ticks) {
  int64_t days = FloorDiv(ticks, kTicksPerDay);
  int64_t of_day = ticks - days * kTicksPerDay;
  // 1/300 s = 33333.33 ticks: ticks * 300 / 10^7 = ticks * 3 / 100000, rounded half up.
  int64_t t300 = (of_day * 3 + 50'000) / 100'000;
  if (t300 >= kTicks300PerDay) {
    ++days;
    t300 -= kTicks300PerDay;
  }
  return {days - kDaysTo1900, static_cast<uint32_t>(t300)};
}

std::optional<int64_t> FromDateTime(int32_t days, uint32_t ticks300) {
  if (days < kMinDateTimeDays || days > kMaxDateTimeDays || ticks300 >= kTicks300PerDay) {
    return std::nullopt;
  }
  // 1/300 s -> 100 ns ticks, rounded half up: t * 10^7 / 300 = t * 100000 / 3.
  int64_t of_day = (static_cast<int64_t>(ticks300) * 100'000 + 1) / 3;
  return (days + kDaysTo1900) * kTicksPerDay + of_day;
}

LegacyDateTime ToSmallDateTime(int64_t ticks) {
  int64_t days = FloorDiv(ticks, kTicksPerDay);
  int64_t of_day = ticks - days * kTicksPerDay;
  int64_t minutes = (of_day + kTicksPerMinute / 2) / kTicksPerMinute;
  if (minutes >= 1440) {
    ++days;
    minutes -= 1440;
  }
  return {days - kDaysTo1900, static_cast<uint32_t>(minutes)};
}

std::optional<int64_t> FromSmallDateTime(uint16_t days, uint16_t minutes) {
  if (minutes >= 1440) return std::nullopt;
  return (days + kDaysTo1900) * kTicksPerDay + minutes * kTicksPerMinute;
}

uint64_t TicksToTimeUnits(int64_t ticks_of_day, int scale) {
  return static_cast<uint64_t>(ticks_of_day / Pow10(7 - scale));
}

std::optional<int64_t> TimeUnitsToTicks(uint64_t units, int scale) {
  uint64_t per_day = static_cast<uint64_t>(86'400 * Pow10(scale));
  if (units >= per_day) return std::nullopt;
  return static_cast<int64_t>(units) * Pow10(7 - scale);
}

}  // namespace edgesql::tds::temporal
