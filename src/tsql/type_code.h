// The compact integer form of a SqlType that compiled SQL hands to the runtime functions, e.g.
// es_cast(x, 1024, 268436225, 0): the source and target types of a conversion travel as SQL
// integer literals, so a statement needs no side tables and the functions stay stateless.
//
//   code = id + 256 * scale + 65536 * precision + 16777216 * (length + 1)
//
// id is the TypeId, length is -1 for (max) (so its term is 0). Every SqlType has exactly one
// code and codes are positive, which keeps them readable in emitted SQL and tests.
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "types/sql_type.h"

namespace edgesql::tsql {

int64_t TypeCode(const SqlType& type);
// nullopt if `code` is not a code TypeCode produces.
std::optional<SqlType> TypeFromCode(int64_t code);

}  // namespace edgesql::tsql
