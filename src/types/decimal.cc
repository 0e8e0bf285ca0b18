#include "types/decimal.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace edgesql {
namespace {

using u128 = unsigned __int128;

// A 256-bit unsigned integer, enough for the product of two 38-digit coefficients (< 10^76) and
// for aligning two coefficients to a common scale. Four little-endian 64-bit limbs.
struct U256 {
  uint64_t w[4] = {0, 0, 0, 0};

  static U256 From(u128 v) {
    U256 r;
    r.w[0] = static_cast<uint64_t>(v);
    r.w[1] = static_cast<uint64_t>(v >> 64);
    return r;
  }
  bool IsZero() const { return (w[0] | w[1] | w[2] | w[3]) == 0; }
  bool FitsU128() const { return (w[2] | w[3]) == 0; }
  u128 ToU128() const { return (static_cast<u128>(w[1]) << 64) | w[0]; }
  int BitLength() const {
    for (int i = 3; i >= 0; --i) {
      if (w[i] != 0) return 64 * i + 64 - __builtin_clzll(w[i]);
    }
    return 0;
  }
  bool Bit(int i) const { return (w[i / 64] >> (i % 64)) & 1; }
};

int Cmp(const U256& a, const U256& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i] ? -1 : 1;
  }
  return 0;
}

// a + b; false on overflow of 256 bits.
bool AddTo(U256* a, const U256& b) {
  u128 carry = 0;
  for (int i = 0; i < 4; ++i) {
    u128 s = static_cast<u128>(a->w[i]) + b.w[i] + carry;
    a->w[i] = static_cast<uint64_t>(s);
    carry = s >> 64;
  }
  return carry == 0;
}

// a - b for a >= b.
void SubFrom(U256* a, const U256& b) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    uint64_t bi = b.w[i];
    uint64_t d = a->w[i] - bi - borrow;
    borrow = (a->w[i] < bi || (a->w[i] == bi && borrow)) ? 1 : 0;
    a->w[i] = d;
  }
}

// a *= m; false on overflow of 256 bits.
bool MulSmall(U256* a, uint64_t m) {
  u128 carry = 0;
  for (int i = 0; i < 4; ++i) {
    u128 p = static_cast<u128>(a->w[i]) * m + carry;
    a->w[i] = static_cast<uint64_t>(p);
    carry = p >> 64;
  }
  return carry == 0;
}

U256 Mul128(u128 a, u128 b) {
  uint64_t x[2] = {static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64)};
  uint64_t y[2] = {static_cast<uint64_t>(b), static_cast<uint64_t>(b >> 64)};
  U256 r;
  for (int i = 0; i < 2; ++i) {
    u128 carry = 0;
    for (int j = 0; j < 2; ++j) {
      u128 p = static_cast<u128>(x[i]) * y[j] + r.w[i + j] + carry;
      r.w[i + j] = static_cast<uint64_t>(p);
      carry = p >> 64;
    }
    r.w[i + 2] = static_cast<uint64_t>(carry);
  }
  return r;
}

// a /= d, returning the remainder.
uint64_t DivSmall(U256* a, uint64_t d) {
  u128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    u128 cur = (rem << 64) | a->w[i];
    a->w[i] = static_cast<uint64_t>(cur / d);
    rem = cur % d;
  }
  return static_cast<uint64_t>(rem);
}

void DivMod(const U256& n, const U256& d, U256* q, U256* r) {
  if (d.w[1] == 0 && d.w[2] == 0 && d.w[3] == 0) {
    *q = n;
    *r = U256::From(DivSmall(q, d.w[0]));
    return;
  }
  *q = U256();
  *r = U256();
  for (int i = n.BitLength() - 1; i >= 0; --i) {
    // r = (r << 1) | bit; r < d < 2^255 here, so the shift cannot overflow.
    for (int k = 3; k > 0; --k) r->w[k] = (r->w[k] << 1) | (r->w[k - 1] >> 63);
    r->w[0] = (r->w[0] << 1) | (n.Bit(i) ? 1 : 0);
    if (Cmp(*r, d) >= 0) {
      SubFrom(r, d);
      q->w[i / 64] |= uint64_t{1} << (i % 64);
    }
  }
}

constexpr uint64_t kPow10U64[20] = {1ull,
                                    10ull,
                                    100ull,
                                    1000ull,
                                    10000ull,
                                    100000ull,
                                    1000000ull,
                                    10000000ull,
                                    100000000ull,
                                    1000000000ull,
                                    10000000000ull,
                                    100000000000ull,
                                    1000000000000ull,
                                    10000000000000ull,
                                    100000000000000ull,
                                    1000000000000000ull,
                                    10000000000000000ull,
                                    100000000000000000ull,
                                    1000000000000000000ull,
                                    10000000000000000000ull};

// v *= 10^k; false if the result needs more than 256 bits.
bool MulPow10(U256* v, int k) {
  while (k > 0) {
    int step = k > 19 ? 19 : k;
    if (!MulSmall(v, kPow10U64[step])) return false;
    k -= step;
  }
  return true;
}

// round(v / 10^k), halves rounded up (the magnitude half of "half away from zero").
U256 DivPow10Round(const U256& v, int k) {
  if (k <= 0) return v;
  if (k > 77) return U256();  // 10^78 > 2^256 > v: the quotient rounds to zero
  if (k <= 19) {
    U256 q = v;
    uint64_t d = kPow10U64[k];
    uint64_t r = DivSmall(&q, d);
    if (r >= d - r) AddTo(&q, U256::From(1));
    return q;
  }
  U256 d = U256::From(1);
  MulPow10(&d, k);
  U256 q, r;
  DivMod(v, d, &q, &r);
  U256 half = d;
  SubFrom(&half, r);  // d - r
  if (Cmp(r, half) >= 0) AddTo(&q, U256::From(1));
  return q;
}

U256 DivPow10Trunc(const U256& v, int k) {
  if (k <= 0) return v;
  if (k > 77) return U256();
  U256 d = U256::From(1);
  MulPow10(&d, k);
  U256 q, r;
  DivMod(v, d, &q, &r);
  return q;
}

// A signed 256-bit value: sign and magnitude.
struct Wide {
  bool neg = false;
  U256 mag;
};

Wide FromCoeff(__int128 c) {
  Wide w;
  w.neg = c < 0;
  w.mag = U256::From(c < 0 ? -static_cast<u128>(c) : static_cast<u128>(c));
  return w;
}

Wide AddWide(const Wide& a, const Wide& b, bool* ok) {
  Wide r;
  if (a.neg == b.neg) {
    r = a;
    *ok = AddTo(&r.mag, b.mag);
    return r;
  }
  *ok = true;
  if (Cmp(a.mag, b.mag) >= 0) {
    r = a;
    SubFrom(&r.mag, b.mag);
  } else {
    r = b;
    SubFrom(&r.mag, a.mag);
  }
  if (r.mag.IsZero()) r.neg = false;
  return r;
}

// Rescales a value held at `from` scale to `to` scale, rounding half away from zero.
bool RescaleWide(Wide* v, int from, int to) {
  if (to >= from) return MulPow10(&v->mag, to - from);
  v->mag = DivPow10Round(v->mag, from - to);
  if (v->mag.IsZero()) v->neg = false;
  return true;
}

const U256& MaxCoeffExclusive() {
  static const U256 k = [] {
    U256 v = U256::From(1);
    MulPow10(&v, 38);
    return v;
  }();
  return k;
}

std::optional<Decimal> ToDecimal(const Wide& v, int scale) {
  if (Cmp(v.mag, MaxCoeffExclusive()) >= 0) return std::nullopt;
  __int128 c = static_cast<__int128>(v.mag.ToU128());
  return Decimal(v.neg ? -c : c, scale);
}

u128 Abs(__int128 c) { return c < 0 ? -static_cast<u128>(c) : static_cast<u128>(c); }

int DigitsOf(u128 v) {
  int n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

__int128 Pow10(int n) {
  __int128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  u128 coeff = 0;
  int significant = 0;
  int scale = 0;
  bool any_digit = false;
  bool in_fraction = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (!IsDigit(c)) return std::nullopt;
    any_digit = true;
    if (in_fraction) ++scale;
    if (significant > 0 || c != '0') ++significant;
    if (significant > kMaxPrecision || scale > kMaxPrecision) return std::nullopt;
    coeff = coeff * 10 + static_cast<u128>(c - '0');
  }
  if (!any_digit) return std::nullopt;
  __int128 c = static_cast<__int128>(coeff);
  return Decimal(neg ? -c : c, scale);
}

Decimal::ParseStatus Decimal::ParseRounded(std::string_view text, int scale, Decimal* out) {
  size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  size_t int_begin = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  size_t int_end = i;
  size_t frac_begin = i;
  size_t frac_end = i;
  if (i < text.size() && text[i] == '.') {
    frac_begin = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    frac_end = i;
  }
  if (i != text.size() || (int_end == int_begin && frac_end == frac_begin)) {
    return ParseStatus::kSyntax;
  }
  while (int_begin < int_end && text[int_begin] == '0') ++int_begin;
  if (static_cast<int>(int_end - int_begin) + scale > kMaxPrecision) return ParseStatus::kOverflow;
  u128 coeff = 0;
  for (size_t k = int_begin; k < int_end; ++k) coeff = coeff * 10 + (text[k] - '0');
  for (int k = 0; k < scale; ++k) {
    size_t pos = frac_begin + k;
    coeff = coeff * 10 + (pos < frac_end ? text[pos] - '0' : 0);
  }
  // Half away from zero: only the first dropped digit decides.
  size_t first_dropped = frac_begin + scale;
  if (first_dropped < frac_end && text[first_dropped] >= '5') {
    ++coeff;
    if (coeff >= static_cast<u128>(Pow10(kMaxPrecision))) return ParseStatus::kOverflow;
  }
  __int128 c = static_cast<__int128>(coeff);
  *out = Decimal(neg ? -c : c, scale);
  return ParseStatus::kOk;
}

std::string Decimal::ToString() const {
  u128 mag = Abs(coeff_);
  char digits[48];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(mag % 10));
    mag /= 10;
  } while (mag != 0);
  while (n < scale_ + 1) digits[n++] = '0';  // a leading "0" before the point
  std::string out;
  out.reserve(n + 2);
  if (coeff_ < 0) out.push_back('-');
  for (int i = n - 1; i >= 0; --i) {
    out.push_back(digits[i]);
    if (i == scale_ && scale_ > 0) out.push_back('.');
  }
  return out;
}

int Decimal::DigitCount() const {
  int d = DigitsOf(Abs(coeff_));
  return d > scale_ ? d : (scale_ > 0 ? scale_ : 1);
}

bool Decimal::FitsPrecision(int precision) const {
  if (precision < 1 || precision > kMaxPrecision || scale_ > precision) return false;
  return Abs(coeff_) < static_cast<u128>(Pow10(precision));
}

std::optional<Decimal> Decimal::Rescale(int new_scale) const {
  if (new_scale < 0 || new_scale > kMaxPrecision) return std::nullopt;
  Wide w = FromCoeff(coeff_);
  if (!RescaleWide(&w, scale_, new_scale)) return std::nullopt;
  return ToDecimal(w, new_scale);
}

std::optional<Decimal> Decimal::RescaleTruncate(int new_scale) const {
  if (new_scale < 0 || new_scale > kMaxPrecision) return std::nullopt;
  if (new_scale >= scale_) return Rescale(new_scale);
  Wide w = FromCoeff(coeff_);
  w.mag = DivPow10Trunc(w.mag, scale_ - new_scale);
  if (w.mag.IsZero()) w.neg = false;
  return ToDecimal(w, new_scale);
}

std::optional<Decimal> Decimal::Add(const Decimal& a, const Decimal& b, int result_scale) {
  if (result_scale < 0 || result_scale > kMaxPrecision) return std::nullopt;
  int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  Wide x = FromCoeff(a.coeff_);
  Wide y = FromCoeff(b.coeff_);
  if (!RescaleWide(&x, a.scale_, s) || !RescaleWide(&y, b.scale_, s)) return std::nullopt;
  bool ok = true;
  Wide r = AddWide(x, y, &ok);
  if (!ok || !RescaleWide(&r, s, result_scale)) return std::nullopt;
  return ToDecimal(r, result_scale);
}

std::optional<Decimal> Decimal::Sub(const Decimal& a, const Decimal& b, int result_scale) {
  return Add(a, b.Negate(), result_scale);
}

std::optional<Decimal> Decimal::Mul(const Decimal& a, const Decimal& b, int result_scale) {
  if (result_scale < 0 || result_scale > kMaxPrecision) return std::nullopt;
  Wide r;
  r.mag = Mul128(Abs(a.coeff_), Abs(b.coeff_));
  r.neg = (a.coeff_ < 0) != (b.coeff_ < 0) && !r.mag.IsZero();
  if (!RescaleWide(&r, a.scale_ + b.scale_, result_scale)) return std::nullopt;
  return ToDecimal(r, result_scale);
}

std::optional<Decimal> Decimal::Div(const Decimal& a, const Decimal& b, int result_scale) {
  if (b.coeff_ == 0 || result_scale < 0 || result_scale > kMaxPrecision) return std::nullopt;
  // q = a.c * 10^(result_scale + b.s - a.s) / b.c, rounded half away from zero.
  int k = result_scale + b.scale_ - a.scale_;
  U256 n = U256::From(Abs(a.coeff_));
  U256 d = U256::From(Abs(b.coeff_));
  // A numerator beyond 256 bits divided by a divisor below 2^127 exceeds 10^38: overflow.
  if (k >= 0 && !MulPow10(&n, k)) return std::nullopt;
  if (k < 0 && !MulPow10(&d, -k)) return std::nullopt;
  U256 q, r;
  DivMod(n, d, &q, &r);
  U256 rest = d;
  SubFrom(&rest, r);
  if (Cmp(r, rest) >= 0) AddTo(&q, U256::From(1));
  Wide w;
  w.mag = q;
  w.neg = (a.coeff_ < 0) != (b.coeff_ < 0) && !q.IsZero();
  return ToDecimal(w, result_scale);
}

std::optional<Decimal> Decimal::Mod(const Decimal& a, const Decimal& b, int result_scale) {
  if (b.coeff_ == 0 || result_scale < 0 || result_scale > kMaxPrecision) return std::nullopt;
  // The remainder of truncated division takes the dividend's sign (as T-SQL's % does).
  int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  Wide x = FromCoeff(a.coeff_);
  Wide y = FromCoeff(b.coeff_);
  if (!RescaleWide(&x, a.scale_, s) || !RescaleWide(&y, b.scale_, s)) return std::nullopt;
  U256 q, r;
  DivMod(x.mag, y.mag, &q, &r);
  Wide w;
  w.mag = r;
  w.neg = x.neg && !r.IsZero();
  if (!RescaleWide(&w, s, result_scale)) return std::nullopt;
  return ToDecimal(w, result_scale);
}

int Decimal::Compare(const Decimal& a, const Decimal& b) {
  bool an = a.coeff_ < 0;
  bool bn = b.coeff_ < 0;
  if (an != bn) return an ? -1 : 1;
  if (a.scale_ == b.scale_) return a.coeff_ < b.coeff_ ? -1 : a.coeff_ > b.coeff_ ? 1 : 0;
  int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  Wide x = FromCoeff(a.coeff_);
  Wide y = FromCoeff(b.coeff_);
  RescaleWide(&x, a.scale_, s);  // at most 10^38 * 10^38: always fits 256 bits
  RescaleWide(&y, b.scale_, s);
  int c = Cmp(x.mag, y.mag);
  return an ? -c : c;
}

std::optional<int64_t> Decimal::ToInt64() const {
  __int128 q = coeff_ / Pow10(scale_);  // C++ division truncates toward zero
  if (q > INT64_MAX || q < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(q);
}

double Decimal::ToDouble() const {
  if (scale_ == 0 && Abs(coeff_) < (u128{1} << 53)) return static_cast<double>(coeff_);
  // strtod rounds the exact decimal string correctly.
  return std::strtod(ToString().c_str(), nullptr);
}

std::optional<Decimal> Decimal::FromDouble(double v, int scale) {
  if (!std::isfinite(v) || scale < 0 || scale > kMaxPrecision) return std::nullopt;
  // "CAST and CONVERT": conversion of float to decimal is restricted to 17 significant digits;
  // the 17-digit decimal form of the double is rounded to the target scale.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.16e", v);
  // buf: [-]d.dddddddddddddddde[+-]xx
  std::string_view s(buf);
  size_t e = s.find('e');
  int exp10 = std::atoi(buf + e + 1);
  std::string digits;
  bool neg = buf[0] == '-';
  for (size_t i = neg ? 1 : 0; i < e; ++i) {
    if (IsDigit(buf[i])) digits.push_back(buf[i]);
  }
  // value = 0.d1d2...d17 * 10^(exp10 + 1); build "intpart.fraction".
  int point = exp10 + 1;
  if (point > kMaxPrecision) return std::nullopt;
  std::string text = neg ? "-" : "";
  if (point <= 0) {
    text += "0.";
    text.append(static_cast<size_t>(-point), '0');
    text += digits;
  } else if (point >= static_cast<int>(digits.size())) {
    text += digits;
    text.append(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    text += digits.substr(0, point);
    text += '.';
    text += digits.substr(point);
  }
  Decimal d;
  if (ParseRounded(text, scale, &d) != ParseStatus::kOk) return std::nullopt;
  return d;
}

// Key layout (docs/storage-format.md, "decimal key"): the value is written as
// sign * 0.d1d2...dn * 10^E with d1 != 0 and dn != 0 (so 1.5 and 1.50 both become 0.15 * 10^1).
//   zero:      80
//   positive:  C0, E+64, digit nibbles (digit+1, two per byte, a final odd digit padded with 0)
//   negative:  40, 255-(E+64), the digit bytes inverted, FF
// A larger exponent means a larger magnitude; for equal exponents the digit strings compare
// lexicographically (a prefix is smaller, which the zero pad nibble preserves). Negative keys
// invert every byte after the class so larger magnitudes sort first; the FF terminator makes a
// shorter digit string (a smaller magnitude) sort after its extensions.
std::string Decimal::ToKey() const {
  if (coeff_ == 0) return std::string(1, '\x80');
  u128 mag = Abs(coeff_);
  char digits[40];
  int n = 0;
  do {
    digits[n++] = static_cast<char>(mag % 10);
    mag /= 10;
  } while (mag != 0);
  // digits[] is least significant first; skip trailing zeros of the value.
  int low = 0;
  while (digits[low] == 0) ++low;
  int exponent = n - scale_;  // value = 0.d1..dn * 10^(n - scale)
  bool neg = coeff_ < 0;
  std::string key;
  key.reserve(24);
  key.push_back(neg ? '\x40' : '\xC0');
  uint8_t e = static_cast<uint8_t>(exponent + 64);
  key.push_back(static_cast<char>(neg ? 255 - e : e));
  for (int i = n - 1; i >= low; i -= 2) {
    uint8_t hi = static_cast<uint8_t>(digits[i] + 1);
    uint8_t lo = i - 1 >= low ? static_cast<uint8_t>(digits[i - 1] + 1) : 0;
    uint8_t byte = static_cast<uint8_t>(hi << 4 | lo);
    key.push_back(static_cast<char>(neg ? static_cast<uint8_t>(~byte) : byte));
  }
  if (neg) key.push_back('\xFF');
  return key;
}

std::optional<Decimal> Decimal::FromKey(std::string_view key) {
  if (key.empty()) return std::nullopt;
  uint8_t cls = static_cast<uint8_t>(key[0]);
  if (cls == 0x80) return key.size() == 1 ? std::optional<Decimal>(Decimal()) : std::nullopt;
  if (cls != 0x40 && cls != 0xC0) return std::nullopt;
  bool neg = cls == 0x40;
  size_t end = key.size();
  if (neg) {
    if (end < 4 || static_cast<uint8_t>(key[end - 1]) != 0xFF) return std::nullopt;
    --end;
  }
  if (end < 3) return std::nullopt;
  uint8_t e = static_cast<uint8_t>(key[1]);
  int exponent = static_cast<int>(neg ? 255 - e : e) - 64;
  int digits[80];
  int n = 0;
  for (size_t i = 2; i < end; ++i) {
    uint8_t byte = static_cast<uint8_t>(key[i]);
    if (neg) byte = static_cast<uint8_t>(~byte);
    int hi = byte >> 4;
    int lo = byte & 0xF;
    if (hi < 1 || hi > 10 || lo > 10) return std::nullopt;
    if (lo == 0 && i + 1 != end) return std::nullopt;  // padding only in the last byte
    digits[n++] = hi - 1;
    if (lo != 0) digits[n++] = lo - 1;
    if (n > kMaxPrecision) return std::nullopt;
  }
  if (digits[0] == 0 || digits[n - 1] == 0) return std::nullopt;  // not canonical
  int scale = n - exponent;
  if (scale > kMaxPrecision) return std::nullopt;
  u128 coeff = 0;
  for (int i = 0; i < n; ++i) coeff = coeff * 10 + static_cast<u128>(digits[i]);
  if (scale < 0) {
    if (n - scale > kMaxPrecision) return std::nullopt;
    coeff *= static_cast<u128>(Pow10(-scale));
    scale = 0;
  }
  __int128 c = static_cast<__int128>(coeff);
  return Decimal(neg ? -c : c, scale);
}

}  // namespace edgesql
