#include "tds/client_messages.h"

#include <algorithm>
#include <string>

#include "common/utf.h"
#include "tds/packet.h"
#include "tds/value_codec.h"
#include "tds/wire.h"

namespace edgesql::tds::client {

Bytes EncodePrelogin(const PreloginRequest& r) {
  struct Option {
    uint8_t id;
    Bytes data;
  };
  std::vector<Option> options;
  if (r.has_version) {
    Bytes d;
    ByteWriter w(&d);
    w.U32Be(r.client_version);
    w.U16Le(r.client_subbuild);
    options.push_back({kPreloginVersion, d});
  }
  if (r.encryption) {
    uint8_t v = *r.encryption | (r.client_cert_requested ? kEncryptClientCertBit : 0);
    options.push_back({kPreloginEncryption, Bytes{v}});
  }
  {
    Bytes d(r.instance.begin(), r.instance.end());
    d.push_back(0);
    options.push_back({kPreloginInstOpt, d});
  }
  if (r.thread_id) {
    Bytes d;
    ByteWriter(&d).U32Be(*r.thread_id);
    options.push_back({kPreloginThreadId, d});
  }
  if (r.mars) options.push_back({kPreloginMars, Bytes{*r.mars}});
  if (r.trace_id)
    options.push_back({kPreloginTraceId, Bytes(r.trace_id->begin(), r.trace_id->end())});
  if (r.fed_auth_required)
    options.push_back({kPreloginFedAuthRequired, Bytes{*r.fed_auth_required}});
  if (r.nonce) options.push_back({kPreloginNonce, Bytes(r.nonce->begin(), r.nonce->end())});

  Bytes out;
  ByteWriter w(&out);
  uint16_t offset = static_cast<uint16_t>(options.size() * 5 + 1);
  for (const Option& o : options) {
    w.U8(o.id);
    w.U16Be(offset);
    w.U16Be(static_cast<uint16_t>(o.data.size()));
    offset = static_cast<uint16_t>(offset + o.data.size());
  }
  w.U8(kPreloginTerminator);
  for (const Option& o : options) w.Append(o.data);
  return out;
}

Bytes EncodeLogin7(const LoginRequest& r) {
  std::optional<TdsVersion> version = NegotiateTdsVersion(r.tds_version);
  bool v72 = version && HasAllHeaders(*version);
  size_t fixed = v72 ? kLogin7FixedSize72 : kLogin7FixedSize71;
  Bytes out(fixed, 0);
  auto put32 = [&](size_t at, uint32_t v) { ByteWriter(&out).PatchU32Le(at, v); };
  auto put16 = [&](size_t at, uint16_t v) { ByteWriter(&out).PatchU16Le(at, v); };
  put32(4, r.tds_version);
  put32(8, r.packet_size);
  put32(12, r.client_prog_version);
  put32(16, r.client_pid);
  put32(20, r.connection_id);
  out[24] = r.option_flags1;
  out[25] = r.option_flags2;
  out[26] = r.type_flags;
  // A FeatureExt block (maybe just its terminator) whenever there are features or the flag is set.
  bool extension = !r.features.empty() || (r.option_flags3 & kLoginExtension);
  out[27] = static_cast<uint8_t>(r.option_flags3 | (extension ? kLoginExtension : 0));
  put32(28, static_cast<uint32_t>(r.client_timezone));
  put32(32, r.client_lcid);
  std::copy(r.client_id.begin(), r.client_id.end(), out.begin() + 72);

  auto add_string = [&](size_t field, std::string_view text, bool scramble) {
    Bytes u16 = wire::ToUtf16(text);
    if (scramble) {
      for (uint8_t& b : u16) b = wire::ScramblePasswordByte(b);
    }
    put16(field, static_cast<uint16_t>(out.size()));
    put16(field + 2, static_cast<uint16_t>(u16.size() / 2));
    out.insert(out.end(), u16.begin(), u16.end());
  };
  add_string(36, r.hostname, false);
  add_string(40, r.username, false);
  add_string(44, r.password, true);
  add_string(48, r.app_name, false);
  add_string(52, r.server_name, false);
  size_t extension_pointer = 0;
  if (extension) {
    put16(56, static_cast<uint16_t>(out.size()));
    put16(58, 4);
    extension_pointer = out.size();
    out.resize(out.size() + 4);
  } else {
    put16(56, static_cast<uint16_t>(out.size()));
  }
  add_string(60, r.library_name, false);
  add_string(64, r.language, false);
  add_string(68, r.database, false);
  put16(78, static_cast<uint16_t>(out.size()));
  put16(80, static_cast<uint16_t>(std::min<size_t>(r.sspi.size(), 0xFFFF)));
  out.insert(out.end(), r.sspi.begin(), r.sspi.end());
  add_string(82, r.attach_db_file, false);
  if (v72) add_string(86, r.new_password, true);
  if (extension) {
    ByteWriter(&out).PatchU32Le(extension_pointer, static_cast<uint32_t>(out.size()));
    ByteWriter w(&out);
    for (const FeatureExtension& f : r.features) {
      w.U8(f.id);
      w.U32Le(static_cast<uint32_t>(f.data.size()));
      w.Append(f.data);
    }
    w.U8(kFeatureTerminator);
  }
  put32(0, static_cast<uint32_t>(out.size()));
  return out;
}

Bytes EncodeAllHeaders(uint64_t descriptor, uint32_t outstanding) {
  Bytes out;
  ByteWriter w(&out);
  w.U32Le(22);
  w.U32Le(18);
  w.U16Le(kHeaderTransactionDescriptor);
  w.U64Le(descriptor);
  w.U32Le(outstanding);
  return out;
}

namespace {
Bytes Start(TdsVersion version, uint64_t descriptor) {
  return HasAllHeaders(version) ? EncodeAllHeaders(descriptor) : Bytes{};
}
}  // namespace

Bytes EncodeSqlBatch(std::string_view text, TdsVersion version, uint64_t descriptor) {
  Bytes out = Start(version, descriptor);
  utf::Utf8ToUtf16Le(text, &out);
  return out;
}

Result<Bytes> EncodeRpc(const RpcRequest& request, TdsVersion version, uint64_t descriptor) {
  Bytes out = Start(version, descriptor);
  ByteWriter w(&out);
  for (size_t i = 0; i < request.calls.size(); ++i) {
    const RpcCall& call = request.calls[i];
    if (i > 0) {
      w.U8(call.no_exec ? kRpcNoExecFlag
                        : (HasAllHeaders(version) ? kRpcBatchFlag72 : kRpcBatchFlag));
    }
    if (call.proc_name.empty()) {
      w.U16Le(kProcIdSwitch);
      w.U16Le(call.proc_id);
    } else {
      wire::WriteUsVarChar(&w, call.proc_name);
    }
    w.U16Le(call.option_flags);
    for (const RpcParameter& p : call.params) {
      wire::WriteBVarChar(&w, p.name);
      w.U8(p.status_flags);
      WriteTypeInfo(p.type_info, &w);
      EDGESQL_RETURN_IF_ERROR(EncodeValue(p.value, p.type_info, ValueForm::kParameter, &out));
    }
  }
  return out;
}

Bytes EncodeTransactionManager(const TransactionManagerRequest& r, TdsVersion version,
                               uint64_t descriptor) {
  Bytes out = Start(version, descriptor);
  ByteWriter w(&out);
  w.U16Le(static_cast<uint16_t>(r.type));
  switch (r.type) {
    case TmRequestType::kBegin:
      w.U8(r.isolation_level);
      wire::WriteBVarChar(&w, r.name);
      break;
    case TmRequestType::kCommit:
    case TmRequestType::kRollback:
      wire::WriteBVarChar(&w, r.name);
      w.U8(r.begin_new ? kTmBeginXactFlag : 0);
      if (r.begin_new) {
        w.U8(r.new_isolation_level);
        wire::WriteBVarChar(&w, r.new_name);
      }
      break;
    case TmRequestType::kSave:
      wire::WriteBVarChar(&w, r.name);
      break;
  }
  return out;
}

Result<Bytes> EncodeBulkLoad(std::span<const BulkColumn> columns,
                             std::span<const std::vector<Value>> rows, TdsVersion version,
                             bool with_done) {
  Bytes out;
  ByteWriter w(&out);
  w.U8(kTokenColMetadata);
  w.U16Le(static_cast<uint16_t>(columns.size()));
  for (const BulkColumn& c : columns) {
    if (HasAllHeaders(version)) {
      w.U32Le(c.user_type);
    } else {
      w.U16Le(static_cast<uint16_t>(c.user_type));
    }
    w.U16Le(c.flags);
    WriteTypeInfo(c.type_info, &w);
    if (c.type_info.IsLegacyLob()) wire::WriteUsVarChar(&w, c.table_name);
    wire::WriteBVarChar(&w, c.name);
  }
  for (const std::vector<Value>& row : rows) {
    w.U8(kTokenRow);
    for (size_t i = 0; i < row.size() && i < columns.size(); ++i) {
      EDGESQL_RETURN_IF_ERROR(EncodeValue(row[i], columns[i].type_info, ValueForm::kRow, &out));
    }
  }
  if (with_done) {
    w.U8(kTokenDone);
    w.U16Le(kDoneFinal);
    w.U16Le(0);
    if (HasAllHeaders(version)) {
      w.U64Le(0);
    } else {
      w.U32Le(0);
    }
  }
  return out;
}

Bytes Packetize(uint8_t type, ByteView payload, uint32_t packet_size, uint8_t status) {
  Bytes out;
  size_t chunk = packet_size - kPacketHeaderSize;
  size_t pos = 0;
  uint8_t id = 1;
  do {
    size_t n = std::min(chunk, payload.size() - pos);
    PacketHeader h;
    h.type = type;
    h.status = static_cast<uint8_t>((pos == 0 ? status : 0) |
                                    (pos + n == payload.size() ? kStatusEom : 0));
    h.length = static_cast<uint16_t>(n + kPacketHeaderSize);
    h.packet_id = id++;
    size_t at = out.size();
    out.resize(at + kPacketHeaderSize);
    WritePacketHeader(h, out.data() + at);
    out.insert(out.end(), payload.begin() + pos, payload.begin() + pos + n);
    pos += n;
  } while (pos < payload.size());
  return out;
}

}  // namespace edgesql::tds::client
