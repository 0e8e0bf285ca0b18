// Values on the wire ([MS-TDS] 2.2.5.2 TYPE_VARBYTE, 2.2.5.5 data type definitions): one value of
// a declared TYPE_INFO, NULLs included, in both directions.
//
// EncodeValue writes a value for a ROW / NBCROW / RETURNVALUE (ValueForm::kRow) or for an RPC
// parameter (kParameter; used by tests, the fuzzer's seed generator and tools). It converts
// edgesql's representations (types/value.h) to SQL Server's: text to CP1252 for char/varchar and
// UTF-16LE for nchar/nvarchar, fixed-length types padded, money as its two 32-bit halves (high
// first), datetime as days since 1900 and 1/300 s, uniqueidentifier in wire byte order, (max)
// values as PLP chunks; and, for TDS 7.1/7.2 clients whose TYPE_INFO is a downlevel nvarchar,
// date/time values as their string form. A value that cannot be represented in the declared type
// (a string longer than the column, a payload of the wrong kind) is an internal error (8630): it
// is a bug upstream, reported instead of corrupting the stream.
//
// DecodeValue reads one value of a TYPE_INFO that ReadTypeInfo accepted and returns a Value typed
// SqlTypeOf(ti). Every length is checked against the declaration and the input; a PLP or LOB
// value above `limits.max_value_bytes` is kTooLarge; out-of-range dates, decimals above their
// precision, NaN floats and text that is not valid in its encoding are kInvalidValue.
//
// In the row form TEXT/NTEXT/IMAGE values carry a text pointer and timestamp (2.2.4.2.1.3); in
// the parameter form they are a 4-byte length and the data. Pure functions; thread-safe.
#pragma once

#include <cstddef>

#include "common/bytes.h"
#include "common/status.h"
#include "tds/type_info.h"
#include "types/value.h"

namespace edgesql::tds {

enum class ValueForm : uint8_t {
  kRow,        // ROW, NBCROW, RETURNVALUE (server -> client)
  kParameter,  // RPC ParamLenData (client -> server)
};

struct DecodeLimits {
  // Largest PLP or TEXT/NTEXT/IMAGE value accepted, in wire bytes (SQL Server's LOB limit).
  size_t max_value_bytes = 0x7FFFFFFF;
};

Status EncodeValue(const Value& value, const TypeInfo& ti, ValueForm form, Bytes* out);

WireError DecodeValue(ByteReader* in, const TypeInfo& ti, ValueForm form,
                      const DecodeLimits& limits, Value* out);

}  // namespace edgesql::tds
