#include "types/value.h"

#include <gtest/gtest.h>

#include "types/guid.h"

namespace edgesql {
namespace {

TEST(ValueTest, LiteralLengths) {
  // A string literal's type is (n)varchar of its length, at least 1.
  EXPECT_EQ(Value::VarChar("abc").type(), SqlType::VarChar(3));
  EXPECT_EQ(Value::VarChar("").type(), SqlType::VarChar(1));
  EXPECT_EQ(Value::VarChar("héllo").type(), SqlType::VarChar(5));
  EXPECT_EQ(Value::NVarChar("héllo").type(), SqlType::NVarChar(5));
  EXPECT_EQ(Value::NVarChar("").type(), SqlType::NVarChar(1));
  // A supplementary character takes two UTF-16 code units.
  EXPECT_EQ(Value::NVarChar("a\xF0\x9F\x98\x80").type(), SqlType::NVarChar(3));
}

TEST(ValueTest, NullsAndAccessors) {
  Value v;
  EXPECT_TRUE(v.is_null());
  EXPECT_TRUE(v.type().IsNull());
  Value n = Value::Null(SqlType::Date());
  EXPECT_TRUE(n.is_null());
  EXPECT_EQ(n.type(), SqlType::Date());
  EXPECT_EQ(Value::Integer(5).AsInt(), 5);
  EXPECT_EQ(Value::Integer(5), Value::Integer(5));
  EXPECT_NE(Value::Integer(5), Value::BigInteger(5));  // the type is part of the value
}

TEST(ValueTest, DebugString) {
  EXPECT_EQ(Value::Integer(42).DebugString(), "int 42");
  EXPECT_EQ(Value::NVarChar("héllo").DebugString(), "nvarchar(5) 'héllo'");
  EXPECT_EQ(Value::Null(SqlType::Decimal(10, 2)).DebugString(), "NULL decimal(10,2)");
  EXPECT_EQ(Value::Dec(SqlType::Decimal(5, 2), Decimal(150, 2)).DebugString(), "decimal(5,2) 1.50");
  EXPECT_EQ(Value::Str(SqlType::VarBinary(2), "\x0A\xFF").DebugString(), "varbinary(2) 0x0AFF");
  EXPECT_EQ(Value::Int(SqlType::Date(), 693595).DebugString(), "date 1900-01-01");
  Guid g = *guid::Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF");
  EXPECT_EQ(Value::Uuid(g).DebugString(), "uniqueidentifier 6F9619FF-8B86-D011-B42D-00C04FC964FF");
}

}  // namespace
}  // namespace edgesql
