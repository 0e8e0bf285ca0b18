// Value encoding ([MS-TDS] 2.2.5.5); the contract is in value_codec.h.
#include <bit>
#include <cmath>
#include <optional>
#include <string>
#include <variant>

#include "common/errors.h"
#include "common/utf.h"
#include "tds/temporal_wire.h"
#include "tds/value_codec.h"
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

}  // namespace

Status EncodeValue(const Value& value, const TypeInfo& ti, ValueForm form, Bytes* out) {
  size_t mark = out->size();
  Status st = Encoder(value, ti, form, out).Run();
  if (!st.ok()) out->resize(mark);
  return st;
}

}  // namespace edgesql::tds
