// Messages laid out byte by byte the way each real client builds them (see
// /work/shared/notes/tds-clients.md and the clients' sources), decoded by edgesql. These bytes are
// written out here independently of client_messages.h, so an encoder mistake cannot hide a
// decoder mistake.
#include <gtest/gtest.h>

#include "common/errors.h"
#include "tds/login7.h"
#include "tds/packet.h"
#include "tds/requests.h"

namespace edgesql::tds {
namespace {

Bytes U16(std::string_view ascii) {
  Bytes b;
  for (char c : ascii) {
    b.push_back(static_cast<uint8_t>(c));
    b.push_back(0);
  }
  return b;
}

Bytes Le16(size_t v) { return {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8)}; }
Bytes Le32(size_t v) {
  return {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 24)};
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const Bytes kCollation = {0x09, 0x04, 0xD0, 0x00, 0x34};

// ALL_HEADERS with a transaction descriptor and an outstanding request count of 1.
Bytes AllHeaders(uint64_t descriptor = 0) {
  Bytes b = {0x16, 0, 0, 0, 0x12, 0, 0, 0, 0x02, 0};
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<uint8_t>(descriptor >> (8 * i)));
  Bytes count = {0x01, 0, 0, 0};
  b.insert(b.end(), count.begin(), count.end());
  return b;
}

// A tedious-style NVarChar parameter: name "@" + name, status, E7, length*2, collation, value.
Bytes TediousNVarChar(std::string_view name, std::string_view value) {
  return Cat({{static_cast<uint8_t>(name.size())},
              U16(name),
              {0x00, 0xE7},
              Le16(value.size() * 2),
              kCollation,
              Le16(value.size() * 2),
              U16(value)});
}

Message Wrap(uint8_t type, Bytes payload, uint8_t status = kStatusEom) {
  Message m;
  m.type = type;
  m.status = status;
  m.last_status = kStatusEom;
  m.payload = std::move(payload);
  return m;
}

TEST(TediousTest, ExecSqlWithNVarCharAndIntParameters) {
  // connection.execSql(new Request("select @id, @name", ...)) with addParameter('id', TYPES.Int,
  // 5), addParameter('name', TYPES.NVarChar, 'hé'), addParameter('missing', TYPES.Int, null),
  // addOutputParameter('out', TYPES.Int): sp_executesql by id 10.
  Bytes payload = Cat({AllHeaders(),
                       {0xFF, 0xFF, 0x0A, 0x00, 0x00, 0x00},
                       TediousNVarChar("@statement", "select @id, @name"),
                       TediousNVarChar("@params", "@id int, @name nvarchar(2)"),
                       {0x03},
                       U16("@id"),
                       {0x00, 0x26, 0x04, 0x04, 0x05, 0x00, 0x00, 0x00},
                       {0x05},
                       U16("@name"),
                       {0x00, 0xE7, 0x04, 0x00},
                       kCollation,
                       {0x04, 0x00, 0x68, 0x00, 0xE9, 0x00},
                       {0x08},
                       U16("@missing"),
                       {0x00, 0x26, 0x04, 0x00},
                       {0x04},
                       U16("@out"),
                       {0x01, 0x26, 0x04, 0x00}});
  Result<Request> r = DecodeRequest(Wrap(kPacketRpc, payload), TdsVersion::k74);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const RpcRequest& rpc = std::get<RpcRequest>(r->body);
  ASSERT_EQ(rpc.calls.size(), 1u);
  const RpcCall& call = rpc.calls[0];
  EXPECT_EQ(call.proc_id, kProcExecuteSql);
  ASSERT_EQ(call.params.size(), 6u);
  EXPECT_EQ(call.params[0].name, "@statement");
  EXPECT_EQ(call.params[0].value, Value::Str(SqlType::NVarChar(17), "select @id, @name"));
  EXPECT_EQ(call.params[1].value.AsString(), "@id int, @name nvarchar(2)");
  EXPECT_EQ(call.params[2].value, Value::Int(SqlType::Int(), 5));
  EXPECT_EQ(call.params[3].value, Value::Str(SqlType::NVarChar(2), "hé"));
  EXPECT_EQ(call.params[4].value, Value::Null(SqlType::Int()));
  EXPECT_TRUE(call.params[5].output());
  EXPECT_EQ(call.params[5].value, Value::Null(SqlType::Int()));
}

TEST(TediousTest, LongStatementIsAnUnknownLengthPlp) {
  // Over 4000 characters tedious declares nvarchar(max) and streams the value as PLP with
  // PLP_UNKNOWN_LEN, one chunk, then the terminator.
  std::string text = "select '" + std::string(4100, 'x') + "'";
  Bytes payload = Cat({AllHeaders(0x1234),
                       {0xFF, 0xFF, 0x0A, 0x00, 0x00, 0x00},
                       {0x0A},
                       U16("@statement"),
                       {0x00, 0xE7, 0xFF, 0xFF},
                       kCollation,
                       {0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
                       Le32(text.size() * 2),
                       U16(text),
                       {0x00, 0x00, 0x00, 0x00}});
  // Spread over 4096-byte packets and reassembled.
  MessageAssembler a;
  Bytes wire;
  size_t pos = 0;
  uint8_t id = 1;
  while (pos < payload.size()) {
    size_t n = std::min<size_t>(4088, payload.size() - pos);
    PacketHeader h;
    h.type = kPacketRpc;
    h.status = pos + n == payload.size() ? kStatusEom : 0;
    h.length = static_cast<uint16_t>(n + 8);
    h.packet_id = id++;
    uint8_t hdr[8];
    WritePacketHeader(h, hdr);
    wire.insert(wire.end(), hdr, hdr + 8);
    wire.insert(wire.end(), payload.begin() + pos, payload.begin() + pos + n);
    pos += n;
  }
  ASSERT_TRUE(a.Feed(wire).ok());
  Result<Request> r = DecodeRequest(*a.Next(), TdsVersion::k74);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->headers.transaction_descriptor, 0x1234u);
  const RpcParameter& p = std::get<RpcRequest>(r->body).calls[0].params[0];
  EXPECT_EQ(p.value, Value::Str(SqlType::NVarChar(SqlType::kMax), text));
}

TEST(TediousTest, BeginTransactionRequest) {
  // connection.beginTransaction(cb, 'tx', ISOLATION_LEVEL.READ_COMMITTED).
  Bytes payload = Cat({AllHeaders(), {0x05, 0x00, 0x02, 0x02}, U16("tx")});
  Result<Request> r = DecodeRequest(Wrap(kPacketTransactionManager, payload), TdsVersion::k74);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& tm = std::get<TransactionManagerRequest>(r->body);
  EXPECT_EQ(tm.type, TmRequestType::kBegin);
  EXPECT_EQ(tm.isolation_level, kIsolationReadCommitted);
  EXPECT_EQ(tm.name, "tx");
  // commitTransaction with the descriptor the server sent in ENVCHANGE 8.
  payload = Cat({AllHeaders(0x0102), {0x07, 0x00, 0x02}, U16("tx"), {0x00}});
  r = DecodeRequest(Wrap(kPacketTransactionManager, payload), TdsVersion::k74);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->headers.transaction_descriptor, 0x0102u);
  EXPECT_EQ(std::get<TransactionManagerRequest>(r->body).type, TmRequestType::kCommit);
}

// A TDS 7.4 LOGIN7 record laid out as FreeTDS 1.3 builds it: 94-byte fixed part, strings in
// field order, the 4-byte FeatureExt offset after the server name, the block at the end.
Bytes FreeTdsLogin() {
  const std::string host = "client1", user = "sa", app = "pymssql", server = "db",
                    lib = "DB-Library", lang = "us_english", db = "shop";
  const Bytes password = {0xB3, 0xA5, 0xB6, 0xA5};  // "a1" obfuscated: 61 -> B3, 31 -> B6
  Bytes data;
  Bytes fixed(94, 0);
  auto put16 = [&](size_t at, size_t v) {
    fixed[at] = static_cast<uint8_t>(v);
    fixed[at + 1] = static_cast<uint8_t>(v >> 8);
  };
  auto add = [&](size_t field, const Bytes& bytes, size_t chars) {
    put16(field, 94 + data.size());
    put16(field + 2, chars);
    data.insert(data.end(), bytes.begin(), bytes.end());
  };
  add(36, U16(host), host.size());
  add(40, U16(user), user.size());
  add(44, password, 2);
  add(48, U16(app), app.size());
  add(52, U16(server), server.size());
  size_t ext_at = 94 + data.size();
  put16(56, ext_at);
  put16(58, 4);
  data.insert(data.end(), 4, 0);  // patched below
  add(60, U16(lib), lib.size());
  add(64, U16(lang), lang.size());
  add(68, U16(db), db.size());
  put16(78, 94 + data.size());  // SSPI: none
  put16(82, 94 + data.size());  // attach file: none
  put16(86, 94 + data.size());  // change password: none
  size_t feature_at = 94 + data.size();
  Bytes features = {0x0a, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff};
  data.insert(data.end(), features.begin(), features.end());
  Bytes ext = Le32(feature_at);
  std::copy(ext.begin(), ext.end(), data.begin() + (ext_at - 94));
  Bytes record = Cat({fixed, data});
  Bytes len = Le32(record.size());
  std::copy(len.begin(), len.end(), record.begin());
  Bytes version = {0x04, 0x00, 0x00, 0x74};  // 0x74000004 little-endian
  std::copy(version.begin(), version.end(), record.begin() + 4);
  Bytes size = Le32(4096);
  std::copy(size.begin(), size.end(), record.begin() + 8);
  record[24] = kLoginUseDbNotify | kLoginInitDbFatal | kLoginSetLangNotify;
  record[25] = kLoginInitLangFatal | kLoginOdbc;
  record[27] = kLoginExtension;
  return record;
}

TEST(FreeTdsTest, Login74WithUtf8FeatureExt) {
  Result<LoginRequest> r = DecodeLogin7(FreeTdsLogin());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(NegotiateTdsVersion(r->tds_version), TdsVersion::k74);
  EXPECT_EQ(r->hostname, "client1");
  EXPECT_EQ(r->username, "sa");
  EXPECT_EQ(r->password, "a1");
  EXPECT_EQ(r->app_name, "pymssql");
  EXPECT_EQ(r->server_name, "db");
  EXPECT_EQ(r->library_name, "DB-Library");
  EXPECT_EQ(r->language, "us_english");
  EXPECT_EQ(r->database, "shop");
  ASSERT_EQ(r->features.size(), 1u);
  EXPECT_EQ(r->features[0].id, kFeatureUtf8Support);
  EXPECT_EQ(r->features[0].data, Bytes{0x01});
  EXPECT_TRUE(r->requests_utf8_support());
}

TEST(FreeTdsTest, SelectSpidAndUseBatches) {
  for (std::string_view text : {"select @@spid", "use [shop]", "set textsize 2147483647"}) {
    Result<Request> r =
        DecodeRequest(Wrap(kPacketSqlBatch, Cat({AllHeaders(), U16(text)})), TdsVersion::k74);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(std::get<SqlBatchRequest>(r->body).text, text);
  }
}

TEST(JtdsTest, Tds71BatchWithoutAllHeaders) {
  Bytes payload = U16("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
  Result<Request> r = DecodeRequest(Wrap(kPacketSqlBatch, payload), TdsVersion::k71);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->headers.present);
  EXPECT_EQ(std::get<SqlBatchRequest>(r->body).text,
            "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
}

TEST(JtdsTest, Tds71ExecuteWithNTextParameterAndBatchFlag) {
  // prepareSQL=3: sp_execute(handle, @P0 nvarchar(4000), @P1 ntext), then sp_unprepare(handle)
  // in the same message after BatchFlag 0x80. jTDS writes a zero collation when it has none,
  // nvarchar parameters with max length 8000, and ntext with length in characters, then bytes.
  std::string long_text(5000, 'q');
  Bytes payload = Cat({{0xFF, 0xFF, 0x0C, 0x00, 0x00, 0x00},
                       {0x00, 0x00, 0x26, 0x04, 0x04, 0x01, 0x00, 0x00, 0x00},
                       {0x03},
                       U16("@P0"),
                       {0x00, 0xE7, 0x40, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00},
                       {0x06, 0x00},
                       U16("abc"),
                       {0x03},
                       U16("@P1"),
                       {0x00, 0x63},
                       Le32(long_text.size()),
                       kCollation,
                       Le32(long_text.size() * 2),
                       U16(long_text),
                       {0x80},
                       {0xFF, 0xFF, 0x0F, 0x00, 0x00, 0x00},
                       {0x00, 0x00, 0x26, 0x04, 0x04, 0x01, 0x00, 0x00, 0x00}});
  Result<Request> r = DecodeRequest(Wrap(kPacketRpc, payload), TdsVersion::k71);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const RpcRequest& rpc = std::get<RpcRequest>(r->body);
  ASSERT_EQ(rpc.calls.size(), 2u);
  EXPECT_EQ(rpc.calls[0].proc_id, kProcExecute);
  ASSERT_EQ(rpc.calls[0].params.size(), 3u);
  EXPECT_EQ(rpc.calls[0].params[0].value, Value::Int(SqlType::Int(), 1));
  EXPECT_EQ(rpc.calls[0].params[1].value, Value::Str(SqlType::NVarChar(4000), "abc"));
  EXPECT_EQ(rpc.calls[0].params[2].value, Value::Str(SqlType::NVarChar(SqlType::kMax), long_text));
  EXPECT_EQ(rpc.calls[1].proc_id, kProcUnprepare);
  EXPECT_EQ(rpc.calls[1].params[0].value, Value::Int(SqlType::Int(), 1));
}

TEST(JtdsTest, Tds71Login) {
  // The 86-byte fixed part of TDS 7.1: strings start at offset 86.
  Bytes fixed(86, 0);
  Bytes user = U16("jtds");
  fixed[40] = 86;
  fixed[42] = 4;
  Bytes record = Cat({fixed, user});
  Bytes len = Le32(record.size());
  std::copy(len.begin(), len.end(), record.begin());
  Bytes version = {0x01, 0x00, 0x00, 0x71};
  std::copy(version.begin(), version.end(), record.begin() + 4);
  for (size_t f : {36, 44, 48, 52, 56, 60, 64, 68, 78, 82}) record[f] = 94;  // empty fields
  Result<LoginRequest> r = DecodeLogin7(record);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(NegotiateTdsVersion(r->tds_version), TdsVersion::k71);
  EXPECT_EQ(r->username, "jtds");
}

TEST(GoMssqlTest, PooledConnectionResetsWithTheStatusBit) {
  Bytes payload = Cat({AllHeaders(), U16("select 1")});
  Bytes wire = Cat({{kPacketSqlBatch, kStatusEom | kStatusResetConnection},
                    {0x00, static_cast<uint8_t>(payload.size() + 8), 0x00, 0x00, 0x01, 0x00},
                    payload});
  MessageAssembler a;
  ASSERT_TRUE(a.Feed(wire).ok());
  Result<Request> r = DecodeRequest(*a.Next(), TdsVersion::k74);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->reset_connection);
  EXPECT_EQ(std::get<SqlBatchRequest>(r->body).text, "select 1");
}

TEST(GoMssqlTest, AttentionIsAnEmptyPacket) {
  const uint8_t wire[] = {0x06, 0x01, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00};
  MessageAssembler a;
  ASSERT_TRUE(a.Feed(wire).ok());
  Result<Request> r = DecodeRequest(*a.Next(), TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::holds_alternative<AttentionRequest>(r->body));
}

TEST(PytdsTest, BeginTransactionRightAfterLogin) {
  // pytds with autocommit off: TM_BEGIN_XACT, isolation 0 (no change), empty name.
  Bytes payload = Cat({AllHeaders(), {0x05, 0x00, 0x00, 0x00}});
  Result<Request> r = DecodeRequest(Wrap(kPacketTransactionManager, payload), TdsVersion::k74);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& tm = std::get<TransactionManagerRequest>(r->body);
  EXPECT_EQ(tm.isolation_level, kIsolationNoChange);
  EXPECT_EQ(tm.name, "");
}

TEST(PymssqlTest, SetOptionsBatch) {
  std::string text =
      "SET ARITHABORT ON;SET CONCAT_NULL_YIELDS_NULL ON;SET ANSI_NULLS ON;SET ANSI_NULL_DFLT_ON "
      "ON;SET ANSI_PADDING ON;SET ANSI_WARNINGS ON;SET CURSOR_CLOSE_ON_COMMIT ON;SET "
      "QUOTED_IDENTIFIER ON;SET TEXTSIZE 2147483647;";
  Result<Request> r =
      DecodeRequest(Wrap(kPacketSqlBatch, Cat({AllHeaders(), U16(text)})), TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<SqlBatchRequest>(r->body).text, text);
}

}  // namespace
}  // namespace edgesql::tds
