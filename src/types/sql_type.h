// SqlType: a SQL Server data type with its facets (length, precision, scale).
//
// This is the type vocabulary shared by every layer: the T-SQL binder computes SqlTypes for
// expressions, the catalog stores them for columns, the TDS codec turns them into TYPE_INFO
// ([MS-TDS] 2.2.5.4-2.2.5.6), and storage/value_codec.h maps them to SQLite storage classes.
// Rules for names, sizes, precedence and result types follow SQL Server's documentation
// ("Data types (Transact-SQL)", "Data type precedence", "Precision, scale, and length").
//
// SqlType is a small value type; all functions here are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgesql {

enum class TypeId : uint8_t {
  kNull,  // the type of an untyped NULL literal; converts to anything (SQL Server types it int)
  kBit,
  kTinyInt,
  kSmallInt,
  kInt,
  kBigInt,
  kReal,   // float(24)
  kFloat,  // float(53)
  kDecimal,
  kNumeric,
  kMoney,
  kSmallMoney,
  kChar,
  kVarChar,
  kNChar,
  kNVarChar,
  kBinary,
  kVarBinary,
  kDate,
  kTime,
  kDateTime,
  kSmallDateTime,
  kDateTime2,
  kDateTimeOffset,
  kUniqueIdentifier,
};

struct SqlType {
  static constexpr int32_t kMax = -1;  // length of (max) types

  TypeId id = TypeId::kNull;
  // char/varchar/binary/varbinary: bytes; nchar/nvarchar: characters (UTF-16 code units);
  // kMax for (max). Unused (0) for other types.
  int32_t length = 0;
  uint8_t precision = 0;  // decimal/numeric: 1..38 (money 19, smallmoney 10 for arithmetic)
  // decimal/numeric: 0..precision; money/smallmoney: 4;
  // time/datetime2/datetimeoffset: fractional-second digits 0..7; datetime: 3; others 0.
  uint8_t scale = 0;

  // Factories with SQL Server's defaults and facets.
  static SqlType Null() { return {TypeId::kNull}; }
  static SqlType Bit() { return {TypeId::kBit}; }
  static SqlType TinyInt() { return {TypeId::kTinyInt}; }
  static SqlType SmallInt() { return {TypeId::kSmallInt}; }
  static SqlType Int() { return {TypeId::kInt}; }
  static SqlType BigInt() { return {TypeId::kBigInt}; }
  static SqlType Real() { return {TypeId::kReal}; }
  static SqlType Float() { return {TypeId::kFloat}; }
  static SqlType Decimal(int precision = 18, int scale = 0) {
    return {TypeId::kDecimal, 0, static_cast<uint8_t>(precision), static_cast<uint8_t>(scale)};
  }
  static SqlType Numeric(int precision = 18, int scale = 0) {
    return {TypeId::kNumeric, 0, static_cast<uint8_t>(precision), static_cast<uint8_t>(scale)};
  }
  static SqlType Money() { return {TypeId::kMoney, 0, 19, 4}; }
  static SqlType SmallMoney() { return {TypeId::kSmallMoney, 0, 10, 4}; }
  static SqlType Char(int32_t n = 1) { return {TypeId::kChar, n}; }
  static SqlType VarChar(int32_t n = 1) { return {TypeId::kVarChar, n}; }
  static SqlType NChar(int32_t n = 1) { return {TypeId::kNChar, n}; }
  static SqlType NVarChar(int32_t n = 1) { return {TypeId::kNVarChar, n}; }
  static SqlType Binary(int32_t n = 1) { return {TypeId::kBinary, n}; }
  static SqlType VarBinary(int32_t n = 1) { return {TypeId::kVarBinary, n}; }
  static SqlType Date() { return {TypeId::kDate}; }
  static SqlType Time(int scale = 7) { return {TypeId::kTime, 0, 0, static_cast<uint8_t>(scale)}; }
  static SqlType DateTime() { return {TypeId::kDateTime, 0, 0, 3}; }
  static SqlType SmallDateTime() { return {TypeId::kSmallDateTime}; }
  static SqlType DateTime2(int scale = 7) {
    return {TypeId::kDateTime2, 0, 0, static_cast<uint8_t>(scale)};
  }
  static SqlType DateTimeOffset(int scale = 7) {
    return {TypeId::kDateTimeOffset, 0, 0, static_cast<uint8_t>(scale)};
  }
  static SqlType UniqueIdentifier() { return {TypeId::kUniqueIdentifier}; }

  bool operator==(const SqlType&) const = default;

  bool IsNull() const { return id == TypeId::kNull; }
  bool IsMax() const { return length == kMax; }
  // Type families.
  bool IsInteger() const;        // bit, tinyint, smallint, int, bigint
  bool IsExactNumeric() const;   // integers, decimal, numeric, money, smallmoney
  bool IsDecimalLike() const;    // decimal, numeric, money, smallmoney
  bool IsApproxNumeric() const;  // real, float
  bool IsNumeric() const { return IsExactNumeric() || IsApproxNumeric(); }
  bool IsString() const;       // char, varchar, nchar, nvarchar
  bool IsUnicode() const;      // nchar, nvarchar
  bool IsBinary() const;       // binary, varbinary
  bool IsFixedLength() const;  // char, nchar, binary
  bool IsDateTime() const;     // date, time, datetime, smalldatetime, datetime2, datetimeoffset

  // SQL Server's spelling: "int", "decimal(10,2)", "nvarchar(max)", "datetime2(7)".
  std::string ToString() const;
  // Bare name as used in conversion error messages: "int", "nvarchar", "decimal".
  std::string_view Name() const;

  // The maximum byte size of a value on the wire/in SQL Server (e.g. int 4, nvarchar(10) 20,
  // decimal(38) 17); -1 for (max).
  int32_t MaxByteSize() const;
};

// Parses a type name as written in T-SQL ("int", "NVARCHAR", "double precision", "sysname")
// to a type id with default facets, or nullopt if SQL Server has no such type. Facets given in
// parentheses are applied separately by the binder with ApplyFacets.
std::optional<SqlType> LookupTypeName(std::string_view name);

// Applies "(n)", "(max)", "(p)", "(p,s)" facets as SQL Server does. Returns false (and leaves
// *type unchanged) when the facets are invalid for the type: length 0 or above 8000 (4000 for
// n-types), precision outside 1..38, scale above precision, fractional digits above 7.
// `facets` holds 0, 1 or 2 numbers; `is_max` is true for "(max)".
bool ApplyFacets(SqlType* type, const int32_t* facets, int facet_count, bool is_max);

// The values an integer type holds: bit 0..1, tinyint 0..255, smallint and int their two's
// complement ranges, bigint (and any non-integer type) the whole int64 range.
struct IntegerRange {
  int64_t min;
  int64_t max;
};
IntegerRange IntegerRangeOf(TypeId id);
inline bool FitsIntegerType(TypeId id, int64_t v) {
  IntegerRange r = IntegerRangeOf(id);
  return v >= r.min && v <= r.max;
}

// SQL Server's data type precedence: the type of higher precedence wins in implicit conversions
// (user-defined types > sql_variant > ... > datetimeoffset > datetime2 > datetime > ... > float >
// real > decimal > money > ... > nvarchar > ... > binary). Higher number = higher precedence.
int TypePrecedence(TypeId id);

// Whether SQL Server converts `from` to `to` implicitly (the implicit column of the
// "Data type conversion" chart), and whether CAST/CONVERT allows it explicitly.
bool IsImplicitlyConvertible(const SqlType& from, const SqlType& to);
bool IsExplicitlyConvertible(const SqlType& from, const SqlType& to);

// Result type of `a op b` for op in + - * / % on numeric operands, following "Precision, scale,
// and length (Transact-SQL)" (including the scale reduction when precision exceeds 38).
// An untyped NULL operand counts as int. Returns nullopt if the operator is invalid for the types:
// % takes only integer, monetary and decimal operands ("% (Modulus)"), and the arithmetic
// operators take no pair of bits ("+ (Addition)": any numeric type except bit; a bit with another
// number takes that number's type). Concatenation and date arithmetic are the binder's business.
std::optional<SqlType> ArithmeticResultType(char op, const SqlType& a, const SqlType& b);

// The type both operands are converted to for comparison, UNION, CASE, COALESCE: the higher
// precedence type, with facets widened to hold both (e.g. decimal(5,2) vs decimal(10,0) ->
// decimal(12,2); varchar(3) vs varchar(10) -> varchar(10)).
SqlType CommonType(const SqlType& a, const SqlType& b);

}  // namespace edgesql
