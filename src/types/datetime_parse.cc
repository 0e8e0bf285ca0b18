// datetime::Parse: the string literal formats of "date", "time", "datetime", "smalldatetime",
// "datetime2" and "datetimeoffset (Transact-SQL)": ISO 8601, unseparated, numeric (governed by
// SET DATEFORMAT), alphabetic months, and times with optional AM/PM and time zone offset.
#include <cctype>
#include <cstring>

#include "types/datetime.h"

namespace edgesql::datetime {
namespace {

enum class Kind : uint8_t { kNum, kWord, kSep };

struct Token {
  Kind kind;
  char sep;  // kSep: one of / - . : , + and ' ' for any whitespace
  std::string_view text;
  int64_t value;  // kNum; meaningful when digits <= 9
  int digits;     // kNum
};

constexpr int kMaxTokens = 40;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// us_english month names and abbreviations (sys.syslanguages months / shortmonths).
int MonthFromWord(std::string_view w) {
  static constexpr const char* kFull[12] = {"january",   "february", "march",    "april",
                                            "may",       "june",     "july",     "august",
                                            "september", "october",  "november", "december"};
  for (int i = 0; i < 12; ++i) {
    std::string_view full(kFull[i]);
    if (EqualsIgnoreCase(w, full) || EqualsIgnoreCase(w, full.substr(0, 3))) return i + 1;
  }
  return 0;
}

int Tokenize(std::string_view s, Token* out) {
  int n = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (n == kMaxTokens) return -1;
    char c = s[i];
    if (IsDigit(c)) {
      size_t b = i;
      int64_t v = 0;
      while (i < s.size() && IsDigit(s[i])) {
        if (i - b < 12) v = v * 10 + (s[i] - '0');
        ++i;
      }
      out[n++] = {Kind::kNum, 0, s.substr(b, i - b), v, static_cast<int>(i - b)};
    } else if (IsAlpha(c)) {
      size_t b = i;
      while (i < s.size() && IsAlpha(s[i])) ++i;
      out[n++] = {Kind::kWord, 0, s.substr(b, i - b), 0, 0};
    } else if (IsSpace(c)) {
      while (i < s.size() && IsSpace(s[i])) ++i;
      out[n++] = {Kind::kSep, ' ', {}, 0, 0};
    } else if (std::strchr("/-.:,+", c) != nullptr) {
      out[n++] = {Kind::kSep, c, s.substr(i, 1), 0, 0};
      ++i;
    } else {
      return -1;
    }
  }
  return n;
}

bool IsAmPm(const Token& t, bool* pm) {
  if (t.kind != Kind::kWord) return false;
  if (EqualsIgnoreCase(t.text, "AM")) {
    *pm = false;
    return true;
  }
  if (EqualsIgnoreCase(t.text, "PM")) {
    *pm = true;
    return true;
  }
  return false;
}

// Removes a trailing time zone designator: 'Z' or [+|-]hh[:mm], only after a time (a date with a
// zone and no time is "not allowed").
bool SplitOffset(std::string_view* text, ParsedDateTime* out) {
  std::string_view s = *text;
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return true;
  char last = s.back();
  if ((last == 'Z' || last == 'z') && s.size() >= 2 && IsDigit(s[s.size() - 2])) {
    out->has_offset = true;
    out->utc_designator = true;
    out->offset_minutes = 0;
    s.remove_suffix(1);
    *text = s;
    return true;
  }
  size_t sign = s.find_last_of("+-");
  if (sign == std::string_view::npos || sign < colon) return true;
  // Everything between the last ':' before the sign and the sign must belong to the seconds.
  size_t last_colon = s.substr(0, sign).find_last_of(':');
  for (size_t i = last_colon + 1; i < sign; ++i) {
    if (!IsDigit(s[i]) && s[i] != '.' && !IsSpace(s[i])) return true;
  }
  std::string_view z = s.substr(sign + 1);
  while (!z.empty() && IsSpace(z.back())) z.remove_suffix(1);
  size_t k = 0;
  int hh = 0, mm = 0, hd = 0, md = 0;
  while (k < z.size() && IsDigit(z[k]) && hd < 3) hh = hh * 10 + (z[k++] - '0'), ++hd;
  if (k < z.size() && z[k] == ':') {
    ++k;
    while (k < z.size() && IsDigit(z[k]) && md < 3) mm = mm * 10 + (z[k++] - '0'), ++md;
    if (md == 0) return false;
  }
  if (hd == 0 || hd > 2 || md > 2 || k != z.size()) return false;
  // "datetimeoffset": the offset ranges from -14:00 to +14:00.
  if (hh > 14 || mm > 59 || hh * 60 + mm > 840) return false;
  int total = hh * 60 + mm;
  out->has_offset = true;
  out->offset_minutes = static_cast<int16_t>(s[sign] == '-' ? -total : total);
  s = s.substr(0, sign);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  *text = s;
  return true;
}

// Parses a time starting at tokens[i]; marks the tokens used. Returns false on a malformed time.
bool ParseTime(const Token* t, int n, int i, bool* used, ParsedDateTime* out) {
  int64_t h = t[i].value;
  if (t[i].digits > 2) return false;
  int64_t mi = 0, sec = 0, frac_ticks = 0;
  int frac_digits = 0;
  int j = i + 1;
  used[i] = true;
  if (j + 1 < n && t[j].kind == Kind::kSep && t[j].sep == ':' && t[j + 1].kind == Kind::kNum) {
    if (t[j + 1].digits > 2) return false;
    mi = t[j + 1].value;
    used[j] = used[j + 1] = true;
    j += 2;
    if (j + 1 < n && t[j].kind == Kind::kSep && t[j].sep == ':' && t[j + 1].kind == Kind::kNum) {
      if (t[j + 1].digits > 2) return false;
      sec = t[j + 1].value;
      used[j] = used[j + 1] = true;
      j += 2;
      if (j < n && t[j].kind == Kind::kSep && t[j].sep == '.') {
        // A period: one digit means tenths, two hundredths, ... up to 100 ns.
        used[j++] = true;
        if (j < n && t[j].kind == Kind::kNum) {
          if (t[j].digits > 7) return false;
          frac_digits = t[j].digits;
          frac_ticks = t[j].value;
          for (int k = frac_digits; k < 7; ++k) frac_ticks *= 10;
          used[j++] = true;
        }
      } else if (j + 1 < n && t[j].kind == Kind::kSep && t[j].sep == ':' &&
                 t[j + 1].kind == Kind::kNum) {
        // A colon: the number is thousandths of a second, at most three digits.
        if (t[j + 1].digits > 3) return false;
        frac_digits = 3;
        frac_ticks = t[j + 1].value * 10'000;
        used[j] = used[j + 1] = true;
        j += 2;
      }
    }
  }
  int k = j;
  if (k < n && t[k].kind == Kind::kSep && t[k].sep == ' ') ++k;
  bool pm = false;
  if (k < n && IsAmPm(t[k], &pm)) {
    for (int x = j; x <= k; ++x) used[x] = true;
    // "time": PM cannot follow hour 0 and AM cannot follow hours 13-23; 12 AM is midnight.
    if (pm) {
      if (h == 0) return false;
      if (h < 12) h += 12;
    } else {
      if (h > 12) return false;
      if (h == 12) h = 0;
    }
  } else if (j == i + 1) {
    return false;  // a bare number is not a time
  }
  if (h > 23 || mi > 59 || sec > 59) return false;
  out->has_time = true;
  out->ticks = ((h * 60 + mi) * 60 + sec) * kTicksPerSecond + frac_ticks;
  out->fraction_digits = frac_digits;
  return true;
}

int ExpandYear(const Token& t) {
  if (t.digits == 2) return static_cast<int>(t.value < 50 ? 2000 + t.value : 1900 + t.value);
  if (t.digits == 4) return static_cast<int>(t.value);
  return -1;
}

struct DateParts {
  int y = 0, m = 0, d = 0;
};

// Numeric formats "n sep n sep n", and the unseparated yyyymmdd / yymmdd / yyyy.
bool ParseNumericDate(const Token* t, const int* idx, int count, const DateSettings& settings,
                      TypeId target, DateParts* out, bool iso_8601) {
  if (count == 1) {
    const Token& a = t[idx[0]];
    if (a.kind != Kind::kNum) return false;
    std::string_view s = a.text;
    auto num = [&](size_t b, size_t len) {
      int v = 0;
      for (size_t k = b; k < b + len; ++k) v = v * 10 + (s[k] - '0');
      return v;
    };
    // "date" unseparated formats: six or eight digits are ymd; four digits are a year.
    if (a.digits == 8) {
      *out = {num(0, 4), num(4, 2), num(6, 2)};
    } else if (a.digits == 6) {
      int yy = num(0, 2);
      *out = {yy < 50 ? 2000 + yy : 1900 + yy, num(2, 2), num(4, 2)};
    } else if (a.digits == 4) {
      *out = {num(0, 4), 1, 1};
    } else {
      return false;
    }
    return true;
  }
  if (count != 5) return false;
  const Token& a = t[idx[0]];
  const Token& s1 = t[idx[1]];
  const Token& b = t[idx[2]];
  const Token& s2 = t[idx[3]];
  const Token& c = t[idx[4]];
  if (a.kind != Kind::kNum || b.kind != Kind::kNum || c.kind != Kind::kNum) return false;
  if (s1.kind != Kind::kSep || s2.kind != Kind::kSep || s1.sep != s2.sep) return false;
  if (s1.sep != '/' && s1.sep != '-' && s1.sep != '.') return false;
  const Token* parts[3] = {&a, &b, &c};
  char order[3] = {settings.order[0], settings.order[1], settings.order[2]};
  if (a.digits == 4) {
    // A four-digit first part is the year. datetime and smalldatetime then take day and month in
    // DATEFORMAT's relative order (the classic ydm reading of '2024-01-31' under dmy); the
    // SQL:2008 types read year-first dates as ymd.
    const char* ymd = "ymd";
    // The ISO 8601 form with 'T' is read the same whatever DATEFORMAT says ("SET DATEFORMAT").
    bool legacy = !iso_8601 && (target == TypeId::kDateTime || target == TypeId::kSmallDateTime);
    if (legacy && std::strchr(settings.order, 'd') < std::strchr(settings.order, 'm')) {
      ymd = "ydm";
    }
    std::memcpy(order, ymd, 3);
  }
  DateParts r;
  for (int k = 0; k < 3; ++k) {
    const Token& p = *parts[k];
    switch (order[k]) {
      case 'y':
        r.y = ExpandYear(p);
        if (r.y < 0) return false;
        break;
      case 'm':
        if (p.digits > 2) return false;
        r.m = static_cast<int>(p.value);
        break;
      case 'd':
        if (p.digits > 2) return false;
        r.d = static_cast<int>(p.value);
        break;
      default:
        return false;
    }
  }
  *out = r;
  return true;
}

// Alphabetic formats: "Apr[il] [15][,] 1996", "15 Apr[il][,][19]96", "1996 APR[IL] [15]", ...
bool ParseAlphaDate(const Token* t, const int* idx, int count, DateParts* out) {
  int month = 0;
  const Token* before[2];
  const Token* after[2];
  int nb = 0, na = 0;
  for (int k = 0; k < count; ++k) {
    const Token& x = t[idx[k]];
    if (x.kind == Kind::kWord) {
      int m = MonthFromWord(x.text);
      if (m == 0 || month != 0) return false;
      month = m;
    } else if (x.kind == Kind::kNum) {
      if (month == 0) {
        if (nb == 2) return false;
        before[nb++] = &x;
      } else {
        if (na == 2) return false;
        after[na++] = &x;
      }
    } else if (x.sep != ' ' && x.sep != ',' && x.sep != '-' && x.sep != '/' && x.sep != '.') {
      return false;
    }
  }
  // At most a day and a year beside the month name ("15 Apr 1996"); more numbers (up to two on
  // each side were collected) are not a date.
  if (month == 0 || nb + na > 2) return false;
  const Token* nums[2];
  int n = 0;
  for (int k = 0; k < nb; ++k) nums[n++] = before[k];
  for (int k = 0; k < na; ++k) nums[n++] = after[k];
  const Token* year = nullptr;
  const Token* day = nullptr;
  if (n == 1) {
    // A single number is the year; "if the day is missing, the first day of the month".
    if (nums[0]->digits != 4) return false;
    year = nums[0];
  } else if (n == 2) {
    // A four-digit number is the year; otherwise the first number is the day.
    if (nums[0]->digits == 4) {
      year = nums[0];
      day = nums[1];
    } else {
      day = nums[0];
      year = nums[1];
    }
    if (day->digits > 2) return false;
  } else {
    return false;
  }
  int y = ExpandYear(*year);
  if (y < 0) return false;
  *out = {y, month, day != nullptr ? static_cast<int>(day->value) : 1};
  return true;
}

}  // namespace

std::optional<ParsedDateTime> Parse(std::string_view text, const DateSettings& settings,
                                    TypeId target, bool* out_of_range) {
  if (out_of_range != nullptr) *out_of_range = false;
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  ParsedDateTime out;
  if (text.empty()) return out;  // '' converts to the default 1900-01-01 00:00:00
  if (!SplitOffset(&text, &out)) return std::nullopt;

  Token t[kMaxTokens];
  int n = Tokenize(text, t);
  if (n <= 0) return std::nullopt;
  bool used[kMaxTokens] = {};

  // The time: the first number followed by ':' or by AM/PM.
  for (int i = 0; i < n; ++i) {
    if (t[i].kind != Kind::kNum) continue;
    bool pm;
    bool colon = i + 1 < n && t[i + 1].kind == Kind::kSep && t[i + 1].sep == ':';
    bool ampm =
        (i + 1 < n && IsAmPm(t[i + 1], &pm)) ||
        (i + 2 < n && t[i + 1].kind == Kind::kSep && t[i + 1].sep == ' ' && IsAmPm(t[i + 2], &pm));
    if (colon || ampm) {
      if (!ParseTime(t, n, i, used, &out)) return std::nullopt;
      break;
    }
  }
  if (out.has_offset && !out.has_time) return std::nullopt;

  // The date: the remaining tokens, without the separators around the time and the ISO 'T'.
  int idx[kMaxTokens];
  int count = 0;
  bool iso_8601 = false;
  for (int i = 0; i < n; ++i) {
    if (used[i]) continue;
    if (t[i].kind == Kind::kWord && (t[i].text == "T" || t[i].text == "t") && out.has_time) {
      iso_8601 = true;
      continue;
    }
    idx[count++] = i;
  }
  while (count > 0 && t[idx[0]].kind == Kind::kSep && t[idx[0]].sep == ' ') {
    for (int k = 1; k < count; ++k) idx[k - 1] = idx[k];
    --count;
  }
  while (count > 0 && t[idx[count - 1]].kind == Kind::kSep && t[idx[count - 1]].sep == ' ') {
    --count;
  }
  if (count == 0) {
    if (!out.has_time) return std::nullopt;
    return out;
  }
  bool alpha = false;
  for (int k = 0; k < count; ++k) alpha |= t[idx[k]].kind == Kind::kWord;
  DateParts d;
  bool ok = alpha ? ParseAlphaDate(t, idx, count, &d)
                  : ParseNumericDate(t, idx, count, settings, target, &d, iso_8601);
  if (!ok) return std::nullopt;
  if (d.y < 1 || d.y > 9999 || d.m < 1 || d.m > 12 || d.d < 1 || d.d > DaysInMonth(d.y, d.m)) {
    if (out_of_range != nullptr) *out_of_range = true;
    return std::nullopt;
  }
  out.has_date = true;
  out.days = DaysFromCivil({d.y, d.m, d.d});
  return out;
}

}  // namespace edgesql::datetime
