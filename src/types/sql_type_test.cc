#include "types/sql_type.h"

#include <gtest/gtest.h>

namespace edgesql {
namespace {

SqlType Dec(int p, int s) { return SqlType::Decimal(p, s); }

TEST(SqlTypeTest, ToStringUsesSqlServerSpelling) {
  EXPECT_EQ(SqlType::Int().ToString(), "int");
  EXPECT_EQ(Dec(10, 2).ToString(), "decimal(10,2)");
  EXPECT_EQ(SqlType::Numeric().ToString(), "numeric(18,0)");
  EXPECT_EQ(SqlType::NVarChar(SqlType::kMax).ToString(), "nvarchar(max)");
  EXPECT_EQ(SqlType::VarChar(30).ToString(), "varchar(30)");
  EXPECT_EQ(SqlType::DateTime2(7).ToString(), "datetime2(7)");
  EXPECT_EQ(SqlType::Time(3).ToString(), "time(3)");
  EXPECT_EQ(SqlType::DateTimeOffset(0).ToString(), "datetimeoffset(0)");
  EXPECT_EQ(SqlType::Binary(16).ToString(), "binary(16)");
  EXPECT_EQ(SqlType::Money().ToString(), "money");
  EXPECT_EQ(SqlType::UniqueIdentifier().ToString(), "uniqueidentifier");
  EXPECT_EQ(SqlType::Null().Name(), "int");  // an untyped NULL is int
}

TEST(SqlTypeTest, Families) {
  EXPECT_TRUE(SqlType::Bit().IsInteger());
  EXPECT_TRUE(SqlType::Money().IsExactNumeric());
  EXPECT_TRUE(SqlType::Money().IsDecimalLike());
  EXPECT_FALSE(SqlType::Float().IsExactNumeric());
  EXPECT_TRUE(SqlType::Real().IsNumeric());
  EXPECT_TRUE(SqlType::NChar(3).IsUnicode());
  EXPECT_TRUE(SqlType::Char(3).IsFixedLength());
  EXPECT_FALSE(SqlType::VarBinary(3).IsFixedLength());
  EXPECT_TRUE(SqlType::SmallDateTime().IsDateTime());
  EXPECT_FALSE(SqlType::UniqueIdentifier().IsString());
}

TEST(SqlTypeTest, MaxByteSize) {
  // Storage sizes from the data type reference pages.
  EXPECT_EQ(SqlType::Int().MaxByteSize(), 4);
  EXPECT_EQ(SqlType::BigInt().MaxByteSize(), 8);
  EXPECT_EQ(SqlType::NVarChar(10).MaxByteSize(), 20);
  EXPECT_EQ(SqlType::VarChar(SqlType::kMax).MaxByteSize(), -1);
  EXPECT_EQ(Dec(9, 2).MaxByteSize(), 5);
  EXPECT_EQ(Dec(10, 2).MaxByteSize(), 9);
  EXPECT_EQ(Dec(28, 2).MaxByteSize(), 13);
  EXPECT_EQ(Dec(38, 0).MaxByteSize(), 17);
  EXPECT_EQ(SqlType::Date().MaxByteSize(), 3);
  EXPECT_EQ(SqlType::Time(2).MaxByteSize(), 3);
  EXPECT_EQ(SqlType::Time(7).MaxByteSize(), 5);
  EXPECT_EQ(SqlType::DateTime2(3).MaxByteSize(), 7);
  EXPECT_EQ(SqlType::DateTimeOffset(7).MaxByteSize(), 10);
  EXPECT_EQ(SqlType::UniqueIdentifier().MaxByteSize(), 16);
}

TEST(SqlTypeTest, LookupTypeNameAndSynonyms) {
  struct Case {
    const char* name;
    SqlType type;
  } cases[] = {
      {"INT", SqlType::Int()},
      {"integer", SqlType::Int()},
      {"Double  Precision", SqlType::Float()},
      {"dec", Dec(18, 0)},
      {"numeric", SqlType::Numeric(18, 0)},
      {"character varying", SqlType::VarChar(1)},
      {"national character varying", SqlType::NVarChar(1)},
      {"national char", SqlType::NChar(1)},
      {"binary varying", SqlType::VarBinary(1)},
      {"sysname", SqlType::NVarChar(128)},
      {"datetime2", SqlType::DateTime2(7)},
      {"datetimeoffset", SqlType::DateTimeOffset(7)},
      {"time", SqlType::Time(7)},
      {"smalldatetime", SqlType::SmallDateTime()},
      {"UNIQUEIDENTIFIER", SqlType::UniqueIdentifier()},
  };
  for (const Case& c : cases) {
    std::optional<SqlType> t = LookupTypeName(c.name);
    ASSERT_TRUE(t.has_value()) << c.name;
    EXPECT_EQ(*t, c.type) << c.name;
  }
  EXPECT_FALSE(LookupTypeName("text").has_value());
  EXPECT_FALSE(LookupTypeName("varchar2").has_value());
}

TEST(SqlTypeTest, ApplyFacets) {
  SqlType t = SqlType::VarChar();
  int32_t f[2] = {8000, 0};
  EXPECT_TRUE(ApplyFacets(&t, f, 1, false));
  EXPECT_EQ(t.length, 8000);
  f[0] = 8001;
  EXPECT_FALSE(ApplyFacets(&t, f, 1, false));  // "Length or precision specification ... invalid"
  EXPECT_EQ(t.length, 8000);                   // unchanged on failure
  t = SqlType::NVarChar();
  f[0] = 4001;
  EXPECT_FALSE(ApplyFacets(&t, f, 1, false));
  f[0] = 0;
  EXPECT_FALSE(ApplyFacets(&t, f, 1, false));
  EXPECT_TRUE(ApplyFacets(&t, nullptr, 0, true));
  EXPECT_TRUE(t.IsMax());
  t = SqlType::Char();
  EXPECT_FALSE(ApplyFacets(&t, nullptr, 0, true));  // char(max) does not exist

  t = SqlType::Decimal();
  int32_t ps[2] = {10, 2};
  EXPECT_TRUE(ApplyFacets(&t, ps, 2, false));
  EXPECT_EQ(t, Dec(10, 2));
  ps[0] = 5;
  ps[1] = 6;
  EXPECT_FALSE(ApplyFacets(&t, ps, 2, false));  // scale above precision
  ps[0] = 39;
  EXPECT_FALSE(ApplyFacets(&t, ps, 1, false));
  ps[0] = 7;
  EXPECT_TRUE(ApplyFacets(&t, ps, 1, false));
  EXPECT_EQ(t, Dec(7, 0));

  // float(n): 1-24 is real, 25-53 float.
  t = SqlType::Float();
  f[0] = 24;
  EXPECT_TRUE(ApplyFacets(&t, f, 1, false));
  EXPECT_EQ(t.id, TypeId::kReal);
  t = SqlType::Float();
  f[0] = 25;
  EXPECT_TRUE(ApplyFacets(&t, f, 1, false));
  EXPECT_EQ(t.id, TypeId::kFloat);
  f[0] = 54;
  EXPECT_FALSE(ApplyFacets(&t, f, 1, false));

  t = SqlType::DateTime2();
  f[0] = 3;
  EXPECT_TRUE(ApplyFacets(&t, f, 1, false));
  EXPECT_EQ(t.scale, 3);
  f[0] = 8;
  EXPECT_FALSE(ApplyFacets(&t, f, 1, false));
  t = SqlType::Int();
  f[0] = 4;
  EXPECT_FALSE(ApplyFacets(&t, f, 1, false));  // int takes no facets
}

TEST(SqlTypeTest, PrecedenceFollowsTheDocumentedList) {
  // "Data type precedence": datetimeoffset > datetime2 > datetime > smalldatetime > date > time
  // > float > real > decimal > money > smallmoney > bigint > int > smallint > tinyint > bit >
  // uniqueidentifier > nvarchar > nchar > varchar > char > varbinary > binary.
  TypeId order[] = {TypeId::kBinary,
                    TypeId::kVarBinary,
                    TypeId::kChar,
                    TypeId::kVarChar,
                    TypeId::kNChar,
                    TypeId::kNVarChar,
                    TypeId::kUniqueIdentifier,
                    TypeId::kBit,
                    TypeId::kTinyInt,
                    TypeId::kSmallInt,
                    TypeId::kInt,
                    TypeId::kBigInt,
                    TypeId::kSmallMoney,
                    TypeId::kMoney,
                    TypeId::kDecimal,
                    TypeId::kReal,
                    TypeId::kFloat,
                    TypeId::kTime,
                    TypeId::kDate,
                    TypeId::kSmallDateTime,
                    TypeId::kDateTime,
                    TypeId::kDateTime2,
                    TypeId::kDateTimeOffset};
  for (size_t i = 1; i < std::size(order); ++i) {
    EXPECT_LT(TypePrecedence(order[i - 1]), TypePrecedence(order[i])) << i;
  }
  EXPECT_EQ(TypePrecedence(TypeId::kDecimal), TypePrecedence(TypeId::kNumeric));
}

TEST(SqlTypeTest, ConversionChart) {
  struct Case {
    SqlType from;
    SqlType to;
    bool implicit;
    bool explicit_;
  } cases[] = {
      {SqlType::VarChar(5), SqlType::Int(), true, true},
      {SqlType::NVarChar(5), SqlType::DateTime2(), true, true},
      {SqlType::VarChar(5), SqlType::VarBinary(5), false, true},  // string -> binary: explicit
      {SqlType::VarBinary(5), SqlType::VarChar(5), true, true},
      {SqlType::VarBinary(4), SqlType::Int(), true, true},
      {SqlType::VarBinary(8), SqlType::Float(), false, false},
      {SqlType::DateTime(), SqlType::Int(), false, true},  // datetime -> numbers: explicit
      {SqlType::Int(), SqlType::DateTime(), true, true},
      {Dec(5, 2), SqlType::SmallDateTime(), true, true},
      {SqlType::Int(), SqlType::Date(), false, false},  // "int to date is not allowed"
      {SqlType::Date(), SqlType::Int(), false, false},
      {SqlType::Date(), SqlType::Time(), false, false},  // "Operand type clash"
      {SqlType::Time(), SqlType::Date(), false, false},
      {SqlType::Date(), SqlType::DateTime(), true, true},
      {SqlType::DateTimeOffset(), SqlType::DateTime2(), true, true},
      {SqlType::UniqueIdentifier(), SqlType::NVarChar(36), true, true},
      {SqlType::UniqueIdentifier(), SqlType::Int(), false, false},
      {SqlType::Int(), SqlType::UniqueIdentifier(), false, false},
      {SqlType::Binary(16), SqlType::UniqueIdentifier(), true, true},
      {SqlType::Float(), Dec(10, 2), true, true},
      {SqlType::Bit(), SqlType::Money(), true, true},
      {SqlType::Null(), SqlType::Date(), true, true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsImplicitlyConvertible(c.from, c.to), c.implicit)
        << c.from.ToString() << " -> " << c.to.ToString();
    EXPECT_EQ(IsExplicitlyConvertible(c.from, c.to), c.explicit_)
        << c.from.ToString() << " -> " << c.to.ToString();
  }
}

TEST(SqlTypeTest, DecimalArithmeticResultTypes) {
  struct Case {
    char op;
    SqlType a;
    SqlType b;
    SqlType result;
  } cases[] = {
      // "Precision, scale, and length (Transact-SQL)".
      {'+', Dec(5, 2), Dec(10, 0), Dec(13, 2)},  // max(s)+max(p-s)+1
      {'-', Dec(10, 2), Dec(10, 2), Dec(11, 2)},
      {'*', Dec(10, 2), Dec(10, 2), Dec(21, 4)},   // p1+p2+1, s1+s2
      {'/', Dec(10, 2), Dec(10, 2), Dec(23, 13)},  // 10/3 example: decimal(23,13)
      {'%', Dec(10, 2), Dec(5, 1), Dec(6, 2)},     // min(p1-s1,p2-s2)+max(s1,s2)
      // Documented examples: decimal(30,20) * decimal(30,20) -> decimal(38,17); (30,10) ->
      // decimal(38,6).
      {'*', Dec(30, 20), Dec(30, 20), Dec(38, 17)},
      {'*', Dec(30, 10), Dec(30, 10), Dec(38, 6)},
      // Division: minimum scale 6.
      {'/', Dec(38, 0), Dec(38, 0), Dec(38, 6)},
      // p 39, s 21: the integral part (18) is below 32, so s = min(21, 38 - 18).
      {'/', Dec(18, 2), Dec(18, 2), Dec(38, 20)},
      // Addition over 38: the integral digits stay, the scale gives way.
      {'+', Dec(38, 10), Dec(38, 0), Dec(38, 0)},
      {'+', Dec(38, 30), Dec(10, 5), Dec(38, 30)},
      // Multiplication with a large integral part and small scale keeps the scale.
      {'*', Dec(38, 2), Dec(10, 2), Dec(38, 4)},
      // Non-decimal operands take their types' precision: int is decimal(10,0).
      {'+', Dec(5, 2), SqlType::Int(), Dec(13, 2)},
      {'*', SqlType::Money(), Dec(5, 2), Dec(25, 6)},
      {'/', SqlType::TinyInt(), Dec(4, 1), Dec(10, 6)},
  };
  for (const Case& c : cases) {
    std::optional<SqlType> r = ArithmeticResultType(c.op, c.a, c.b);
    ASSERT_TRUE(r.has_value()) << c.a.ToString() << c.op << c.b.ToString();
    EXPECT_EQ(r->ToString(), c.result.ToString()) << c.a.ToString() << c.op << c.b.ToString();
  }
}

TEST(SqlTypeTest, NonDecimalArithmeticResultTypes) {
  // The operand of higher precedence decides; the fixed types keep their facets.
  EXPECT_EQ(ArithmeticResultType('+', SqlType::Int(), SqlType::SmallInt()), SqlType::Int());
  EXPECT_EQ(ArithmeticResultType('/', SqlType::Int(), SqlType::Int()), SqlType::Int());
  EXPECT_EQ(ArithmeticResultType('+', SqlType::TinyInt(), SqlType::TinyInt()), SqlType::TinyInt());
  EXPECT_EQ(ArithmeticResultType('*', SqlType::Int(), SqlType::Money()), SqlType::Money());
  EXPECT_EQ(ArithmeticResultType('+', SqlType::Float(), Dec(10, 2)), SqlType::Float());
  EXPECT_EQ(ArithmeticResultType('-', SqlType::Real(), SqlType::BigInt()), SqlType::Real());
  EXPECT_EQ(ArithmeticResultType('+', SqlType::Bit(), SqlType::Int()), SqlType::Int());
  EXPECT_EQ(ArithmeticResultType('+', SqlType::Null(), SqlType::Null()), SqlType::Int());
  // "+ (Addition)": any numeric type except bit.
  EXPECT_FALSE(ArithmeticResultType('+', SqlType::Bit(), SqlType::Bit()).has_value());
  // "% (Modulus)": integer, monetary and numeric types only.
  EXPECT_FALSE(ArithmeticResultType('%', SqlType::Float(), SqlType::Int()).has_value());
  EXPECT_TRUE(ArithmeticResultType('%', SqlType::Money(), SqlType::Int()).has_value());
  EXPECT_FALSE(ArithmeticResultType('+', SqlType::VarChar(3), SqlType::Int()).has_value());
  EXPECT_FALSE(ArithmeticResultType('^', SqlType::Int(), SqlType::Int()).has_value());
}

TEST(SqlTypeTest, CommonType) {
  EXPECT_EQ(CommonType(Dec(5, 2), Dec(10, 0)), Dec(12, 2));
  EXPECT_EQ(CommonType(Dec(5, 2), SqlType::Int()), Dec(12, 2));
  EXPECT_EQ(CommonType(Dec(38, 10), Dec(38, 0)), Dec(38, 0));
  EXPECT_EQ(CommonType(SqlType::VarChar(3), SqlType::VarChar(10)), SqlType::VarChar(10));
  EXPECT_EQ(CommonType(SqlType::VarChar(20), SqlType::NVarChar(10)), SqlType::NVarChar(20));
  EXPECT_EQ(CommonType(SqlType::Char(5), SqlType::VarChar(SqlType::kMax)),
            SqlType::VarChar(SqlType::kMax));
  EXPECT_EQ(CommonType(SqlType::Int(), SqlType::VarChar(10)), SqlType::Int());
  EXPECT_EQ(CommonType(SqlType::Null(), SqlType::Date()), SqlType::Date());
  EXPECT_EQ(CommonType(SqlType::DateTime2(0), SqlType::DateTime()), SqlType::DateTime2(3));
  EXPECT_EQ(CommonType(SqlType::Time(2), SqlType::Time(5)), SqlType::Time(5));
  EXPECT_EQ(CommonType(SqlType::Float(), Dec(10, 2)), SqlType::Float());
  EXPECT_EQ(CommonType(SqlType::DateTimeOffset(3), SqlType::DateTime2(7)),
            SqlType::DateTimeOffset(7));
}

}  // namespace
}  // namespace edgesql
