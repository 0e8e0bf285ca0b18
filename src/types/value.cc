#include "types/value.h"

#include <algorithm>
#include <cstdio>

#include "common/utf.h"
#include "types/datetime.h"
#include "types/guid.h"

namespace edgesql {

Value Value::NVarChar(std::string utf8) {
  // An N'...' literal is typed nvarchar(n) with n its length in UTF-16 code units, at least 1.
  int32_t n = static_cast<int32_t>(std::max<size_t>(1, utf::Utf16Length(utf8)));
  return Value(SqlType::NVarChar(n), std::move(utf8));
}

Value Value::VarChar(std::string text) {
  // A '...' literal is varchar(n) with n its length in characters (one byte each in CP1252).
  int32_t n = static_cast<int32_t>(std::max<size_t>(1, utf::CodePointCount(text)));
  return Value(SqlType::VarChar(n), std::move(text));
}

std::string Value::DebugString() const {
  if (is_null()) return "NULL " + type_.ToString();
  std::string out = type_.ToString() + " ";
  if (std::holds_alternative<int64_t>(payload_)) {
    if (type_.IsDateTime()) return out + datetime::FormatDefault(*this);
    return out + std::to_string(AsInt());
  }
  if (std::holds_alternative<double>(payload_)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", AsDouble());
    return out + buf;
  }
  if (std::holds_alternative<Decimal>(payload_)) return out + AsDecimal().ToString();
  if (std::holds_alternative<DateTimeOffset>(payload_)) return out + datetime::FormatDefault(*this);
  if (std::holds_alternative<Guid>(payload_)) return out + guid::ToString(AsGuid());
  const std::string& s = AsString();
  if (type_.IsBinary()) {
    static const char kHex[] = "0123456789ABCDEF";
    out += "0x";
    for (unsigned char c : s) {
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
    return out;
  }
  return out + "'" + s + "'";
}

}  // namespace edgesql
