// TokenWriter: the server's response tokens ([MS-TDS] 2.2.7), encoded for the TDS version the
// client negotiated and streamed into a PacketWriter.
//
// The caller frames messages: PacketWriter::BeginMessage, any number of tokens, EndMessage. Within
// a message the writer keeps the column metadata of the current result set, so Row() encodes each
// value with the TYPE_INFO that COLMETADATA announced (type_info.h decides the wire type per
// version, including the downlevel forms for TDS 7.1/7.2 clients).
//
// Version differences handled here: COLMETADATA/RETURNVALUE UserType is 2 bytes before TDS 7.2
// and 4 after; DONE row counts 4 bytes before 7.2 and 8 after; ERROR/INFO line numbers 2 bytes
// before 7.2 and 4 after; NBCROW only from 7.3B (chosen for rows that contain a NULL, as SQL
// Server does); TEXT/NTEXT/IMAGE columns carry a table name (US_VARCHAR before 7.2, NumParts +
// parts after).
//
// A failed write (the sink's error, or an internal error for a value that does not fit its
// column) is returned; the stream is then unusable and the connection should be closed.
// Not thread-safe; one per connection.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "tds/packet.h"
#include "tds/protocol.h"
#include "tds/type_info.h"
#include "types/result_column.h"
#include "types/value.h"

namespace edgesql::tds {

// What the server tells a client whose login succeeded.
struct LoginResponse {
  std::string database;                       // the database the session starts in
  std::string language = "us_english";        // SET LANGUAGE name
  uint32_t packet_size = kDefaultPacketSize;  // the granted packet size
  uint32_t old_packet_size = kDefaultPacketSize;
  bool ack_utf8_support = false;  // the client sent UTF8_SUPPORT (acknowledged on TDS 7.4 only)
  std::string server_name;        // for the INFO tokens
};

class TokenWriter {
 public:
  TokenWriter(PacketWriter* out, TdsVersion version) : out_(out), version_(version) {}

  TdsVersion version() const { return version_; }
  void set_version(TdsVersion version) { version_ = version; }

  // --- Login response ---
  // LOGINACK: interface T-SQL, the negotiated version (big-endian), "Microsoft SQL Server",
  // version 16.0.build.
  Status LoginAck();
  // FEATUREEXTACK with UTF8_SUPPORT only (tedious rejects acks for features it did not request).
  Status FeatureExtAckUtf8();
  // The whole login response in SQL Server's order: ENVCHANGE database, INFO 5701, ENVCHANGE
  // language, INFO 5703, ENVCHANGE packet size, ENVCHANGE SQL collation, LOGINACK,
  // FEATUREEXTACK (when acknowledged), DONE.
  Status LoginResponseTokens(const LoginResponse& response);

  // --- ENVCHANGE ([MS-TDS] 2.2.7.9) ---
  Status EnvDatabase(std::string_view new_db, std::string_view old_db);
  Status EnvLanguage(std::string_view new_language, std::string_view old_language);
  Status EnvPacketSize(uint32_t new_size, uint32_t old_size);
  // SQL collation: the 5-byte collation as the new value, an empty old value.
  Status EnvSqlCollation(ByteView collation);
  Status EnvBeginTransaction(uint64_t descriptor);
  Status EnvCommitTransaction(uint64_t descriptor);
  Status EnvRollbackTransaction(uint64_t descriptor);
  Status EnvResetConnectionAck();

  // --- Messages ---
  // ERROR for severity above 10, INFO otherwise ([MS-TDS] 2.2.7.10, 2.2.7.13).
  Status Message(const SqlError& error, std::string_view server_name);

  // --- Results ---
  // COLMETADATA for a result set; keeps the wire types for the rows that follow.
  Status ColMetadata(std::span<const ResultColumn> columns);
  // COLMETADATA with no columns (0xFFFF), for a statement without a result set in an RPC that
  // asked for no metadata.
  Status NoMetadata();
  // ROW, or NBCROW when the version allows it and a value is NULL. `values` must match the
  // current metadata in number and be representable in each column's type.
  Status Row(std::span<const Value> values);

  Status Done(uint16_t status, uint16_t cur_cmd, uint64_t row_count);
  Status DoneProc(uint16_t status, uint16_t cur_cmd, uint64_t row_count);
  Status DoneInProc(uint16_t status, uint16_t cur_cmd, uint64_t row_count);

  Status ReturnStatus(int32_t value);
  // RETURNVALUE for an OUTPUT parameter (or a UDF's result with status kReturnValueUdf).
  Status ReturnValue(uint16_t ordinal, std::string_view name, uint8_t status, const SqlType& type,
                     const Value& value);

  // Raw bytes, for tokens this class does not model.
  Status Raw(ByteView bytes) { return out_->Append(bytes); }

 private:
  Status DoneToken(uint8_t token, uint16_t status, uint16_t cur_cmd, uint64_t row_count);
  Status EnvChangeBytes(uint8_t type, ByteView new_value, ByteView old_value);
  Status EnvChangeText(uint8_t type, std::string_view new_value, std::string_view old_value);
  void WriteUserType(ByteWriter* w) const;
  Status Flush();  // appends scratch_ to the packet writer

  PacketWriter* out_;
  TdsVersion version_;
  std::vector<TypeInfo> columns_;
  Bytes scratch_;
};

}  // namespace edgesql::tds
