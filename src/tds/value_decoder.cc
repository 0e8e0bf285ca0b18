// Value decoding ([MS-TDS] 2.2.5.5); the contract is in value_codec.h.
#include <bit>
#include <cmath>
#include <optional>
#include <string>

#include "common/utf.h"
#include "tds/temporal_wire.h"
#include "tds/value_codec.h"
#include "types/datetime.h"
#include "types/guid.h"

namespace edgesql::tds {
namespace {

__int128 Pow10i(int n) {
  __int128 v = 1;
  while (n-- > 0) v *= 10;
  return v;
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

WireError DecodeValue(ByteReader* in, const TypeInfo& ti, ValueForm form,
                      const DecodeLimits& limits, Value* out) {
  return Decoder(in, ti, form, limits, out).Run();
}

}  // namespace edgesql::tds
