// datetime::FormatDefault and FormatStyle: the character forms of the date/time types, following
// the "Date and Time styles" table of "CAST and CONVERT (Transact-SQL)".
#include <cstdio>

#include "types/datetime.h"

namespace edgesql::datetime {
namespace {

constexpr const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct Parts {
  int y = 1900, mo = 1, d = 1;
  int h = 0, mi = 0, s = 0;
  int64_t frac = 0;     // 100 ns ticks within the second
  int frac_digits = 0;  // digits shown where a style has fractional seconds
  bool has_date = true;
  bool has_time = true;
  bool has_offset = false;
  int offset = 0;            // minutes
  bool datetime_ms = false;  // datetime: milliseconds are the rounded 1/300 s
};

Parts PartsOf(const Value& v) {
  Parts p;
  const SqlType& t = v.type();
  int64_t ticks = LocalTicks(v);
  if (t.id == TypeId::kTime) ticks += kDays1900 * kTicksPerDay;
  int64_t days = ticks / kTicksPerDay;
  int64_t tod = ticks % kTicksPerDay;
  CivilDate c = CivilFromDays(days);
  p.y = c.year;
  p.mo = c.month;
  p.d = c.day;
  p.h = static_cast<int>(tod / (3600 * kTicksPerSecond));
  p.mi = static_cast<int>(tod / (60 * kTicksPerSecond) % 60);
  p.s = static_cast<int>(tod / kTicksPerSecond % 60);
  p.frac = tod % kTicksPerSecond;
  p.has_date = t.id != TypeId::kTime;
  p.has_time = t.id != TypeId::kDate;
  switch (t.id) {
    case TypeId::kDateTime:
      p.frac_digits = 3;
      p.datetime_ms = true;
      break;
    case TypeId::kSmallDateTime:
      // "When converting smalldatetime to character data, the styles that include seconds or
      // milliseconds show zeros in these positions."
      p.frac_digits = 3;
      p.s = 0;
      p.frac = 0;
      break;
    case TypeId::kDateTimeOffset:
      p.has_offset = true;
      p.offset = v.AsDateTimeOffset().offset_minutes;
      p.frac_digits = t.scale;
      break;
    default:
      p.frac_digits = t.scale;
      break;
  }
  return p;
}

void Append(std::string* out, const char* fmt, int v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, fmt, v);
  out->append(buf);
}

std::string Fraction(const Parts& p) {
  if (p.frac_digits == 0) return "";
  int64_t f = p.frac;
  if (p.datetime_ms) {
    f = (f + 5'000) / 10'000;  // 1/300 s shown as whole milliseconds (.003, .007)
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03d", static_cast<int>(f));
    return buf;
  }
  for (int i = p.frac_digits; i < 7; ++i) f /= 10;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*lld", p.frac_digits, static_cast<long long>(f));
  return buf;
}

void AppendOffset(std::string* out, int offset) {
  out->push_back(offset < 0 ? '-' : '+');
  int a = offset < 0 ? -offset : offset;
  Append(out, "%02d", a / 60);
  out->push_back(':');
  Append(out, "%02d", a % 60);
}

// Date portions of the styles.
std::string DatePortion(const Parts& p, int style) {
  std::string o;
  int yy = p.y % 100;
  switch (style) {
    case 0:
    case 100:
    case 9:
    case 109:
      o = kMonths[p.mo - 1];
      Append(&o, " %2d", p.d);
      Append(&o, " %04d", p.y);
      break;
    case 1:
    case 101:
    case 22:
      Append(&o, "%02d", p.mo);
      Append(&o, "/%02d/", p.d);
      Append(&o, style == 101 ? "%04d" : "%02d", style == 101 ? p.y : yy);
      break;
    case 2:
    case 102:
      Append(&o, style == 102 ? "%04d" : "%02d", style == 102 ? p.y : yy);
      Append(&o, ".%02d", p.mo);
      Append(&o, ".%02d", p.d);
      break;
    case 3:
    case 103:
    case 4:
    case 104:
    case 5:
    case 105: {
      char sep = (style % 100 == 3) ? '/' : (style % 100 == 4) ? '.' : '-';
      Append(&o, "%02d", p.d);
      o.push_back(sep);
      Append(&o, "%02d", p.mo);
      o.push_back(sep);
      Append(&o, style > 100 ? "%04d" : "%02d", style > 100 ? p.y : yy);
      break;
    }
    case 6:
    case 106:
    case 13:
    case 113:
      Append(&o, "%02d ", p.d);
      o += kMonths[p.mo - 1];
      Append(&o, style == 6 ? " %02d" : " %04d", style == 6 ? yy : p.y);
      break;
    case 7:
    case 107:
      o = kMonths[p.mo - 1];
      Append(&o, " %02d, ", p.d);
      Append(&o, style == 107 ? "%04d" : "%02d", style == 107 ? p.y : yy);
      break;
    case 10:
    case 110:
      Append(&o, "%02d", p.mo);
      Append(&o, "-%02d-", p.d);
      Append(&o, style == 110 ? "%04d" : "%02d", style == 110 ? p.y : yy);
      break;
    case 11:
    case 111:
      Append(&o, style == 111 ? "%04d" : "%02d", style == 111 ? p.y : yy);
      Append(&o, "/%02d", p.mo);
      Append(&o, "/%02d", p.d);
      break;
    case 12:
    case 112:
      Append(&o, style == 112 ? "%04d" : "%02d", style == 112 ? p.y : yy);
      Append(&o, "%02d", p.mo);
      Append(&o, "%02d", p.d);
      break;
    default:  // 20, 21, 23, 25, 120, 121, 126, 127
      Append(&o, "%04d", p.y);
      Append(&o, "-%02d", p.mo);
      Append(&o, "-%02d", p.d);
      break;
  }
  return o;
}

std::string TimePortion(const Parts& p, int style) {
  std::string o;
  int h12 = p.h % 12 == 0 ? 12 : p.h % 12;
  const char* ampm = p.h < 12 ? "AM" : "PM";
  std::string frac = Fraction(p);
  switch (style) {
    case 0:
    case 100:
      Append(&o, "%2d", h12);
      Append(&o, ":%02d", p.mi);
      o += ampm;
      break;
    case 9:
    case 109:
      Append(&o, "%2d", h12);
      Append(&o, ":%02d", p.mi);
      Append(&o, ":%02d", p.s);
      if (!frac.empty()) o += ":" + frac;
      o += ampm;
      break;
    case 22:
      Append(&o, "%2d", h12);
      Append(&o, ":%02d", p.mi);
      Append(&o, ":%02d ", p.s);
      o += ampm;
      break;
    case 13:
    case 113:
    case 14:
    case 114:
      Append(&o, "%02d", p.h);
      Append(&o, ":%02d", p.mi);
      Append(&o, ":%02d", p.s);
      if (!frac.empty()) o += ":" + frac;
      break;
    case 21:
    case 25:
    case 121:
      Append(&o, "%02d", p.h);
      Append(&o, ":%02d", p.mi);
      Append(&o, ":%02d", p.s);
      if (!frac.empty()) o += "." + frac;
      break;
    case 126:
    case 127:
      Append(&o, "%02d", p.h);
      Append(&o, ":%02d", p.mi);
      Append(&o, ":%02d", p.s);
      // "For a milliseconds (mmm) value of 0, the millisecond decimal fraction value will not
      // display."
      if (!frac.empty() && frac.find_first_not_of('0') != std::string::npos) o += "." + frac;
      break;
    default:  // 8, 24, 108, 20, 120
      Append(&o, "%02d", p.h);
      Append(&o, ":%02d", p.mi);
      Append(&o, ":%02d", p.s);
      break;
  }
  return o;
}

enum class Shape { kDateOnly, kTimeOnly, kBoth, kInvalid };

Shape ShapeOf(int style) {
  switch (style) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 10:
    case 11:
    case 12:
    case 23:
    case 101:
    case 102:
    case 103:
    case 104:
    case 105:
    case 106:
    case 107:
    case 110:
    case 111:
    case 112:
      return Shape::kDateOnly;
    case 8:
    case 14:
    case 24:
    case 108:
    case 114:
      return Shape::kTimeOnly;
    case 0:
    case 9:
    case 13:
    case 20:
    case 21:
    case 22:
    case 25:
    case 100:
    case 109:
    case 113:
    case 120:
    case 121:
    case 126:
    case 127:
      return Shape::kBoth;
    default:
      return Shape::kInvalid;  // includes the Hijri styles 130 and 131, which edgesql lacks
  }
}

}  // namespace

std::string FormatDefault(const Value& value) {
  switch (value.type().id) {
    case TypeId::kDateTime:
    case TypeId::kSmallDateTime:
      // Style 0 is the default for datetime and smalldatetime.
      return *FormatStyle(value, 0);
    default:
      // 121 is the default for time, date, datetime2 and datetimeoffset.
      return *FormatStyle(value, 121);
  }
}

std::optional<std::string> FormatStyle(const Value& value, int style) {
  if (!value.type().IsDateTime() || value.is_null()) return std::nullopt;
  TypeId id = value.type().id;
  if (style == 0 && id != TypeId::kDateTime && id != TypeId::kSmallDateTime) style = 121;
  Shape shape = ShapeOf(style);
  if (shape == Shape::kInvalid) return std::nullopt;
  Parts p = PartsOf(value);
  bool utc = style == 127 && p.has_offset;
  if (utc) {
    int64_t t = value.AsDateTimeOffset().utc_ticks;
    Value u = Value::Int(SqlType::DateTime2(value.type().scale), t);
    p = PartsOf(u);
  }
  // A date type shows only the date portion of a style and a time type only the time portion;
  // a portion the value lacks takes SQL Server's defaults (1900-01-01, 00:00:00).
  bool show_date = shape != Shape::kTimeOnly && !(shape == Shape::kBoth && !p.has_date);
  bool show_time = shape != Shape::kDateOnly && !(shape == Shape::kBoth && !p.has_time);
  std::string out;
  if (show_date) out = DatePortion(p, style);
  if (show_time) {
    if (show_date) out.push_back(style == 126 || style == 127 ? 'T' : ' ');
    out += TimePortion(p, style);
    if (utc) {
      out.push_back('Z');
    } else if (p.has_offset) {
      if (style != 126 && style != 127) out.push_back(' ');
      AppendOffset(&out, p.offset);
    }
  }
  return out;
}

}  // namespace edgesql::datetime
