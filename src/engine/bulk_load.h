// Bulk load: the INSERT BULK statement and the BULK LOAD message that carries its rows
// ([MS-TDS] 2.2.1.7 and 2.2.6.1), as FreeTDS freebcp, pytds (cursor.copy_to), go-mssqldb
// (mssql.CopyIn) and the other drivers' bulk-copy APIs send them.
//
//   client                                   session
//   SQL batch "INSERT BULK t (...) WITH ..." Interpreter::ExecInsertBulk: names resolved and
//                                            checked (208, 207, 264, types), the load noted
//                                            (PendingBulkLoad), DONE
//   BULK LOAD message: COLMETADATA, ROWs     Session::ExecuteBulkLoad: rows streamed from a
//                                            BulkRowSource into the table, one transaction,
//                                            DONE with the row count once it is durable
//
// The rows go through one compiled INSERT (tsql::CompileBulkInsert: SQL Server's conversions to
// the column types, defaults for the columns not sent, identity, KEEP_NULLS, KEEPIDENTITY),
// prepared once and stepped per row on the writer, inside the session's transaction if one is
// open and otherwise as one autocommit write of the writer lane: every row, or none, becomes
// durable, and the load holds the lane for its duration as SQL Server's bulk load holds its
// locks. A failing row (a constraint, a conversion, a bad value in the stream) fails the whole
// load with its error; ATTENTION cancels it. Any request other than the BULK LOAD message after
// INSERT BULK gets 4022 and the load is forgotten.
//
// Options: KEEP_NULLS and KEEPIDENTITY as above; CHECK_CONSTRAINTS (edgesql enforces the
// constraints it has - keys, uniqueness, NOT NULL - always), FIRE_TRIGGERS (no triggers),
// TABLOCK (the writer lane is exclusive anyway), ROWS_PER_BATCH, KILOBYTES_PER_BATCH and ORDER
// (hints about the data) are accepted and change nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "tsql/statement.h"
#include "types/sql_type.h"
#include "types/value.h"

namespace edgesql::engine {

// The rows of a bulk load as the engine consumes them. The network layer implements it over the
// BULK LOAD message (tds::BulkLoadDecoder); tests over vectors. Errors are SQL Server's (4815,
// 4816, 4864, 4804, ...); kQueryCancelled when the client abandoned the message.
class BulkRowSource {
 public:
  virtual ~BulkRowSource() = default;
  // The types of the columns the stream carries, in order (its COLMETADATA). Called once,
  // before NextRow.
  virtual Result<std::vector<SqlType>> ColumnTypes() = 0;
  // The next row into *row (typed as ColumnTypes() says); false at the end of the stream.
  virtual Result<bool> NextRow(std::vector<Value>* row) = 0;
};

// What INSERT BULK announced, kept by the session until the BULK LOAD message arrives.
struct PendingBulkLoad {
  tsql::InsertBulkStmt statement;
  std::vector<SqlType> declared;  // the column types as INSERT BULK declares them
  int64_t database_id = 0;
};

// Whether a stream column of type `sent` may carry a column INSERT BULK declared as `declared`:
// the same type, whatever its length, precision or scale (decimal and numeric alike). Anything
// else is SQL Server's 4816.
bool BulkTypeMatches(const SqlType& declared, const SqlType& sent);

}  // namespace edgesql::engine
