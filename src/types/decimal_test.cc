#include "types/decimal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

namespace edgesql {
namespace {

Decimal D(const char* s) {
  std::optional<Decimal> d = Decimal::Parse(s);
  EXPECT_TRUE(d.has_value()) << s;
  return d.value_or(Decimal());
}

std::string S(const std::optional<Decimal>& d) { return d ? d->ToString() : "overflow"; }

const char* kMax38 = "99999999999999999999999999999999999999";  // 10^38 - 1

TEST(DecimalTest, ParseKeepsWrittenScale) {
  EXPECT_EQ(D("-123.4500").scale(), 4);
  EXPECT_EQ(D("-123.4500").ToString(), "-123.4500");
  EXPECT_EQ(D("+1").ToString(), "1");
  EXPECT_EQ(D(".5").ToString(), "0.5");
  EXPECT_EQ(D("5.").ToString(), "5");
  EXPECT_EQ(D("000123").ToString(), "123");
  EXPECT_EQ(D(kMax38).ToString(), kMax38);
  EXPECT_EQ(D("0.00000000000000000000000000000000000001").scale(), 38);
}

TEST(DecimalTest, ParseRejects) {
  // 1e3 is a float literal in T-SQL, not a decimal; more than 38 digits do not fit.
  for (const char* bad :
       {"", "-", ".", "1e3", "1.2.3", " 1", "1 ", "abc", "1,5",
        "100000000000000000000000000000000000000", "0.000000000000000000000000000000000000001"}) {
    EXPECT_FALSE(Decimal::Parse(bad).has_value()) << bad;
  }
}

TEST(DecimalTest, ParseRoundedRoundsHalfAwayFromZero) {
  Decimal d;
  ASSERT_EQ(Decimal::ParseRounded("1.005", 2, &d), Decimal::ParseStatus::kOk);
  EXPECT_EQ(d.ToString(), "1.01");
  ASSERT_EQ(Decimal::ParseRounded("-1.005", 2, &d), Decimal::ParseStatus::kOk);
  EXPECT_EQ(d.ToString(), "-1.01");
  ASSERT_EQ(Decimal::ParseRounded("1.0049999", 2, &d), Decimal::ParseStatus::kOk);
  EXPECT_EQ(d.ToString(), "1.00");
  ASSERT_EQ(Decimal::ParseRounded("7", 3, &d), Decimal::ParseStatus::kOk);
  EXPECT_EQ(d.ToString(), "7.000");
  EXPECT_EQ(Decimal::ParseRounded("12x", 0, &d), Decimal::ParseStatus::kSyntax);
  EXPECT_EQ(Decimal::ParseRounded("", 0, &d), Decimal::ParseStatus::kSyntax);
  EXPECT_EQ(Decimal::ParseRounded("123", 36, &d), Decimal::ParseStatus::kOverflow);
  EXPECT_EQ(Decimal::ParseRounded(kMax38 + std::string(".5"), 0, &d),
            Decimal::ParseStatus::kOverflow);
}

TEST(DecimalTest, DigitCountAndPrecision) {
  EXPECT_EQ(D("123.45").DigitCount(), 5);
  EXPECT_EQ(D("0.05").DigitCount(), 2);
  EXPECT_EQ(D("0").DigitCount(), 1);
  EXPECT_TRUE(D("999.99").FitsPrecision(5));
  EXPECT_FALSE(D("1000.00").FitsPrecision(5));
  EXPECT_TRUE(D("0.05").FitsPrecision(2));
  EXPECT_FALSE(D("0.05").FitsPrecision(1));
}

TEST(DecimalTest, RescaleRoundsHalfAwayFromZero) {
  // SELECT CAST(1.5 AS decimal(5,0)) = 2; CAST(2.5 ...) = 3; CAST(-1.5 ...) = -2.
  EXPECT_EQ(S(D("1.5").Rescale(0)), "2");
  EXPECT_EQ(S(D("2.5").Rescale(0)), "3");
  EXPECT_EQ(S(D("-1.5").Rescale(0)), "-2");
  EXPECT_EQ(S(D("1.4999").Rescale(0)), "1");
  EXPECT_EQ(S(D("10.6496").Rescale(0)), "11");  // "CAST(10.6496 AS NUMERIC)" example
  EXPECT_EQ(S(D("-10.6496").Rescale(0)), "-11");
  EXPECT_EQ(S(D("1.5").Rescale(3)), "1.500");
  EXPECT_EQ(S(D("0.00000000000000000000000000000000000005").Rescale(37)),
            "0.0000000000000000000000000000000000001");
  EXPECT_EQ(S(D(kMax38).Rescale(1)), "overflow");
  EXPECT_EQ(S(D("1.99").RescaleTruncate(1)), "1.9");
  EXPECT_EQ(S(D("-1.99").RescaleTruncate(0)), "-1");
}

TEST(DecimalTest, AddAndSubtract) {
  EXPECT_EQ(S(Decimal::Add(D("1.25"), D("2.5"), 2)), "3.75");
  EXPECT_EQ(S(Decimal::Add(D("1.25"), D("-2.5"), 2)), "-1.25");
  EXPECT_EQ(S(Decimal::Sub(D("1"), D("0.001"), 3)), "0.999");
  EXPECT_EQ(S(Decimal::Add(D("0.5"), D("0.005"), 2)), "0.51");  // rounded to the result scale
  EXPECT_EQ(S(Decimal::Add(D(kMax38), D("1"), 0)), "overflow");
  EXPECT_EQ(S(Decimal::Sub(D("0"), D(kMax38), 0)), "-" + std::string(kMax38));
  // Aligning 10^37 at scale 0 with a scale-38 operand needs more than 128 bits.
  EXPECT_EQ(S(Decimal::Add(D("10000000000000000000000000000000000000"),
                           D("0.00000000000000000000000000000000000001"), 0)),
            "10000000000000000000000000000000000000");
}

TEST(DecimalTest, Multiply) {
  EXPECT_EQ(S(Decimal::Mul(D("1.5"), D("1.5"), 2)), "2.25");
  EXPECT_EQ(S(Decimal::Mul(D("1.5"), D("-1.5"), 1)), "-2.3");  // -2.25 rounds away from zero
  EXPECT_EQ(S(Decimal::Mul(D("0"), D("-1.5"), 1)), "0.0");
  // "Precision, scale, and length" examples: 0.0000009 * 1.0 at decimal(38,17) and (38,6).
  EXPECT_EQ(S(Decimal::Mul(D("0.00000090000000000000"), D("1.00000000000000000000"), 17)),
            "0.00000090000000000");
  EXPECT_EQ(S(Decimal::Mul(D("0.0000009000"), D("1.0000000000"), 6)), "0.000001");
  // A product of two 38-digit numbers needs 76 digits before rescaling.
  EXPECT_EQ(S(Decimal::Mul(D("9999999999999999999.9999999999999999999"),
                           D("9999999999999999999.9999999999999999999"), 0)),
            "99999999999999999999999999999999999998");
  EXPECT_EQ(S(Decimal::Mul(D("0.99999999999999999999999999999999999999"),
                           D("0.99999999999999999999999999999999999999"), 38)),
            "0.99999999999999999999999999999999999998");
  EXPECT_EQ(S(Decimal::Mul(D("1234567890123456789"), D("1234567890123456789"), 0)),
            "1524157875323883675019051998750190521");
}

TEST(DecimalTest, Divide) {
  // 10/3 with decimal(10,2) operands has scale 13 (precision-scale rules).
  EXPECT_EQ(S(Decimal::Div(D("10.00"), D("3.00"), 13)), "3.3333333333333");
  EXPECT_EQ(S(Decimal::Div(D("2"), D("3"), 6)), "0.666667");
  EXPECT_EQ(S(Decimal::Div(D("-2"), D("3"), 6)), "-0.666667");
  EXPECT_EQ(S(Decimal::Div(D("1"), D("8"), 2)), "0.13");  // 0.125 rounds away from zero
  EXPECT_FALSE(Decimal::Div(D("1"), D("0.00"), 2).has_value());
  EXPECT_EQ(S(Decimal::Div(D(kMax38), D("0.1"), 0)), "overflow");
  EXPECT_EQ(S(Decimal::Div(D("1"), D(kMax38), 38)), "0.00000000000000000000000000000000000001");
  EXPECT_EQ(S(Decimal::Div(D(kMax38), D(kMax38), 6)), "1.000000");
  EXPECT_EQ(S(Decimal::Div(D("12.5"), D("0.00005"), 2)), "250000.00");
}

TEST(DecimalTest, Modulo) {
  // The remainder keeps the dividend's sign.
  EXPECT_EQ(S(Decimal::Mod(D("38"), D("5"), 0)), "3");
  EXPECT_EQ(S(Decimal::Mod(D("-38"), D("5"), 0)), "-3");
  EXPECT_EQ(S(Decimal::Mod(D("38"), D("-5"), 0)), "3");
  EXPECT_EQ(S(Decimal::Mod(D("5.5"), D("2"), 1)), "1.5");
  EXPECT_EQ(S(Decimal::Mod(D("5.5"), D("0.25"), 2)), "0.00");
  EXPECT_FALSE(Decimal::Mod(D("1"), D("0"), 0).has_value());
}

TEST(DecimalTest, CompareIgnoresScale) {
  EXPECT_EQ(Decimal::Compare(D("1.5"), D("1.50")), 0);
  EXPECT_TRUE(D("1.5") == D("1.500"));
  EXPECT_LT(Decimal::Compare(D("-2"), D("-1.99")), 0);
  EXPECT_GT(Decimal::Compare(D("0.1"), D("0.09999999999999999999999999999999999999")), 0);
  EXPECT_LT(Decimal::Compare(D("-1"), D("0")), 0);
}

TEST(DecimalTest, IntegerAndDoubleConversions) {
  // CAST(2.7 AS int) = 2, CAST(-1.5 AS int) = -1: decimal to int truncates.
  EXPECT_EQ(D("2.7").ToInt64(), 2);
  EXPECT_EQ(D("-1.5").ToInt64(), -1);
  EXPECT_EQ(D("9223372036854775807").ToInt64(), INT64_MAX);
  EXPECT_FALSE(D("9223372036854775808").ToInt64().has_value());
  EXPECT_DOUBLE_EQ(D("0.1").ToDouble(), 0.1);
  EXPECT_DOUBLE_EQ(D("-123.45").ToDouble(), -123.45);
  EXPECT_EQ(S(Decimal::FromDouble(2.5, 0)), "3");
  EXPECT_EQ(S(Decimal::FromDouble(-2.5, 0)), "-3");
  EXPECT_EQ(S(Decimal::FromDouble(0.1, 30)), "0.100000000000000010000000000000");
  EXPECT_EQ(S(Decimal::FromDouble(1e20, 2)), "100000000000000000000.00");
  EXPECT_FALSE(Decimal::FromDouble(1e40, 0).has_value());
  EXPECT_EQ(S(Decimal::FromDouble(1e-30, 4)), "0.0000");
}

TEST(DecimalTest, KeyIsScaleIndependent) {
  EXPECT_EQ(D("1.5").ToKey(), D("1.50").ToKey());
  EXPECT_EQ(D("0").ToKey(), D("0.000").ToKey());
  EXPECT_EQ(D("-12").ToKey(), D("-12.0000").ToKey());
  EXPECT_EQ(D("100").ToKey(), D("100.00").ToKey());
  EXPECT_NE(D("100").ToKey(), D("10").ToKey());
}

TEST(DecimalTest, KeyBytesAsDocumented) {
  // docs/storage-format.md, "Decimal key".
  EXPECT_EQ(D("1.5").ToKey(), std::string("\xC0\x41\x26", 3));
  EXPECT_EQ(D("-1.5").ToKey(), std::string("\x40\xBE\xD9\xFF", 4));
  EXPECT_EQ(D("100").ToKey(), std::string("\xC0\x43\x20", 3));
  EXPECT_EQ(D("0.05").ToKey(), std::string("\xC0\x3F\x60", 3));
  EXPECT_EQ(D("0").ToKey(), std::string("\x80", 1));
}

TEST(DecimalTest, KeyRoundTripsAtSmallestScale) {
  for (const char* s :
       {"0", "1", "-1", "1.5", "-0.05", "100", "1234.5678", kMax38,
        "0.00000000000000000000000000000000000001", "-99999999999999999999999999999999999999",
        "-0.00000000000000000000000000000000000001", "10000000000000000000000000000000000000"}) {
    Decimal d = D(s);
    std::optional<Decimal> back = Decimal::FromKey(d.ToKey());
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_EQ(Decimal::Compare(*back, d), 0) << s;
  }
  EXPECT_EQ(Decimal::FromKey(D("1.500").ToKey())->ToString(), "1.5");
  EXPECT_EQ(Decimal::FromKey(D("1200.0").ToKey())->ToString(), "1200");
}

TEST(DecimalTest, FromKeyRejectsGarbage) {
  EXPECT_FALSE(Decimal::FromKey("").has_value());
  EXPECT_FALSE(Decimal::FromKey(std::string("\x80\x00", 2)).has_value());
  EXPECT_FALSE(Decimal::FromKey("\x01").has_value());
  EXPECT_FALSE(Decimal::FromKey(std::string("\xC0\x41", 2)).has_value());      // no digits
  EXPECT_FALSE(Decimal::FromKey(std::string("\xC0\x41\x10", 3)).has_value());  // leading zero
  EXPECT_FALSE(Decimal::FromKey(std::string("\xC0\x41\xF0", 3)).has_value());  // bad nibble
  std::string neg = D("-1.5").ToKey();
  neg.pop_back();
  EXPECT_FALSE(Decimal::FromKey(neg).has_value());  // missing terminator
}

// A random decimal with up to 38 digits at a random scale, biased towards the extremes.
Decimal RandomDecimal(std::mt19937_64& rng) {
  int digits = std::uniform_int_distribution<int>(1, 38)(rng);
  if (rng() % 8 == 0) digits = 38;
  __int128 c = 0;
  for (int i = 0; i < digits; ++i) {
    int d = static_cast<int>(rng() % 10);
    if (rng() % 16 == 0) d = 9;
    c = c * 10 + d;
  }
  if (rng() % 2) c = -c;
  int scale = std::uniform_int_distribution<int>(0, 38)(rng);
  return Decimal(c, scale);
}

int MemCmpOrder(const std::string& a, const std::string& b) {
  // SQLite compares BLOBs with memcmp, then by length.
  int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return c < 0 ? -1 : 1;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

TEST(DecimalTest, KeyOrderEqualsNumericOrderProperty) {
  std::mt19937_64 rng(20240131);
  std::vector<Decimal> values;
  for (int i = 0; i < 3000; ++i) values.push_back(RandomDecimal(rng));
  // Extremes and near-ties.
  for (const char* s : {"0",
                        "-0.0",
                        kMax38,
                        "-99999999999999999999999999999999999999",
                        "0.00000000000000000000000000000000000001",
                        "-0.00000000000000000000000000000000000001",
                        "1",
                        "1.0",
                        "0.1",
                        "0.10",
                        "0.01",
                        "10",
                        "-1",
                        "-0.1",
                        "-10",
                        "0.12",
                        "0.123",
                        "-0.12",
                        "-0.123",
                        "0.9999999999999999999999999999999999999",
                        "9999999999999999999999999999999999999.9"}) {
    values.push_back(D(s));
  }
  for (size_t i = 0; i < values.size(); ++i) {
    // Compare each value with its neighbours and with a random partner.
    for (size_t j : {(i + 1) % values.size(), static_cast<size_t>(rng() % values.size())}) {
      int numeric = Decimal::Compare(values[i], values[j]);
      int bytes = MemCmpOrder(values[i].ToKey(), values[j].ToKey());
      ASSERT_EQ(numeric, bytes) << values[i].ToString() << " vs " << values[j].ToString();
    }
  }
  std::vector<Decimal> by_value = values;
  std::sort(by_value.begin(), by_value.end(),
            [](const Decimal& a, const Decimal& b) { return Decimal::Compare(a, b) < 0; });
  for (size_t i = 1; i < by_value.size(); ++i) {
    ASSERT_LE(MemCmpOrder(by_value[i - 1].ToKey(), by_value[i].ToKey()), 0);
  }
}

TEST(DecimalTest, KeyRoundTripProperty) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    Decimal d = RandomDecimal(rng);
    std::optional<Decimal> back = Decimal::FromKey(d.ToKey());
    ASSERT_TRUE(back.has_value()) << d.ToString();
    ASSERT_EQ(Decimal::Compare(*back, d), 0) << d.ToString();
    ASSERT_LE(d.ToKey().size(), 22u);
  }
}

TEST(DecimalTest, ArithmeticAgreesWithCompareProperty) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 2000; ++i) {
    Decimal a = RandomDecimal(rng);
    Decimal b = RandomDecimal(rng);
    // a - b has the sign of Compare(a, b) whenever it is representable at scale 38-ish.
    int s = std::max(a.scale(), b.scale());
    std::optional<Decimal> diff = Decimal::Sub(a, b, s);
    if (diff) {
      int sign = diff->is_zero() ? 0 : diff->is_negative() ? -1 : 1;
      ASSERT_EQ(sign, Decimal::Compare(a, b)) << a.ToString() << " - " << b.ToString();
      std::optional<Decimal> back = Decimal::Add(*diff, b, s);
      ASSERT_TRUE(back.has_value());
      ASSERT_EQ(Decimal::Compare(*back, a), 0);
    }
  }
}

TEST(DecimalTest, MulDivModProperty) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 3000; ++i) {
    Decimal a = RandomDecimal(rng);
    Decimal b = RandomDecimal(rng);
    int scale = static_cast<int>(rng() % 39);
    std::optional<Decimal> p = Decimal::Mul(a, b, scale);
    std::optional<Decimal> q = Decimal::Div(a, b, scale);
    std::optional<Decimal> r = Decimal::Mod(a, b, std::max(a.scale(), b.scale()));
    if (b.is_zero()) {
      ASSERT_FALSE(q.has_value());
      ASSERT_FALSE(r.has_value());
      continue;
    }
    if (p && !p->is_zero()) {
      ASSERT_EQ(p->is_negative(), a.is_negative() != b.is_negative());
    }
    if (r) {
      // |a % b| < |b|, and the remainder takes the dividend's sign.
      Decimal abs_r = r->is_negative() ? r->Negate() : *r;
      Decimal abs_b = b.is_negative() ? b.Negate() : b;
      ASSERT_LT(Decimal::Compare(abs_r, abs_b), 0);
      if (!r->is_zero()) {
        ASSERT_EQ(r->is_negative(), a.is_negative());
      }
    }
    if (q) {
      ASSERT_EQ(q->scale(), scale);
    }
  }
}

TEST(DecimalTest, Pow10) {
  EXPECT_EQ(Pow10(0), 1);
  EXPECT_EQ(Pow10(18), static_cast<__int128>(1000000000000000000LL));
  EXPECT_EQ(Decimal(Pow10(38) - 1, 0).ToString(), kMax38);
}

}  // namespace
}  // namespace edgesql
