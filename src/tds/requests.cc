#include "tds/requests.h"

#include <string>

#include "common/errors.h"
#include "common/utf.h"
#include "tds/wire.h"

namespace edgesql::tds {
namespace {

SqlError Bad(const std::string& what) {
  return errors::Make(errors::kProtocolStreamIncorrect, {what});
}

Result<SqlBatchRequest> DecodeSqlBatch(ByteReader* in) {
  ByteView text = in->Take(in->remaining());
  if (text.size() % 2 != 0) return Bad("The SQL batch text has an odd number of bytes.");
  SqlBatchRequest batch;
  if (!utf::Utf16LeToUtf8(text, &batch.text)) {
    return Bad("The SQL batch text is not valid UTF-16.");
  }
  return batch;
}

bool ValidIsolation(uint8_t level) { return level <= kIsolationSnapshot; }

// [MS-TDS] 2.2.6.9.
Result<TransactionManagerRequest> DecodeTransactionManager(ByteReader* in) {
  TransactionManagerRequest tm;
  uint16_t type = in->U16Le();
  if (!in->ok()) return Bad("The transaction manager request is truncated.");
  // A missing trailing name reads as empty: clients differ in whether they send empty names.
  auto read_name = [&](std::string* out) {
    if (in->AtEnd()) return true;
    return wire::ReadBVarChar(in, out);
  };
  switch (type) {
    case kTmBeginXact:
      tm.type = TmRequestType::kBegin;
      tm.isolation_level = in->U8();
      if (!in->ok() || !read_name(&tm.name)) {
        return Bad("The TM_BEGIN_XACT request is malformed.");
      }
      break;
    case kTmCommitXact:
    case kTmRollbackXact: {
      tm.type = type == kTmCommitXact ? TmRequestType::kCommit : TmRequestType::kRollback;
      if (!read_name(&tm.name)) return Bad("The transaction name is malformed.");
      uint8_t flags = in->AtEnd() ? 0 : in->U8();
      if (flags & kTmBeginXactFlag) {
        tm.begin_new = true;
        tm.new_isolation_level = in->U8();
        if (!in->ok() || !read_name(&tm.new_name)) {
          return Bad("The new transaction of a TM request is malformed.");
        }
      }
      break;
    }
    case kTmSaveXact:
      tm.type = TmRequestType::kSave;
      if (!read_name(&tm.name)) return Bad("The savepoint name is malformed.");
      break;
    case kTmGetDtcAddress:
    case kTmPropagateXact:
    case kTmPromoteXact:
      return errors::Make(errors::kUnsupportedStatement, {"distributed transaction"});
    default:
      return Bad("Unknown transaction manager request type " + std::to_string(type) + ".");
  }
  if (!in->ok()) return Bad("The transaction manager request is truncated.");
  if (!ValidIsolation(tm.isolation_level) || !ValidIsolation(tm.new_isolation_level)) {
    return Bad("Invalid isolation level in a transaction manager request.");
  }
  if (!in->AtEnd()) return Bad("Unexpected data after a transaction manager request.");
  return tm;
}

}  // namespace

Status DecodeAllHeaders(ByteReader* in, RequestHeaders* headers) {
  size_t start = in->offset();
  uint32_t total = in->U32Le();
  if (!in->ok() || total < 4 || total - 4 > in->remaining()) {
    return Bad("ALL_HEADERS has an invalid total length.");
  }
  headers->present = true;
  size_t end = start + total;
  // Each header takes at least 6 bytes, so the loop ends.
  while (in->offset() < end) {
    size_t header_start = in->offset();
    uint32_t length = in->U32Le();
    uint16_t type = in->U16Le();
    if (!in->ok() || length < 6 || length > end - header_start) {
      return Bad("ALL_HEADERS contains a header with an invalid length.");
    }
    switch (type) {
      case kHeaderTransactionDescriptor:
        if (length != 18) return Bad("The transaction descriptor header has an invalid length.");
        headers->has_transaction_descriptor = true;
        headers->transaction_descriptor = in->U64Le();
        headers->outstanding_requests = in->U32Le();
        break;
      case kHeaderQueryNotifications:
        headers->has_query_notifications = true;
        in->Skip(length - 6);
        break;
      case kHeaderTraceActivity:
        headers->has_trace_activity = true;
        in->Skip(length - 6);
        break;
      default:  // a header from a newer revision: not ours to interpret
        in->Skip(length - 6);
        break;
    }
  }
  if (!in->ok() || in->offset() != end) return Bad("ALL_HEADERS is malformed.");
  return Status::Ok();
}

Result<Request> DecodeRequest(const Message& message, TdsVersion version,
                              const DecodeLimits& limits) {
  Request req;
  req.packet_type = message.type;
  req.reset_connection = message.reset_connection();
  req.reset_connection_skip_tran = message.reset_connection_skip_tran();
  ByteReader in(message.payload);
  switch (message.type) {
    case kPacketAttention:
      req.body = AttentionRequest{};
      return req;
    case kPacketSqlBatch:
    case kPacketRpc:
    case kPacketTransactionManager:
      break;
    case kPacketBulkLoad:  // streamed and decoded by BulkLoadDecoder (bulk_load.h)
      return Bad("A BULK LOAD message is not decoded as a request.");
    default:
      return Bad("Unexpected message type " + std::to_string(message.type) + " after login.");
  }
  if (HasAllHeaders(version)) EDGESQL_RETURN_IF_ERROR(DecodeAllHeaders(&in, &req.headers));
  switch (message.type) {
    case kPacketSqlBatch: {
      EDGESQL_ASSIGN_OR_RETURN(req.body, DecodeSqlBatch(&in));
      break;
    }
    case kPacketRpc: {
      EDGESQL_ASSIGN_OR_RETURN(req.body, DecodeRpc(&in, limits));
      break;
    }
    default: {
      EDGESQL_ASSIGN_OR_RETURN(req.body, DecodeTransactionManager(&in));
      break;
    }
  }
  return req;
}

}  // namespace edgesql::tds
