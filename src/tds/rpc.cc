// RPC request decoding ([MS-TDS] 2.2.6.6); the contract is in requests.h.
#include <string>

#include "common/errors.h"
#include "tds/requests.h"
#include "tds/wire.h"

namespace edgesql::tds {
namespace {

SqlError Bad(const std::string& what) {
  return errors::Make(errors::kProtocolStreamIncorrect, {what});
}

bool IsSeparator(uint8_t b) {
  return b == kRpcBatchFlag || b == kRpcBatchFlag72 || b == kRpcNoExecFlag;
}

// The SQL Server error for a parameter that failed to decode.
SqlError ParamError(WireError e, size_t ordinal, const std::string& name, const TypeInfo& ti,
                    const DecodeLimits& limits) {
  std::string n = std::to_string(ordinal);
  switch (e) {
    case WireError::kUnknownType:
      return errors::Make(errors::kRpcUnknownDataType, {n, name, wire::HexByte(ti.type)});
    case WireError::kInvalidLength:
      return errors::Make(errors::kRpcInvalidDataLength, {n, name, wire::HexByte(ti.type)});
    case WireError::kInvalidValue:
      return errors::Make(errors::kRpcInvalidValue, {n, name, SqlTypeOf(ti).Name()});
    case WireError::kTooLarge:
      return errors::Make(errors::kRequestTooLarge,
                          {std::to_string(limits.max_value_bytes), "a parameter value"});
    default:
      return Bad("The RPC request ends inside parameter " + n + ".");
  }
}

Status DecodeParameter(ByteReader* in, size_t ordinal, const DecodeLimits& limits,
                       RpcParameter* p) {
  if (!wire::ReadBVarChar(in, &p->name)) {
    return Bad("The name of RPC parameter " + std::to_string(ordinal) + " is malformed.");
  }
  p->status_flags = in->U8();
  if (!in->ok())
    return Bad("The RPC request ends inside parameter " + std::to_string(ordinal) + ".");
  if (p->status_flags & kParamEncrypted) {
    return errors::Make(errors::kUnsupportedStatement, {"Always Encrypted parameters"});
  }
  WireError e = ReadTypeInfo(in, &p->type_info);
  if (e == WireError::kNone) {
    e = DecodeValue(in, p->type_info, ValueForm::kParameter, limits, &p->value);
  }
  if (e != WireError::kNone) return ParamError(e, ordinal, p->name, p->type_info, limits);
  return Status::Ok();
}

}  // namespace

Result<RpcRequest> DecodeRpc(ByteReader* in, const DecodeLimits& limits) {
  RpcRequest rpc;
  bool no_exec = false;
  // Every call consumes at least 4 bytes, so the loop ends.
  while (true) {
    RpcCall call;
    call.no_exec = no_exec;
    uint16_t name_length = in->U16Le();
    if (!in->ok()) return Bad("The RPC request is truncated.");
    if (name_length == kProcIdSwitch) {
      call.proc_id = in->U16Le();
    } else if (name_length == 0 || !wire::ReadUtf16(in, name_length, &call.proc_name)) {
      return Bad("The RPC procedure name is malformed.");
    }
    call.option_flags = in->U16Le();
    if (!in->ok()) return Bad("The RPC request is truncated.");
    // Parameters run until the end of the message or a separator byte. (A parameter name of
    // exactly 128 characters would start with 0x80 too; SQL Server caps names at 128 including
    // the '@', and clients send 0xFF from TDS 7.2, so the separator reading wins.)
    while (!in->AtEnd() && !IsSeparator(in->data()[in->offset()])) {
      if (call.params.size() == kMaxRpcParameters) return errors::Make(errors::kTooManyParameters);
      RpcParameter p;
      EDGESQL_RETURN_IF_ERROR(DecodeParameter(in, call.params.size() + 1, limits, &p));
      call.params.push_back(std::move(p));
    }
    rpc.calls.push_back(std::move(call));
    if (in->AtEnd()) break;
    no_exec = in->U8() == kRpcNoExecFlag;
    if (in->AtEnd()) break;  // a trailing separator ends the message
  }
  return rpc;
}

}  // namespace edgesql::tds
