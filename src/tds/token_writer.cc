#include "tds/token_writer.h"

#include <string>

#include "common/errors.h"
#include "tds/value_codec.h"
#include "tds/wire.h"
#include "types/collation.h"

namespace edgesql::tds {
namespace {

// Writes a token whose USHORT length prefix (at `at`) covers everything after it.
Status PatchLength(Bytes* b, size_t at) {
  size_t len = b->size() - at - 2;
  if (len > 0xFFFF) {
    return errors::Make(errors::kInternalError, {"TDS encoder: a token exceeds 65535 bytes"});
  }
  ByteWriter(b).PatchU16Le(at, static_cast<uint16_t>(len));
  return Status::Ok();
}

// SQL Server's messages fit in 2047 characters; the ERROR token's total length is a USHORT.
constexpr size_t kMaxMessageUnits = 4000;

}  // namespace

Status TokenWriter::Flush() {
  Status st = out_->Append(scratch_);
  scratch_.clear();
  return st;
}

void TokenWriter::WriteUserType(ByteWriter* w) const {
  if (HasAllHeaders(version_)) {
    w->U32Le(0);  // ULONG from TDS 7.2
  } else {
    w->U16Le(0);
  }
}

Status TokenWriter::LoginAck() {
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(kTokenLoginAck);
  w.U16Le(0);
  w.U8(kInterfaceTsql);
  w.U32Be(static_cast<uint32_t>(version_));  // big-endian here, unlike LOGIN7
  wire::WriteBVarChar(&w, kServerProgramName);
  w.U8(kServerMajorVersion);
  w.U8(kServerMinorVersion);
  w.U16Be(kServerBuild);  // BuildNumHi, BuildNumLow
  EDGESQL_RETURN_IF_ERROR(PatchLength(&scratch_, 1));
  return Flush();
}

Status TokenWriter::FeatureExtAckUtf8() {
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(kTokenFeatureExtAck);
  w.U8(kFeatureUtf8Support);
  w.U32Le(1);
  w.U8(1);  // the server supports UTF-8 collations
  w.U8(kFeatureTerminator);
  return Flush();
}

Status TokenWriter::LoginResponseTokens(const LoginResponse& r) {
  EDGESQL_RETURN_IF_ERROR(EnvDatabase(r.database, "master"));
  SqlError db = errors::Make(errors::kChangedDatabaseContext, {r.database});
  db.state = 2;  // as SQL Server sends it
  EDGESQL_RETURN_IF_ERROR(Message(db, r.server_name));
  EDGESQL_RETURN_IF_ERROR(EnvLanguage(r.language, ""));
  EDGESQL_RETURN_IF_ERROR(
      Message(errors::Make(errors::kChangedLanguage, {r.language}), r.server_name));
  EDGESQL_RETURN_IF_ERROR(EnvPacketSize(r.packet_size, r.old_packet_size));
  EDGESQL_RETURN_IF_ERROR(
      EnvSqlCollation(ByteView(collation::kTdsCollation, sizeof(collation::kTdsCollation))));
  EDGESQL_RETURN_IF_ERROR(LoginAck());
  if (r.ack_utf8_support && HasFeatureExt(version_)) EDGESQL_RETURN_IF_ERROR(FeatureExtAckUtf8());
  return Done(kDoneFinal, kCurCmdNone, 0);
}

Status TokenWriter::EnvChangeBytes(uint8_t type, ByteView new_value, ByteView old_value) {
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(kTokenEnvChange);
  w.U16Le(0);
  w.U8(type);
  wire::WriteBVarByte(&w, new_value);
  wire::WriteBVarByte(&w, old_value);
  EDGESQL_RETURN_IF_ERROR(PatchLength(&scratch_, 1));
  return Flush();
}

Status TokenWriter::EnvChangeText(uint8_t type, std::string_view new_value,
                                  std::string_view old_value) {
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(kTokenEnvChange);
  w.U16Le(0);
  w.U8(type);
  wire::WriteBVarChar(&w, new_value);
  wire::WriteBVarChar(&w, old_value);
  EDGESQL_RETURN_IF_ERROR(PatchLength(&scratch_, 1));
  return Flush();
}

Status TokenWriter::EnvDatabase(std::string_view new_db, std::string_view old_db) {
  return EnvChangeText(kEnvDatabase, new_db, old_db);
}

Status TokenWriter::EnvLanguage(std::string_view new_language, std::string_view old_language) {
  return EnvChangeText(kEnvLanguage, new_language, old_language);
}

Status TokenWriter::EnvPacketSize(uint32_t new_size, uint32_t old_size) {
  // Packet sizes travel as decimal strings.
  return EnvChangeText(kEnvPacketSize, std::to_string(new_size), std::to_string(old_size));
}

Status TokenWriter::EnvSqlCollation(ByteView collation) {
  return EnvChangeBytes(kEnvSqlCollation, collation, {});
}

namespace {
Bytes Descriptor(uint64_t d) {
  Bytes b;
  ByteWriter(&b).U64Le(d);
  return b;
}
}  // namespace

Status TokenWriter::EnvBeginTransaction(uint64_t descriptor) {
  return EnvChangeBytes(kEnvBeginTransaction, Descriptor(descriptor), {});
}

Status TokenWriter::EnvCommitTransaction(uint64_t descriptor) {
  return EnvChangeBytes(kEnvCommitTransaction, {}, Descriptor(descriptor));
}

Status TokenWriter::EnvRollbackTransaction(uint64_t descriptor) {
  return EnvChangeBytes(kEnvRollbackTransaction, {}, Descriptor(descriptor));
}

Status TokenWriter::EnvResetConnectionAck() {
  return EnvChangeBytes(kEnvResetConnectionAck, {}, {});
}

Status TokenWriter::Message(const SqlError& e, std::string_view server_name) {
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(e.IsInfo() ? kTokenInfo : kTokenError);
  w.U16Le(0);
  w.U32Le(static_cast<uint32_t>(e.number));
  w.U8(e.state);
  w.U8(e.severity);
  Bytes text = wire::ToUtf16(e.message, kMaxMessageUnits);
  w.U16Le(static_cast<uint16_t>(text.size() / 2));
  w.Append(text);
  wire::WriteBVarChar(&w, server_name);
  wire::WriteBVarChar(&w, e.procedure);
  if (HasAllHeaders(version_)) {
    w.U32Le(static_cast<uint32_t>(e.line));
  } else {
    w.U16Le(static_cast<uint16_t>(e.line));
  }
  EDGESQL_RETURN_IF_ERROR(PatchLength(&scratch_, 1));
  return Flush();
}

Status TokenWriter::ColMetadata(std::span<const ResultColumn> columns) {
  if (columns.size() >= kNoMetadata) {
    return errors::Make(errors::kInternalError, {"TDS encoder: too many result columns"});
  }
  columns_.clear();
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(kTokenColMetadata);
  w.U16Le(static_cast<uint16_t>(columns.size()));
  for (const ResultColumn& c : columns) {
    TypeInfo ti = WireTypeFor(c.type, version_);
    columns_.push_back(ti);
    WriteUserType(&w);
    uint16_t flags = 0;
    if (c.nullable) flags |= kColNullable;
    if (c.updatable) flags |= kColUpdatableReadWrite;
    if (c.identity) flags |= kColIdentity;
    w.U16Le(flags);
    WriteTypeInfo(ti, &w);
    if (ti.IsLegacyLob()) {
      if (HasAllHeaders(version_)) {
        // NumParts and the parts of the table name (edgesql names tables with one part here).
        if (c.table_name.empty()) {
          w.U8(0);
        } else {
          w.U8(1);
          wire::WriteUsVarChar(&w, c.table_name);
        }
      } else {
        wire::WriteUsVarChar(&w, c.table_name);
      }
    }
    wire::WriteBVarChar(&w, c.name);
    // Stream wide metadata packet by packet rather than building it all.
    if (scratch_.size() >= out_->packet_size()) EDGESQL_RETURN_IF_ERROR(Flush());
  }
  return Flush();
}

Status TokenWriter::NoMetadata() {
  columns_.clear();
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(kTokenColMetadata);
  w.U16Le(kNoMetadata);
  return Flush();
}

Status TokenWriter::Row(std::span<const Value> values) {
  if (values.size() != columns_.size()) {
    return errors::Make(errors::kInternalError,
                        {"TDS encoder: a row of " + std::to_string(values.size()) + " values for " +
                         std::to_string(columns_.size()) + " columns"});
  }
  bool has_null = false;
  for (const Value& v : values) has_null |= v.is_null();
  bool nbc = has_null && HasNbcRow(version_);
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(nbc ? kTokenNbcRow : kTokenRow);
  if (nbc) {
    // NullBitmap: bit i (LSB first) set when column i is NULL (2.2.7.15).
    size_t at = scratch_.size();
    scratch_.resize(at + (values.size() + 7) / 8, 0);
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i].is_null()) scratch_[at + i / 8] |= static_cast<uint8_t>(1u << (i % 8));
    }
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (nbc && values[i].is_null()) continue;
    EDGESQL_RETURN_IF_ERROR(EncodeValue(values[i], columns_[i], ValueForm::kRow, &scratch_));
    // Large values go out as their packets fill instead of accumulating here.
    if (scratch_.size() >= out_->packet_size()) EDGESQL_RETURN_IF_ERROR(Flush());
  }
  return Flush();
}

Status TokenWriter::DoneToken(uint8_t token, uint16_t status, uint16_t cur_cmd,
                              uint64_t row_count) {
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(token);
  w.U16Le(status);
  w.U16Le(cur_cmd);
  if (HasAllHeaders(version_)) {
    w.U64Le(row_count);
  } else {
    w.U32Le(static_cast<uint32_t>(row_count));
  }
  return Flush();
}

Status TokenWriter::Done(uint16_t status, uint16_t cur_cmd, uint64_t row_count) {
  return DoneToken(kTokenDone, status, cur_cmd, row_count);
}

Status TokenWriter::DoneProc(uint16_t status, uint16_t cur_cmd, uint64_t row_count) {
  return DoneToken(kTokenDoneProc, status, cur_cmd, row_count);
}

Status TokenWriter::DoneInProc(uint16_t status, uint16_t cur_cmd, uint64_t row_count) {
  return DoneToken(kTokenDoneInProc, status, cur_cmd, row_count);
}

Status TokenWriter::ReturnStatus(int32_t value) {
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(kTokenReturnStatus);
  w.U32Le(static_cast<uint32_t>(value));
  return Flush();
}

Status TokenWriter::ReturnValue(uint16_t ordinal, std::string_view name, uint8_t status,
                                const SqlType& type, const Value& value) {
  TypeInfo ti = WireTypeFor(type, version_);
  scratch_.clear();
  ByteWriter w(&scratch_);
  w.U8(kTokenReturnValue);
  w.U16Le(ordinal);
  wire::WriteBVarChar(&w, name);
  w.U8(status);
  WriteUserType(&w);
  w.U16Le(kColNullable);
  WriteTypeInfo(ti, &w);
  EDGESQL_RETURN_IF_ERROR(EncodeValue(value, ti, ValueForm::kRow, &scratch_));
  return Flush();
}

}  // namespace edgesql::tds
