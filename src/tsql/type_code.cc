#include "tsql/type_code.h"

namespace edgesql::tsql {

int64_t TypeCode(const SqlType& type) {
  return static_cast<int64_t>(type.id) + 256 * static_cast<int64_t>(type.scale) +
         65536 * static_cast<int64_t>(type.precision) +
         16777216 * (static_cast<int64_t>(type.length) + 1);
}

std::optional<SqlType> TypeFromCode(int64_t code) {
  if (code < 0) return std::nullopt;
  SqlType t;
  int64_t id = code & 0xFF;
  if (id > static_cast<int64_t>(TypeId::kUniqueIdentifier)) return std::nullopt;
  t.id = static_cast<TypeId>(id);
  t.scale = static_cast<uint8_t>((code >> 8) & 0xFF);
  t.precision = static_cast<uint8_t>((code >> 16) & 0xFF);
  int64_t len = (code >> 24) - 1;
  if (len < -1 || len > 8000) return std::nullopt;
  t.length = static_cast<int32_t>(len);
  return t;
}

}  // namespace edgesql::tsql
