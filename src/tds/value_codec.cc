#include "tds/value_codec.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <variant>

#include "common/errors.h"
#include "common/utf.h"
#include "tds/temporal_wire.h"
#include "tds/wire.h"
#include "types/datetime.h"
#include "types/guid.h"

namespace edgesql::tds {
namespace {

using temporal::FloorDiv;

SqlError Internal(const std::string& what) {
  return errors::Make(errors::kInternalError, {"TDS encoder: " + what});
}

__int128 Pow10i(int n) {
  __int128 v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

// The decimal's coefficient at `scale`, rounding half away from zero; nullopt on overflow.
std::optional<__int128> CoefficientAtScale(const Decimal& d, int scale) {
  __int128 c = d.coefficient();
  int s = d.scale();
  if (s < scale) {
    __int128 limit = Pow10i(38);
    for (; s < scale; ++s) {
      if (c >= limit / 10 || c <= -limit / 10) return std::nullopt;
      c *= 10;
    }
    return c;
  }
  if (s > scale) {
    __int128 div = Pow10i(s - scale);
    __int128 q = c / div;
    __int128 r = c % div;
    __int128 abs_r = r < 0 ? -r : r;
    if (abs_r >= div - abs_r) q += (c < 0 ? -1 : 1);
    return q;
  }
  return c;
}

// --- Encoding -------------------------------------------------------------------------------

class Encoder {
 public:
  Encoder(const Value& v, const TypeInfo& ti, ValueForm form, Bytes* out)
      : v_(v), ti_(ti), form_(form), w_(out) {}

  Status Run();

 private:
  Status Null();
  Status Integer();
  Status Float();
  Status DecimalValue();
  Status Money();
  Status Text();
  Status Temporal();
  Status GuidValue();

  // Writes `data` with the length prefix of ti_ (USHORTLEN, LONGLEN or PLP), padding fixed types.
  Status Counted(std::string data, char pad);

  std::optional<int64_t> AsInt() const {
    if (auto* i = std::get_if<int64_t>(&v_.payload())) return *i;
    return std::nullopt;
  }
  std::optional<Decimal> AsDecimal() const {
    if (auto* d = std::get_if<Decimal>(&v_.payload())) return *d;
    if (auto* i = std::get_if<int64_t>(&v_.payload())) return Decimal(*i, 0);
    return std::nullopt;
  }
  Status Mismatch() const {
    return Internal("a value of type " + std::string(v_.type().Name()) +
                    " cannot be sent as TDS type 0x" + wire::HexByte(ti_.type));
  }
  // Writes the 1-byte length of the BYTELEN types; the fixed types have none.
  void ByteLen(uint8_t n) {
    if (ti_.length_kind() == LengthKind::kByteLen) w_.U8(n);
  }

  const Value& v_;
  const TypeInfo& ti_;
  ValueForm form_;
  ByteWriter w_;
};

Status Encoder::Run() {
  if (v_.is_null()) return Null();
  switch (ti_.type) {
    case kTypeIntN:
    case kTypeInt1:
    case kTypeInt2:
    case kTypeInt4:
    case kTypeInt8:
    case kTypeBitN:
    case kTypeBit:
      return Integer();
    case kTypeFltN:
    case kTypeFlt4:
    case kTypeFlt8:
      return Float();
    case kTypeDecimalN:
    case kTypeNumericN:
      return DecimalValue();
    case kTypeMoneyN:
    case kTypeMoney:
    case kTypeMoney4:
      return Money();
    case kTypeBigChar:
    case kTypeBigVarChar:
    case kTypeNChar:
    case kTypeNVarChar:
    case kTypeBigBinary:
    case kTypeBigVarBinary:
    case kTypeText:
    case kTypeNText:
    case kTypeImage:
      return Text();
    case kTypeDateN:
    case kTypeTimeN:
    case kTypeDateTime2N:
    case kTypeDateTimeOffsetN:
    case kTypeDateTimN:
    case kTypeDateTime:
    case kTypeDateTim4:
      return Temporal();
    case kTypeGuid:
      return GuidValue();
    default:
      return Mismatch();
  }
}

Status Encoder::Null() {
  switch (ti_.length_kind()) {
    case LengthKind::kFixed:
      if (ti_.type == kTypeNull) return Status::Ok();
      return Internal("NULL cannot be sent in a fixed-length TDS type");
    case LengthKind::kByteLen:
      w_.U8(0);
      return Status::Ok();
    case LengthKind::kUShortLen:
      w_.U16Le(kCharBinNull);
      return Status::Ok();
    case LengthKind::kLongLen:
      if (form_ == ValueForm::kRow) {
        w_.U8(0);  // no text pointer
      } else {
        w_.U32Le(kLongLenNull);
      }
      return Status::Ok();
    case LengthKind::kPlp:
      w_.U64Le(kPlpNull);
      return Status::Ok();
  }
  return Status::Ok();
}

Status Encoder::Integer() {
  std::optional<int64_t> v = AsInt();
  if (!v) return Mismatch();
  size_t size;
  int64_t min, max;
  switch (ti_.type) {
    case kTypeBitN:
    case kTypeBit:
      ByteLen(1);
      w_.U8(*v != 0 ? 1 : 0);
      return Status::Ok();
    case kTypeInt1:
      size = 1;
      break;
    case kTypeInt2:
      size = 2;
      break;
    case kTypeInt4:
      size = 4;
      break;
    case kTypeInt8:
      size = 8;
      break;
    default:
      size = ti_.max_length;
      break;
  }
  switch (size) {
    case 1:
      min = 0, max = 255;
      break;
    case 2:
      min = INT16_MIN, max = INT16_MAX;
      break;
    case 4:
      min = INT32_MIN, max = INT32_MAX;
      break;
    case 8:
      min = INT64_MIN, max = INT64_MAX;
      break;
    default:
      return Mismatch();
  }
  if (*v < min || *v > max) return Internal("integer " + std::to_string(*v) + " out of range");
  ByteLen(static_cast<uint8_t>(size));
  w_.Le(static_cast<uint64_t>(*v), size);
  return Status::Ok();
}

Status Encoder::Float() {
  double d;
  if (auto* p = std::get_if<double>(&v_.payload())) {
    d = *p;
  } else if (auto i = AsInt()) {
    d = static_cast<double>(*i);
  } else if (auto* dec = std::get_if<Decimal>(&v_.payload())) {
    d = static_cast<double>(dec->coefficient()) / std::pow(10.0, dec->scale());
  } else {
    return Mismatch();
  }
  bool four = ti_.type == kTypeFlt4 || (ti_.type == kTypeFltN && ti_.max_length == 4);
  ByteLen(four ? 4 : 8);
  if (four) {
    w_.U32Le(std::bit_cast<uint32_t>(static_cast<float>(d)));
  } else {
    w_.U64Le(std::bit_cast<uint64_t>(d));
  }
  return Status::Ok();
}

Status Encoder::DecimalValue() {
  std::optional<Decimal> d = AsDecimal();
  if (!d) return Mismatch();
  std::optional<__int128> c = CoefficientAtScale(*d, ti_.scale);
  unsigned __int128 mag = 0;
  if (c) mag = static_cast<unsigned __int128>(*c < 0 ? -*c : *c);
  if (!c || mag >= static_cast<unsigned __int128>(Pow10i(ti_.precision))) {
    return Internal("decimal value exceeds precision " + std::to_string(ti_.precision));
  }
  uint8_t len = static_cast<uint8_t>(ti_.max_length);
  w_.U8(len);
  w_.U8(*c < 0 ? 0 : 1);
  for (int i = 0; i < len - 1; ++i) {
    w_.U8(static_cast<uint8_t>(mag));
    mag >>= 8;
  }
  return Status::Ok();
}

Status Encoder::Money() {
  std::optional<Decimal> d = AsDecimal();
  if (!d) return Mismatch();
  std::optional<__int128> c = CoefficientAtScale(*d, 4);
  bool four = ti_.type == kTypeMoney4 || (ti_.type == kTypeMoneyN && ti_.max_length == 4);
  __int128 min = four ? INT32_MIN : INT64_MIN;
  __int128 max = four ? INT32_MAX : INT64_MAX;
  if (!c || *c < min || *c > max) return Internal("money value out of range");
  int64_t units = static_cast<int64_t>(*c);
  ByteLen(four ? 4 : 8);
  if (four) {
    w_.U32Le(static_cast<uint32_t>(units));
  } else {
    // 8-byte money: the high 32 bits first, then the low 32 bits (2.2.5.5.1.4).
    w_.U32Le(static_cast<uint32_t>(static_cast<uint64_t>(units) >> 32));
    w_.U32Le(static_cast<uint32_t>(units));
  }
  return Status::Ok();
}

Status Encoder::Text() {
  std::string data;
  const auto* s = std::get_if<std::string>(&v_.payload());
  bool unicode = ti_.type == kTypeNChar || ti_.type == kTypeNVarChar || ti_.type == kTypeNText;
  bool binary =
      ti_.type == kTypeBigBinary || ti_.type == kTypeBigVarBinary || ti_.type == kTypeImage;
  std::string text;
  if (s != nullptr) {
    text = *s;
  } else if (!binary && DownlevelStringLength(v_.type()) > 0) {
    // A date/time value for a TDS 7.1/7.2 client: its string form (see type_info.h).
    text = datetime::FormatDefault(v_);
  } else {
    return Mismatch();
  }
  char pad = ' ';
  if (binary) {
    data = std::move(text);
    pad = '\0';
  } else if (unicode) {
    Bytes u16;
    utf::Utf8ToUtf16Le(text, &u16);
    data.assign(u16.begin(), u16.end());
  } else if (ti_.IsUtf8Collation()) {
    data = std::move(text);
  } else {
    data = utf::Utf8ToCp1252(text);
  }
  return Counted(std::move(data), pad);
}

Status Encoder::Counted(std::string data, char pad) {
  switch (ti_.length_kind()) {
    case LengthKind::kUShortLen: {
      bool fixed = ti_.type == kTypeBigChar || ti_.type == kTypeNChar || ti_.type == kTypeBigBinary;
      if (data.size() > ti_.max_length) {
        return Internal("a value of " + std::to_string(data.size()) +
                        " bytes exceeds the column's " + std::to_string(ti_.max_length));
      }
      if (fixed) {
        while (data.size() < ti_.max_length) {
          data.push_back(pad);
          if (ti_.type == kTypeNChar) data.push_back('\0');  // UTF-16LE space
        }
        data.resize(ti_.max_length);
      }
      w_.U16Le(static_cast<uint16_t>(data.size()));
      w_.Append(data);
      return Status::Ok();
    }
    case LengthKind::kLongLen:
      if (data.size() > 0x7FFFFFFF) return Internal("a LOB value exceeds 2 GB");
      if (form_ == ValueForm::kRow) {
        // Text pointer (16 bytes) and timestamp (8 bytes): clients skip them; SQL Server's are
        // opaque handles that edgesql has no use for.
        w_.U8(kTextPtrLength);
        for (int i = 0; i < kTextPtrLength + 8; ++i) w_.U8(0);
      }
      w_.U32Le(static_cast<uint32_t>(data.size()));
      w_.Append(data);
      return Status::Ok();
    case LengthKind::kPlp:
      w_.U64Le(data.size());
      if (!data.empty()) {
        if (data.size() > 0xFFFFFFFFu) return Internal("a PLP value exceeds 4 GB");
        w_.U32Le(static_cast<uint32_t>(data.size()));
        w_.Append(data);
      }
      w_.U32Le(0);  // PLP_TERMINATOR
      return Status::Ok();
    default:
      return Mismatch();
  }
}

Status Encoder::Temporal() {
  const auto* ticks = std::get_if<int64_t>(&v_.payload());
  const auto* dto = std::get_if<DateTimeOffset>(&v_.payload());
  if (ticks == nullptr && dto == nullptr) return Mismatch();
  switch (ti_.type) {
    case kTypeDateN: {
      if (!ticks) return Mismatch();
      // A date value holds days; a datetime-family value sent as date holds ticks.
      int64_t days = v_.type().id == TypeId::kDate ? *ticks : FloorDiv(*ticks, kTicksPerDay);
      if (days < 0 || days > temporal::kMaxDays) return Internal("date out of range");
      ByteLen(3);
      w_.Le(static_cast<uint64_t>(days), 3);
      return Status::Ok();
    }
    case kTypeTimeN:
    case kTypeDateTime2N:
    case kTypeDateTimeOffsetN: {
      int64_t all = dto ? dto->utc_ticks : *ticks;
      if (v_.type().id == TypeId::kDate) all *= kTicksPerDay;
      int64_t days = FloorDiv(all, kTicksPerDay);
      int64_t of_day = all - days * kTicksPerDay;
      if (v_.type().id == TypeId::kTime) days = 0;
      int tlen = TimeByteLength(ti_.scale);
      int len =
          tlen + (ti_.type == kTypeTimeN ? 0 : 3) + (ti_.type == kTypeDateTimeOffsetN ? 2 : 0);
      if (days < 0 || days > temporal::kMaxDays) return Internal("date out of range");
      ByteLen(static_cast<uint8_t>(len));
      w_.Le(temporal::TicksToTimeUnits(of_day, ti_.scale), static_cast<size_t>(tlen));
      if (ti_.type != kTypeTimeN) w_.Le(static_cast<uint64_t>(days), 3);
      if (ti_.type == kTypeDateTimeOffsetN) {
        w_.U16Le(static_cast<uint16_t>(dto ? dto->offset_minutes : 0));
      }
      return Status::Ok();
    }
    default: {  // datetime, smalldatetime
      if (!ticks) return Mismatch();
      int64_t t = v_.type().id == TypeId::kDate ? *ticks * kTicksPerDay : *ticks;
      bool small = ti_.type == kTypeDateTim4 || (ti_.type == kTypeDateTimN && ti_.max_length == 4);
      if (small) {
        temporal::LegacyDateTime dt = temporal::ToSmallDateTime(t);
        if (dt.days < 0 || dt.days > 0xFFFF) return Internal("smalldatetime out of range");
        ByteLen(4);
        w_.U16Le(static_cast<uint16_t>(dt.days));
        w_.U16Le(static_cast<uint16_t>(dt.fraction));
      } else {
        temporal::LegacyDateTime dt = temporal::ToDateTime(t);
        if (dt.days < INT32_MIN || dt.days > INT32_MAX) return Internal("datetime out of range");
        ByteLen(8);
        w_.U32Le(static_cast<uint32_t>(static_cast<int32_t>(dt.days)));
        w_.U32Le(dt.fraction);
      }
      return Status::Ok();
    }
  }
}

Status Encoder::GuidValue() {
  const auto* g = std::get_if<Guid>(&v_.payload());
  if (g == nullptr) return Mismatch();
  uint8_t wire[16];
  guid::ToWire(*g, wire);
  w_.U8(16);
  w_.Append(ByteView(wire, 16));
  return Status::Ok();
}

// --- Decoding -------------------------------------------------------------------------------

class Decoder {
 public:
  Decoder(ByteReader* in, const TypeInfo& ti, ValueForm form, const DecodeLimits& limits,
          Value* out)
      : in_(in), ti_(ti), form_(form), limits_(limits), out_(out), type_(SqlTypeOf(ti)) {}

  WireError Run();

 private:
  WireError Fixed();
  WireError ByteLenValue();
  WireError Counted(std::string* data, bool* is_null);
  WireError Plp(std::string* data, bool* is_null);
  WireError Text(std::string data);
  WireError Number(ByteView b);
  WireError Temporal(ByteView b);

  ByteReader* in_;
  const TypeInfo& ti_;
  ValueForm form_;
  const DecodeLimits& limits_;
  Value* out_;
  SqlType type_;
};

// Size of the fixed-length types' values.
int FixedSize(uint8_t type) {
  switch (type) {
    case kTypeNull:
      return 0;
    case kTypeInt1:
    case kTypeBit:
      return 1;
    case kTypeInt2:
      return 2;
    case kTypeInt4:
    case kTypeDateTim4:
    case kTypeFlt4:
    case kTypeMoney4:
      return 4;
    default:
      return 8;
  }
}

WireError Decoder::Run() {
  switch (ti_.length_kind()) {
    case LengthKind::kFixed:
      return Fixed();
    case LengthKind::kByteLen:
      return ByteLenValue();
    case LengthKind::kUShortLen:
    case LengthKind::kLongLen:
    case LengthKind::kPlp: {
      std::string data;
      bool is_null = false;
      WireError e = ti_.IsPlp() ? Plp(&data, &is_null) : Counted(&data, &is_null);
      if (e != WireError::kNone) return e;
      if (is_null) {
        *out_ = Value::Null(type_);
        return WireError::kNone;
      }
      return Text(std::move(data));
    }
  }
  return WireError::kUnknownType;
}

WireError Decoder::Fixed() {
  if (ti_.type == kTypeNull) {
    *out_ = Value::Null(type_);
    return WireError::kNone;
  }
  ByteView b = in_->Take(static_cast<size_t>(FixedSize(ti_.type)));
  if (!in_->ok()) return WireError::kTruncated;
  return Number(b);
}

WireError Decoder::ByteLenValue() {
  uint8_t len = in_->U8();
  if (!in_->ok()) return WireError::kTruncated;
  if (len == 0) {
    *out_ = Value::Null(type_);
    return WireError::kNone;
  }
  ByteView b = in_->Take(len);
  if (!in_->ok()) return WireError::kTruncated;
  switch (ti_.type) {
    case kTypeIntN:
    case kTypeBitN:
    case kTypeFltN:
    case kTypeMoneyN:
    case kTypeDateTimN:
      if (len != ti_.max_length) return WireError::kInvalidLength;
      return ti_.type == kTypeDateTimN ? Temporal(b) : Number(b);
    case kTypeGuid: {
      if (len != 16) return WireError::kInvalidLength;
      *out_ = Value::Uuid(guid::FromWire(b.data()));
      return WireError::kNone;
    }
    case kTypeDecimalN:
    case kTypeNumericN: {
      if (len < 2 || len > ti_.max_length) return WireError::kInvalidLength;
      uint8_t sign = b[0];
      if (sign > 1) return WireError::kInvalidValue;
      unsigned __int128 mag = 0;
      for (size_t i = len - 1; i >= 1; --i) mag = (mag << 8) | b[i];
      if (mag >= static_cast<unsigned __int128>(Pow10i(ti_.precision))) {
        return WireError::kInvalidValue;
      }
      __int128 c = static_cast<__int128>(mag);
      *out_ = Value::Dec(type_, Decimal(sign ? c : -c, ti_.scale));
      return WireError::kNone;
    }
    case kTypeDateN:
    case kTypeTimeN:
    case kTypeDateTime2N:
    case kTypeDateTimeOffsetN:
      return Temporal(b);
    default:
      return WireError::kUnknownType;
  }
}

WireError Decoder::Number(ByteView b) {
  ByteReader r(b);
  switch (ti_.type) {
    case kTypeBit:
    case kTypeBitN:
      *out_ = Value::Int(type_, b[0] != 0 ? 1 : 0);
      return WireError::kNone;
    case kTypeInt1:
    case kTypeInt2:
    case kTypeInt4:
    case kTypeInt8:
    case kTypeIntN: {
      uint64_t raw = r.Le(b.size());
      int64_t v;
      switch (b.size()) {
        case 1:
          v = static_cast<uint8_t>(raw);  // tinyint is unsigned
          break;
        case 2:
          v = static_cast<int16_t>(raw);
          break;
        case 4:
          v = static_cast<int32_t>(raw);
          break;
        default:
          v = static_cast<int64_t>(raw);
          break;
      }
      *out_ = Value::Int(type_, v);
      return WireError::kNone;
    }
    case kTypeFlt4:
    case kTypeFlt8:
    case kTypeFltN: {
      double d = b.size() == 4 ? static_cast<double>(std::bit_cast<float>(r.U32Le()))
                               : std::bit_cast<double>(r.U64Le());
      if (!std::isfinite(d)) return WireError::kInvalidValue;
      *out_ = Value::Float(type_, d);
      return WireError::kNone;
    }
    case kTypeMoney:
    case kTypeMoney4:
    case kTypeMoneyN: {
      int64_t units;
      if (b.size() == 4) {
        units = static_cast<int32_t>(r.U32Le());
      } else {
        uint64_t hi = r.U32Le();
        uint64_t lo = r.U32Le();
        units = static_cast<int64_t>((hi << 32) | lo);
      }
      *out_ = Value::Dec(type_, Decimal(units, 4));
      return WireError::kNone;
    }
    case kTypeDateTime:
    case kTypeDateTim4:
      return Temporal(b);
    default:
      return WireError::kUnknownType;
  }
}

WireError Decoder::Temporal(ByteView b) {
  ByteReader r(b);
  auto canonical = [&](int64_t ticks) { return datetime::RoundTicks(ticks, type_); };
  switch (ti_.type) {
    case kTypeDateTime:
    case kTypeDateTim4:
    case kTypeDateTimN: {
      std::optional<int64_t> ticks;
      if (b.size() == 4) {
        uint16_t days = r.U16Le();
        uint16_t minutes = r.U16Le();
        ticks = temporal::FromSmallDateTime(days, minutes);
      } else {
        int32_t days = static_cast<int32_t>(r.U32Le());
        uint32_t t300 = r.U32Le();
        ticks = temporal::FromDateTime(days, t300);
      }
      if (!ticks) return WireError::kInvalidValue;
      *out_ = Value::Int(type_, canonical(*ticks));
      return WireError::kNone;
    }
    case kTypeDateN: {
      if (b.size() != 3) return WireError::kInvalidLength;
      int64_t days = static_cast<int64_t>(r.Le(3));
      if (days > temporal::kMaxDays) return WireError::kInvalidValue;
      *out_ = Value::Int(type_, days);
      return WireError::kNone;
    }
    default: {  // TIMEN, DATETIME2N, DATETIMEOFFSETN
      size_t tlen = static_cast<size_t>(TimeByteLength(ti_.scale));
      size_t want =
          tlen + (ti_.type == kTypeTimeN ? 0 : 3) + (ti_.type == kTypeDateTimeOffsetN ? 2 : 0);
      if (b.size() != want) return WireError::kInvalidLength;
      std::optional<int64_t> of_day = temporal::TimeUnitsToTicks(r.Le(tlen), ti_.scale);
      if (!of_day) return WireError::kInvalidValue;
      if (ti_.type == kTypeTimeN) {
        *out_ = Value::Int(type_, *of_day);
        return WireError::kNone;
      }
      int64_t days = static_cast<int64_t>(r.Le(3));
      if (days > temporal::kMaxDays) return WireError::kInvalidValue;
      int64_t ticks = days * kTicksPerDay + *of_day;
      if (ti_.type == kTypeDateTime2N) {
        *out_ = Value::Int(type_, ticks);
        return WireError::kNone;
      }
      int16_t offset = static_cast<int16_t>(r.U16Le());
      if (offset < -840 || offset > 840) return WireError::kInvalidValue;
      // The local time (UTC + offset) must be a valid datetimeoffset too.
      int64_t local = ticks + offset * 60 * kTicksPerSecond;
      if (local < 0 || local >= (temporal::kMaxDays + 1) * kTicksPerDay) {
        return WireError::kInvalidValue;
      }
      *out_ = Value::Dto(type_, DateTimeOffset{ticks, offset});
      return WireError::kNone;
    }
  }
}

WireError Decoder::Counted(std::string* data, bool* is_null) {
  uint64_t len;
  if (ti_.length_kind() == LengthKind::kUShortLen) {
    len = in_->U16Le();
    if (!in_->ok()) return WireError::kTruncated;
    if (len == kCharBinNull) {
      *is_null = true;
      return WireError::kNone;
    }
    if (len > ti_.max_length) return WireError::kInvalidLength;
  } else {  // LONGLEN: TEXT, NTEXT, IMAGE
    if (form_ == ValueForm::kRow) {
      uint8_t ptr_len = in_->U8();
      if (!in_->ok()) return WireError::kTruncated;
      if (ptr_len == 0) {
        *is_null = true;
        return WireError::kNone;
      }
      in_->Skip(ptr_len + 8u);  // text pointer and timestamp
    }
    len = in_->U32Le();
    if (!in_->ok()) return WireError::kTruncated;
    if (form_ == ValueForm::kParameter && len == kLongLenNull) {
      *is_null = true;
      return WireError::kNone;
    }
    if (len > limits_.max_value_bytes) return WireError::kTooLarge;
  }
  ByteView b = in_->Take(static_cast<size_t>(len));
  if (!in_->ok()) return WireError::kTruncated;
  data->assign(b.begin(), b.end());
  return WireError::kNone;
}

WireError Decoder::Plp(std::string* data, bool* is_null) {
  uint64_t total = in_->U64Le();
  if (!in_->ok()) return WireError::kTruncated;
  if (total == kPlpNull) {
    *is_null = true;
    return WireError::kNone;
  }
  if (total != kPlpUnknownLength && total > limits_.max_value_bytes) return WireError::kTooLarge;
  // Every chunk is read from the message itself, so memory is bounded by the message size.
  while (true) {
    uint32_t chunk = in_->U32Le();
    if (!in_->ok()) return WireError::kTruncated;
    if (chunk == 0) break;  // PLP_TERMINATOR
    if (data->size() + chunk > limits_.max_value_bytes) return WireError::kTooLarge;
    ByteView b = in_->Take(chunk);
    if (!in_->ok()) return WireError::kTruncated;
    data->append(reinterpret_cast<const char*>(b.data()), b.size());
  }
  if (total != kPlpUnknownLength && total != data->size()) return WireError::kInvalidLength;
  return WireError::kNone;
}

WireError Decoder::Text(std::string data) {
  switch (ti_.type) {
    case kTypeNChar:
    case kTypeNVarChar:
    case kTypeNText: {
      if (data.size() % 2 != 0) return WireError::kInvalidLength;
      std::string utf8;
      if (!utf::Utf16LeToUtf8(AsBytes(data), &utf8)) return WireError::kInvalidValue;
      *out_ = Value::Str(type_, std::move(utf8));
      return WireError::kNone;
    }
    case kTypeBigChar:
    case kTypeBigVarChar:
    case kTypeText:
      if (ti_.IsUtf8Collation()) {
        if (!utf::IsValidUtf8(data)) return WireError::kInvalidValue;
        *out_ = Value::Str(type_, std::move(data));
      } else {
        *out_ = Value::Str(type_, utf::Cp1252ToUtf8(data));
      }
      return WireError::kNone;
    default:  // binary types
      *out_ = Value::Str(type_, std::move(data));
      return WireError::kNone;
  }
}

}  // namespace

Status EncodeValue(const Value& value, const TypeInfo& ti, ValueForm form, Bytes* out) {
  size_t mark = out->size();
  Status st = Encoder(value, ti, form, out).Run();
  if (!st.ok()) out->resize(mark);
  return st;
}

WireError DecodeValue(ByteReader* in, const TypeInfo& ti, ValueForm form,
                      const DecodeLimits& limits, Value* out) {
  return Decoder(in, ti, form, limits, out).Run();
}

}  // namespace edgesql::tds
