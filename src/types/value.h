// Value: one SQL Server value (or NULL) with its type, as it travels between layers: decoded RPC
// parameters, T-SQL variables, literals folded by the binder, rows read from storage.
//
// Representation per type (the payload alternative held):
//   NULL of any type                          std::monostate
//   bit, tinyint, smallint, int, bigint       int64_t
//   real, float                               double (real holds a float-rounded value)
//   decimal, numeric, money, smallmoney       Decimal (money: scale 4)
//   char, varchar, nchar, nvarchar            std::string, UTF-8 (varchar: CP1252 repertoire)
//   binary, varbinary                         std::string, raw bytes
//   date                                      int64_t days since 0001-01-01
//   time                                      int64_t 100 ns ticks since midnight
//   datetime, smalldatetime, datetime2        int64_t 100 ns ticks since 0001-01-01 00:00:00
//   datetimeoffset                            DateTimeOffset (UTC ticks + offset minutes)
//   uniqueidentifier                          Guid
// Fixed-length char/binary values hold their padding (SQL Server stores char(n) padded).
//
// Value is a regular value type; not thread-safe to mutate concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>

#include "types/decimal.h"
#include "types/sql_type.h"

namespace edgesql {

// 100-nanosecond ticks per unit, the resolution of datetime2/time/datetimeoffset.
inline constexpr int64_t kTicksPerSecond = 10'000'000;
inline constexpr int64_t kTicksPerDay = 86'400 * kTicksPerSecond;

struct DateTimeOffset {
  int64_t utc_ticks = 0;       // the instant, as ticks since 0001-01-01 UTC
  int16_t offset_minutes = 0;  // -840..840; local time = utc + offset
  bool operator==(const DateTimeOffset&) const = default;
};

// A uniqueidentifier as its 16 bytes in textual order: the string
// "6F9619FF-8B86-D011-B42D-00C04FC964FF" is bytes 6F 96 19 FF 8B 86 D0 11 B4 2D 00 C0 4F C9 64 FF.
// (The wire form swaps the first three groups to little-endian; storage reorders for SQL Server's
// comparison order. Those conversions live with their codecs.)
struct Guid {
  std::array<uint8_t, 16> bytes{};
  bool operator==(const Guid&) const = default;
};

class Value {
 public:
  using Payload =
      std::variant<std::monostate, int64_t, double, Decimal, std::string, DateTimeOffset, Guid>;

  Value() = default;  // untyped NULL
  static Value Null(SqlType type) { return Value(type, std::monostate{}); }
  static Value Int(SqlType type, int64_t v) { return Value(type, v); }
  static Value Float(SqlType type, double v) { return Value(type, v); }
  static Value Dec(SqlType type, Decimal v) { return Value(type, v); }
  static Value Str(SqlType type, std::string v) { return Value(type, std::move(v)); }
  static Value Dto(SqlType type, DateTimeOffset v) { return Value(type, v); }
  static Value Uuid(Guid v) { return Value(SqlType::UniqueIdentifier(), v); }

  // Common shorthands.
  static Value Integer(int64_t v) { return Value(SqlType::Int(), v); }
  static Value BigInteger(int64_t v) { return Value(SqlType::BigInt(), v); }
  static Value NVarChar(std::string utf8);  // typed nvarchar(len), len at least 1
  static Value VarChar(std::string text);   // typed varchar(len), len at least 1

  const SqlType& type() const { return type_; }
  void set_type(const SqlType& t) { type_ = t; }
  bool is_null() const { return std::holds_alternative<std::monostate>(payload_); }

  int64_t AsInt() const { return std::get<int64_t>(payload_); }
  double AsDouble() const { return std::get<double>(payload_); }
  const Decimal& AsDecimal() const { return std::get<Decimal>(payload_); }
  const std::string& AsString() const { return std::get<std::string>(payload_); }
  std::string& MutableString() { return std::get<std::string>(payload_); }
  const DateTimeOffset& AsDateTimeOffset() const { return std::get<DateTimeOffset>(payload_); }
  const Guid& AsGuid() const { return std::get<Guid>(payload_); }
  const Payload& payload() const { return payload_; }

  bool operator==(const Value&) const = default;

  // Debug rendering, e.g. "int 42", "nvarchar(5) 'héllo'", "NULL decimal(10,2)".
  std::string DebugString() const;

 private:
  Value(SqlType type, Payload payload) : type_(type), payload_(std::move(payload)) {}

  SqlType type_;
  Payload payload_;
};

}  // namespace edgesql
