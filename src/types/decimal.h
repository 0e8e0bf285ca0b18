// Decimal: an exact decimal number of up to 38 significant digits, the value of SQL Server's
// decimal, numeric, money and smallmoney types.
//
// The value is coefficient * 10^-scale with |coefficient| < 10^38 and scale 0..38. Precision is a
// property of the SQL type (SqlType), not of the value; FitsPrecision checks a value against it.
// Arithmetic follows SQL Server: results are computed exactly and then rounded (half away from
// zero) to the result scale the binder chose with ArithmeticResultType; overflow of 38 digits is an
// error (8115), never a wrap or a silent float.
//
// Decimal is a trivially copyable value type; all functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgesql {

class Decimal {
 public:
  static constexpr int kMaxPrecision = 38;

  Decimal() = default;
  Decimal(__int128 coefficient, int scale)
      : coeff_(coefficient), scale_(static_cast<uint8_t>(scale)) {}
  static Decimal FromInt(int64_t v) { return Decimal(v, 0); }

  __int128 coefficient() const { return coeff_; }
  int scale() const { return scale_; }
  bool is_negative() const { return coeff_ < 0; }
  bool is_zero() const { return coeff_ == 0; }

  // Parses "-123.4500", "+1", ".5", "1e3" is rejected (that is a float literal in T-SQL).
  // Keeps the scale as written ("1.50" has scale 2). Fails on more than 38 digits.
  static std::optional<Decimal> Parse(std::string_view text);
  // Parses the same syntax at any length and rounds (half away from zero) to exactly `scale`
  // fraction digits, as CAST of a string to decimal(p, scale) does. kSyntax if the text is not
  // [+|-]digits[.digits]; kOverflow if the integer digits plus `scale` exceed 38.
  enum class ParseStatus { kOk, kSyntax, kOverflow };
  static ParseStatus ParseRounded(std::string_view text, int scale, Decimal* out);
  // "123.45", "-0.50", "0" (no exponent; scale digits always written).
  std::string ToString() const;

  // Number of significant integer + fraction digits this value needs at its scale.
  int DigitCount() const;
  // True if the value fits decimal(precision, scale()) without losing integer digits.
  bool FitsPrecision(int precision) const;

  // The same value at `new_scale`, rounding half away from zero when reducing the scale
  // (SQL Server's CAST to decimal rounds). nullopt if the result exceeds 38 digits.
  std::optional<Decimal> Rescale(int new_scale) const;
  // Truncating variant (used where SQL Server truncates, e.g. ROUND(x, n, 1)).
  std::optional<Decimal> RescaleTruncate(int new_scale) const;

  // Exact arithmetic rounded to `result_scale`; nullopt on overflow of 38 digits or division by
  // zero (callers turn those into 8115 / 8134).
  static std::optional<Decimal> Add(const Decimal& a, const Decimal& b, int result_scale);
  static std::optional<Decimal> Sub(const Decimal& a, const Decimal& b, int result_scale);
  static std::optional<Decimal> Mul(const Decimal& a, const Decimal& b, int result_scale);
  static std::optional<Decimal> Div(const Decimal& a, const Decimal& b, int result_scale);
  static std::optional<Decimal> Mod(const Decimal& a, const Decimal& b, int result_scale);
  Decimal Negate() const { return Decimal(-coeff_, scale_); }

  // Three-way numeric comparison regardless of scale (1.5 == 1.50).
  static int Compare(const Decimal& a, const Decimal& b);

  // Conversions. ToInt64 truncates toward zero (CAST(2.7 AS int) = 2) and fails on overflow.
  std::optional<int64_t> ToInt64() const;
  double ToDouble() const;
  // From a double, rounded to `scale`; nullopt if not finite or too large.
  static std::optional<Decimal> FromDouble(double v, int scale);

  // Order-preserving byte encoding, the storage form in SQLite (a BLOB): memcmp order equals
  // numeric order, and equal values (1.5, 1.50) encode identically. See docs/storage-format.md.
  std::string ToKey() const;
  // Decodes a key; the result has the smallest scale that represents it exactly. nullopt if the
  // bytes are not a valid key.
  static std::optional<Decimal> FromKey(std::string_view key);

  bool operator==(const Decimal& o) const { return Compare(*this, o) == 0; }

 private:
  __int128 coeff_ = 0;
  uint8_t scale_ = 0;
};

// 10^n for 0 <= n <= 38.
__int128 Pow10(int n);

}  // namespace edgesql
