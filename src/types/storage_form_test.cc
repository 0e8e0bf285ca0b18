#include "types/storage_form.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "types/convert.h"
#include "types/guid.h"

namespace edgesql {
namespace {

Value Conv(const char* text, const SqlType& t) {
  Result<Value> r = Convert(Value::VarChar(text), t);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : Value::Null(t);
}

void ExpectRoundTrip(const Value& v) {
  StoredValue s = ToStored(v);
  Result<Value> back = FromStored(s, v.type());
  ASSERT_TRUE(back.ok()) << v.DebugString();
  EXPECT_EQ(*back, v) << v.DebugString() << " came back as " << back->DebugString();
}

TEST(StorageFormTest, ClassesPerType) {
  EXPECT_EQ(StorageClassOf(TypeId::kInt), StorageClass::kInteger);
  EXPECT_EQ(StorageClassOf(TypeId::kDateTime2), StorageClass::kInteger);
  EXPECT_EQ(StorageClassOf(TypeId::kFloat), StorageClass::kReal);
  EXPECT_EQ(StorageClassOf(TypeId::kNVarChar), StorageClass::kText);
  EXPECT_EQ(StorageClassOf(TypeId::kDecimal), StorageClass::kBlob);
  EXPECT_EQ(StorageClassOf(TypeId::kDateTimeOffset), StorageClass::kBlob);
  EXPECT_EQ(StorageClassOf(TypeId::kUniqueIdentifier), StorageClass::kBlob);
  EXPECT_STREQ(SqliteColumnType(SqlType::VarChar(10)), "TEXT COLLATE CI_AS");
  EXPECT_STREQ(SqliteColumnType(SqlType::Money()), "BLOB");
  EXPECT_STREQ(SqliteColumnType(SqlType::Real()), "REAL");
  EXPECT_STREQ(SqliteColumnType(SqlType::Date()), "INTEGER");
}

TEST(StorageFormTest, RoundTripsEveryType) {
  ExpectRoundTrip(Value::Integer(-42));
  ExpectRoundTrip(Value::Int(SqlType::Bit(), 1));
  ExpectRoundTrip(Value::Float(SqlType::Float(), 0.1));
  ExpectRoundTrip(Conv("12.345", SqlType::Decimal(10, 3)));
  ExpectRoundTrip(Conv("-12.3400", SqlType::Decimal(10, 4)));  // scale restored from the type
  ExpectRoundTrip(Conv("-5.5", SqlType::Money()));
  ExpectRoundTrip(Value::NVarChar("héllo"));
  ExpectRoundTrip(Conv("ab", SqlType::Char(5)));
  ExpectRoundTrip(Value::Str(SqlType::VarBinary(3), std::string("\x00\x01\xFF", 3)));
  ExpectRoundTrip(Conv("2024-01-31", SqlType::Date()));
  ExpectRoundTrip(Conv("12:30:15.1234567", SqlType::Time(7)));
  ExpectRoundTrip(Conv("2024-01-31 12:30:15.123", SqlType::DateTime()));
  ExpectRoundTrip(Conv("2024-01-31 12:30", SqlType::SmallDateTime()));
  ExpectRoundTrip(Conv("2024-01-31 12:30:15.1234567", SqlType::DateTime2(7)));
  ExpectRoundTrip(Conv("2024-01-31 12:30:15.1234567 -08:00", SqlType::DateTimeOffset(7)));
  ExpectRoundTrip(Conv("6F9619FF-8B86-D011-B42D-00C04FC964FF", SqlType::UniqueIdentifier()));
  ExpectRoundTrip(Value::Null(SqlType::Int()));
}

TEST(StorageFormTest, DecimalIsTheScaleFreeKey) {
  StoredValue a = ToStored(Conv("1.5", SqlType::Decimal(5, 1)));
  StoredValue b = ToStored(Conv("1.5", SqlType::Decimal(10, 4)));
  EXPECT_EQ(a.cls, StorageClass::kBlob);
  EXPECT_EQ(a.bytes, b.bytes);  // equal values compare equal in SQLite
}

TEST(StorageFormTest, DateTimeOffsetLayout) {
  Value v = Conv("0001-01-01 00:00:00.0000001 +00:00", SqlType::DateTimeOffset(7));
  StoredValue s = ToStored(v);
  ASSERT_EQ(s.bytes.size(), 10u);
  EXPECT_EQ(s.bytes, std::string("\0\0\0\0\0\0\0\x01\x80\x00", 10));
  Value neg = Conv("2024-01-01 00:00 -01:00", SqlType::DateTimeOffset(0));
  EXPECT_EQ(static_cast<uint8_t>(ToStored(neg).bytes[8]), 0x7F);  // -60 + 0x8000 = 0x7FC4
  EXPECT_EQ(static_cast<uint8_t>(ToStored(neg).bytes[9]), 0xC4);
  // Later instants sort later whatever their offsets.
  Value early = Conv("2024-01-01 12:00 +05:00", SqlType::DateTimeOffset(0));  // 07:00 UTC
  Value late = Conv("2024-01-01 08:00 +00:00", SqlType::DateTimeOffset(0));
  EXPECT_LT(ToStored(early).bytes, ToStored(late).bytes);
}

TEST(StorageFormTest, MismatchedClassIs8114) {
  StoredValue s;
  s.cls = StorageClass::kText;
  s.bytes = "x";
  Result<Value> r = FromStored(s, SqlType::Int());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().number, 8114);
  s.cls = StorageClass::kBlob;
  s.bytes = "garbage";
  EXPECT_FALSE(FromStored(s, SqlType::Decimal(10, 2)).ok());
  // A whole number read back from a REAL column as INTEGER is the same number.
  s.cls = StorageClass::kInteger;
  s.i = 3;
  Result<Value> f = FromStored(s, SqlType::Float());
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->AsDouble(), 3.0);
}

TEST(StorageFormTest, SqliteLiterals) {
  EXPECT_EQ(SqliteLiteral(Value::Integer(42)), "42");
  EXPECT_EQ(SqliteLiteral(Value::BigInteger(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(SqliteLiteral(Value::Null(SqlType::Int())), "NULL");
  EXPECT_EQ(SqliteLiteral(Value::VarChar("it's")), "'it''s'");
  EXPECT_EQ(SqliteLiteral(Value::NVarChar("")), "''");
  EXPECT_EQ(SqliteLiteral(Value::Str(SqlType::VarBinary(2), "\x0A\x0B")), "X'0A0B'");
  EXPECT_EQ(SqliteLiteral(Value::VarChar(std::string("a\0b", 3))), "CAST(X'610062' AS TEXT)");
  // REAL literals always read back as REAL and as the same double.
  EXPECT_EQ(SqliteLiteral(Value::Float(SqlType::Float(), 1.0)), "1.0");
  EXPECT_EQ(SqliteLiteral(Value::Float(SqlType::Float(), -0.0)), "-0.0");
  EXPECT_EQ(SqliteLiteral(Value::Float(SqlType::Float(), 1.5)), "1.5");
  EXPECT_EQ(SqliteLiteral(Value::Float(SqlType::Float(), 0.1)), "0.1");
  EXPECT_EQ(SqliteLiteral(Value::Float(SqlType::Float(), 1e20)), "1e+20");
  for (double d : {0.1 + 0.2, 1.0 / 3, 123456789.123456789, 5e-324, 1.7976931348623157e308}) {
    std::string lit = SqliteLiteral(Value::Float(SqlType::Float(), d));
    EXPECT_EQ(std::strtod(lit.c_str(), nullptr), d) << lit;
    EXPECT_NE(lit.find_first_of(".e"), std::string::npos) << lit;
  }
  Value dec = Conv("1.5", SqlType::Decimal(5, 1));
  // 1.5 = 0.15 * 10^1: class C0, exponent 1 + 64, digit nibbles 1+1 and 5+1.
  EXPECT_EQ(SqliteLiteral(dec), "X'C04126'");
}

}  // namespace
}  // namespace edgesql
