#include "tds/requests.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "tds/client_messages.h"
#include "tds/packet.h"

namespace edgesql::tds {
namespace {

Message Assemble(ByteView wire) {
  MessageAssembler a;
  Status st = a.Feed(wire);
  EXPECT_TRUE(st.ok()) << st.ToString();
  std::optional<Message> m = a.Next();
  EXPECT_TRUE(m);
  return m ? *m : Message{};
}

Message Msg(uint8_t type, Bytes payload, uint8_t status = kStatusEom) {
  Message m;
  m.type = type;
  m.status = status;
  m.last_status = kStatusEom;
  m.payload = std::move(payload);
  return m;
}

int ErrorOf(const Message& m, TdsVersion v = TdsVersion::k74) {
  Result<Request> r = DecodeRequest(m, v);
  return r.ok() ? 0 : r.error().number;
}

// [MS-TDS] 4.6 "SQL Batch Client Request".
const uint8_t kSpecBatch[] = {
    0x01, 0x01, 0x00, 0x5C, 0x00, 0x00, 0x01, 0x00, 0x16, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00,
    0x73, 0x00, 0x65, 0x00, 0x6C, 0x00, 0x65, 0x00, 0x63, 0x00, 0x74, 0x00, 0x20, 0x00, 0x27, 0x00,
    0x66, 0x00, 0x6F, 0x00, 0x6F, 0x00, 0x27, 0x00, 0x20, 0x00, 0x61, 0x00, 0x73, 0x00, 0x20, 0x00,
    0x27, 0x00, 0x62, 0x00, 0x61, 0x00, 0x72, 0x00, 0x27, 0x00, 0x0A, 0x00, 0x20, 0x00, 0x20, 0x00,
    0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00};

// [MC-SMP] 4.3: the TDS request inside the first SMP DATA packet of a session.
const uint8_t kSmpBatch[] = {
    0x01, 0x01, 0x00, 0x50, 0x00, 0x00, 0x01, 0x00, 0x16, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x53, 0x00,
    0x45, 0x00, 0x54, 0x00, 0x20, 0x00, 0x51, 0x00, 0x55, 0x00, 0x4F, 0x00, 0x54, 0x00, 0x45, 0x00,
    0x44, 0x00, 0x5F, 0x00, 0x49, 0x00, 0x44, 0x00, 0x45, 0x00, 0x4E, 0x00, 0x54, 0x00, 0x49, 0x00,
    0x46, 0x00, 0x49, 0x00, 0x45, 0x00, 0x52, 0x00, 0x20, 0x00, 0x4F, 0x00, 0x46, 0x00, 0x46, 0x00};

// [MS-TDS] 4.8 "RPC Client Request": procedure foo3, one unnamed parameter with its default value
// (INTN(2), NULL).
const uint8_t kSpecRpc[] = {0x03, 0x01, 0x00, 0x2F, 0x00, 0x00, 0x01, 0x00, 0x16, 0x00, 0x00, 0x00,
                            0x12, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                            0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x66, 0x00, 0x6F, 0x00,
                            0x6F, 0x00, 0x33, 0x00, 0x00, 0x00, 0x00, 0x02, 0x26, 0x02, 0x00};

TEST(SqlBatchTest, DecodesTheSpecExample) {
  Result<Request> r = DecodeRequest(Assemble(kSpecBatch), TdsVersion::k72);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->packet_type, kPacketSqlBatch);
  EXPECT_TRUE(r->headers.present);
  EXPECT_TRUE(r->headers.has_transaction_descriptor);
  EXPECT_EQ(r->headers.transaction_descriptor, 0x0100000000000000u);
  EXPECT_EQ(r->headers.outstanding_requests, 0u);
  EXPECT_EQ(std::get<SqlBatchRequest>(r->body).text, "\nselect 'foo' as 'bar'\n        ");
  EXPECT_FALSE(r->reset_connection);
}

TEST(SqlBatchTest, DecodesTheMcSmpExample) {
  Result<Request> r = DecodeRequest(Assemble(kSmpBatch), TdsVersion::k74);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->headers.transaction_descriptor, 0u);
  EXPECT_EQ(r->headers.outstanding_requests, 1u);
  EXPECT_EQ(std::get<SqlBatchRequest>(r->body).text, "SET QUOTED_IDENTIFIER OFF");
}

TEST(SqlBatchTest, Tds71HasNoHeaders) {
  // jTDS 1.3 speaks TDS 7.1: the payload is the text alone.
  Bytes payload = client::EncodeSqlBatch("SELECT @@MAX_PRECISION", TdsVersion::k71);
  EXPECT_EQ(payload.size(), 2 * 22u);
  Result<Request> r = DecodeRequest(Msg(kPacketSqlBatch, payload), TdsVersion::k71);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->headers.present);
  EXPECT_EQ(r->headers.transaction_descriptor, 0u);
  EXPECT_EQ(std::get<SqlBatchRequest>(r->body).text, "SELECT @@MAX_PRECISION");
  // The same bytes read as a 7.4 request are not a valid ALL_HEADERS.
  EXPECT_EQ(ErrorOf(Msg(kPacketSqlBatch, payload)), errors::kProtocolStreamIncorrect);
}

TEST(SqlBatchTest, ResetConnectionBitsAreSurfaced) {
  Bytes payload = client::EncodeSqlBatch("select 1", TdsVersion::k74, 7);
  Message m = Assemble(client::Packetize(kPacketSqlBatch, payload, 4096, kStatusResetConnection));
  Result<Request> r = DecodeRequest(m, TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->reset_connection);
  EXPECT_FALSE(r->reset_connection_skip_tran);
  EXPECT_EQ(r->headers.transaction_descriptor, 7u);
  m = Assemble(client::Packetize(kPacketSqlBatch, payload, 4096, kStatusResetConnectionSkipTran));
  r = DecodeRequest(m, TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->reset_connection_skip_tran);
}

TEST(SqlBatchTest, UnicodeAndEmptyText) {
  Result<Request> r = DecodeRequest(
      Msg(kPacketSqlBatch, client::EncodeSqlBatch("SELECT N'日本😀'", TdsVersion::k74)),
      TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<SqlBatchRequest>(r->body).text, "SELECT N'日本😀'");
  r = DecodeRequest(Msg(kPacketSqlBatch, client::EncodeSqlBatch("", TdsVersion::k74)),
                    TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<SqlBatchRequest>(r->body).text, "");
}

TEST(SqlBatchTest, RejectsMalformedBatches) {
  Bytes headers = client::EncodeAllHeaders(0);
  auto with = [&](Bytes tail) {
    Bytes b = headers;
    b.insert(b.end(), tail.begin(), tail.end());
    return Msg(kPacketSqlBatch, b);
  };
  EXPECT_EQ(ErrorOf(with({0x41})), errors::kProtocolStreamIncorrect);              // odd length
  EXPECT_EQ(ErrorOf(with({0x00, 0xDC})), errors::kProtocolStreamIncorrect);        // lone surrogate
  EXPECT_EQ(ErrorOf(Msg(kPacketSqlBatch, {})), errors::kProtocolStreamIncorrect);  // no headers
  Bytes bad_total = headers;
  bad_total[0] = 0x40;  // TotalLength beyond the message
  EXPECT_EQ(ErrorOf(Msg(kPacketSqlBatch, bad_total)), errors::kProtocolStreamIncorrect);
  Bytes bad_header = headers;
  bad_header[4] = 0x11;  // transaction descriptor header of 17 bytes
  EXPECT_EQ(ErrorOf(Msg(kPacketSqlBatch, bad_header)), errors::kProtocolStreamIncorrect);
  Bytes zero_header = headers;
  zero_header[4] = 0x00;  // a header of length 0 would never advance
  EXPECT_EQ(ErrorOf(Msg(kPacketSqlBatch, zero_header)), errors::kProtocolStreamIncorrect);
}

TEST(AllHeadersTest, AcceptsNotificationAndTraceHeaders) {
  Bytes b;
  ByteWriter w(&b);
  w.U32Le(4 + 18 + 6 + 26);  // total
  w.U32Le(18);
  w.U16Le(kHeaderTransactionDescriptor);
  w.U64Le(99);
  w.U32Le(1);
  w.U32Le(6);
  w.U16Le(kHeaderQueryNotifications);
  w.U32Le(26);
  w.U16Le(kHeaderTraceActivity);
  for (int i = 0; i < 20; ++i) w.U8(static_cast<uint8_t>(i));
  ByteReader r(b);
  RequestHeaders h;
  ASSERT_TRUE(DecodeAllHeaders(&r, &h).ok());
  EXPECT_TRUE(r.AtEnd());
  EXPECT_EQ(h.transaction_descriptor, 99u);
  EXPECT_TRUE(h.has_query_notifications);
  EXPECT_TRUE(h.has_trace_activity);
}

TEST(AttentionTest, DecodesEmptyMessage) {
  Result<Request> r = DecodeRequest(Msg(kPacketAttention, {}), TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::holds_alternative<AttentionRequest>(r->body));
}

TEST(RequestTest, RejectsOtherMessageTypes) {
  EXPECT_EQ(ErrorOf(Msg(kPacketBulkLoad, {0x81})), errors::kProtocolStreamIncorrect);
  EXPECT_EQ(ErrorOf(Msg(kPacketLogin7, {})), errors::kProtocolStreamIncorrect);
  EXPECT_EQ(ErrorOf(Msg(kPacketPrelogin, {0xFF})), errors::kProtocolStreamIncorrect);
}

// --- Transaction manager -------------------------------------------------------------------

TEST(TransactionManagerTest, BeginCommitRollbackSave) {
  TransactionManagerRequest begin;
  begin.type = TmRequestType::kBegin;
  begin.isolation_level = kIsolationReadCommitted;
  begin.name = "tx1";
  Bytes payload = client::EncodeTransactionManager(begin, TdsVersion::k74);
  // ALL_HEADERS, then 05 00, isolation 02, B_VARCHAR "tx1".
  Bytes tail(payload.begin() + 22, payload.end());
  EXPECT_EQ(tail, (Bytes{0x05, 0x00, 0x02, 0x03, 't', 0, 'x', 0, '1', 0}));
  Result<Request> r = DecodeRequest(Msg(kPacketTransactionManager, payload), TdsVersion::k74);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& tm = std::get<TransactionManagerRequest>(r->body);
  EXPECT_EQ(tm.type, TmRequestType::kBegin);
  EXPECT_EQ(tm.isolation_level, kIsolationReadCommitted);
  EXPECT_EQ(tm.name, "tx1");

  TransactionManagerRequest commit;
  commit.type = TmRequestType::kCommit;
  commit.begin_new = true;
  commit.new_isolation_level = kIsolationSerializable;
  commit.new_name = "next";
  r = DecodeRequest(Msg(kPacketTransactionManager,
                        client::EncodeTransactionManager(commit, TdsVersion::k74, 0x55)),
                    TdsVersion::k74);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->headers.transaction_descriptor, 0x55u);
  const auto& c = std::get<TransactionManagerRequest>(r->body);
  EXPECT_EQ(c.type, TmRequestType::kCommit);
  EXPECT_TRUE(c.begin_new);
  EXPECT_EQ(c.new_isolation_level, kIsolationSerializable);
  EXPECT_EQ(c.new_name, "next");

  TransactionManagerRequest rollback;
  rollback.type = TmRequestType::kRollback;
  rollback.name = "sp1";
  r = DecodeRequest(
      Msg(kPacketTransactionManager, client::EncodeTransactionManager(rollback, TdsVersion::k74)),
      TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<TransactionManagerRequest>(r->body).name, "sp1");
  EXPECT_FALSE(std::get<TransactionManagerRequest>(r->body).begin_new);

  TransactionManagerRequest save;
  save.type = TmRequestType::kSave;
  save.name = "sp2";
  r = DecodeRequest(
      Msg(kPacketTransactionManager, client::EncodeTransactionManager(save, TdsVersion::k74)),
      TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<TransactionManagerRequest>(r->body).type, TmRequestType::kSave);
}

TEST(TransactionManagerTest, RejectsDistributedAndMalformedRequests) {
  Bytes headers = client::EncodeAllHeaders(0);
  auto tm = [&](Bytes body) {
    Bytes b = headers;
    b.insert(b.end(), body.begin(), body.end());
    return Msg(kPacketTransactionManager, b);
  };
  EXPECT_EQ(ErrorOf(tm({0x06, 0x00})), errors::kUnsupportedStatement);  // TM_PROMOTE_XACT
  EXPECT_EQ(ErrorOf(tm({0x01, 0x00, 0x00, 0x00})), errors::kUnsupportedStatement);
  EXPECT_EQ(ErrorOf(tm({0x00, 0x00})), errors::kUnsupportedStatement);
  EXPECT_EQ(ErrorOf(tm({0x0A, 0x00})), errors::kProtocolStreamIncorrect);
  EXPECT_EQ(ErrorOf(tm({0x05})), errors::kProtocolStreamIncorrect);
  EXPECT_EQ(ErrorOf(tm({0x05, 0x00, 0x09, 0x00})), errors::kProtocolStreamIncorrect);  // level 9
  EXPECT_EQ(ErrorOf(tm({0x05, 0x00, 0x02, 0x05, 'a', 0})), errors::kProtocolStreamIncorrect);
  EXPECT_EQ(ErrorOf(tm({0x07, 0x00, 0x00, 0x00, 0x99})), errors::kProtocolStreamIncorrect);
  // A BEGIN without its name, as some clients send it, is a nameless BEGIN.
  Result<Request> r = DecodeRequest(tm({0x05, 0x00, 0x00}), TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<TransactionManagerRequest>(r->body).name, "");
}

// --- RPC -------------------------------------------------------------------------------------

TEST(RpcTest, DecodesTheSpecExample) {
  Result<Request> r = DecodeRequest(Assemble(kSpecRpc), TdsVersion::k72);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const RpcRequest& rpc = std::get<RpcRequest>(r->body);
  ASSERT_EQ(rpc.calls.size(), 1u);
  EXPECT_EQ(rpc.calls[0].proc_name, "foo3");
  EXPECT_EQ(rpc.calls[0].proc_id, 0);
  EXPECT_EQ(rpc.calls[0].option_flags, 0);
  ASSERT_EQ(rpc.calls[0].params.size(), 1u);
  const RpcParameter& p = rpc.calls[0].params[0];
  EXPECT_EQ(p.name, "");
  EXPECT_TRUE(p.use_default());
  EXPECT_FALSE(p.output());
  EXPECT_EQ(p.type_info.type, kTypeIntN);
  EXPECT_EQ(p.value, Value::Null(SqlType::SmallInt()));
}

RpcParameter Param(std::string name, const SqlType& type, Value value, uint8_t flags = 0) {
  RpcParameter p;
  p.name = std::move(name);
  p.status_flags = flags;
  p.type_info = WireTypeFor(type, TdsVersion::k74);
  p.value = std::move(value);
  return p;
}

TEST(RpcTest, SeveralCallsByIdAndName) {
  RpcRequest req;
  RpcCall prepare;
  prepare.proc_id = kProcPrepare;
  prepare.params.push_back(
      Param("@handle", SqlType::Int(), Value::Null(SqlType::Int()), kParamByRef));
  prepare.params.push_back(
      Param("@params", SqlType::NVarChar(4000), Value::Str(SqlType::NVarChar(4000), "@P1 int")));
  prepare.params.push_back(Param("@stmt", SqlType::NVarChar(SqlType::kMax),
                                 Value::Str(SqlType::NVarChar(SqlType::kMax), "select @P1")));
  prepare.params.push_back(Param("@options", SqlType::Int(), Value::Int(SqlType::Int(), 1)));
  req.calls.push_back(prepare);
  RpcCall named;
  named.proc_name = "dbo.usp_orders";
  named.option_flags = kRpcWithRecompile;
  named.params.push_back(
      Param("@d", SqlType::Decimal(10, 2), Value::Dec(SqlType::Decimal(10, 2), Decimal(-99, 2))));
  req.calls.push_back(named);
  RpcCall no_exec;
  no_exec.no_exec = true;
  no_exec.proc_id = kProcUnprepare;
  req.calls.push_back(no_exec);

  for (TdsVersion v : {TdsVersion::k71, TdsVersion::k74}) {
    Result<Bytes> payload = client::EncodeRpc(req, v, 3);
    ASSERT_TRUE(payload.ok());
    Result<Request> r = DecodeRequest(Msg(kPacketRpc, *payload), v);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const RpcRequest& rpc = std::get<RpcRequest>(r->body);
    ASSERT_EQ(rpc.calls.size(), 3u);
    EXPECT_EQ(rpc.calls[0].proc_id, kProcPrepare);
    ASSERT_EQ(rpc.calls[0].params.size(), 4u);
    EXPECT_TRUE(rpc.calls[0].params[0].output());
    EXPECT_EQ(rpc.calls[0].params[0].name, "@handle");
    EXPECT_EQ(rpc.calls[0].params[1].value, Value::Str(SqlType::NVarChar(4000), "@P1 int"));
    EXPECT_EQ(rpc.calls[0].params[2].value,
              Value::Str(SqlType::NVarChar(SqlType::kMax), "select @P1"));
    EXPECT_EQ(rpc.calls[0].params[3].value, Value::Int(SqlType::Int(), 1));
    EXPECT_EQ(rpc.calls[1].proc_name, "dbo.usp_orders");
    EXPECT_TRUE(rpc.calls[1].with_recompile());
    EXPECT_EQ(rpc.calls[1].params[0].value, Value::Dec(SqlType::Decimal(10, 2), Decimal(-99, 2)));
    EXPECT_FALSE(rpc.calls[1].no_exec);
    EXPECT_TRUE(rpc.calls[2].no_exec);
    EXPECT_EQ(rpc.calls[2].proc_id, kProcUnprepare);
    EXPECT_TRUE(rpc.calls[2].params.empty());
    EXPECT_EQ(r->headers.present, v == TdsVersion::k74);
  }
}

TEST(RpcTest, TrailingBatchFlagIsAccepted) {
  RpcRequest req;
  RpcCall call;
  call.proc_id = kProcExecuteSql;
  req.calls.push_back(call);
  Bytes payload = *client::EncodeRpc(req, TdsVersion::k74);
  payload.push_back(kRpcBatchFlag72);
  Result<Request> r = DecodeRequest(Msg(kPacketRpc, payload), TdsVersion::k74);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<RpcRequest>(r->body).calls.size(), 1u);
}

Bytes RpcWithRawParam(Bytes param) {
  Bytes b = client::EncodeAllHeaders(0);
  ByteWriter w(&b);
  w.U16Le(kProcIdSwitch);
  w.U16Le(kProcExecuteSql);
  w.U16Le(0);
  // A valid first parameter, so the bad one is parameter 2.
  w.Append(Bytes{0x00, 0x00, 0x26, 0x04, 0x04, 0x01, 0x00, 0x00, 0x00});
  w.Append(param);
  return b;
}

SqlError RpcError(Bytes param) {
  Result<Request> r =
      DecodeRequest(Msg(kPacketRpc, RpcWithRawParam(std::move(param))), TdsVersion::k74);
  EXPECT_FALSE(r.ok());
  return r.ok() ? SqlError{} : r.error();
}

TEST(RpcTest, ParameterErrorsAreSqlServers) {
  // "@x" = 02 40 00 78 00
  SqlError e = RpcError({0x02, 0x40, 0x00, 0x78, 0x00, 0x00, 0x62, 0x10, 0x00, 0x00, 0x00});
  EXPECT_EQ(e.number, errors::kRpcUnknownDataType);
  EXPECT_EQ(e.severity, 16);
  EXPECT_EQ(e.message,
            "The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is "
            "incorrect. Parameter 2 (\"@x\"): Data type 0x62 is unknown.");
  // A table-valued parameter is refused the same way.
  EXPECT_EQ(RpcError({0x02, 0x40, 0x00, 0x78, 0x00, 0x00, 0xF3, 0x00}).number,
            errors::kRpcUnknownDataType);
  e = RpcError({0x02, 0x40, 0x00, 0x78, 0x00, 0x00, 0x26, 0x03, 0x00});
  EXPECT_EQ(e.number, errors::kRpcInvalidDataLength);
  EXPECT_NE(e.message.find("Parameter 2 (\"@x\"): Data type 0x26 has an invalid data length"),
            std::string::npos);
  // INTN(4) with a 2-byte value.
  EXPECT_EQ(RpcError({0x00, 0x00, 0x26, 0x04, 0x02, 0x01, 0x00}).number,
            errors::kRpcInvalidDataLength);
  // decimal(2,0) holding 100.
  e = RpcError({0x00, 0x00, 0x6A, 0x05, 0x02, 0x00, 0x05, 0x01, 0x64, 0x00, 0x00, 0x00});
  EXPECT_EQ(e.number, errors::kRpcInvalidValue);
  EXPECT_NE(e.message.find("not a valid instance of data type decimal"), std::string::npos);
  // The message ends inside the value: the stream is broken.
  EXPECT_EQ(RpcError({0x00, 0x00, 0x26, 0x04, 0x04, 0x01}).number,
            errors::kProtocolStreamIncorrect);
  EXPECT_EQ(RpcError({0x05, 0x40, 0x00}).number, errors::kProtocolStreamIncorrect);
  // Always Encrypted parameters are not supported.
  EXPECT_EQ(RpcError({0x00, kParamEncrypted, 0x26, 0x04, 0x00}).number,
            errors::kUnsupportedStatement);
}

TEST(RpcTest, AtMost2100Parameters) {
  auto build = [](size_t n) {
    Bytes b = client::EncodeAllHeaders(0);
    ByteWriter w(&b);
    w.U16Le(kProcIdSwitch);
    w.U16Le(kProcExecuteSql);
    w.U16Le(0);
    for (size_t i = 0; i < n; ++i) w.Append(Bytes{0x00, 0x00, 0x26, 0x04, 0x00});  // NULL ints
    return b;
  };
  Result<Request> ok = DecodeRequest(Msg(kPacketRpc, build(2100)), TdsVersion::k74);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(std::get<RpcRequest>(ok->body).calls[0].params.size(), 2100u);
  EXPECT_EQ(ErrorOf(Msg(kPacketRpc, build(2101))), errors::kTooManyParameters);
}

TEST(RpcTest, RejectsMalformedProcedureNames) {
  Bytes b = client::EncodeAllHeaders(0);
  Bytes empty_name = b;
  empty_name.insert(empty_name.end(), {0x00, 0x00, 0x00, 0x00});
  EXPECT_EQ(ErrorOf(Msg(kPacketRpc, empty_name)), errors::kProtocolStreamIncorrect);
  Bytes long_name = b;
  long_name.insert(long_name.end(), {0x10, 0x00, 'a', 0x00});
  EXPECT_EQ(ErrorOf(Msg(kPacketRpc, long_name)), errors::kProtocolStreamIncorrect);
  Bytes no_flags = b;
  no_flags.insert(no_flags.end(), {0xFF, 0xFF, 0x0A, 0x00});
  EXPECT_EQ(ErrorOf(Msg(kPacketRpc, no_flags)), errors::kProtocolStreamIncorrect);
  EXPECT_EQ(ErrorOf(Msg(kPacketRpc, b)), errors::kProtocolStreamIncorrect);
}

}  // namespace
}  // namespace edgesql::tds
