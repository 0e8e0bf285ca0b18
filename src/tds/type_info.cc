#include "tds/type_info.h"

#include <algorithm>

#include "types/collation.h"

namespace edgesql::tds {
namespace {

std::array<uint8_t, 5> DefaultCollation() {
  std::array<uint8_t, 5> c;
  std::copy(std::begin(collation::kTdsCollation), std::end(collation::kTdsCollation), c.begin());
  return c;
}

TypeInfo Make(uint8_t type, uint32_t max_length = 0) {
  TypeInfo ti;
  ti.type = type;
  ti.max_length = max_length;
  return ti;
}

TypeInfo MakeText(uint8_t type, uint32_t max_length) {
  TypeInfo ti = Make(type, max_length);
  ti.collation = DefaultCollation();
  return ti;
}

TypeInfo MakeScaled(uint8_t type, uint8_t scale) {
  TypeInfo ti = Make(type);
  ti.scale = scale;
  return ti;
}

// Length in the USHORTLEN types, or the PLP marker for (max).
uint32_t UShortLength(int32_t bytes) {
  return bytes < 0 ? kPlpMaxLength : static_cast<uint32_t>(bytes);
}

}  // namespace

LengthKind TypeInfo::length_kind() const {
  switch (type) {
    case kTypeNull:
    case kTypeInt1:
    case kTypeBit:
    case kTypeInt2:
    case kTypeInt4:
    case kTypeInt8:
    case kTypeDateTim4:
    case kTypeDateTime:
    case kTypeFlt4:
    case kTypeFlt8:
    case kTypeMoney:
    case kTypeMoney4:
      return LengthKind::kFixed;
    case kTypeBigVarChar:
    case kTypeBigChar:
    case kTypeNVarChar:
    case kTypeNChar:
    case kTypeBigVarBinary:
    case kTypeBigBinary:
      return max_length == kPlpMaxLength ? LengthKind::kPlp : LengthKind::kUShortLen;
    case kTypeText:
    case kTypeNText:
    case kTypeImage:
      return LengthKind::kLongLen;
    default:
      return LengthKind::kByteLen;
  }
}

bool TypeInfo::HasCollation() const {
  switch (type) {
    case kTypeBigVarChar:
    case kTypeBigChar:
    case kTypeNVarChar:
    case kTypeNChar:
    case kTypeText:
    case kTypeNText:
      return true;
    default:
      return false;
  }
}

int TimeByteLength(int scale) {
  if (scale <= 2) return 3;
  if (scale <= 4) return 4;
  return 5;
}

int DecimalByteLength(int precision) {
  if (precision <= 9) return 5;
  if (precision <= 19) return 9;
  if (precision <= 28) return 13;
  return 17;
}

int DownlevelStringLength(const SqlType& type) {
  int fraction = type.scale > 0 ? type.scale + 1 : 0;  // ".fffffff"
  switch (type.id) {
    case TypeId::kDate:
      return 10;  // 2024-01-31
    case TypeId::kTime:
      return 8 + fraction;  // 12:30:15.1234567
    case TypeId::kDateTime2:
      return 19 + fraction;  // 2024-01-31 12:30:15.1234567
    case TypeId::kDateTimeOffset:
      return 26 + fraction;  // 2024-01-31 12:30:15.1234567 +01:00
    default:
      return 0;
  }
}

TypeInfo WireTypeFor(const SqlType& type, TdsVersion version) {
  if (DownlevelStringLength(type) > 0 && !HasDateTimeTypes(version)) {
    return MakeText(kTypeNVarChar, static_cast<uint32_t>(2 * DownlevelStringLength(type)));
  }
  bool plp = HasPlp(version);
  switch (type.id) {
    case TypeId::kNull:  // an untyped NULL is an int, as in SQL Server
      return Make(kTypeIntN, 4);
    case TypeId::kBit:
      return Make(kTypeBitN, 1);
    case TypeId::kTinyInt:
      return Make(kTypeIntN, 1);
    case TypeId::kSmallInt:
      return Make(kTypeIntN, 2);
    case TypeId::kInt:
      return Make(kTypeIntN, 4);
    case TypeId::kBigInt:
      return Make(kTypeIntN, 8);
    case TypeId::kReal:
      return Make(kTypeFltN, 4);
    case TypeId::kFloat:
      return Make(kTypeFltN, 8);
    case TypeId::kDecimal:
    case TypeId::kNumeric: {
      int precision = std::clamp<int>(type.precision, 1, 38);
      TypeInfo ti = Make(type.id == TypeId::kDecimal ? kTypeDecimalN : kTypeNumericN,
                         static_cast<uint32_t>(DecimalByteLength(precision)));
      ti.precision = static_cast<uint8_t>(precision);
      ti.scale = std::min<uint8_t>(type.scale, ti.precision);
      return ti;
    }
    case TypeId::kMoney:
      return Make(kTypeMoneyN, 8);
    case TypeId::kSmallMoney:
      return Make(kTypeMoneyN, 4);
    case TypeId::kChar:
      return MakeText(kTypeBigChar, static_cast<uint32_t>(std::max(type.length, 1)));
    case TypeId::kVarChar:
      if (type.IsMax() && !plp) return MakeText(kTypeText, 0x7FFFFFFF);
      return MakeText(kTypeBigVarChar, UShortLength(type.IsMax() ? -1 : std::max(type.length, 1)));
    case TypeId::kNChar:
      return MakeText(kTypeNChar, static_cast<uint32_t>(2 * std::max(type.length, 1)));
    case TypeId::kNVarChar:
      if (type.IsMax() && !plp) return MakeText(kTypeNText, 0x7FFFFFFE);
      return MakeText(kTypeNVarChar,
                      UShortLength(type.IsMax() ? -1 : 2 * std::max(type.length, 1)));
    case TypeId::kBinary:
      return Make(kTypeBigBinary, static_cast<uint32_t>(std::max(type.length, 1)));
    case TypeId::kVarBinary:
      if (type.IsMax() && !plp) return Make(kTypeImage, 0x7FFFFFFF);
      return Make(kTypeBigVarBinary, UShortLength(type.IsMax() ? -1 : std::max(type.length, 1)));
    case TypeId::kDate:
      return Make(kTypeDateN);
    case TypeId::kTime:
      return MakeScaled(kTypeTimeN, std::min<uint8_t>(type.scale, 7));
    case TypeId::kDateTime:
      return Make(kTypeDateTimN, 8);
    case TypeId::kSmallDateTime:
      return Make(kTypeDateTimN, 4);
    case TypeId::kDateTime2:
      return MakeScaled(kTypeDateTime2N, std::min<uint8_t>(type.scale, 7));
    case TypeId::kDateTimeOffset:
      return MakeScaled(kTypeDateTimeOffsetN, std::min<uint8_t>(type.scale, 7));
    case TypeId::kUniqueIdentifier:
      return Make(kTypeGuid, 16);
  }
  return Make(kTypeIntN, 4);
}

void WriteTypeInfo(const TypeInfo& ti, ByteWriter* out) {
  out->U8(ti.type);
  switch (ti.type) {
    case kTypeIntN:
    case kTypeBitN:
    case kTypeFltN:
    case kTypeMoneyN:
    case kTypeDateTimN:
    case kTypeGuid:
      out->U8(static_cast<uint8_t>(ti.max_length));
      break;
    case kTypeDecimalN:
    case kTypeNumericN:
      out->U8(static_cast<uint8_t>(ti.max_length));
      out->U8(ti.precision);
      out->U8(ti.scale);
      break;
    case kTypeTimeN:
    case kTypeDateTime2N:
    case kTypeDateTimeOffsetN:
      out->U8(ti.scale);
      break;
    case kTypeBigVarChar:
    case kTypeBigChar:
    case kTypeNVarChar:
    case kTypeNChar:
    case kTypeBigVarBinary:
    case kTypeBigBinary:
      out->U16Le(static_cast<uint16_t>(ti.max_length));
      break;
    case kTypeText:
    case kTypeNText:
    case kTypeImage:
      out->U32Le(ti.max_length);
      break;
    default:  // fixed-length types and DATEN: the type byte says it all
      break;
  }
  if (ti.HasCollation()) out->Append(ByteView(ti.collation.data(), ti.collation.size()));
}

WireError ReadTypeInfo(ByteReader* in, TypeInfo* ti) {
  *ti = TypeInfo();
  ti->type = in->U8();
  if (!in->ok()) return WireError::kTruncated;
  uint32_t len = 0;
  switch (ti->type) {
    case kTypeNull:
    case kTypeInt1:
    case kTypeBit:
    case kTypeInt2:
    case kTypeInt4:
    case kTypeInt8:
    case kTypeDateTim4:
    case kTypeDateTime:
    case kTypeFlt4:
    case kTypeFlt8:
    case kTypeMoney:
    case kTypeMoney4:
    case kTypeDateN:
      return WireError::kNone;
    case kTypeIntN:
      len = ti->max_length = in->U8();
      if (!in->ok()) return WireError::kTruncated;
      return (len == 1 || len == 2 || len == 4 || len == 8) ? WireError::kNone
                                                            : WireError::kInvalidLength;
    case kTypeBitN:
      len = ti->max_length = in->U8();
      if (!in->ok()) return WireError::kTruncated;
      return len == 1 ? WireError::kNone : WireError::kInvalidLength;
    case kTypeFltN:
    case kTypeMoneyN:
    case kTypeDateTimN:
      len = ti->max_length = in->U8();
      if (!in->ok()) return WireError::kTruncated;
      return (len == 4 || len == 8) ? WireError::kNone : WireError::kInvalidLength;
    case kTypeGuid:
      len = ti->max_length = in->U8();
      if (!in->ok()) return WireError::kTruncated;
      return len == 16 ? WireError::kNone : WireError::kInvalidLength;
    case kTypeDecimalN:
    case kTypeNumericN:
      len = ti->max_length = in->U8();
      ti->precision = in->U8();
      ti->scale = in->U8();
      if (!in->ok()) return WireError::kTruncated;
      if (len < 2 || len > 17 || ti->precision < 1 || ti->precision > 38 ||
          ti->scale > ti->precision) {
        return WireError::kInvalidLength;
      }
      return WireError::kNone;
    case kTypeTimeN:
    case kTypeDateTime2N:
    case kTypeDateTimeOffsetN:
      ti->scale = in->U8();
      if (!in->ok()) return WireError::kTruncated;
      return ti->scale <= 7 ? WireError::kNone : WireError::kInvalidLength;
    case kTypeBigVarChar:
    case kTypeBigChar:
    case kTypeNVarChar:
    case kTypeNChar:
    case kTypeBigVarBinary:
    case kTypeBigBinary: {
      len = ti->max_length = in->U16Le();
      if (ti->HasCollation()) {
        ByteView c = in->Take(5);
        if (in->ok()) std::copy(c.begin(), c.end(), ti->collation.begin());
      }
      if (!in->ok()) return WireError::kTruncated;
      bool unicode = ti->type == kTypeNVarChar || ti->type == kTypeNChar;
      bool variable =
          ti->type == kTypeBigVarChar || ti->type == kTypeNVarChar || ti->type == kTypeBigVarBinary;
      if (len == kPlpMaxLength) return variable ? WireError::kNone : WireError::kInvalidLength;
      if (len > 8000 || (unicode && len % 2 != 0)) return WireError::kInvalidLength;
      return WireError::kNone;
    }
    case kTypeText:
    case kTypeNText:
    case kTypeImage:
      ti->max_length = in->U32Le();
      if (ti->HasCollation()) {
        ByteView c = in->Take(5);
        if (in->ok()) std::copy(c.begin(), c.end(), ti->collation.begin());
      }
      if (!in->ok()) return WireError::kTruncated;
      return WireError::kNone;
    default:
      // sql_variant, xml, UDT, TVP, the legacy 1-byte-length char/binary and decimal types, and
      // bytes that are no type at all.
      return WireError::kUnknownType;
  }
}

SqlType SqlTypeOf(const TypeInfo& ti) {
  auto chars = [](uint32_t n) { return static_cast<int32_t>(std::max<uint32_t>(n, 1)); };
  switch (ti.type) {
    case kTypeNull:
      return SqlType::Null();
    case kTypeInt1:
      return SqlType::TinyInt();
    case kTypeInt2:
      return SqlType::SmallInt();
    case kTypeInt4:
      return SqlType::Int();
    case kTypeInt8:
      return SqlType::BigInt();
    case kTypeIntN:
      switch (ti.max_length) {
        case 1:
          return SqlType::TinyInt();
        case 2:
          return SqlType::SmallInt();
        case 8:
          return SqlType::BigInt();
        default:
          return SqlType::Int();
      }
    case kTypeBit:
    case kTypeBitN:
      return SqlType::Bit();
    case kTypeFlt4:
      return SqlType::Real();
    case kTypeFlt8:
      return SqlType::Float();
    case kTypeFltN:
      return ti.max_length == 4 ? SqlType::Real() : SqlType::Float();
    case kTypeMoney:
      return SqlType::Money();
    case kTypeMoney4:
      return SqlType::SmallMoney();
    case kTypeMoneyN:
      return ti.max_length == 4 ? SqlType::SmallMoney() : SqlType::Money();
    case kTypeDecimalN:
      return SqlType::Decimal(ti.precision, ti.scale);
    case kTypeNumericN:
      return SqlType::Numeric(ti.precision, ti.scale);
    case kTypeDateTime:
      return SqlType::DateTime();
    case kTypeDateTim4:
      return SqlType::SmallDateTime();
    case kTypeDateTimN:
      return ti.max_length == 4 ? SqlType::SmallDateTime() : SqlType::DateTime();
    case kTypeDateN:
      return SqlType::Date();
    case kTypeTimeN:
      return SqlType::Time(ti.scale);
    case kTypeDateTime2N:
      return SqlType::DateTime2(ti.scale);
    case kTypeDateTimeOffsetN:
      return SqlType::DateTimeOffset(ti.scale);
    case kTypeGuid:
      return SqlType::UniqueIdentifier();
    case kTypeBigChar:
      return SqlType::Char(chars(ti.max_length));
    case kTypeBigVarChar:
      return SqlType::VarChar(ti.IsPlp() ? SqlType::kMax : chars(ti.max_length));
    case kTypeNChar:
      return SqlType::NChar(chars(ti.max_length / 2));
    case kTypeNVarChar:
      return SqlType::NVarChar(ti.IsPlp() ? SqlType::kMax : chars(ti.max_length / 2));
    case kTypeBigBinary:
      return SqlType::Binary(chars(ti.max_length));
    case kTypeBigVarBinary:
      return SqlType::VarBinary(ti.IsPlp() ? SqlType::kMax : chars(ti.max_length));
    case kTypeText:
      return SqlType::VarChar(SqlType::kMax);
    case kTypeNText:
      return SqlType::NVarChar(SqlType::kMax);
    case kTypeImage:
      return SqlType::VarBinary(SqlType::kMax);
    default:
      return SqlType::Null();
  }
}

}  // namespace edgesql::tds
