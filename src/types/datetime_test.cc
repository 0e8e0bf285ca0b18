#include "types/datetime.h"

#include <gtest/gtest.h>

#include <cstring>

namespace edgesql::datetime {
namespace {

constexpr int64_t kMs = 10'000;

int64_t Ticks(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int64_t frac = 0) {
  return DaysFromCivil({y, mo, d}) * kTicksPerDay + ((h * 60 + mi) * 60 + s) * kTicksPerSecond +
         frac;
}

Value DT2(int64_t ticks, int scale = 7) { return Value::Int(SqlType::DateTime2(scale), ticks); }
Value DT(int64_t ticks) {
  return Value::Int(SqlType::DateTime(), RoundTicks(ticks, SqlType::DateTime()));
}

ParsedDateTime P(const char* text, DateSettings s = {}, TypeId target = TypeId::kDateTime2) {
  std::optional<ParsedDateTime> p = Parse(text, s, target);
  EXPECT_TRUE(p.has_value()) << text;
  return p.value_or(ParsedDateTime{});
}

std::string Civil(int64_t days) {
  CivilDate c = CivilFromDays(days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

DateSettings Order(const char* o) {
  DateSettings s;
  std::snprintf(s.order, sizeof s.order, "%s", o);
  return s;
}

TEST(CalendarTest, CivilDays) {
  EXPECT_EQ(DaysFromCivil({1, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({1900, 1, 1}), kDays1900);
  EXPECT_EQ(Civil(kDays1900), "1900-01-01");
  EXPECT_EQ(Civil(DaysFromCivil({9999, 12, 31})), "9999-12-31");
  EXPECT_EQ(DaysFromCivil({2024, 3, 1}) - DaysFromCivil({2024, 2, 28}), 2);  // leap year
  EXPECT_EQ(DaysFromCivil({2023, 3, 1}) - DaysFromCivil({2023, 2, 28}), 1);
  for (int64_t d = 0; d < 3'652'059; d += 997) {
    CivilDate c = CivilFromDays(d);
    ASSERT_EQ(DaysFromCivil(c), d);
  }
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
}

TEST(CalendarTest, DayOfWeek) {
  // 2024-01-31 is a Wednesday: 4 with DATEFIRST 7 (Sunday first), 3 with DATEFIRST 1.
  int64_t d = DaysFromCivil({2024, 1, 31});
  EXPECT_EQ(DayOfWeek(d, 7), 4);
  EXPECT_EQ(DayOfWeek(d, 1), 3);
  EXPECT_EQ(DayOfWeek(0, 7), 2);  // 0001-01-01 was a Monday
}

TEST(RoundingTest, DateTimeRoundsToThreeHundredths) {
  // "Rounding of datetime Fractional Second Precision".
  struct Case {
    int ms_in;
    int64_t expect_ms_shown;  // milliseconds as SQL Server displays them
    bool next_day;
  } cases[] = {{999, 0, true},    {995, 997, false}, {996, 997, false}, {997, 997, false},
               {998, 997, false}, {992, 993, false}, {993, 993, false}, {994, 993, false},
               {990, 990, false}, {991, 990, false}, {2, 3, false},     {1, 0, false},
               {5, 7, false},     {8, 7, false},     {9, 10, false}};
  for (const Case& c : cases) {
    int64_t t = Ticks(1998, 1, 1, 23, 59, 59, c.ms_in * kMs);
    if (c.ms_in < 100) t = Ticks(2024, 1, 1, 0, 0, 0, c.ms_in * kMs);
    Value v = Value::Int(SqlType::DateTime(), RoundTicks(t, SqlType::DateTime()));
    std::string s = *FormatStyle(v, 121);
    if (c.next_day) {
      EXPECT_EQ(s, "1998-01-02 00:00:00.000");
    } else {
      char want[8];
      std::snprintf(want, sizeof want, "%03d", static_cast<int>(c.expect_ms_shown));
      EXPECT_EQ(s.substr(s.size() - 3), want) << c.ms_in;
    }
  }
  // .003 is held as the 100 ns tick nearest 1/300 s (converting to datetime2 shows .0033333).
  EXPECT_EQ(RoundTicks(Ticks(2024, 1, 1, 0, 0, 0, 3 * kMs), SqlType::DateTime()) % kTicksPerSecond,
            33333);
  EXPECT_EQ(RoundTicks(Ticks(2024, 1, 1, 0, 0, 0, 7 * kMs), SqlType::DateTime()) % kTicksPerSecond,
            66667);
}

TEST(RoundingTest, SmallDateTimeRoundsToTheMinute) {
  // "29.998 seconds or less are rounded down ... 29.999 seconds or more are rounded up".
  SqlType sdt = SqlType::SmallDateTime();
  EXPECT_EQ(RoundTicks(Ticks(2007, 5, 8, 12, 35, 29, 998 * kMs), sdt), Ticks(2007, 5, 8, 12, 35));
  EXPECT_EQ(RoundTicks(Ticks(2007, 5, 8, 12, 35, 29, 999 * kMs), sdt), Ticks(2007, 5, 8, 12, 36));
  EXPECT_EQ(RoundTicks(Ticks(2007, 5, 8, 12, 35, 30), sdt), Ticks(2007, 5, 8, 12, 36));
  EXPECT_EQ(RoundTicks(Ticks(2007, 5, 8, 12, 59, 59, 998 * kMs), sdt), Ticks(2007, 5, 8, 13, 0));
  EXPECT_EQ(RoundTicks(Ticks(2007, 5, 9, 23, 59, 59), sdt), Ticks(2007, 5, 10));
}

TEST(RoundingTest, FractionalScale) {
  // "time(n)": converting to fewer digits rounds (12:34:54.1237 as time(3) is 12:34:54.124).
  int64_t t = ((12 * 60 + 34) * 60 + 54) * kTicksPerSecond + 1'237'000;
  EXPECT_EQ(RoundTicks(t, SqlType::Time(3)) % kTicksPerSecond, 1'240'000);
  EXPECT_EQ(RoundTicks(t, SqlType::Time(0)) % kTicksPerSecond, 0);
  EXPECT_EQ(RoundTicks(t + 5'000'000, SqlType::DateTime2(0)), t - 1'237'000 + kTicksPerSecond);
  EXPECT_EQ(RoundTicks(t, SqlType::DateTime2(7)), t);
}

TEST(RangeTest, TypeRanges) {
  EXPECT_EQ(MinTicks(TypeId::kDateTime), Ticks(1753, 1, 1));
  EXPECT_EQ(MinTicks(TypeId::kSmallDateTime), Ticks(1900, 1, 1));
  EXPECT_EQ(MaxTicks(TypeId::kSmallDateTime), Ticks(2079, 6, 6, 23, 59));
  EXPECT_EQ(MaxTicks(TypeId::kDateTime2), Ticks(9999, 12, 31, 23, 59, 59, 9'999'999));
  EXPECT_EQ(*FormatStyle(Value::Int(SqlType::DateTime(), MaxTicks(TypeId::kDateTime)), 121),
            "9999-12-31 23:59:59.997");
}

TEST(ParseTest, IsoFormats) {
  ParsedDateTime p = P("2024-01-31T12:30:15.1234567+01:00");
  EXPECT_TRUE(p.has_date && p.has_time && p.has_offset);
  EXPECT_EQ(Civil(p.days), "2024-01-31");
  EXPECT_EQ(p.ticks, ((12 * 60 + 30) * 60 + 15) * kTicksPerSecond + 1'234'567);
  EXPECT_EQ(p.offset_minutes, 60);
  EXPECT_EQ(p.fraction_digits, 7);
  p = P("2006-12-12T23:45:12-08:00");
  EXPECT_EQ(p.offset_minutes, -480);
  p = P("1999-12-12 19:30:30.12345Z");
  EXPECT_TRUE(p.has_offset && p.utc_designator);
  EXPECT_EQ(p.offset_minutes, 0);
  p = P("20240131");
  EXPECT_EQ(Civil(p.days), "2024-01-31");
  EXPECT_FALSE(p.has_time);
  p = P("20240131 12:30:00");
  EXPECT_TRUE(p.has_time);
  p = P("240131");  // six digits: yymmdd
  EXPECT_EQ(Civil(p.days), "2024-01-31");
  p = P("2024");  // four digits: the year
  EXPECT_EQ(Civil(p.days), "2024-01-01");
  p = P("2007-05-08 12:35:29.1234567 +12:15");
  EXPECT_EQ(p.offset_minutes, 12 * 60 + 15);
}

TEST(ParseTest, NumericFormatsFollowDateFormat) {
  EXPECT_EQ(Civil(P("1/31/2024").days), "2024-01-31");  // mdy (us_english)
  EXPECT_EQ(Civil(P("4/15/96").days), "1996-04-15");
  EXPECT_EQ(Civil(P("04-15-1996").days), "1996-04-15");
  EXPECT_EQ(Civil(P("31.01.2024", Order("dmy")).days), "2024-01-31");
  EXPECT_EQ(Civil(P("15/1996/04", Order("dym")).days), "1996-04-15");
  EXPECT_EQ(Civil(P("04/1996/15", Order("myd")).days), "1996-04-15");
  EXPECT_EQ(Civil(P("96/04/15", Order("ymd")).days), "1996-04-15");
  EXPECT_EQ(Civil(P("96/15/04", Order("ydm")).days), "1996-04-15");
  // Two-digit years: cutoff 2049.
  EXPECT_EQ(Civil(P("1/1/49").days), "2049-01-01");
  EXPECT_EQ(Civil(P("1/1/50").days), "1950-01-01");
}

TEST(ParseTest, YearFirstDependsOnTargetType) {
  // Under DATEFORMAT dmy, datetime reads '2024-01-31' as ydm (day 01, month 31: out of range),
  // while date/datetime2/datetimeoffset read it as ISO ymd.
  DateSettings dmy = Order("dmy");
  EXPECT_EQ(Civil(P("2024-01-31", dmy, TypeId::kDate).days), "2024-01-31");
  EXPECT_EQ(Civil(P("2024-01-31", dmy, TypeId::kDateTime2).days), "2024-01-31");
  bool oor = false;
  EXPECT_FALSE(Parse("2024-01-31", dmy, TypeId::kDateTime, &oor).has_value());
  EXPECT_TRUE(oor);
  EXPECT_EQ(Civil(P("2024-12-01", dmy, TypeId::kDateTime).days), "2024-01-12");
  EXPECT_EQ(Civil(P("2024-01-31", DateSettings{}, TypeId::kDateTime).days), "2024-01-31");
}

TEST(ParseTest, AlphabeticMonths) {
  // "Apr[il] [15][,] 1996", "15 Apr[il][,][19]96", "1996 APR[IL] [15]", "[15] 1996 apr[il]" ...
  struct Case {
    const char* text;
    const char* date;
  } cases[] = {{"Apr 15 1996", "1996-04-15"},     {"April 15, 1996", "1996-04-15"},
               {"Apr 15, 96", "1996-04-15"},      {"Apr 1996", "1996-04-01"},
               {"Apr 1996 15", "1996-04-15"},     {"15 Apr 1996", "1996-04-15"},
               {"15 April, 96", "1996-04-15"},    {"15 1996 apr", "1996-04-15"},
               {"1996 APRIL 15", "1996-04-15"},   {"1996 15 apr", "1996-04-15"},
               {"31-Jan-2024", "2024-01-31"},     {"jan 31 2024 12:30PM", "2024-01-31"},
               {"SEPTEMBER 1 2024", "2024-09-01"}};
  for (const Case& c : cases) {
    // DATEFORMAT does not apply to alphabetic months.
    EXPECT_EQ(Civil(P(c.text, Order("dmy")).days), c.date) << c.text;
  }
  ParsedDateTime p = P("Jan 31 2024 12:30PM");
  EXPECT_EQ(p.ticks, (12 * 60 + 30) * 60 * kTicksPerSecond);
}

TEST(ParseTest, Times) {
  struct Case {
    const char* text;
    int64_t ticks;
    int digits;
  } cases[] = {
      {"14:30", (14 * 60 + 30) * 60 * kTicksPerSecond, 0},
      {"14:30:20", ((14 * 60 + 30) * 60 + 20) * kTicksPerSecond, 0},
      // A colon before the fraction means milliseconds; a period means a decimal fraction.
      {"12:30:20:1", ((12 * 60 + 30) * 60 + 20) * kTicksPerSecond + 1 * kMs, 3},
      {"12:30:20.1", ((12 * 60 + 30) * 60 + 20) * kTicksPerSecond + 1'000'000, 1},
      {"01:01:01:123AM", 3661 * kTicksPerSecond + 123 * kMs, 3},
      {"01:01:01.1234567 PM", (13 * 3600 + 61) * kTicksPerSecond + 1'234'567, 7},
      {"4am", 4 * 3600 * kTicksPerSecond, 0},
      {"4 PM", 16 * 3600 * kTicksPerSecond, 0},
      {"12:01 AM", 60 * kTicksPerSecond, 0},  // 12 AM is midnight
      {"12:01", (12 * 60 + 1) * 60 * kTicksPerSecond, 0},
      {"12:01 PM", (12 * 60 + 1) * 60 * kTicksPerSecond, 0},
      {"13:00 PM", 13 * 3600 * kTicksPerSecond, 0},
  };
  for (const Case& c : cases) {
    ParsedDateTime p = P(c.text);
    EXPECT_FALSE(p.has_date) << c.text;
    EXPECT_TRUE(p.has_time) << c.text;
    EXPECT_EQ(p.ticks, c.ticks) << c.text;
    EXPECT_EQ(p.fraction_digits, c.digits) << c.text;
  }
}

TEST(ParseTest, IsoWithTIgnoresDateFormat) {
  DateSettings dmy;
  std::memcpy(dmy.order, "dmy", 3);
  auto p = Parse("2008-12-31T10:00:00", dmy, TypeId::kDateTime);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->days, DaysFromCivil({2008, 12, 31}));
  // Without the T, datetime still reads year-first dates in DATEFORMAT's day/month order.
  EXPECT_FALSE(Parse("2008-12-31 10:00:00", dmy, TypeId::kDateTime).has_value());
}

TEST(ParseTest, Rejects) {
  for (const char* bad : {"abc", "24:00", "12:60", "12:30:61", "0 PM", "13:00 AM", "12:30:20:1234",
                          "12:30:20.12345678", "2024-01-31 +05:00", "1/2", "Foo 1 2024",
                          "2024-01-31 12:00 +15:00", "12:00 2024/01", "1/1/123",
                          // Too many numbers around a month name (once a stack overflow).
                          "1 2 Jan 3 4", "1 2 Jan 3", "Jan 1 2 3", "1 2 3 Jan"}) {
    EXPECT_FALSE(Parse(bad, DateSettings{}).has_value()) << bad;
  }
  bool oor = false;
  EXPECT_FALSE(Parse("2024-02-30", DateSettings{}, TypeId::kDate, &oor).has_value());
  EXPECT_TRUE(oor);
  EXPECT_FALSE(Parse("13/01/2024", DateSettings{}, TypeId::kDate, &oor).has_value());
  EXPECT_TRUE(oor);
  EXPECT_FALSE(Parse("abc", DateSettings{}, TypeId::kDate, &oor).has_value());
  EXPECT_FALSE(oor);
}

TEST(ParseTest, EmptyStringIsTheDefault) {
  std::optional<ParsedDateTime> p = Parse("  ", DateSettings{});
  ASSERT_TRUE(p.has_value());
  EXPECT_FALSE(p->has_date);
  EXPECT_FALSE(p->has_time);
}

TEST(FormatTest, Defaults) {
  EXPECT_EQ(FormatDefault(Value::Int(SqlType::Date(), DaysFromCivil({2024, 1, 31}))), "2024-01-31");
  EXPECT_EQ(FormatDefault(Value::Int(SqlType::Time(7),
                                     ((12 * 60 + 30) * 60 + 15) * kTicksPerSecond + 1'234'567)),
            "12:30:15.1234567");
  EXPECT_EQ(FormatDefault(Value::Int(SqlType::Time(0), 0)), "00:00:00");
  EXPECT_EQ(FormatDefault(DT2(Ticks(2024, 1, 31, 12, 30, 15, 1'230'000), 3)),
            "2024-01-31 12:30:15.123");
  EXPECT_EQ(FormatDefault(DT2(Ticks(2024, 1, 31, 12, 30, 15, 1'234'567))),
            "2024-01-31 12:30:15.1234567");
  // datetime and smalldatetime default to style 0: 'Jan 31 2024 12:30PM'.
  EXPECT_EQ(FormatDefault(DT(Ticks(2024, 1, 31, 12, 30, 15))), "Jan 31 2024 12:30PM");
  EXPECT_EQ(FormatDefault(DT(Ticks(2006, 4, 18, 9, 58, 4))), "Apr 18 2006  9:58AM");
  EXPECT_EQ(FormatDefault(DT(Ticks(2024, 1, 1, 0, 5))), "Jan  1 2024 12:05AM");
  EXPECT_EQ(FormatDefault(Value::Int(SqlType::SmallDateTime(), Ticks(2024, 1, 31, 13, 30))),
            "Jan 31 2024  1:30PM");
  DateTimeOffset dto{Ticks(2024, 1, 31, 11, 30, 15, 1'234'567), 60};
  EXPECT_EQ(FormatDefault(Value::Dto(SqlType::DateTimeOffset(7), dto)),
            "2024-01-31 12:30:15.1234567 +01:00");
  dto = {Ticks(2024, 1, 31, 20, 0), -480};
  EXPECT_EQ(FormatDefault(Value::Dto(SqlType::DateTimeOffset(0), dto)),
            "2024-01-31 12:00:00 -08:00");
}

TEST(FormatTest, DateTimeStyles) {
  // The examples of "CAST and CONVERT", section J, for 2019-08-23 13:39:17.090.
  Value v = DT(Ticks(2019, 8, 23, 13, 39, 17, 90 * kMs));
  struct Case {
    int style;
    const char* out;
  } cases[] = {
      {0, "Aug 23 2019  1:39PM"},
      {100, "Aug 23 2019  1:39PM"},
      {1, "08/23/19"},
      {101, "08/23/2019"},
      {2, "19.08.23"},
      {102, "2019.08.23"},
      {3, "23/08/19"},
      {103, "23/08/2019"},
      {4, "23.08.19"},
      {104, "23.08.2019"},
      {5, "23-08-19"},
      {105, "23-08-2019"},
      {6, "23 Aug 19"},
      {106, "23 Aug 2019"},
      {7, "Aug 23, 19"},
      {107, "Aug 23, 2019"},
      {8, "13:39:17"},
      {24, "13:39:17"},
      {108, "13:39:17"},
      {9, "Aug 23 2019  1:39:17:090PM"},
      {109, "Aug 23 2019  1:39:17:090PM"},
      {10, "08-23-19"},
      {110, "08-23-2019"},
      {11, "19/08/23"},
      {111, "2019/08/23"},
      {12, "190823"},
      {112, "20190823"},
      {13, "23 Aug 2019 13:39:17:090"},
      {113, "23 Aug 2019 13:39:17:090"},
      {14, "13:39:17:090"},
      {114, "13:39:17:090"},
      {20, "2019-08-23 13:39:17"},
      {120, "2019-08-23 13:39:17"},
      {21, "2019-08-23 13:39:17.090"},
      {25, "2019-08-23 13:39:17.090"},
      {121, "2019-08-23 13:39:17.090"},
      {22, "08/23/19  1:39:17 PM"},
      {23, "2019-08-23"},
      {126, "2019-08-23T13:39:17.090"},
      {127, "2019-08-23T13:39:17.090"},
  };
  for (const Case& c : cases) {
    std::optional<std::string> s = FormatStyle(v, c.style);
    ASSERT_TRUE(s.has_value()) << c.style;
    EXPECT_EQ(*s, c.out) << c.style;
  }
  // Style 126 drops a zero millisecond fraction.
  EXPECT_EQ(*FormatStyle(DT(Ticks(2012, 11, 7, 18, 26, 20)), 126), "2012-11-07T18:26:20");
  EXPECT_FALSE(FormatStyle(v, 99).has_value());
  EXPECT_FALSE(FormatStyle(v, 15).has_value());
  EXPECT_FALSE(FormatStyle(v, 130).has_value());  // Hijri: not supported by edgesql
}

TEST(FormatTest, StylesOnTheNewerTypes) {
  Value d2 = DT2(Ticks(2010, 7, 20, 13, 44, 31, 5'879'025));
  EXPECT_EQ(*FormatStyle(d2, 126), "2010-07-20T13:44:31.5879025");
  EXPECT_EQ(*FormatStyle(d2, 121), "2010-07-20 13:44:31.5879025");
  EXPECT_EQ(*FormatStyle(d2, 0), "2010-07-20 13:44:31.5879025");  // 121 is the default
  EXPECT_EQ(*FormatStyle(d2, 100), "Jul 20 2010  1:44PM");
  EXPECT_EQ(*FormatStyle(d2, 120), "2010-07-20 13:44:31");
  // A date shows only the date portion of a style; a time only the time portion.
  Value date = Value::Int(SqlType::Date(), DaysFromCivil({2024, 1, 31}));
  EXPECT_EQ(*FormatStyle(date, 120), "2024-01-31");
  EXPECT_EQ(*FormatStyle(date, 101), "01/31/2024");
  EXPECT_EQ(*FormatStyle(date, 108), "00:00:00");
  Value time = Value::Int(SqlType::Time(3), (13 * 3600 + 5 * 60) * kTicksPerSecond + 7 * kMs);
  EXPECT_EQ(*FormatStyle(time, 121), "13:05:00.007");
  EXPECT_EQ(*FormatStyle(time, 100), " 1:05PM");
  EXPECT_EQ(*FormatStyle(time, 101), "01/01/1900");
  // smalldatetime shows zero seconds and milliseconds.
  Value sdt = Value::Int(SqlType::SmallDateTime(), Ticks(2024, 1, 31, 12, 30));
  EXPECT_EQ(*FormatStyle(sdt, 121), "2024-01-31 12:30:00.000");
  // datetimeoffset: 127 is UTC with Z.
  DateTimeOffset dto{Ticks(2024, 1, 31, 11, 30, 15, 1'234'567), 60};
  Value o = Value::Dto(SqlType::DateTimeOffset(7), dto);
  EXPECT_EQ(*FormatStyle(o, 127), "2024-01-31T11:30:15.1234567Z");
  EXPECT_EQ(*FormatStyle(o, 126), "2024-01-31T12:30:15.1234567+01:00");
  EXPECT_EQ(*FormatStyle(o, 120), "2024-01-31 12:30:15 +01:00");
  EXPECT_EQ(*FormatStyle(o, 101), "01/31/2024");
}

TEST(DatePartTest, Names) {
  EXPECT_EQ(ParseDatePart("yyyy"), DatePart::kYear);
  EXPECT_EQ(ParseDatePart("YY"), DatePart::kYear);
  EXPECT_EQ(ParseDatePart("mi"), DatePart::kMinute);
  EXPECT_EQ(ParseDatePart("n"), DatePart::kMinute);
  EXPECT_EQ(ParseDatePart("m"), DatePart::kMonth);
  EXPECT_EQ(ParseDatePart("dw"), DatePart::kWeekday);
  EXPECT_EQ(ParseDatePart("mcs"), DatePart::kMicrosecond);
  EXPECT_EQ(ParseDatePart("tz"), DatePart::kTzOffset);
  EXPECT_EQ(ParseDatePart("isowk"), DatePart::kIsoWeek);
  EXPECT_FALSE(ParseDatePart("fortnight").has_value());
}

TEST(DatePartTest, DocumentedValues) {
  // SELECT DATEPART(datepart, '2007-10-30 12:15:32.1234567 +05:10'): local parts.
  int64_t t = Ticks(2007, 10, 30, 12, 15, 32, 1'234'567);
  DateSettings s;
  struct Case {
    DatePart part;
    int64_t value;
  } cases[] = {{DatePart::kYear, 2007},
               {DatePart::kQuarter, 4},
               {DatePart::kMonth, 10},
               {DatePart::kDayOfYear, 303},
               {DatePart::kDay, 30},
               {DatePart::kWeek, 44},
               {DatePart::kWeekday, 3},
               {DatePart::kHour, 12},
               {DatePart::kMinute, 15},
               {DatePart::kSecond, 32},
               {DatePart::kMillisecond, 123},
               {DatePart::kMicrosecond, 123456},
               {DatePart::kNanosecond, 123456700},
               {DatePart::kIsoWeek, 44}};
  for (const Case& c : cases) EXPECT_EQ(PartOfTicks(c.part, t, s), c.value);
}

TEST(DatePartTest, WeekAndWeekdayFollowDateFirst) {
  // The DATEPART table for '2007-04-21' (a Saturday; 2007-01-01 was a Monday).
  int64_t t = Ticks(2007, 4, 21);
  int expected[8][2] = {{0, 0}, {16, 6}, {17, 5}, {17, 4}, {17, 3}, {17, 2}, {17, 1}, {16, 7}};
  for (int df = 1; df <= 7; ++df) {
    DateSettings s;
    s.datefirst = df;
    EXPECT_EQ(PartOfTicks(DatePart::kWeek, t, s), expected[df][0]) << df;
    EXPECT_EQ(PartOfTicks(DatePart::kWeekday, t, s), expected[df][1]) << df;
  }
  // January 1 is always week 1; ISO week 1 of 2004 began on Monday 2003-12-29.
  EXPECT_EQ(PartOfTicks(DatePart::kWeek, Ticks(2011, 1, 1), DateSettings{}), 1);
  EXPECT_EQ(PartOfTicks(DatePart::kIsoWeek, Ticks(2003, 12, 29), DateSettings{}), 1);
  EXPECT_EQ(PartOfTicks(DatePart::kIsoWeek, Ticks(2004, 1, 4), DateSettings{}), 1);
  EXPECT_EQ(PartOfTicks(DatePart::kIsoWeek, Ticks(2021, 1, 3), DateSettings{}), 53);
}

TEST(DateAddTest, DocumentedExamples) {
  int64_t base = Ticks(2007, 1, 1, 13, 10, 10, 1'111'111);
  struct Case {
    DatePart part;
    int64_t n;
    int64_t expect;
  } cases[] = {
      {DatePart::kYear, 1, Ticks(2008, 1, 1, 13, 10, 10, 1'111'111)},
      {DatePart::kQuarter, 1, Ticks(2007, 4, 1, 13, 10, 10, 1'111'111)},
      {DatePart::kMonth, 1, Ticks(2007, 2, 1, 13, 10, 10, 1'111'111)},
      {DatePart::kDayOfYear, 1, Ticks(2007, 1, 2, 13, 10, 10, 1'111'111)},
      {DatePart::kWeek, 1, Ticks(2007, 1, 8, 13, 10, 10, 1'111'111)},
      {DatePart::kWeekday, 1, Ticks(2007, 1, 2, 13, 10, 10, 1'111'111)},
      {DatePart::kMillisecond, 1, Ticks(2007, 1, 1, 13, 10, 10, 1'121'111)},
      {DatePart::kMicrosecond, 1, Ticks(2007, 1, 1, 13, 10, 10, 1'111'121)},
      {DatePart::kNanosecond, 49, base},
      {DatePart::kNanosecond, 50, base + 1},
      {DatePart::kNanosecond, 150, base + 2},
  };
  for (const Case& c : cases) EXPECT_EQ(AddToTicks(c.part, c.n, base), c.expect);
  // "DATEADD(month, 1, '20060831')" is 2006-09-30: the day is clamped to the month's end.
  EXPECT_EQ(AddToTicks(DatePart::kMonth, 1, Ticks(2006, 8, 31)), Ticks(2006, 9, 30));
  EXPECT_EQ(AddToTicks(DatePart::kYear, 1, Ticks(2024, 2, 29)), Ticks(2025, 2, 28));
  EXPECT_EQ(AddToTicks(DatePart::kMonth, -13, Ticks(2024, 1, 31)), Ticks(2022, 12, 31));
  // Adding beyond 9999 overflows (error 517).
  EXPECT_FALSE(AddToTicks(DatePart::kYear, 2147483647, Ticks(2006, 7, 31)).has_value());
  EXPECT_FALSE(AddToTicks(DatePart::kYear, -2147483647, Ticks(2006, 7, 31)).has_value());
  EXPECT_FALSE(AddToTicks(DatePart::kTzOffset, 1, base).has_value());
}

TEST(DateDiffTest, BoundariesCrossed) {
  // "DATEDIFF": each statement crosses one boundary of its datepart.
  int64_t a = Ticks(2005, 12, 31, 23, 59, 59, 9'999'999);
  int64_t b = Ticks(2006, 1, 1);
  for (DatePart p : {DatePart::kYear, DatePart::kQuarter, DatePart::kMonth, DatePart::kDayOfYear,
                     DatePart::kDay, DatePart::kWeek, DatePart::kHour, DatePart::kMinute,
                     DatePart::kSecond, DatePart::kMillisecond, DatePart::kMicrosecond}) {
    EXPECT_EQ(DiffTicks(p, a, b), 1) << static_cast<int>(p);
  }
  EXPECT_EQ(DiffTicks(DatePart::kNanosecond, a, b), 100);
  EXPECT_EQ(DiffTicks(DatePart::kYear, Ticks(2023, 12, 31), Ticks(2024, 1, 1)), 1);
  EXPECT_EQ(DiffTicks(DatePart::kDay, Ticks(2036, 3, 1), Ticks(2036, 2, 28)), -2);
  EXPECT_EQ(DiffTicks(DatePart::kMonth, Ticks(2024, 1, 31), Ticks(2024, 2, 1)), 1);
  EXPECT_EQ(DiffTicks(DatePart::kYear, Ticks(2024, 1, 1), Ticks(2024, 12, 31)), 0);
  // Weeks are counted from Sundays whatever DATEFIRST says: Sat -> Sun crosses one.
  EXPECT_EQ(DiffTicks(DatePart::kWeek, Ticks(2024, 1, 6), Ticks(2024, 1, 7)), 1);
  EXPECT_EQ(DiffTicks(DatePart::kWeek, Ticks(2024, 1, 7), Ticks(2024, 1, 13)), 0);
  EXPECT_EQ(DiffTicks(DatePart::kDay, Ticks(2007, 5, 6, 12, 10, 9), Ticks(2007, 5, 7, 12, 10, 9)),
            1);
  EXPECT_EQ(DiffTicks(DatePart::kHour, Ticks(2024, 1, 1, 10, 59), Ticks(2024, 1, 1, 11, 0)), 1);
  EXPECT_FALSE(DiffTicks(DatePart::kTzOffset, a, b).has_value());
}

TEST(LocalTicksTest, PerType) {
  EXPECT_EQ(LocalTicks(Value::Int(SqlType::Date(), 5)), 5 * kTicksPerDay);
  EXPECT_EQ(LocalTicks(Value::Dto(SqlType::DateTimeOffset(), DateTimeOffset{kTicksPerDay, -60})),
            kTicksPerDay - 3600 * kTicksPerSecond);
}

}  // namespace
}  // namespace edgesql::datetime
