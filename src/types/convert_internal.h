// Internal to the convert module: the per-family halves of Convert(), split across
// convert.cc (dispatch, numbers), convert_datetime.cc (date/time targets), convert_string.cc
// (character sources and targets) and convert_binary.cc (binary sources and targets).
// Each function expects a non-NULL value whose conversion the chart allows.
#pragma once

#include <string>
#include <string_view>

#include "types/convert.h"

namespace edgesql::convert_internal {

// Numeric targets from each numeric representation. `src` names the source type in errors.
Result<Value> FromInteger(int64_t v, const SqlType& src, const SqlType& target);
Result<Value> FromDecimal(const Decimal& v, const SqlType& src, const SqlType& target);
Result<Value> FromDouble(double v, const SqlType& src, const SqlType& target);

// Date/time targets from date/time or numeric sources.
Result<Value> ToDateTime(const Value& v, const SqlType& target);
// A datetime/smalldatetime value as a number of days since 1900-01-01 (with a fraction),
// exactly: (days * 25,920,000 + 1/300-second units) / 25,920,000, rounded to `scale`. nullopt
// if that needs more than 38 digits.
std::optional<Decimal> DateTimeAsDays(int64_t ticks, int scale);

// Character targets and sources.
Result<Value> ToText(const Value& v, const SqlType& target, const ConversionContext& ctx);
Result<Value> FromText(const Value& v, const SqlType& target, const ConversionContext& ctx);
// Applies a string target's length: truncation (or 2628 on assignment) and char(n) padding.
Result<Value> FinishText(std::string text, const SqlType& target, const ConversionContext& ctx);

// Binary targets and sources.
Result<Value> ToBinary(const Value& v, const SqlType& target, const ConversionContext& ctx);
Result<Value> FromBinary(const Value& v, const SqlType& target);
// Applies a binary target's length. Numbers are right-aligned (their low-order bytes are kept);
// strings and binaries are left-aligned.
Result<Value> FinishBinary(std::string bytes, const SqlType& target, const ConversionContext& ctx,
                           bool right_align);

// The name SQL Server's arithmetic messages use for a source type: "numeric" for decimal and
// numeric, otherwise the type's own name.
std::string_view MessageName(const SqlType& t);

// Error 8115: "Arithmetic overflow error converting {from} to data type {to}."
SqlError Overflow(std::string_view from, const SqlType& to);

}  // namespace edgesql::convert_internal
