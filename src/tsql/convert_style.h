// CONVERT styles on input: CONVERT(datetime, '05/03/2024', 103) reads the string in the day/month
// order the style names, whatever SET DATEFORMAT says ("CAST and CONVERT (Transact-SQL)", "Date
// and time styles": the input format of each style). Shared by the compiler's constant folding
// and the es_cast runtime function. Pure and thread-safe.
#pragma once

#include <cstring>

#include "types/datetime.h"
#include "types/sql_type.h"

namespace edgesql::tsql {

// Adjusts `dates` for converting a string to `to` with CONVERT style `style`.
inline void ApplyInputStyle(int style, const SqlType& to, datetime::DateSettings* dates) {
  if (style == 0 || !to.IsDateTime()) return;
  const char* order = nullptr;
  switch (style % 100) {
    case 1:
    case 7:
    case 10:
    case 22:
      order = "mdy";
      break;
    case 3:
    case 4:
    case 5:
    case 6:
    case 13:
      order = "dmy";
      break;
    case 2:
    case 11:
    case 12:
      order = "ymd";
      break;
    default:
      return;
  }
  std::memcpy(dates->order, order, 4);
}

}  // namespace edgesql::tsql
