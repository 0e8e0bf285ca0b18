// TYPE_INFO and value codec tests: exact bytes per [MS-TDS] 2.2.5, round trips, NULLs, and every
// way a client value can be malformed.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/errors.h"
#include "tds/type_info.h"
#include "tds/value_codec.h"
#include "types/datetime.h"
#include "types/guid.h"

namespace edgesql::tds {
namespace {

const std::array<uint8_t, 5> kColl = {0x09, 0x04, 0xD0, 0x00, 0x34};

Bytes TypeInfoBytes(const TypeInfo& ti) {
  Bytes b;
  ByteWriter w(&b);
  WriteTypeInfo(ti, &w);
  return b;
}

Bytes Enc(const Value& v, const TypeInfo& ti, ValueForm form = ValueForm::kRow) {
  Bytes b;
  Status st = EncodeValue(v, ti, form, &b);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return b;
}

Value Dec(ByteView b, const TypeInfo& ti, ValueForm form = ValueForm::kRow) {
  ByteReader r(b);
  Value v;
  WireError e = DecodeValue(&r, ti, form, DecodeLimits{}, &v);
  EXPECT_EQ(e, WireError::kNone);
  EXPECT_TRUE(r.AtEnd()) << "value bytes left over";
  return v;
}

WireError DecErr(ByteView b, const TypeInfo& ti, ValueForm form = ValueForm::kParameter,
                 DecodeLimits limits = {}) {
  ByteReader r(b);
  Value v;
  return DecodeValue(&r, ti, form, limits, &v);
}

// Encodes with the TYPE_INFO of `type` for TDS 7.4 and checks the bytes and the round trip.
void Check(const Value& v, const Bytes& expected, TdsVersion version = TdsVersion::k74) {
  TypeInfo ti = WireTypeFor(v.type(), version);
  Bytes b = Enc(v, ti);
  EXPECT_EQ(b, expected) << v.DebugString();
  Value back = Dec(b, ti);
  EXPECT_EQ(back, v) << back.DebugString() << " vs " << v.DebugString();
  // The parameter form is the same for everything but TEXT/NTEXT/IMAGE.
  EXPECT_EQ(Enc(v, ti, ValueForm::kParameter), expected);
}

TEST(TypeInfoTest, WireTypesFor74) {
  auto bytes = [](const SqlType& t) { return TypeInfoBytes(WireTypeFor(t, TdsVersion::k74)); };
  EXPECT_EQ(bytes(SqlType::Int()), (Bytes{0x26, 0x04}));
  EXPECT_EQ(bytes(SqlType::TinyInt()), (Bytes{0x26, 0x01}));
  EXPECT_EQ(bytes(SqlType::SmallInt()), (Bytes{0x26, 0x02}));
  EXPECT_EQ(bytes(SqlType::BigInt()), (Bytes{0x26, 0x08}));
  EXPECT_EQ(bytes(SqlType::Null()), (Bytes{0x26, 0x04}));
  EXPECT_EQ(bytes(SqlType::Bit()), (Bytes{0x68, 0x01}));
  EXPECT_EQ(bytes(SqlType::Real()), (Bytes{0x6D, 0x04}));
  EXPECT_EQ(bytes(SqlType::Float()), (Bytes{0x6D, 0x08}));
  EXPECT_EQ(bytes(SqlType::Decimal(5, 2)), (Bytes{0x6A, 0x05, 0x05, 0x02}));
  EXPECT_EQ(bytes(SqlType::Numeric(19, 4)), (Bytes{0x6C, 0x09, 0x13, 0x04}));
  EXPECT_EQ(bytes(SqlType::Decimal(28, 0)), (Bytes{0x6A, 0x0D, 0x1C, 0x00}));
  EXPECT_EQ(bytes(SqlType::Decimal(38, 10)), (Bytes{0x6A, 0x11, 0x26, 0x0A}));
  EXPECT_EQ(bytes(SqlType::Money()), (Bytes{0x6E, 0x08}));
  EXPECT_EQ(bytes(SqlType::SmallMoney()), (Bytes{0x6E, 0x04}));
  EXPECT_EQ(bytes(SqlType::VarChar(10)), (Bytes{0xA7, 0x0A, 0x00, 0x09, 0x04, 0xD0, 0x00, 0x34}));
  EXPECT_EQ(bytes(SqlType::Char(5)), (Bytes{0xAF, 0x05, 0x00, 0x09, 0x04, 0xD0, 0x00, 0x34}));
  EXPECT_EQ(bytes(SqlType::NVarChar(10)), (Bytes{0xE7, 0x14, 0x00, 0x09, 0x04, 0xD0, 0x00, 0x34}));
  EXPECT_EQ(bytes(SqlType::NChar(3)), (Bytes{0xEF, 0x06, 0x00, 0x09, 0x04, 0xD0, 0x00, 0x34}));
  EXPECT_EQ(bytes(SqlType::NVarChar(SqlType::kMax)),
            (Bytes{0xE7, 0xFF, 0xFF, 0x09, 0x04, 0xD0, 0x00, 0x34}));
  EXPECT_EQ(bytes(SqlType::VarBinary(SqlType::kMax)), (Bytes{0xA5, 0xFF, 0xFF}));
  EXPECT_EQ(bytes(SqlType::Binary(16)), (Bytes{0xAD, 0x10, 0x00}));
  EXPECT_EQ(bytes(SqlType::Date()), (Bytes{0x28}));
  EXPECT_EQ(bytes(SqlType::Time(3)), (Bytes{0x29, 0x03}));
  EXPECT_EQ(bytes(SqlType::DateTime2(7)), (Bytes{0x2A, 0x07}));
  EXPECT_EQ(bytes(SqlType::DateTimeOffset(0)), (Bytes{0x2B, 0x00}));
  EXPECT_EQ(bytes(SqlType::DateTime()), (Bytes{0x6F, 0x08}));
  EXPECT_EQ(bytes(SqlType::SmallDateTime()), (Bytes{0x6F, 0x04}));
  EXPECT_EQ(bytes(SqlType::UniqueIdentifier()), (Bytes{0x24, 0x10}));
}

TEST(TypeInfoTest, DownlevelMappings) {
  // TDS 7.1 and 7.2 clients get date/time types as nvarchar of their string form.
  for (TdsVersion v : {TdsVersion::k71, TdsVersion::k72}) {
    auto chars = [&](const SqlType& t) {
      TypeInfo ti = WireTypeFor(t, v);
      EXPECT_EQ(ti.type, kTypeNVarChar);
      return ti.max_length / 2;
    };
    EXPECT_EQ(chars(SqlType::Date()), 10u);
    EXPECT_EQ(chars(SqlType::Time(7)), 16u);
    EXPECT_EQ(chars(SqlType::Time(0)), 8u);
    EXPECT_EQ(chars(SqlType::DateTime2(7)), 27u);
    EXPECT_EQ(chars(SqlType::DateTime2(3)), 23u);
    EXPECT_EQ(chars(SqlType::DateTime2(0)), 19u);
    EXPECT_EQ(chars(SqlType::DateTimeOffset(7)), 34u);
    EXPECT_EQ(chars(SqlType::DateTimeOffset(0)), 26u);
    // datetime and smalldatetime exist in every version.
    EXPECT_EQ(WireTypeFor(SqlType::DateTime(), v).type, kTypeDateTimN);
  }
  // 7.3A and later: the real types.
  EXPECT_EQ(WireTypeFor(SqlType::Date(), TdsVersion::k73A).type, kTypeDateN);
  EXPECT_EQ(WireTypeFor(SqlType::DateTimeOffset(), TdsVersion::k73B).type, kTypeDateTimeOffsetN);
  // (max) types: text/ntext/image for 7.1, PLP from 7.2.
  EXPECT_EQ(TypeInfoBytes(WireTypeFor(SqlType::VarChar(SqlType::kMax), TdsVersion::k71)),
            (Bytes{0x23, 0xFF, 0xFF, 0xFF, 0x7F, 0x09, 0x04, 0xD0, 0x00, 0x34}));
  EXPECT_EQ(TypeInfoBytes(WireTypeFor(SqlType::NVarChar(SqlType::kMax), TdsVersion::k71)),
            (Bytes{0x63, 0xFE, 0xFF, 0xFF, 0x7F, 0x09, 0x04, 0xD0, 0x00, 0x34}));
  EXPECT_EQ(TypeInfoBytes(WireTypeFor(SqlType::VarBinary(SqlType::kMax), TdsVersion::k71)),
            (Bytes{0x22, 0xFF, 0xFF, 0xFF, 0x7F}));
  EXPECT_TRUE(WireTypeFor(SqlType::VarChar(SqlType::kMax), TdsVersion::k72).IsPlp());
}

TEST(TypeInfoTest, ReadsWhatItWrites) {
  const SqlType types[] = {SqlType::Int(),
                           SqlType::Bit(),
                           SqlType::Float(),
                           SqlType::Decimal(38, 6),
                           SqlType::Money(),
                           SqlType::VarChar(8000),
                           SqlType::NVarChar(4000),
                           SqlType::NChar(1),
                           SqlType::VarBinary(SqlType::kMax),
                           SqlType::Date(),
                           SqlType::Time(4),
                           SqlType::DateTime2(2),
                           SqlType::DateTimeOffset(5),
                           SqlType::SmallDateTime(),
                           SqlType::UniqueIdentifier()};
  for (const SqlType& t : types) {
    TypeInfo ti = WireTypeFor(t, TdsVersion::k74);
    Bytes b = TypeInfoBytes(ti);
    ByteReader r(b);
    TypeInfo back;
    EXPECT_EQ(ReadTypeInfo(&r, &back), WireError::kNone) << t.ToString();
    EXPECT_TRUE(r.AtEnd());
    EXPECT_EQ(back, ti) << t.ToString();
    EXPECT_EQ(SqlTypeOf(back), t) << t.ToString();
  }
}

TEST(TypeInfoTest, RejectsUnknownTypesAndBadMetadata) {
  auto read = [](Bytes b) {
    ByteReader r(b);
    TypeInfo ti;
    return ReadTypeInfo(&r, &ti);
  };
  EXPECT_EQ(read({0x62, 0x10, 0x1F, 0x00, 0x00}), WireError::kUnknownType);  // sql_variant
  EXPECT_EQ(read({0xF3, 0x00}), WireError::kUnknownType);                    // TVP
  EXPECT_EQ(read({0xF1, 0x00}), WireError::kUnknownType);                    // xml
  EXPECT_EQ(read({0xF0, 0x00}), WireError::kUnknownType);                    // UDT
  EXPECT_EQ(read({0x27, 0x10}), WireError::kUnknownType);              // legacy 1-byte varchar
  EXPECT_EQ(read({0x37, 0x11, 0x26, 0x00}), WireError::kUnknownType);  // legacy decimal
  EXPECT_EQ(read({0x01}), WireError::kUnknownType);
  EXPECT_EQ(read({0x26, 0x03}), WireError::kInvalidLength);
  EXPECT_EQ(read({0x68, 0x02}), WireError::kInvalidLength);
  EXPECT_EQ(read({0x6D, 0x02}), WireError::kInvalidLength);
  EXPECT_EQ(read({0x24, 0x08}), WireError::kInvalidLength);
  EXPECT_EQ(read({0x6A, 0x11, 0x27, 0x00}), WireError::kInvalidLength);  // precision 39
  EXPECT_EQ(read({0x6A, 0x05, 0x05, 0x06}), WireError::kInvalidLength);  // scale > precision
  EXPECT_EQ(read({0x6A, 0x12, 0x26, 0x00}), WireError::kInvalidLength);  // 18-byte decimal
  EXPECT_EQ(read({0x29, 0x08}), WireError::kInvalidLength);              // time(8)
  EXPECT_EQ(read({0xE7, 0x15, 0x00, 0, 0, 0, 0, 0}), WireError::kInvalidLength);  // odd nvarchar
  EXPECT_EQ(read({0xE7, 0x42, 0x1F, 0, 0, 0, 0, 0}), WireError::kInvalidLength);  // 8002 bytes
  EXPECT_EQ(read({0xAF, 0xFF, 0xFF, 0, 0, 0, 0, 0}), WireError::kInvalidLength);  // char(max)
  EXPECT_EQ(read({0xE7, 0x10, 0x00, 0x09}), WireError::kTruncated);  // collation cut off
  EXPECT_EQ(read({0x6A, 0x11}), WireError::kTruncated);
  EXPECT_EQ(read({}), WireError::kTruncated);
}

TEST(ValueCodecTest, Integers) {
  Check(Value::Int(SqlType::Int(), 42), {0x04, 0x2A, 0x00, 0x00, 0x00});
  Check(Value::Int(SqlType::Int(), -2147483648LL), {0x04, 0x00, 0x00, 0x00, 0x80});
  Check(Value::Int(SqlType::TinyInt(), 255), {0x01, 0xFF});
  Check(Value::Int(SqlType::SmallInt(), -2), {0x02, 0xFE, 0xFF});
  Check(Value::Int(SqlType::BigInt(), -1), {0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  Check(Value::Null(SqlType::Int()), {0x00});
  Check(Value::Int(SqlType::Bit(), 1), {0x01, 0x01});
  Check(Value::Int(SqlType::Bit(), 0), {0x01, 0x00});
  Check(Value::Null(SqlType::Bit()), {0x00});
}

TEST(ValueCodecTest, FixedLengthIntegerTypes) {
  TypeInfo int4;
  int4.type = kTypeInt4;
  EXPECT_EQ(Enc(Value::Int(SqlType::Int(), 7), int4), (Bytes{0x07, 0x00, 0x00, 0x00}));
  EXPECT_EQ(Dec(Bytes{0xFE, 0xFF, 0xFF, 0xFF}, int4), Value::Int(SqlType::Int(), -2));
  TypeInfo int1;
  int1.type = kTypeInt1;
  EXPECT_EQ(Dec(Bytes{0xC8}, int1), Value::Int(SqlType::TinyInt(), 200));
  TypeInfo int8;
  int8.type = kTypeInt8;
  EXPECT_EQ(Dec(Bytes{1, 0, 0, 0, 0, 0, 0, 0x80}, int8),
            Value::Int(SqlType::BigInt(), std::numeric_limits<int64_t>::min() + 1));
  TypeInfo bit;
  bit.type = kTypeBit;
  EXPECT_EQ(Dec(Bytes{0x05}, bit), Value::Int(SqlType::Bit(), 1));
  TypeInfo null;
  null.type = kTypeNull;
  EXPECT_EQ(Dec(Bytes{}, null), Value::Null(SqlType::Null()));
  // A fixed type has no NULL.
  Bytes out;
  Status st = EncodeValue(Value::Null(SqlType::Int()), int4, ValueForm::kRow, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().number, errors::kInternalError);
}

TEST(ValueCodecTest, Floats) {
  Check(Value::Float(SqlType::Float(), 1.5), {0x08, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F});
  Check(Value::Float(SqlType::Real(), 1.5), {0x04, 0x00, 0x00, 0xC0, 0x3F});
  Check(Value::Null(SqlType::Float()), {0x00});
  TypeInfo flt4;
  flt4.type = kTypeFlt4;
  EXPECT_EQ(Dec(Bytes{0x00, 0x00, 0x20, 0x41}, flt4), Value::Float(SqlType::Real(), 10.0));
  // NaN and infinities are not SQL Server values.
  TypeInfo fltn = WireTypeFor(SqlType::Float(), TdsVersion::k74);
  Bytes nan = {0x08, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F};
  EXPECT_EQ(DecErr(nan, fltn), WireError::kInvalidValue);
}

TEST(ValueCodecTest, Decimals) {
  // decimal(5,2) 123.45: length 5, sign 1 (positive), 12345 little-endian in 4 bytes.
  Check(Value::Dec(SqlType::Decimal(5, 2), Decimal(12345, 2)), {0x05, 0x01, 0x39, 0x30, 0, 0});
  Check(Value::Dec(SqlType::Decimal(5, 2), Decimal(-12345, 2)), {0x05, 0x00, 0x39, 0x30, 0, 0});
  Check(Value::Dec(SqlType::Numeric(10, 0), Decimal(1, 0)), {0x09, 0x01, 1, 0, 0, 0, 0, 0, 0, 0});
  Check(Value::Null(SqlType::Decimal(18, 2)), {0x00});
  __int128 max38 = 1;
  for (int i = 0; i < 38; ++i) max38 *= 10;
  --max38;
  Check(Value::Dec(SqlType::Decimal(38, 0), Decimal(max38, 0)),
        {0x11, 0x01, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x22, 0x8a, 0x09, 0x7a, 0xc4, 0x86, 0x5a, 0xa8,
         0x4c, 0x3b, 0x4b});
  // Values are sent at the column's scale: 1.5 in decimal(5,2) is 150.
  TypeInfo ti = WireTypeFor(SqlType::Decimal(5, 2), TdsVersion::k74);
  EXPECT_EQ(Enc(Value::Dec(SqlType::Decimal(5, 1), Decimal(15, 1)), ti),
            (Bytes{0x05, 0x01, 0x96, 0, 0, 0}));
  // Clients may send fewer bytes than the declared maximum (sign + 4 for a 17-byte column).
  TypeInfo wide = WireTypeFor(SqlType::Decimal(38, 2), TdsVersion::k74);
  EXPECT_EQ(Dec(Bytes{0x05, 0x01, 0x39, 0x30, 0, 0}, wide, ValueForm::kParameter),
            Value::Dec(SqlType::Decimal(38, 2), Decimal(12345, 2)));
  // Above the declared precision, a bad sign byte, a length beyond the declaration.
  EXPECT_EQ(DecErr(Bytes{0x05, 0x01, 0xA0, 0x86, 0x01, 0x00}, ti), WireError::kInvalidValue);
  EXPECT_EQ(DecErr(Bytes{0x05, 0x02, 0x01, 0, 0, 0}, ti), WireError::kInvalidValue);
  EXPECT_EQ(DecErr(Bytes{0x09, 0x01, 1, 0, 0, 0, 0, 0, 0, 0}, ti), WireError::kInvalidLength);
  EXPECT_EQ(DecErr(Bytes{0x01, 0x01}, ti), WireError::kInvalidLength);
  // The encoder refuses a value its column cannot hold.
  Bytes out;
  Status st = EncodeValue(Value::Dec(SqlType::Decimal(6, 2), Decimal(100000, 2)), ti,
                          ValueForm::kRow, &out);
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(out.empty());
}

TEST(ValueCodecTest, MoneyHalvesAreHighThenLow) {
  Check(Value::Dec(SqlType::Money(), Decimal(10000, 4)), {0x08, 0, 0, 0, 0, 0x10, 0x27, 0, 0});
  // 500000.0000 = 5,000,000,000 units = 0x1_2A05F200: high half 1, low half 0x2A05F200.
  Check(Value::Dec(SqlType::Money(), Decimal(5000000000LL, 4)),
        {0x08, 0x01, 0x00, 0x00, 0x00, 0x00, 0xF2, 0x05, 0x2A});
  Check(Value::Dec(SqlType::Money(), Decimal(-1, 4)),
        {0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  Check(Value::Dec(SqlType::Money(), Decimal(std::numeric_limits<int64_t>::max(), 4)),
        {0x08, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF});
  Check(Value::Dec(SqlType::SmallMoney(), Decimal(-10000, 4)), {0x04, 0xF0, 0xD8, 0xFF, 0xFF});
  Check(Value::Null(SqlType::Money()), {0x00});
  TypeInfo money;
  money.type = kTypeMoney;
  EXPECT_EQ(Dec(Bytes{0x01, 0x00, 0x00, 0x00, 0x00, 0xF2, 0x05, 0x2A}, money),
            Value::Dec(SqlType::Money(), Decimal(5000000000LL, 4)));
  // Money values at another scale are rounded to 4 places.
  EXPECT_EQ(Enc(Value::Dec(SqlType::Money(), Decimal(15, 1)),
                WireTypeFor(SqlType::Money(), TdsVersion::k74)),
            (Bytes{0x08, 0, 0, 0, 0, 0x98, 0x3A, 0, 0}));
}

TEST(ValueCodecTest, CharTypesUseCp1252) {
  Check(Value::Str(SqlType::VarChar(10), "café"), {0x04, 0x00, 0x63, 0x61, 0x66, 0xE9});
  Check(Value::Str(SqlType::VarChar(10), "€"), {0x01, 0x00, 0x80});
  Check(Value::Str(SqlType::VarChar(10), ""), {0x00, 0x00});
  Check(Value::Null(SqlType::VarChar(10)), {0xFF, 0xFF});
  Check(Value::Str(SqlType::Char(5), "ab   "), {0x05, 0x00, 0x61, 0x62, 0x20, 0x20, 0x20});
  // Unpadded char values are padded to the column length.
  TypeInfo c5 = WireTypeFor(SqlType::Char(5), TdsVersion::k74);
  EXPECT_EQ(Enc(Value::Str(SqlType::Char(5), "ab"), c5),
            (Bytes{0x05, 0x00, 0x61, 0x62, 0x20, 0x20, 0x20}));
  // Characters with no CP1252 form become '?', as in a varchar column.
  TypeInfo v10 = WireTypeFor(SqlType::VarChar(10), TdsVersion::k74);
  EXPECT_EQ(Enc(Value::Str(SqlType::NVarChar(10), "Ω"), v10), (Bytes{0x01, 0x00, '?'}));
  // Too long for the column: an upstream bug, reported, not sent.
  Bytes out;
  EXPECT_FALSE(EncodeValue(Value::Str(SqlType::VarChar(3), "abcd"),
                           WireTypeFor(SqlType::VarChar(3), TdsVersion::k74), ValueForm::kRow, &out)
                   .ok());
}

TEST(ValueCodecTest, Utf8CollationParametersAreUtf8) {
  TypeInfo ti = WireTypeFor(SqlType::VarChar(20), TdsVersion::k74);
  ti.collation = {0x09, 0x04, 0xD0, 0x04, 0x00};  // fUTF8 set (a *_UTF8 collation)
  Bytes b = {0x05, 0x00, 0x63, 0x61, 0x66, 0xC3, 0xA9};
  EXPECT_EQ(Dec(b, ti, ValueForm::kParameter), Value::Str(SqlType::VarChar(20), "café"));
  Bytes bad = {0x02, 0x00, 0xC3, 0x28};
  EXPECT_EQ(DecErr(bad, ti), WireError::kInvalidValue);
}

TEST(ValueCodecTest, NCharTypesUseUtf16) {
  Check(Value::Str(SqlType::NVarChar(10), "hé"), {0x04, 0x00, 0x68, 0x00, 0xE9, 0x00});
  Check(Value::Str(SqlType::NVarChar(10), "😀"), {0x04, 0x00, 0x3D, 0xD8, 0x00, 0xDE});
  Check(Value::Null(SqlType::NVarChar(10)), {0xFF, 0xFF});
  Check(Value::Str(SqlType::NChar(3), "a  "), {0x06, 0x00, 0x61, 0x00, 0x20, 0x00, 0x20, 0x00});
  TypeInfo nc3 = WireTypeFor(SqlType::NChar(3), TdsVersion::k74);
  EXPECT_EQ(Enc(Value::Str(SqlType::NChar(3), "a"), nc3),
            (Bytes{0x06, 0x00, 0x61, 0x00, 0x20, 0x00, 0x20, 0x00}));
  TypeInfo nv = WireTypeFor(SqlType::NVarChar(10), TdsVersion::k74);
  EXPECT_EQ(DecErr(Bytes{0x03, 0x00, 0x61, 0x00, 0x62}, nv), WireError::kInvalidLength);
  EXPECT_EQ(DecErr(Bytes{0x02, 0x00, 0x00, 0xD8}, nv), WireError::kInvalidValue);  // lone surrogate
  EXPECT_EQ(DecErr(Bytes{0x16, 0x00}, nv), WireError::kInvalidLength);             // 22 bytes > 20
  EXPECT_EQ(DecErr(Bytes{0x04, 0x00, 0x61, 0x00}, nv), WireError::kTruncated);
}

TEST(ValueCodecTest, BinaryTypes) {
  Check(Value::Str(SqlType::VarBinary(4), std::string("\x01\x02", 2)), {0x02, 0x00, 0x01, 0x02});
  Check(Value::Str(SqlType::Binary(4), std::string("\x01\x02\x00\x00", 4)),
        {0x04, 0x00, 0x01, 0x02, 0x00, 0x00});
  TypeInfo b4 = WireTypeFor(SqlType::Binary(4), TdsVersion::k74);
  EXPECT_EQ(Enc(Value::Str(SqlType::Binary(4), std::string("\x01\x02", 2)), b4),
            (Bytes{0x04, 0x00, 0x01, 0x02, 0x00, 0x00}));
  Check(Value::Null(SqlType::VarBinary(4)), {0xFF, 0xFF});
}

TEST(ValueCodecTest, PlpValues) {
  Check(Value::Str(SqlType::NVarChar(SqlType::kMax), "ab"),
        {0x04, 0, 0, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0x61, 0x00, 0x62, 0x00, 0, 0, 0, 0});
  Check(Value::Str(SqlType::VarChar(SqlType::kMax), ""), {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  Check(Value::Null(SqlType::VarBinary(SqlType::kMax)),
        {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  TypeInfo ti = WireTypeFor(SqlType::NVarChar(SqlType::kMax), TdsVersion::k74);
  // Unknown total length (tedious streams nvarchar(max) parameters so), several chunks, a chunk
  // boundary inside a UTF-16 code unit.
  Bytes unknown = {0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, 0, 0, 0,
                   0x61, 0x00, 0x62, 0x01, 0,    0,    0,    0x00, 0,    0, 0, 0};
  EXPECT_EQ(Dec(unknown, ti, ValueForm::kParameter),
            Value::Str(SqlType::NVarChar(SqlType::kMax), "ab"));
  // A declared total that the chunks do not add up to.
  Bytes wrong = {0x06, 0, 0, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0x61, 0x00, 0x62, 0x00, 0, 0, 0, 0};
  EXPECT_EQ(DecErr(wrong, ti), WireError::kInvalidLength);
  // Missing terminator; a chunk longer than the message.
  EXPECT_EQ(DecErr(Bytes(wrong.begin(), wrong.end() - 4), ti), WireError::kTruncated);
  Bytes huge = {0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x61};
  EXPECT_EQ(DecErr(huge, ti), WireError::kTruncated);
  // The configured LOB bound applies to declared and to accumulated lengths.
  DecodeLimits small{3};
  EXPECT_EQ(DecErr(wrong, ti, ValueForm::kParameter, small), WireError::kTooLarge);
  EXPECT_EQ(DecErr(unknown, ti, ValueForm::kParameter, small), WireError::kTooLarge);
}

TEST(ValueCodecTest, LegacyLobsInRowAndParameterForms) {
  // Rows carry a 16-byte text pointer and an 8-byte timestamp before the 4-byte length.
  TypeInfo text = WireTypeFor(SqlType::VarChar(SqlType::kMax), TdsVersion::k71);
  Value v = Value::Str(SqlType::VarChar(SqlType::kMax), "hi");
  Bytes row = Enc(v, text, ValueForm::kRow);
  ASSERT_EQ(row.size(), 1u + 16 + 8 + 4 + 2);
  EXPECT_EQ(row[0], 16);
  EXPECT_EQ(Bytes(row.end() - 6, row.end()), (Bytes{0x02, 0, 0, 0, 'h', 'i'}));
  EXPECT_EQ(Dec(row, text, ValueForm::kRow), v);
  EXPECT_EQ(Enc(Value::Null(v.type()), text, ValueForm::kRow), (Bytes{0x00}));
  EXPECT_EQ(Dec(Bytes{0x00}, text, ValueForm::kRow), Value::Null(v.type()));
  // Parameters (jTDS sends long strings as ntext) have only the length.
  TypeInfo ntext = WireTypeFor(SqlType::NVarChar(SqlType::kMax), TdsVersion::k71);
  Value n = Value::Str(SqlType::NVarChar(SqlType::kMax), "hé");
  Bytes param = Enc(n, ntext, ValueForm::kParameter);
  EXPECT_EQ(param, (Bytes{0x04, 0, 0, 0, 0x68, 0x00, 0xE9, 0x00}));
  EXPECT_EQ(Dec(param, ntext, ValueForm::kParameter), n);
  EXPECT_EQ(Dec(Bytes{0xFF, 0xFF, 0xFF, 0xFF}, ntext, ValueForm::kParameter),
            Value::Null(n.type()));
  TypeInfo image = WireTypeFor(SqlType::VarBinary(SqlType::kMax), TdsVersion::k71);
  EXPECT_EQ(DecErr(Bytes{0x10, 0, 0, 0, 1}, image), WireError::kTruncated);
  EXPECT_EQ(DecErr(Bytes{0x10, 0, 0, 0}, image, ValueForm::kParameter, DecodeLimits{8}),
            WireError::kTooLarge);
}

constexpr int64_t kDay = kTicksPerDay;
constexpr int64_t kDays20240131 = 738915;
constexpr int64_t kTime123015 = 450151234567;  // 12:30:15.1234567 in ticks

TEST(ValueCodecTest, DateAndTime) {
  Check(Value::Int(SqlType::Date(), kDays20240131), {0x03, 0x63, 0x46, 0x0B});
  Check(Value::Int(SqlType::Date(), 0), {0x03, 0x00, 0x00, 0x00});  // 0001-01-01
  Check(Value::Null(SqlType::Date()), {0x00});
  Check(Value::Int(SqlType::Time(7), kTime123015), {0x05, 0x07, 0xBC, 0x1A, 0xCF, 0x68});
  // time(3): 45015123 milliseconds in 4 bytes.
  Check(Value::Int(SqlType::Time(3), 450151230000), {0x04, 0x53, 0xE0, 0xAE, 0x02});
  Check(Value::Int(SqlType::Time(0), 45015 * kTicksPerSecond), {0x03, 0xD7, 0xAF, 0x00});
  Check(Value::Int(SqlType::DateTime2(3), kDays20240131 * kDay + 450151230000),
        {0x07, 0x53, 0xE0, 0xAE, 0x02, 0x63, 0x46, 0x0B});
  Check(Value::Null(SqlType::DateTime2(7)), {0x00});
  // datetimeoffset: the UTC time and date, then the offset in minutes. 12:30 at +01:00 is 11:30Z.
  int64_t utc = kDays20240131 * kDay + kTime123015 - 3600 * kTicksPerSecond;
  Check(Value::Dto(SqlType::DateTimeOffset(7), DateTimeOffset{utc, 60}),
        {0x0A, 0x07, 0x54, 0x56, 0x6D, 0x60, 0x63, 0x46, 0x0B, 0x3C, 0x00});
  Check(Value::Dto(SqlType::DateTimeOffset(0), DateTimeOffset{utc - 1234567, -330}),
        {0x08, 0xC7, 0xA1, 0x00, 0x63, 0x46, 0x0B, 0xB6, 0xFE});

  TypeInfo date = WireTypeFor(SqlType::Date(), TdsVersion::k74);
  EXPECT_EQ(DecErr(Bytes{0x03, 0xDB, 0xB9, 0x37}, date), WireError::kInvalidValue);  // > 9999
  EXPECT_EQ(DecErr(Bytes{0x02, 0x00, 0x00}, date), WireError::kInvalidLength);
  TypeInfo t7 = WireTypeFor(SqlType::Time(7), TdsVersion::k74);
  Bytes midnight = {0x05, 0x00, 0xC0, 0x2A, 0x2B, 0xC9};  // 864000000000 = 24:00:00
  EXPECT_EQ(DecErr(midnight, t7), WireError::kInvalidValue);
  EXPECT_EQ(DecErr(Bytes{0x03, 0, 0, 0}, t7), WireError::kInvalidLength);
  TypeInfo dto = WireTypeFor(SqlType::DateTimeOffset(0), TdsVersion::k74);
  EXPECT_EQ(DecErr(Bytes{0x08, 0, 0, 0, 0x63, 0x46, 0x0B, 0x84, 0x03}, dto),  // +15:00
            WireError::kInvalidValue);
  // 9999-12-31 23:00Z at +14:00 would be local year 10000; 0001-01-01 00:00Z at -01:00 year 0.
  EXPECT_EQ(DecErr(Bytes{0x08, 0x70, 0x43, 0x01, 0xDA, 0xB9, 0x37, 0x48, 0x03}, dto),
            WireError::kInvalidValue);
  EXPECT_EQ(DecErr(Bytes{0x08, 0, 0, 0, 0, 0, 0, 0xC4, 0xFF}, dto), WireError::kInvalidValue);
  EXPECT_EQ(Dec(Bytes{0x08, 0, 0, 0, 0, 0, 0, 0x3C, 0x00}, dto),
            Value::Dto(SqlType::DateTimeOffset(0), DateTimeOffset{0, 60}));
}

TEST(ValueCodecTest, DateTimeAndSmallDateTime) {
  const int64_t k1900 = 693595 * kDay;
  auto dt = [](int64_t ticks) {
    return Value::Int(SqlType::DateTime(), datetime::RoundTicks(ticks, SqlType::DateTime()));
  };
  // 1900-01-01 00:00:00.003 is day 0, tick 1 (of 1/300 s).
  Check(dt(k1900 + 30000), {0x08, 0, 0, 0, 0, 0x01, 0, 0, 0});
  // 2024-01-31 12:30:15.123: day 45320, 13504537 / 300 s.
  Check(dt(kDays20240131 * kDay + 450151230000),
        {0x08, 0x08, 0xB1, 0x00, 0x00, 0x19, 0x10, 0xCE, 0x00});
  // 1753-01-01, the first datetime day, is day -53690.
  Check(dt((693595 - 53690) * kDay), {0x08, 0x46, 0x2E, 0xFF, 0xFF, 0, 0, 0, 0});
  Check(Value::Null(SqlType::DateTime()), {0x00});
  // 23:59:59.999 rounds up into the next day, as datetime does.
  TypeInfo dtn = WireTypeFor(SqlType::DateTime(), TdsVersion::k74);
  EXPECT_EQ(Enc(Value::Int(SqlType::DateTime2(7), k1900 + kDay - 10000), dtn),
            (Bytes{0x08, 0x01, 0, 0, 0, 0, 0, 0, 0}));
  // smalldatetime 2024-01-31 12:30: day 45320, minute 750.
  Check(Value::Int(SqlType::SmallDateTime(), kDays20240131 * kDay + 750 * 60 * kTicksPerSecond),
        {0x04, 0x08, 0xB1, 0xEE, 0x02});
  Check(Value::Null(SqlType::SmallDateTime()), {0x00});

  EXPECT_EQ(DecErr(Bytes{0x08, 0x45, 0x2E, 0xFF, 0xFF, 0, 0, 0, 0}, dtn),  // 1752-12-31
            WireError::kInvalidValue);
  EXPECT_EQ(DecErr(Bytes{0x08, 0, 0, 0, 0, 0x00, 0x82, 0x8B, 0x01}, dtn),  // 25920000 / 300 s
            WireError::kInvalidValue);
  EXPECT_EQ(DecErr(Bytes{0x04, 0, 0, 0, 0}, dtn), WireError::kInvalidLength);
  TypeInfo sdt = WireTypeFor(SqlType::SmallDateTime(), TdsVersion::k74);
  EXPECT_EQ(DecErr(Bytes{0x04, 0, 0, 0xA0, 0x05}, sdt), WireError::kInvalidValue);  // minute 1440
  TypeInfo fixed;
  fixed.type = kTypeDateTim4;
  EXPECT_EQ(
      Dec(Bytes{0x08, 0xB1, 0xEE, 0x02}, fixed),
      Value::Int(SqlType::SmallDateTime(), kDays20240131 * kDay + 750 * 60 * kTicksPerSecond));
}

TEST(ValueCodecTest, UniqueIdentifierInWireOrder) {
  std::optional<Guid> g = guid::Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF");
  ASSERT_TRUE(g);
  Check(Value::Uuid(*g), {0x10, 0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00,
                          0xC0, 0x4F, 0xC9, 0x64, 0xFF});
  Check(Value::Null(SqlType::UniqueIdentifier()), {0x00});
  TypeInfo ti = WireTypeFor(SqlType::UniqueIdentifier(), TdsVersion::k74);
  EXPECT_EQ(DecErr(Bytes{0x08, 1, 2, 3, 4, 5, 6, 7, 8}, ti), WireError::kInvalidLength);
}

std::string Utf16Text(ByteView value) {
  // USHORTLEN value: 2-byte length, then UTF-16LE; ASCII only here.
  std::string s;
  for (size_t i = 2; i + 1 < value.size(); i += 2) s.push_back(static_cast<char>(value[i]));
  return s;
}

TEST(ValueCodecTest, DownlevelDateTimeStrings) {
  int64_t ticks = kDays20240131 * kDay + kTime123015;
  struct Case {
    Value value;
    const char* text;
  } cases[] = {
      {Value::Int(SqlType::Date(), kDays20240131), "2024-01-31"},
      {Value::Int(SqlType::Time(7), kTime123015), "12:30:15.1234567"},
      {Value::Int(SqlType::DateTime2(7), ticks), "2024-01-31 12:30:15.1234567"},
      {Value::Int(SqlType::DateTime2(0), ticks - 1234567), "2024-01-31 12:30:15"},
      {Value::Dto(SqlType::DateTimeOffset(7), DateTimeOffset{ticks - 3600 * kTicksPerSecond, 60}),
       "2024-01-31 12:30:15.1234567 +01:00"},
  };
  for (TdsVersion v : {TdsVersion::k71, TdsVersion::k72}) {
    for (const Case& c : cases) {
      TypeInfo ti = WireTypeFor(c.value.type(), v);
      Bytes b = Enc(c.value, ti);
      EXPECT_EQ(Utf16Text(b), c.text);
      EXPECT_EQ(b.size() - 2, ti.max_length) << c.text;  // exactly the declared length
      EXPECT_EQ(Dec(b, ti), Value::Str(SqlTypeOf(ti), c.text));
    }
    EXPECT_EQ(Enc(Value::Null(SqlType::Date()), WireTypeFor(SqlType::Date(), v)),
              (Bytes{0xFF, 0xFF}));
  }
}

TEST(ValueCodecTest, EncoderRejectsValuesThatDoNotFit) {
  auto fails = [](const Value& v, const SqlType& column) {
    Bytes out;
    Status st = EncodeValue(v, WireTypeFor(column, TdsVersion::k74), ValueForm::kRow, &out);
    return !st.ok() && st.error().number == errors::kInternalError && out.empty();
  };
  EXPECT_TRUE(fails(Value::Int(SqlType::Int(), 300), SqlType::TinyInt()));
  EXPECT_TRUE(fails(Value::Int(SqlType::BigInt(), 1LL << 40), SqlType::Int()));
  EXPECT_TRUE(fails(Value::Str(SqlType::VarChar(3), "x"), SqlType::Int()));
  EXPECT_TRUE(fails(Value::Int(SqlType::Int(), 1), SqlType::VarChar(3)));
  EXPECT_TRUE(fails(Value::Int(SqlType::Int(), 1), SqlType::UniqueIdentifier()));
  EXPECT_TRUE(fails(Value::Dec(SqlType::Money(), Decimal(1LL << 40, 4)), SqlType::SmallMoney()));
  EXPECT_TRUE(fails(Value::Str(SqlType::NVarChar(2), "abc"), SqlType::NVarChar(2)));
  // Compatible payloads are converted: an int for a bigint, a float or decimal column.
  Bytes out;
  EXPECT_TRUE(EncodeValue(Value::Int(SqlType::Int(), 3),
                          WireTypeFor(SqlType::Float(), TdsVersion::k74), ValueForm::kRow, &out)
                  .ok());
  EXPECT_EQ(out, (Bytes{0x08, 0, 0, 0, 0, 0, 0, 0x08, 0x40}));
}

}  // namespace
}  // namespace edgesql::tds
