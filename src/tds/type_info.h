// TYPE_INFO ([MS-TDS] 2.2.5.6): how a column, parameter or return value declares its type on the
// wire, and the mapping between edgesql's SqlType and those declarations in both directions.
//
// Server -> client: WireTypeFor(type, version) is the one place that decides what a SqlType looks
// like to a client of a given TDS version. SQL Server's "downlevel" rules live here:
//   - before TDS 7.3, date / time / datetime2 / datetimeoffset travel as nvarchar of their string
//     form: date as nvarchar(10), time(s) as nvarchar(8 or 9+s), datetime2(s) as nvarchar(19 or
//     20+s), datetimeoffset(s) as nvarchar(26 or 27+s);
//   - before TDS 7.2, varchar(max) / nvarchar(max) / varbinary(max) travel as text / ntext / image.
// Every type goes out in its nullable ("N") form, as SQL Server sends result columns.
//
// Client -> server: ReadTypeInfo parses a parameter's TYPE_INFO and SqlTypeOf gives the edgesql
// type it declares (nvarchar(4000) for NVARCHAR with max length 8000, varchar(max) for TEXT, ...).
// Types edgesql does not take (sql_variant, xml, UDT, TVP, the legacy short char/binary and
// decimal types) are WireError::kUnknownType; impossible lengths, precisions and scales are
// kInvalidLength. The RPC decoder turns these into SQL Server's errors 8009 and 8016.
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "common/bytes.h"
#include "common/status.h"
#include "tds/protocol.h"
#include "types/sql_type.h"

namespace edgesql::tds {

// Why a TYPE_INFO or a value could not be decoded. Mapped to SQL Server errors by the caller,
// which knows the parameter ordinal and name the messages need.
enum class WireError : uint8_t {
  kNone,
  kTruncated,      // the message ends inside the value: 4002
  kUnknownType,    // 8009
  kInvalidLength,  // 8016
  kInvalidValue,   // 8023: e.g. a decimal above its precision, a date outside 0001..9999
  kTooLarge,       // 8019: above the configured limit
};

// How the value length of a type is prefixed ([MS-TDS] 2.2.5.2).
enum class LengthKind : uint8_t {
  kFixed,      // fixed-length types and NULLTYPE: no prefix
  kByteLen,    // INTN, DECIMALN, DATEN, ...: 1 byte, 0 = NULL
  kUShortLen,  // BIGVARCHAR, NVARCHAR, BIGBINARY, ...: 2 bytes, 0xFFFF = NULL
  kLongLen,    // TEXT, NTEXT, IMAGE: 4 bytes (rows: a text pointer first)
  kPlp,        // (max) types from TDS 7.2: partially length-prefixed
};

struct TypeInfo {
  uint8_t type = kTypeNull;
  // The declared maximum length in bytes: 1/2/4/8 for INTN, 4/8 for FLTN, the decimal storage
  // size, 0..8000 or kPlpMaxLength for the USHORTLEN types, the LONGLEN maximum for TEXT etc.
  // Unused for fixed-length types, DATEN and the scaled time types.
  uint32_t max_length = 0;
  uint8_t precision = 0;               // DECIMALN / NUMERICN
  uint8_t scale = 0;                   // DECIMALN / NUMERICN, TIMEN, DATETIME2N, DATETIMEOFFSETN
  std::array<uint8_t, 5> collation{};  // char/varchar/nchar/nvarchar/text/ntext

  bool operator==(const TypeInfo&) const = default;

  LengthKind length_kind() const;
  bool IsPlp() const { return length_kind() == LengthKind::kPlp; }
  bool HasCollation() const;
  // TEXT, NTEXT, IMAGE: COLMETADATA adds a table name and rows add a text pointer.
  bool IsLegacyLob() const { return type == kTypeText || type == kTypeNText || type == kTypeImage; }
  // Collation says the bytes of char/varchar values are UTF-8 (a _UTF8 collation).
  bool IsUtf8Collation() const { return (collation[3] & kCollationUtf8Flag) != 0; }
};

// The server's TYPE_INFO for a result column / return value of `type` sent to `version`.
TypeInfo WireTypeFor(const SqlType& type, TdsVersion version);

// Bytes a value of time(scale) takes in TIMEN / DATETIME2N / DATETIMEOFFSETN (3, 4 or 5).
int TimeByteLength(int scale);
// Storage size of decimal(precision): 5, 9, 13 or 17 bytes (sign byte included).
int DecimalByteLength(int precision);
// Characters of the nvarchar a downlevel client receives for a date/time type.
int DownlevelStringLength(const SqlType& type);

// Appends TYPE_INFO (without COLMETADATA's TableName, which TokenWriter adds for TEXT/NTEXT/IMAGE).
void WriteTypeInfo(const TypeInfo& ti, ByteWriter* out);

// Parses a TYPE_INFO. On failure returns the error and, for kUnknownType / kInvalidLength, leaves
// ti->type set so the message can name the type.
WireError ReadTypeInfo(ByteReader* in, TypeInfo* ti);

// The edgesql type a client TYPE_INFO declares. Requires a TYPE_INFO ReadTypeInfo accepted;
// NULLTYPE maps to SqlType::Null().
SqlType SqlTypeOf(const TypeInfo& ti);

}  // namespace edgesql::tds
