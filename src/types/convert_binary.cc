// Conversions from and to binary/varbinary. Numbers become their big-endian bytes (int 1 is
// 0x00000001; float 1.0 is 0x3FF0000000000000), character data its bytes (CP1252 for varchar,
// UTF-16LE for nvarchar), uniqueidentifier its 16-byte wire form. SQL Server documents only that
// a value survives the round trip through binary ("CAST and CONVERT", "Truncating and rounding
// results"), which these forms guarantee.
#include <cstring>

#include "common/errors.h"
#include "common/utf.h"
#include "types/convert_internal.h"
#include "types/guid.h"

namespace edgesql::convert_internal {
namespace {

constexpr int64_t kUnitsPerDay = 25'920'000;  // datetime's 1/300 s per day

void AppendBe(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>(v >> (8 * i)));
}

// The last `n` bytes of `b` as a big-endian number, missing high-order bytes being zero.
uint64_t ReadBe(std::string_view b, int n) {
  uint64_t v = 0;
  size_t start = b.size() > static_cast<size_t>(n) ? b.size() - n : 0;
  for (size_t i = start; i < b.size(); ++i) v = v << 8 | static_cast<uint8_t>(b[i]);
  return v;
}

int IntegerSize(TypeId t) {
  switch (t) {
    case TypeId::kBit:
    case TypeId::kTinyInt:
      return 1;
    case TypeId::kSmallInt:
      return 2;
    case TypeId::kInt:
      return 4;
    default:
      return 8;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// decimal as bytes: precision, scale, a zero byte, sign (1 positive, 0 negative), then the
// magnitude little-endian in the type's storage size less one byte (4, 8, 12 or 16 bytes).
std::string DecimalBytes(const Decimal& d, const SqlType& t) {
  int precision = t.precision != 0 ? t.precision : 38;
  std::optional<Decimal> v = d.Rescale(t.scale);
  __int128 c = v ? v->coefficient() : d.coefficient();
  unsigned __int128 mag =
      c < 0 ? -static_cast<unsigned __int128>(c) : static_cast<unsigned __int128>(c);
  int size = precision <= 9 ? 4 : precision <= 19 ? 8 : precision <= 28 ? 12 : 16;
  std::string out;
  out.push_back(static_cast<char>(precision));
  out.push_back(static_cast<char>(t.scale));
  out.push_back(0);
  out.push_back(c < 0 ? 0 : 1);
  for (int i = 0; i < size; ++i) out.push_back(static_cast<char>(mag >> (8 * i)));
  return out;
}

std::optional<Decimal> DecimalFromBytes(std::string_view b, SqlType* type) {
  if (b.size() < 5 || b.size() > 20) return std::nullopt;
  int p = static_cast<uint8_t>(b[0]);
  int s = static_cast<uint8_t>(b[1]);
  int sign = static_cast<uint8_t>(b[3]);
  if (p < 1 || p > 38 || s > p || sign > 1) return std::nullopt;
  unsigned __int128 mag = 0;
  for (size_t i = b.size(); i > 4; --i) mag = mag << 8 | static_cast<uint8_t>(b[i - 1]);
  if (mag >= static_cast<unsigned __int128>(Pow10(p))) return std::nullopt;
  __int128 c = static_cast<__int128>(mag);
  *type = SqlType::Decimal(p, s);
  return Decimal(sign == 1 ? c : -c, s);
}

bool ParseHex(std::string_view s, std::string* out) {
  if (s.size() % 2 != 0) return false;
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = HexValue(s[i]);
    int lo = HexValue(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi << 4 | lo));
  }
  return true;
}

}  // namespace

Result<Value> FinishBinary(std::string bytes, const SqlType& target, const ConversionContext& ctx,
                           bool right_align) {
  if (target.IsMax()) return Value::Str(target, std::move(bytes));
  size_t n = static_cast<size_t>(target.length);
  if (bytes.size() > n) {
    if (right_align) {
      bytes.erase(0, bytes.size() - n);
    } else {
      if (ctx.kind == ConversionKind::kAssignment) {
        static const char kHex[] = "0123456789ABCDEF";
        std::string shown = "0x";
        for (size_t i = 0; i < n; ++i) {
          shown.push_back(kHex[static_cast<uint8_t>(bytes[i]) >> 4]);
          shown.push_back(kHex[static_cast<uint8_t>(bytes[i]) & 15]);
        }
        return errors::Make(errors::kStringTruncated, {ctx.table_name, ctx.column_name, shown});
      }
      bytes.resize(n);
    }
  }
  // binary(n) pads with zeros: numbers on the left, everything else on the right.
  if (target.IsFixedLength() && bytes.size() < n) {
    if (right_align) {
      bytes.insert(0, n - bytes.size(), '\0');
    } else {
      bytes.append(n - bytes.size(), '\0');
    }
  }
  return Value::Str(target, std::move(bytes));
}

Result<Value> ToBinary(const Value& v, const SqlType& target, const ConversionContext& ctx) {
  const SqlType& src = v.type();
  std::string out;
  bool right_align = true;
  if (src.IsString()) {
    right_align = false;
    const std::string& text = v.AsString();
    if (ctx.style == 0) {
      if (src.IsUnicode()) {
        Bytes b;
        utf::Utf8ToUtf16Le(text, &b);
        out.assign(b.begin(), b.end());
      } else {
        out = utf::Utf8ToCp1252(text);
      }
    } else {
      // Styles 1 and 2: hexadecimal digits, with a leading "0x" for style 1.
      std::string_view s = text;
      bool ok = ctx.style == 1 || ctx.style == 2;
      if (ok && ctx.style == 1) {
        ok = s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        if (ok) s.remove_prefix(2);
      }
      if (!ok || !ParseHex(s, &out)) {
        return errors::Make(errors::kErrorConvertingDataType, {src.Name(), target.Name()});
      }
    }
  } else if (src.IsBinary()) {
    right_align = false;
    out = v.AsString();
  } else if (src.id == TypeId::kUniqueIdentifier) {
    right_align = false;
    uint8_t wire[16];
    guid::ToWire(v.AsGuid(), wire);
    out.assign(reinterpret_cast<const char*>(wire), 16);
  } else if (src.IsInteger()) {
    AppendBe(&out, static_cast<uint64_t>(v.AsInt()), IntegerSize(src.id));
  } else if (src.id == TypeId::kMoney || src.id == TypeId::kSmallMoney) {
    int64_t c = static_cast<int64_t>(v.AsDecimal().Rescale(4)->coefficient());
    AppendBe(&out, static_cast<uint64_t>(c), src.id == TypeId::kMoney ? 8 : 4);
  } else if (src.IsDecimalLike()) {
    out = DecimalBytes(v.AsDecimal(), src);
    right_align = false;
  } else if (src.id == TypeId::kFloat) {
    double d = v.AsDouble();
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    AppendBe(&out, bits, 8);
  } else if (src.id == TypeId::kReal) {
    float f = static_cast<float>(v.AsDouble());
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    AppendBe(&out, bits, 4);
  } else if (src.id == TypeId::kDateTime) {
    // datetime: days since 1900-01-01 and 1/300 s since midnight, four bytes each.
    int64_t t = v.AsInt();
    int64_t days = t / kTicksPerDay - (t < 0 && t % kTicksPerDay != 0 ? 1 : 0);
    int64_t tod = t - days * kTicksPerDay;
    int64_t units = (tod * 3 + 50'000) / 100'000;
    AppendBe(&out, static_cast<uint32_t>(static_cast<int32_t>(days - datetime::kDays1900)), 4);
    AppendBe(&out, static_cast<uint32_t>(units), 4);
  } else if (src.id == TypeId::kSmallDateTime) {
    // smalldatetime: days since 1900-01-01 and minutes since midnight, two bytes each.
    int64_t t = v.AsInt();
    int64_t days = t / kTicksPerDay;
    int64_t minutes = (t % kTicksPerDay) / (60 * kTicksPerSecond);
    AppendBe(&out, static_cast<uint64_t>(days - datetime::kDays1900), 2);
    AppendBe(&out, static_cast<uint64_t>(minutes), 2);
  } else {
    return errors::Make(errors::kExplicitConversionNotAllowed, {src.Name(), target.Name()});
  }
  return FinishBinary(std::move(out), target, ctx, right_align);
}

Result<Value> FromBinary(const Value& v, const SqlType& target) {
  const SqlType& src = v.type();
  std::string_view b = v.AsString();
  if (target.IsInteger()) {
    int n = IntegerSize(target.id);
    uint64_t raw = ReadBe(b, n);
    int64_t value = static_cast<int64_t>(raw);
    // A full-width value is two's complement; fewer bytes are zero-extended.
    if (b.size() >= static_cast<size_t>(n)) {
      if (n == 2) value = static_cast<int16_t>(raw);
      if (n == 4) value = static_cast<int32_t>(raw);
    }
    if (target.id == TypeId::kBit) value = value != 0 ? 1 : 0;
    return Value::Int(target, value);
  }
  if (target.id == TypeId::kMoney || target.id == TypeId::kSmallMoney) {
    int n = target.id == TypeId::kMoney ? 8 : 4;
    uint64_t raw = ReadBe(b, n);
    int64_t c = n == 8 ? static_cast<int64_t>(raw)
                       : (b.size() >= 4 ? static_cast<int32_t>(raw) : static_cast<int64_t>(raw));
    return Value::Dec(target, Decimal(c, 4));
  }
  if (target.IsDecimalLike()) {
    SqlType t;
    std::optional<Decimal> d = DecimalFromBytes(b, &t);
    if (!d) return errors::Make(errors::kErrorConvertingDataType, {src.Name(), "numeric"});
    return FromDecimal(*d, t, target);
  }
  if (target.id == TypeId::kDateTime) {
    int32_t days = static_cast<int32_t>(static_cast<uint32_t>(ReadBe(b, 8) >> 32));
    uint32_t units = static_cast<uint32_t>(ReadBe(b, 8));
    if (units >= kUnitsPerDay) return errors::Make(errors::kBinaryToDateTimeFailed);
    __int128 t = (static_cast<__int128>(days) + datetime::kDays1900) * kTicksPerDay +
                 (static_cast<int64_t>(units) * 100'000 + 1) / 3;
    if (t < datetime::MinTicks(target.id) || t > datetime::MaxTicks(target.id)) {
      return errors::Make(errors::kBinaryToDateTimeFailed);
    }
    return Value::Int(target, static_cast<int64_t>(t));
  }
  if (target.id == TypeId::kSmallDateTime) {
    uint32_t raw = static_cast<uint32_t>(ReadBe(b, 4));
    int64_t days = raw >> 16;
    int64_t minutes = raw & 0xFFFF;
    int64_t t = (days + datetime::kDays1900) * kTicksPerDay + minutes * 60 * kTicksPerSecond;
    if (minutes >= 1440 || t > datetime::MaxTicks(target.id)) {
      return errors::Make(errors::kBinaryToDateTimeFailed);
    }
    return Value::Int(target, t);
  }
  if (target.id == TypeId::kUniqueIdentifier) {
    uint8_t wire[16] = {};
    std::memcpy(wire, b.data(), b.size() < 16 ? b.size() : 16);
    return Value::Uuid(guid::FromWire(wire));
  }
  return errors::Make(errors::kExplicitConversionNotAllowed, {src.Name(), target.Name()});
}

}  // namespace edgesql::convert_internal
