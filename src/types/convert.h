// Conversion between SQL Server types: CAST, CONVERT and every implicit conversion (assignment to a
// column or variable, parameter binding, comparison of mixed types).
//
// One function implements SQL Server's rules for every pair of types edgesql supports: which
// conversions are allowed, how values round or truncate (decimal rounds half away from zero,
// float->int truncates, string->char(n) pads, datetime rounds to 1/300 s), and which error each
// failure raises (245 conversion failed, 8114, 8115 arithmetic overflow, 220/232, 244/248 string
// to integer overflow, 241/242/295 date/time, 235/293 money syntax, 8169/8170 uniqueidentifier,
// 281 date style, 529 explicit conversion not allowed, 257 implicit conversion not allowed
// (explicit would be), 206 operand type clash (neither would be), 2628 string truncation on
// assignment). See "CAST and CONVERT (Transact-SQL)" and the "Data type conversion" chart.
//
// Pure and thread-safe.
#pragma once

#include <string>

#include "common/status.h"
#include "types/datetime.h"
#include "types/sql_type.h"
#include "types/value.h"

namespace edgesql {

enum class ConversionKind : uint8_t {
  kExplicit,    // CAST / CONVERT: strings silently truncate to the target length
  kImplicit,    // expression evaluation (comparison, arithmetic operands): like explicit
  kAssignment,  // INSERT/UPDATE into a column: string/binary overflow is error 2628
};

struct ConversionContext {
  ConversionKind kind = ConversionKind::kExplicit;
  int style = 0;  // CONVERT style; 0 when absent
  datetime::DateSettings dates;
  // For error 2628 on assignment: the table and column being assigned.
  std::string table_name;
  std::string column_name;
};

// Converts `value` to `target`. NULL converts to a NULL of the target type. The result carries
// exactly `target` as its type (facets included), with fixed-length values padded.
Result<Value> Convert(const Value& value, const SqlType& target, const ConversionContext& ctx = {});

// The string SQL Server produces for CAST(value AS nvarchar(max)) (CONVERT with `style`): numbers
// without trailing noise ("1.50" for decimal(5,2), "0.1" for float 0.1, "1e+020" for float 1e20),
// money with two decimals, dates in their default forms, uniqueidentifier upper-case, binary bytes
// read as UTF-16LE (style 0) or hexadecimal (styles 1 and 2). Used by PRINT, string concatenation
// and CONVERT. An invalid date style falls back to the default form; NULL gives "".
std::string ToDisplayString(const Value& value, int style = 0);

}  // namespace edgesql
