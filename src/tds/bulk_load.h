// The BULK LOAD message ([MS-TDS] 2.2.6.1, packet type 0x07): the rows of a bulk copy that an
// INSERT BULK statement announced. Its payload is the token stream a server would send for the
// same rowset: COLMETADATA describing the columns, ROW tokens (NBCROW accepted too), and DONE.
// There is no ALL_HEADERS. Clients differ in the details, all of which are accepted:
//   - FreeTDS ends the message after the last row, without DONE; pytds and go-mssqldb send DONE.
//   - TEXT/NTEXT/IMAGE columns carry a table name in COLMETADATA as one US_VARCHAR (FreeTDS,
//     go-mssqldb and SqlClient send it so at every TDS version), and their row values the text
//     pointer form of 2.2.4.2.1.3; NULL is a zero-length text pointer.
//   - (max) columns are PLP; pytds and bcp send PLP_UNKNOWN_LEN with chunks.
//   - COLMETADATA UserType is 2 bytes before TDS 7.2 and 4 bytes from 7.2 on; DONE's row count
//     likewise 4 and 8 bytes.
//
// BulkLoadDecoder reads the message as its parts arrive (MessageAssembler streams it: a bulk
// load can be far larger than any request the server buffers whole). Append each part; call
// Next until it returns kNeedMore (more bytes are needed) or kDone; call Finish when the last
// part has been appended. Memory is bounded by the largest row (`max_row_bytes`) plus one part:
// a row that does not fit is error 8019. A token cut off by the end of the message is 4804.
//
// Errors are SQL Server's, with statement scope (the message was framed correctly, so the
// connection goes on once it has been read to its end): a column type bulk load does not take
// (xml, UDT, sql_variant, TVP, the legacy decimal/char types) is 4816 "Invalid column type from
// bcp client for colid N"; an impossible length in TYPE_INFO or a value longer than its column
// 4815 "Received an invalid column length from the bcp client for colid N"; a value that is not
// valid for its type (a date out of range, a decimal above its precision, bad UTF-16) 4864 naming
// the row and column; other malformed content (a second COLMETADATA, an unknown token, bytes after
// DONE) 4002.
//
// Not thread-safe: one decoder per message, used by the connection's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "tds/protocol.h"
#include "tds/type_info.h"
#include "tds/value_codec.h"
#include "types/value.h"

namespace edgesql::tds {

// One column of the stream's COLMETADATA (2.2.7.4).
struct BulkColumn {
  uint32_t user_type = 0;
  uint16_t flags = 0;
  TypeInfo type_info;
  std::string table_name;  // TEXT/NTEXT/IMAGE only
  std::string name;
};

class BulkLoadDecoder {
 public:
  enum class Item : uint8_t {
    kNeedMore,  // append the next part (or Finish) and call again
    kRow,       // *row holds the next row, typed SqlTypeOf(columns()[i].type_info)
    kDone,      // the stream ended: after Finish, at DONE or after the last row
  };

  static constexpr size_t kDefaultMaxRowBytes = size_t{64} << 20;

  explicit BulkLoadDecoder(TdsVersion version, DecodeLimits limits = {},
                           size_t max_row_bytes = kDefaultMaxRowBytes);

  // Appends the next part of the message payload.
  void Append(ByteView part);
  // No more parts will come.
  void Finish() { finished_ = true; }

  // Decodes the next item. After an error, every call returns it again.
  Result<Item> Next(std::vector<Value>* row);

  // The columns, once COLMETADATA has been decoded (before the first row).
  bool has_metadata() const { return has_metadata_; }
  const std::vector<BulkColumn>& columns() const { return columns_; }
  // Rows decoded so far.
  uint64_t rows() const { return rows_; }
  // Payload bytes appended so far.
  uint64_t bytes() const { return bytes_; }

 private:
  // What decoding the token at the buffer's position found.
  enum class Step : uint8_t { kOk, kTruncated, kFailed };

  Step Metadata(ByteReader* in);
  Step RowToken(ByteReader* in, bool nbc, std::vector<Value>* row);
  Step DoneToken(ByteReader* in);
  Step Fail(SqlError error);
  Step ValueError(WireError e, size_t column);

  const TdsVersion version_;
  const DecodeLimits limits_;
  const size_t max_row_bytes_;
  Bytes buffer_;
  size_t pos_ = 0;         // start of the next token in buffer_
  size_t retry_at_ = 0;    // unread bytes needed before a truncated token is tried again
  bool finished_ = false;  // Finish() was called
  bool has_metadata_ = false;
  bool done_ = false;  // DONE was read
  uint64_t rows_ = 0;
  uint64_t bytes_ = 0;
  std::vector<BulkColumn> columns_;
  Status error_;
};

}  // namespace edgesql::tds
