#include "types/sql_type.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>

namespace edgesql {
namespace {

// Precision of the exact numeric types when they take part in decimal arithmetic ("Precision,
// scale, and length": the precision and scale of a non-decimal operand are those of its type;
// int has precision 10, bigint 19, smallint 5, tinyint 3, money 19 with scale 4).
struct PrecisionScale {
  int p;
  int s;
};

PrecisionScale DecimalFacets(const SqlType& t) {
  switch (t.id) {
    case TypeId::kNull:
    case TypeId::kInt:
      return {10, 0};
    case TypeId::kBit:
      return {1, 0};
    case TypeId::kTinyInt:
      return {3, 0};
    case TypeId::kSmallInt:
      return {5, 0};
    case TypeId::kBigInt:
      return {19, 0};
    case TypeId::kMoney:
      return {19, 4};
    case TypeId::kSmallMoney:
      return {10, 4};
    default:
      return {t.precision, t.scale};
  }
}

// Fractional-second digits a date/time type carries, for widening in CommonType.
int FractionDigits(const SqlType& t) {
  switch (t.id) {
    case TypeId::kDateTime:
      return 3;
    case TypeId::kTime:
    case TypeId::kDateTime2:
    case TypeId::kDateTimeOffset:
      return t.scale;
    default:
      return 0;
  }
}

std::string Lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    // "double  precision" and "char varying" may be written with any whitespace between words.
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// Conversion families for the "Data type conversion" chart.
enum class Family { kNull, kBinary, kString, kDateTime, kDate, kTime, kDateTime2, kNumber, kGuid };

Family FamilyOf(TypeId id) {
  switch (id) {
    case TypeId::kNull:
      return Family::kNull;
    case TypeId::kBinary:
    case TypeId::kVarBinary:
      return Family::kBinary;
    case TypeId::kChar:
    case TypeId::kVarChar:
    case TypeId::kNChar:
    case TypeId::kNVarChar:
      return Family::kString;
    case TypeId::kDateTime:
    case TypeId::kSmallDateTime:
      return Family::kDateTime;
    case TypeId::kDate:
      return Family::kDate;
    case TypeId::kTime:
      return Family::kTime;
    case TypeId::kDateTime2:
    case TypeId::kDateTimeOffset:
      return Family::kDateTime2;
    case TypeId::kUniqueIdentifier:
      return Family::kGuid;
    default:
      return Family::kNumber;
  }
}

// 'I' implicit, 'E' explicit only, 'X' not allowed. Rows are the source family, columns the
// target, both in Family order (null, binary, string, datetime, date, time, datetime2, number,
// guid). Transcribed from SQL Server's conversion chart (CAST and CONVERT, "Implicit
// conversions"): strings convert implicitly to everything but binary; datetime/smalldatetime
// convert to numbers only explicitly; date, time, datetime2 and datetimeoffset never convert to
// numbers; date and time do not convert to each other; uniqueidentifier converts only to strings
// and binary. SQL Server also converts between binary and date, time, datetime2 and
// datetimeoffset through its undocumented internal formats; edgesql does not offer those pairs.
constexpr char kChart[9][10] = {
    // n b s D d t 2 # g
    "IIIIIIIII",  // null
    "XIIIXXXII",  // binary (float/real excluded below)
    "XEIIIIIII",  // string
    "XIIIIIIEX",  // datetime, smalldatetime
    "XXIIIXIXX",  // date
    "XXIIXIIXX",  // time
    "XXIIIIIXX",  // datetime2, datetimeoffset
    "XIIIXXXIX",  // numbers
    "XIIXXXXXI",  // uniqueidentifier
};

char ChartCell(const SqlType& from, const SqlType& to) {
  if (to.id == TypeId::kNull) return 'X';
  char c = kChart[static_cast<int>(FamilyOf(from.id))][static_cast<int>(FamilyOf(to.id))];
  // binary -> float/real is not allowed (the chart's one exception in the numeric columns).
  if (FamilyOf(from.id) == Family::kBinary && to.IsApproxNumeric()) return 'X';
  return c;
}

}  // namespace

bool SqlType::IsInteger() const {
  switch (id) {
    case TypeId::kBit:
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt:
      return true;
    default:
      return false;
  }
}

bool SqlType::IsDecimalLike() const {
  return id == TypeId::kDecimal || id == TypeId::kNumeric || id == TypeId::kMoney ||
         id == TypeId::kSmallMoney;
}

bool SqlType::IsExactNumeric() const { return IsInteger() || IsDecimalLike(); }

bool SqlType::IsApproxNumeric() const { return id == TypeId::kReal || id == TypeId::kFloat; }

bool SqlType::IsString() const {
  return id == TypeId::kChar || id == TypeId::kVarChar || id == TypeId::kNChar ||
         id == TypeId::kNVarChar;
}

bool SqlType::IsUnicode() const { return id == TypeId::kNChar || id == TypeId::kNVarChar; }

bool SqlType::IsBinary() const { return id == TypeId::kBinary || id == TypeId::kVarBinary; }

bool SqlType::IsFixedLength() const {
  return id == TypeId::kChar || id == TypeId::kNChar || id == TypeId::kBinary;
}

bool SqlType::IsDateTime() const {
  switch (id) {
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kDateTime:
    case TypeId::kSmallDateTime:
    case TypeId::kDateTime2:
    case TypeId::kDateTimeOffset:
      return true;
    default:
      return false;
  }
}

std::string_view SqlType::Name() const {
  switch (id) {
    case TypeId::kNull:
      return "int";  // SQL Server types an untyped NULL as int
    case TypeId::kBit:
      return "bit";
    case TypeId::kTinyInt:
      return "tinyint";
    case TypeId::kSmallInt:
      return "smallint";
    case TypeId::kInt:
      return "int";
    case TypeId::kBigInt:
      return "bigint";
    case TypeId::kReal:
      return "real";
    case TypeId::kFloat:
      return "float";
    case TypeId::kDecimal:
      return "decimal";
    case TypeId::kNumeric:
      return "numeric";
    case TypeId::kMoney:
      return "money";
    case TypeId::kSmallMoney:
      return "smallmoney";
    case TypeId::kChar:
      return "char";
    case TypeId::kVarChar:
      return "varchar";
    case TypeId::kNChar:
      return "nchar";
    case TypeId::kNVarChar:
      return "nvarchar";
    case TypeId::kBinary:
      return "binary";
    case TypeId::kVarBinary:
      return "varbinary";
    case TypeId::kDate:
      return "date";
    case TypeId::kTime:
      return "time";
    case TypeId::kDateTime:
      return "datetime";
    case TypeId::kSmallDateTime:
      return "smalldatetime";
    case TypeId::kDateTime2:
      return "datetime2";
    case TypeId::kDateTimeOffset:
      return "datetimeoffset";
    case TypeId::kUniqueIdentifier:
      return "uniqueidentifier";
  }
  return "int";
}

std::string SqlType::ToString() const {
  std::string out(Name());
  if (IsString() || IsBinary()) {
    out += IsMax() ? "(max)" : "(" + std::to_string(length) + ")";
  } else if (id == TypeId::kDecimal || id == TypeId::kNumeric) {
    out += "(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
  } else if (id == TypeId::kTime || id == TypeId::kDateTime2 || id == TypeId::kDateTimeOffset) {
    out += "(" + std::to_string(scale) + ")";
  }
  return out;
}

int32_t SqlType::MaxByteSize() const {
  switch (id) {
    case TypeId::kNull:
    case TypeId::kInt:
    case TypeId::kReal:
    case TypeId::kSmallMoney:
    case TypeId::kSmallDateTime:
      return 4;
    case TypeId::kBit:
    case TypeId::kTinyInt:
      return 1;
    case TypeId::kSmallInt:
      return 2;
    case TypeId::kBigInt:
    case TypeId::kFloat:
    case TypeId::kMoney:
    case TypeId::kDateTime:
      return 8;
    case TypeId::kDecimal:
    case TypeId::kNumeric:
      // "decimal and numeric": storage bytes 5, 9, 13, 17 for precision 1-9, 10-19, 20-28, 29-38.
      return precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
    case TypeId::kChar:
    case TypeId::kVarChar:
    case TypeId::kBinary:
    case TypeId::kVarBinary:
      return IsMax() ? -1 : length;
    case TypeId::kNChar:
    case TypeId::kNVarChar:
      return IsMax() ? -1 : 2 * length;
    case TypeId::kDate:
      return 3;
    case TypeId::kTime:
      // "time": 3 bytes for scale 0-2, 4 for 3-4, 5 for 5-7.
      return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
    case TypeId::kDateTime2:
      return scale <= 2 ? 6 : scale <= 4 ? 7 : 8;
    case TypeId::kDateTimeOffset:
      return scale <= 2 ? 8 : scale <= 4 ? 9 : 10;
    case TypeId::kUniqueIdentifier:
      return 16;
  }
  return 4;
}

std::optional<SqlType> LookupTypeName(std::string_view name) {
  // Names and synonyms from "Data types (Transact-SQL)" and "Data type synonyms".
  std::string n = Lower(name);
  if (n == "bit") return SqlType::Bit();
  if (n == "tinyint") return SqlType::TinyInt();
  if (n == "smallint") return SqlType::SmallInt();
  if (n == "int" || n == "integer") return SqlType::Int();
  if (n == "bigint") return SqlType::BigInt();
  if (n == "real") return SqlType::Real();
  if (n == "float" || n == "double precision") return SqlType::Float();
  if (n == "decimal" || n == "dec") return SqlType::Decimal(18, 0);
  if (n == "numeric") return SqlType::Numeric(18, 0);
  if (n == "money") return SqlType::Money();
  if (n == "smallmoney") return SqlType::SmallMoney();
  if (n == "char" || n == "character") return SqlType::Char(1);
  if (n == "varchar" || n == "char varying" || n == "character varying") return SqlType::VarChar(1);
  if (n == "nchar" || n == "national char" || n == "national character") return SqlType::NChar(1);
  if (n == "nvarchar" || n == "national char varying" || n == "national character varying") {
    return SqlType::NVarChar(1);
  }
  if (n == "sysname") return SqlType::NVarChar(128);
  if (n == "binary") return SqlType::Binary(1);
  if (n == "varbinary" || n == "binary varying") return SqlType::VarBinary(1);
  if (n == "date") return SqlType::Date();
  if (n == "time") return SqlType::Time(7);
  if (n == "datetime") return SqlType::DateTime();
  if (n == "smalldatetime") return SqlType::SmallDateTime();
  if (n == "datetime2") return SqlType::DateTime2(7);
  if (n == "datetimeoffset") return SqlType::DateTimeOffset(7);
  if (n == "uniqueidentifier") return SqlType::UniqueIdentifier();
  return std::nullopt;
}

bool ApplyFacets(SqlType* type, const int32_t* facets, int facet_count, bool is_max) {
  SqlType t = *type;
  if (is_max) {
    // (max) exists for varchar, nvarchar and varbinary only.
    if (facet_count != 0) return false;
    if (t.id != TypeId::kVarChar && t.id != TypeId::kNVarChar && t.id != TypeId::kVarBinary) {
      return false;
    }
    t.length = SqlType::kMax;
    *type = t;
    return true;
  }
  if (facet_count == 0) return true;
  if (facet_count < 0 || facet_count > 2) return false;
  if (t.IsString() || t.IsBinary()) {
    if (facet_count != 1) return false;
    int32_t limit = t.IsUnicode() ? 4000 : 8000;
    if (facets[0] < 1 || facets[0] > limit) return false;
    t.length = facets[0];
  } else if (t.id == TypeId::kDecimal || t.id == TypeId::kNumeric) {
    int32_t p = facets[0];
    int32_t s = facet_count == 2 ? facets[1] : 0;
    if (p < 1 || p > 38 || s < 0 || s > p) return false;
    t.precision = static_cast<uint8_t>(p);
    t.scale = static_cast<uint8_t>(s);
  } else if (t.id == TypeId::kFloat) {
    // float(n): n 1-24 is real (7 digits), 25-53 is float (15 digits).
    if (facet_count != 1 || facets[0] < 1 || facets[0] > 53) return false;
    t = facets[0] <= 24 ? SqlType::Real() : SqlType::Float();
  } else if (t.id == TypeId::kTime || t.id == TypeId::kDateTime2 ||
             t.id == TypeId::kDateTimeOffset) {
    if (facet_count != 1 || facets[0] < 0 || facets[0] > 7) return false;
    t.scale = static_cast<uint8_t>(facets[0]);
  } else {
    return false;
  }
  *type = t;
  return true;
}

int TypePrecedence(TypeId id) {
  // "Data type precedence (Transact-SQL)", lowest (binary) to highest (datetimeoffset) among the
  // types edgesql supports. decimal and numeric share one level.
  switch (id) {
    case TypeId::kNull:
      return 0;
    case TypeId::kBinary:
      return 1;
    case TypeId::kVarBinary:
      return 2;
    case TypeId::kChar:
      return 3;
    case TypeId::kVarChar:
      return 4;
    case TypeId::kNChar:
      return 5;
    case TypeId::kNVarChar:
      return 6;
    case TypeId::kUniqueIdentifier:
      return 7;
    case TypeId::kBit:
      return 8;
    case TypeId::kTinyInt:
      return 9;
    case TypeId::kSmallInt:
      return 10;
    case TypeId::kInt:
      return 11;
    case TypeId::kBigInt:
      return 12;
    case TypeId::kSmallMoney:
      return 13;
    case TypeId::kMoney:
      return 14;
    case TypeId::kDecimal:
    case TypeId::kNumeric:
      return 15;
    case TypeId::kReal:
      return 16;
    case TypeId::kFloat:
      return 17;
    case TypeId::kTime:
      return 18;
    case TypeId::kDate:
      return 19;
    case TypeId::kSmallDateTime:
      return 20;
    case TypeId::kDateTime:
      return 21;
    case TypeId::kDateTime2:
      return 22;
    case TypeId::kDateTimeOffset:
      return 23;
  }
  return 0;
}

bool IsImplicitlyConvertible(const SqlType& from, const SqlType& to) {
  if (from.id == to.id) return true;
  return ChartCell(from, to) == 'I';
}

bool IsExplicitlyConvertible(const SqlType& from, const SqlType& to) {
  if (from.id == to.id) return true;
  return ChartCell(from, to) != 'X';
}

std::optional<SqlType> ArithmeticResultType(char op, const SqlType& a0, const SqlType& b0) {
  if (op != '+' && op != '-' && op != '*' && op != '/' && op != '%') return std::nullopt;
  // An untyped NULL takes part as int.
  SqlType a = a0.IsNull() ? SqlType::Int() : a0;
  SqlType b = b0.IsNull() ? SqlType::Int() : b0;
  if (!a.IsNumeric() || !b.IsNumeric()) return std::nullopt;
  // "+ (Addition)" and the other arithmetic operators take any numeric type except bit; an
  // operation on two bits has no numeric operand to promote to.
  if (a.id == TypeId::kBit && b.id == TypeId::kBit) return std::nullopt;
  // "% (Modulus)": integer and monetary categories and numeric only.
  if (op == '%' && (a.IsApproxNumeric() || b.IsApproxNumeric())) return std::nullopt;

  const SqlType& hi = TypePrecedence(a.id) >= TypePrecedence(b.id) ? a : b;
  if (hi.id != TypeId::kDecimal && hi.id != TypeId::kNumeric) {
    // Fixed-facet types: the result is the higher-precedence type.
    SqlType r = hi;
    if (r.id == TypeId::kBit) r = SqlType::Int();
    return r;
  }

  // "Precision, scale, and length (Transact-SQL)": result precision and scale of decimal
  // operations, then the reduction when the precision exceeds 38.
  auto [p1, s1] = DecimalFacets(a);
  auto [p2, s2] = DecimalFacets(b);
  int p = 0;
  int s = 0;
  switch (op) {
    case '+':
    case '-':
      s = std::max(s1, s2);
      p = s + std::max(p1 - s1, p2 - s2) + 1;
      break;
    case '*':
      p = p1 + p2 + 1;
      s = s1 + s2;
      break;
    case '/':
      s = std::max(6, s1 + p2 + 1);
      p = p1 - s1 + s2 + s;
      break;
    case '%':
      s = std::max(s1, s2);
      p = std::min(p1 - s1, p2 - s2) + s;
      break;
  }
  if (p > 38) {
    if (op == '+' || op == '-') {
      // Addition/subtraction keep max(p1-s1, p2-s2) integral digits; the scale gives way:
      // scale = min(precision, 38) - max(p1 - s1, p2 - s2).
      int integral = std::max(p1 - s1, p2 - s2);
      s = std::max(0, std::min(s, 38 - integral));
    } else if (op == '*' || op == '/') {
      int integral = p - s;
      if (integral < 32) {
        // Rule 1: scale reduced to min(scale, 38 - (precision - scale)).
        s = std::min(s, 38 - integral);
      } else if (s > 6) {
        // Rule 3: integral part of 32 or more and scale above 6: decimal(38,6).
        s = 6;
      }
      // Rule 2: scale below 6 with a large integral part is kept (overflow is checked at run time).
    } else {
      s = std::min(s, 38);
    }
    p = 38;
  }
  if (p < 1) p = 1;
  s = std::clamp(s, 0, p);
  return SqlType::Decimal(p, s);
}

SqlType CommonType(const SqlType& a, const SqlType& b) {
  if (a.IsNull()) return b;
  if (b.IsNull()) return a;
  const SqlType& hi = TypePrecedence(a.id) >= TypePrecedence(b.id) ? a : b;
  SqlType r = hi;
  if (hi.id == TypeId::kDecimal || hi.id == TypeId::kNumeric) {
    if (!a.IsExactNumeric() || !b.IsExactNumeric()) return r;
    // UNION rule: precision max(s1, s2) + max(p1-s1, p2-s2), scale max(s1, s2), capped at 38
    // by giving up scale first.
    auto [p1, s1] = DecimalFacets(a);
    auto [p2, s2] = DecimalFacets(b);
    int integral = std::max(p1 - s1, p2 - s2);
    int s = std::max(s1, s2);
    if (integral + s > 38) s = std::max(0, 38 - integral);
    int p = std::min(38, integral + s);
    r.precision = static_cast<uint8_t>(std::max(p, 1));
    r.scale = static_cast<uint8_t>(s);
    return r;
  }
  if (hi.IsString() || hi.IsBinary()) {
    // Same family: the longer length (UNION, EXCEPT, INTERSECT: "the maximum length of the two
    // expressions"); a length counts characters for both varchar and nvarchar.
    const SqlType& lo = &hi == &a ? b : a;
    bool same_family = (hi.IsString() && lo.IsString()) || (hi.IsBinary() && lo.IsBinary());
    if (same_family) {
      if (hi.IsMax() || lo.IsMax()) {
        // (max) wins; a fixed type promoted to (max) becomes its variable counterpart.
        r.length = SqlType::kMax;
        if (r.id == TypeId::kChar) r.id = TypeId::kVarChar;
        if (r.id == TypeId::kNChar) r.id = TypeId::kNVarChar;
        if (r.id == TypeId::kBinary) r.id = TypeId::kVarBinary;
      } else {
        r.length = std::max(hi.length, lo.length);
        int32_t limit = r.IsUnicode() ? 4000 : 8000;
        if (r.length > limit) r.length = limit;
      }
    }
    return r;
  }
  if (hi.id == TypeId::kTime || hi.id == TypeId::kDateTime2 || hi.id == TypeId::kDateTimeOffset) {
    r.scale = static_cast<uint8_t>(std::max(FractionDigits(a), FractionDigits(b)));
    return r;
  }
  return r;
}

IntegerRange IntegerRangeOf(TypeId id) {
  switch (id) {
    case TypeId::kBit:
      return {0, 1};
    case TypeId::kTinyInt:
      return {0, 255};
    case TypeId::kSmallInt:
      return {std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max()};
    case TypeId::kInt:
      return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    default:
      return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
}

}  // namespace edgesql
