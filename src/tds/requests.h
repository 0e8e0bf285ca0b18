// Client requests after login, decoded from complete messages ([MS-TDS] 2.2.6): SQL batch (0x01),
// RPC (0x03), transaction manager (0x0E) and attention (0x06).
//
// From TDS 7.2 every batch, RPC and TM request begins with ALL_HEADERS (2.2.5.3), which carries
// the transaction descriptor the client believes is current and its outstanding request count;
// TDS 7.1 clients (jTDS) send no headers and the descriptor reads as 0. The packet status bits
// RESETCONNECTION and RESETCONNECTIONSKIPTRAN of the message's first packet are surfaced on the
// request: the session must reset itself before executing it (go-mssqldb sets them when its pool
// reuses a connection).
//
// RPC parameters are decoded to edgesql Values (value_codec.h). Failures are SQL Server's errors:
// a malformed stream is 4002 (the connection ends); an unknown parameter type is 8009, a bad
// length or metadata 8016, an invalid value 8023, more than 2100 parameters 8003 (the request
// fails, the connection goes on). Table-valued parameters, encrypted parameters and distributed
// transaction requests (TM_PROPAGATE_XACT, TM_PROMOTE_XACT, TM_GET_DTC_ADDRESS) are refused with
// a clear error.
//
// DecodeRequest is a pure function of its inputs; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"
#include "tds/packet.h"
#include "tds/protocol.h"
#include "tds/type_info.h"
#include "tds/value_codec.h"
#include "types/value.h"

namespace edgesql::tds {

// ALL_HEADERS, as far as edgesql uses it.
struct RequestHeaders {
  bool present = false;  // false for TDS 7.1 requests
  // Transaction descriptor header (type 2): the descriptor of the client's current transaction
  // (0 when none; the value the server sent in ENVCHANGE 8) and its outstanding request count.
  bool has_transaction_descriptor = false;
  uint64_t transaction_descriptor = 0;
  uint32_t outstanding_requests = 1;
  bool has_query_notifications = false;  // type 1: accepted and ignored
  bool has_trace_activity = false;       // type 3: accepted and ignored
};

struct SqlBatchRequest {
  std::string text;  // UTF-8
};

struct RpcParameter {
  std::string name;  // "@p1", or "" for positional parameters
  uint8_t status_flags = 0;
  TypeInfo type_info;
  Value value;  // typed SqlTypeOf(type_info)

  bool output() const { return (status_flags & kParamByRef) != 0; }
  // fDefaultValue: the client asks for the parameter's declared default (the value is NULL).
  bool use_default() const { return (status_flags & kParamDefault) != 0; }
};

struct RpcCall {
  std::string proc_name;  // empty when called by id
  uint16_t proc_id = 0;   // kProcExecuteSql etc.; 0 when called by name
  uint16_t option_flags = 0;
  // Preceded by NoExecFlag (0xFE): the client wants the call parsed but not executed.
  bool no_exec = false;
  std::vector<RpcParameter> params;

  bool with_recompile() const { return (option_flags & kRpcWithRecompile) != 0; }
  bool no_metadata() const { return (option_flags & kRpcNoMetadata) != 0; }
};

struct RpcRequest {
  std::vector<RpcCall> calls;  // several RPCs in one message run in order
};

enum class TmRequestType : uint16_t {
  kBegin = kTmBeginXact,
  kCommit = kTmCommitXact,
  kRollback = kTmRollbackXact,
  kSave = kTmSaveXact,
};

struct TransactionManagerRequest {
  TmRequestType type = TmRequestType::kBegin;
  // BEGIN: the isolation level to set (kIsolationNoChange: keep the session's).
  uint8_t isolation_level = kIsolationNoChange;
  // BEGIN: the transaction name; COMMIT/ROLLBACK: the name to commit/roll back; SAVE: the
  // savepoint name. May be empty.
  std::string name;
  // COMMIT/ROLLBACK with fBeginXact: start a new transaction right after, with these settings.
  bool begin_new = false;
  uint8_t new_isolation_level = kIsolationNoChange;
  std::string new_name;
};

struct AttentionRequest {};

struct Request {
  uint8_t packet_type = 0;
  bool reset_connection = false;
  bool reset_connection_skip_tran = false;
  RequestHeaders headers;
  std::variant<SqlBatchRequest, RpcRequest, TransactionManagerRequest, AttentionRequest> body;
};

// Decodes a complete message of type SQL batch, RPC, TM or attention received after login from a
// client speaking `version`. Any other message type is error 4002 (BULK LOAD messages are read
// with BulkLoadDecoder, bulk_load.h).
Result<Request> DecodeRequest(const Message& message, TdsVersion version,
                              const DecodeLimits& limits = {});

// The pieces, exposed for tests: ALL_HEADERS at the reader's position, and an RPC request body.
Status DecodeAllHeaders(ByteReader* in, RequestHeaders* headers);
Result<RpcRequest> DecodeRpc(ByteReader* in, const DecodeLimits& limits);

}  // namespace edgesql::tds
