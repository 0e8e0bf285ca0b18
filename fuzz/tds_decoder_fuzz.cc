// libFuzzer target for the TDS decoders (src/tds): arbitrary bytes through the packet assembler
// and every request decoder, for every TDS version, plus the properties a correct codec has:
//   - nothing crashes, hangs, leaks or trips a sanitizer on any input;
//   - whatever decodes re-encodes (client_messages.h) and decodes again to the same thing;
//   - every decoded parameter value can be sent back in a result set (TokenWriter) in its own
//     type, for every TDS version, without an error.
//
//   - a BULK LOAD stream decodes the same whichever way it is cut into parts, and what decodes
//     re-encodes and decodes again to the same rows.
//
// Input layout: byte 0 chooses the TDS version (bits 0-2), how the rest is chunked into the
// assembler (bits 3-5) and the negotiated packet size (bits 6-7); the rest is the client's byte
// stream. The decoders are also run directly on the stream minus one packet header, so a single
// seed message exercises both paths. Seeds: fuzz/corpus/tds_decoder (see make_tds_corpus.cc).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tds/bulk_load.h"
#include "tds/client_messages.h"
#include "tds/login7.h"
#include "tds/packet.h"
#include "tds/prelogin.h"
#include "tds/requests.h"
#include "tds/token_writer.h"
#include "tds/type_info.h"
#include "tds/value_codec.h"

namespace edgesql::tds {
namespace {

#define FUZZ_CHECK(cond)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "fuzz check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

constexpr TdsVersion kVersions[] = {TdsVersion::k71,  TdsVersion::k72, TdsVersion::k73A,
                                    TdsVersion::k73B, TdsVersion::k74, TdsVersion::k74,
                                    TdsVersion::k74,  TdsVersion::k74};
constexpr size_t kChunks[] = {1, 2, 3, 7, 64, 512, 4096, SIZE_MAX};
constexpr uint32_t kPacketSizes[] = {512, 4096, 8192, kMaxPacketSize};

// Fixed-length char/binary parameters come back padded, so they are compared loosely.
bool Padded(const TypeInfo& ti) {
  return ti.type == kTypeBigChar || ti.type == kTypeNChar || ti.type == kTypeBigBinary;
}

void CheckPrelogin(ByteView payload) {
  Result<PreloginRequest> r = DecodePrelogin(payload);
  if (!r.ok()) return;
  Result<PreloginRequest> again = DecodePrelogin(client::EncodePrelogin(*r));
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->encryption == r->encryption);
  FUZZ_CHECK(again->client_version == r->client_version);
  FUZZ_CHECK(again->instance == r->instance);
  FUZZ_CHECK(again->thread_id == r->thread_id);
  FUZZ_CHECK(again->nonce == r->nonce);
  FUZZ_CHECK(again->trace_id == r->trace_id);
  NegotiateEncryption(r->encryption, ServerEncryption::kOptional);
}

void CheckLogin(ByteView payload) {
  Result<LoginRequest> r = DecodeLogin7(payload);
  if (!r.ok()) return;
  uint32_t packet_size = NegotiatePacketSize(r->packet_size);
  FUZZ_CHECK(packet_size >= kMinPacketSize && packet_size <= kMaxPacketSize);
  // The login response echoes client-chosen names: it must always encode.
  if (std::optional<TdsVersion> version = NegotiateTdsVersion(r->tds_version)) {
    LoginResponse response;
    response.database = r->database;
    response.language = r->language;
    response.server_name = r->server_name;
    response.packet_size = packet_size;
    response.ack_utf8_support = r->requests_utf8_support();
    BufferSink sink;
    PacketWriter pw(&sink, kMinPacketSize);
    TokenWriter tw(&pw, *version);
    pw.BeginMessage();
    FUZZ_CHECK(tw.LoginResponseTokens(response).ok());
    FUZZ_CHECK(pw.EndMessage().ok());
  }
  // Re-encoding places fields at 16-bit offsets: only records that fit are compared.
  size_t text = r->hostname.size() + r->username.size() + r->password.size() + r->app_name.size() +
                r->server_name.size() + r->library_name.size() + r->language.size() +
                r->database.size() + r->attach_db_file.size() + r->new_password.size() +
                r->sspi.size();
  if (text > 16000) return;
  for (const FeatureExtension& f : r->features) text += f.data.size();
  Result<LoginRequest> again = DecodeLogin7(client::EncodeLogin7(*r));
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->username == r->username);
  FUZZ_CHECK(again->password == r->password);
  FUZZ_CHECK(again->database == r->database);
  FUZZ_CHECK(again->new_password == r->new_password);
  FUZZ_CHECK(again->sspi == r->sspi);
  FUZZ_CHECK(again->features.size() == r->features.size());
}

// Every decoded parameter goes back out as a result column and a return value.
void CheckEncodable(const std::vector<RpcParameter>& params) {
  std::vector<ResultColumn> columns;
  std::vector<Value> row;
  for (const RpcParameter& p : params) {
    ResultColumn c;
    c.type = SqlTypeOf(p.type_info);
    c.name = p.name;
    columns.push_back(c);
    row.push_back(p.value);
  }
  for (TdsVersion v : kVersions) {
    BufferSink sink;
    PacketWriter pw(&sink, 512);
    TokenWriter tw(&pw, v);
    pw.BeginMessage();
    FUZZ_CHECK(tw.ColMetadata(columns).ok());
    Status st = tw.Row(row);
    if (!st.ok()) std::fprintf(stderr, "%s\n", st.ToString().c_str());
    FUZZ_CHECK(st.ok());
    for (size_t i = 0; i < params.size(); ++i) {
      FUZZ_CHECK(tw.ReturnValue(static_cast<uint16_t>(i + 1), params[i].name, kReturnValueOutput,
                                columns[i].type, params[i].value)
                     .ok());
    }
    FUZZ_CHECK(pw.EndMessage().ok());
  }
}

void CheckRequest(const Message& m, TdsVersion v) {
  Result<Request> r = DecodeRequest(m, v);
  if (!r.ok()) {
    FUZZ_CHECK(r.error().number != 0 && !r.error().message.empty());
    return;
  }
  uint64_t descriptor = r->headers.transaction_descriptor;
  if (auto* batch = std::get_if<SqlBatchRequest>(&r->body)) {
    Result<Request> again = DecodeRequest(
        Message{m.type, 0, kStatusEom, 0, client::EncodeSqlBatch(batch->text, v, descriptor)}, v);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(std::get<SqlBatchRequest>(again->body).text == batch->text);
  } else if (auto* rpc = std::get_if<RpcRequest>(&r->body)) {
    Result<Bytes> bytes = client::EncodeRpc(*rpc, v, descriptor);
    FUZZ_CHECK(bytes.ok());
    Result<Request> again = DecodeRequest(Message{m.type, 0, kStatusEom, 0, *bytes}, v);
    if (!again.ok()) std::fprintf(stderr, "%s\n", again.status().ToString().c_str());
    FUZZ_CHECK(again.ok());
    const RpcRequest& back = std::get<RpcRequest>(again->body);
    FUZZ_CHECK(back.calls.size() == rpc->calls.size());
    for (size_t i = 0; i < rpc->calls.size(); ++i) {
      const RpcCall& a = rpc->calls[i];
      const RpcCall& b = back.calls[i];
      FUZZ_CHECK(a.proc_name == b.proc_name && a.proc_id == b.proc_id);
      FUZZ_CHECK(a.params.size() == b.params.size());
      for (size_t k = 0; k < a.params.size(); ++k) {
        FUZZ_CHECK(a.params[k].name == b.params[k].name);
        if (!Padded(a.params[k].type_info)) FUZZ_CHECK(a.params[k].value == b.params[k].value);
      }
      CheckEncodable(a.params);
    }
  } else if (auto* tm = std::get_if<TransactionManagerRequest>(&r->body)) {
    Result<Request> again = DecodeRequest(
        Message{m.type, 0, kStatusEom, 0, client::EncodeTransactionManager(*tm, v, descriptor)}, v);
    FUZZ_CHECK(again.ok());
    const auto& back = std::get<TransactionManagerRequest>(again->body);
    FUZZ_CHECK(back.type == tm->type && back.name == tm->name);
    FUZZ_CHECK(back.begin_new == tm->begin_new && back.new_name == tm->new_name);
  }
}

struct BulkResult {
  std::vector<BulkColumn> columns;
  std::vector<std::vector<Value>> rows;
  bool ok = false;
};

// Decodes a BULK LOAD payload appended in parts of `part` bytes; at most `max_rows` rows.
BulkResult DecodeBulk(ByteView payload, TdsVersion v, size_t part) {
  BulkResult out;
  BulkLoadDecoder d(v, DecodeLimits{}, size_t{1} << 20);
  std::vector<Value> row;
  size_t pos = 0;
  while (true) {
    Result<BulkLoadDecoder::Item> item = d.Next(&row);
    if (!item.ok()) {
      FUZZ_CHECK(item.error().number != 0 && item.error().scope == ErrorScope::kStatement);
      return out;
    }
    if (*item == BulkLoadDecoder::Item::kDone) break;
    if (*item == BulkLoadDecoder::Item::kRow) {
      FUZZ_CHECK(row.size() == d.columns().size());
      if (out.rows.size() < 1000) out.rows.push_back(row);
      continue;
    }
    if (pos == payload.size()) {
      d.Finish();
      continue;
    }
    size_t n = std::min(part, payload.size() - pos);
    d.Append(payload.subspan(pos, n));
    pos += n;
  }
  out.columns = d.columns();
  out.ok = true;
  return out;
}

void CheckBulkLoad(ByteView payload, TdsVersion v, size_t part) {
  BulkResult a = DecodeBulk(payload, v, part);
  BulkResult whole = DecodeBulk(payload, v, SIZE_MAX);
  FUZZ_CHECK(a.ok == whole.ok && a.rows == whole.rows);
  if (!a.ok || a.rows.size() >= 1000) return;
  Result<Bytes> again = client::EncodeBulkLoad(a.columns, a.rows, v);
  FUZZ_CHECK(again.ok());
  BulkResult b = DecodeBulk(*again, v, 1 + (payload.size() % 97));
  FUZZ_CHECK(b.ok && b.columns.size() == a.columns.size());
  FUZZ_CHECK(b.rows.size() == a.rows.size());
  for (size_t r = 0; r < a.rows.size(); ++r) {
    for (size_t i = 0; i < a.columns.size(); ++i) {
      if (!Padded(a.columns[i].type_info)) FUZZ_CHECK(a.rows[r][i] == b.rows[r][i]);
    }
  }
}

void DecodeMessage(const Message& m, TdsVersion v) {
  switch (m.type) {
    case kPacketPrelogin:
      CheckPrelogin(m.payload);
      break;
    case kPacketLogin7:
      CheckLogin(m.payload);
      break;
    default:
      CheckRequest(m, v);
      break;
  }
}

}  // namespace
}  // namespace edgesql::tds

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgesql;
  using namespace edgesql::tds;
  if (size < 1) return 0;
  uint8_t selector = data[0];
  ByteView input(data + 1, size - 1);
  TdsVersion version = kVersions[selector & 7];
  size_t chunk = kChunks[(selector >> 3) & 7];
  uint32_t packet_size = kPacketSizes[selector >> 6];

  // 1. The byte stream through the assembler, as the network layer feeds it; BULK LOAD
  // messages are streamed in parts and decoded once whole.
  MessageAssembler assembler(AssemblerLimits{packet_size, size_t{1} << 20});
  assembler.set_streamed_type(kPacketBulkLoad, 1024);
  Bytes bulk;
  for (size_t pos = 0; pos < input.size();) {
    size_t n = std::min(chunk, input.size() - pos);
    if (!assembler.Feed(input.subspan(pos, n)).ok()) break;
    pos += n;
    while (std::optional<Message> m = assembler.Next()) {
      if (m->type != kPacketBulkLoad) {
        DecodeMessage(*m, version);
        continue;
      }
      bulk.insert(bulk.end(), m->payload.begin(), m->payload.end());
      if (m->partial) continue;
      CheckBulkLoad(bulk, version, chunk);
      bulk.clear();
    }
  }

  // 2. Every decoder directly on the payload of the first packet (header skipped).
  if (input.size() >= kPacketHeaderSize) {
    ByteView payload = input.subspan(kPacketHeaderSize);
    CheckPrelogin(payload);
    CheckLogin(payload);
    for (uint8_t type : {kPacketSqlBatch, kPacketRpc, kPacketTransactionManager}) {
      Message m;
      m.type = type;
      m.status = input[1];
      m.last_status = kStatusEom;
      m.payload.assign(payload.begin(), payload.end());
      CheckRequest(m, version);
    }
    CheckBulkLoad(payload, version, chunk);
  }
  return 0;
}
