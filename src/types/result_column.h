// ResultColumn: the description of one column of a result set or one output parameter, as the
// engine produces it and the TDS encoder sends it in COLMETADATA ([MS-TDS] 2.2.7.4).
#pragma once

#include <string>

#include "types/sql_type.h"

namespace edgesql {

struct ResultColumn {
  std::string name;  // may be empty: SQL Server sends unnamed expression columns with no name
  SqlType type;
  bool nullable = true;
  bool identity = false;
  bool updatable = false;  // the column reads a base table column that may be updated
  // For 7.1 clients and TEXT/NTEXT/IMAGE: the table name sent in COLMETADATA's TableName.
  std::string table_name;
};

}  // namespace edgesql
