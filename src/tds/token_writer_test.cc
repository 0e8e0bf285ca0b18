#include "tds/token_writer.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "tds/value_codec.h"
#include "tds/wire.h"

namespace edgesql::tds {
namespace {

// Runs `body` against a TokenWriter in one message and returns the message payload.
template <typename F>
Bytes Tokens(TdsVersion version, F body, uint32_t packet_size = 32767) {
  BufferSink sink;
  PacketWriter pw(&sink, packet_size);
  TokenWriter tw(&pw, version);
  pw.BeginMessage();
  body(tw);
  EXPECT_TRUE(pw.EndMessage().ok());
  // Strip the packet headers.
  Bytes payload;
  size_t pos = 0;
  while (pos < sink.bytes.size()) {
    size_t len = (sink.bytes[pos + 2] << 8) | sink.bytes[pos + 3];
    payload.insert(payload.end(), sink.bytes.begin() + pos + 8, sink.bytes.begin() + pos + len);
    pos += len;
  }
  return payload;
}

Bytes U16(std::string_view ascii) {
  Bytes b;
  for (char c : ascii) {
    b.push_back(static_cast<uint8_t>(c));
    b.push_back(0);
  }
  return b;
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(TokenWriterTest, LoginAck) {
  Bytes b = Tokens(TdsVersion::k74, [](TokenWriter& t) { ASSERT_TRUE(t.LoginAck().ok()); });
  // Length 0x32 = interface 1 + version 4 + name 1 + 40 + program version 4.
  Bytes expected = Cat({{0xAD, 0x32, 0x00, 0x01, 0x74, 0x00, 0x00, 0x04, 20},
                        U16("Microsoft SQL Server"),
                        {0x10, 0x00, 0x03, 0xE8}});
  EXPECT_EQ(b, expected);
  // A TDS 7.1 client (jTDS) gets 7.1 back, still big-endian.
  b = Tokens(TdsVersion::k71, [](TokenWriter& t) { ASSERT_TRUE(t.LoginAck().ok()); });
  EXPECT_EQ(Bytes(b.begin() + 4, b.begin() + 8), (Bytes{0x71, 0x00, 0x00, 0x01}));
  b = Tokens(TdsVersion::k73B, [](TokenWriter& t) { ASSERT_TRUE(t.LoginAck().ok()); });
  EXPECT_EQ(Bytes(b.begin() + 4, b.begin() + 8), (Bytes{0x73, 0x0B, 0x00, 0x03}));
}

TEST(TokenWriterTest, FeatureExtAckUtf8Only) {
  Bytes b =
      Tokens(TdsVersion::k74, [](TokenWriter& t) { ASSERT_TRUE(t.FeatureExtAckUtf8().ok()); });
  EXPECT_EQ(b, (Bytes{0xAE, 0x0A, 0x01, 0x00, 0x00, 0x00, 0x01, 0xFF}));
}

TEST(TokenWriterTest, EnvChanges) {
  EXPECT_EQ(Tokens(TdsVersion::k74,
                   [](TokenWriter& t) { ASSERT_TRUE(t.EnvDatabase("master", "").ok()); }),
            Cat({{0xE3, 0x0F, 0x00, 0x01, 0x06}, U16("master"), {0x00}}));
  EXPECT_EQ(Tokens(TdsVersion::k74,
                   [](TokenWriter& t) { ASSERT_TRUE(t.EnvLanguage("us_english", "").ok()); }),
            Cat({{0xE3, 0x17, 0x00, 0x02, 0x0A}, U16("us_english"), {0x00}}));
  EXPECT_EQ(Tokens(TdsVersion::k74,
                   [](TokenWriter& t) { ASSERT_TRUE(t.EnvPacketSize(8192, 4096).ok()); }),
            Cat({{0xE3, 0x13, 0x00, 0x04, 0x04}, U16("8192"), {0x04}, U16("4096")}));
  const uint8_t coll[] = {0x09, 0x04, 0xD0, 0x00, 0x34};
  EXPECT_EQ(
      Tokens(TdsVersion::k74, [&](TokenWriter& t) { ASSERT_TRUE(t.EnvSqlCollation(coll).ok()); }),
      (Bytes{0xE3, 0x08, 0x00, 0x07, 0x05, 0x09, 0x04, 0xD0, 0x00, 0x34, 0x00}));
  // Transactions: BEGIN carries the new descriptor; COMMIT/ROLLBACK the old one.
  EXPECT_EQ(
      Tokens(TdsVersion::k74,
             [](TokenWriter& t) { ASSERT_TRUE(t.EnvBeginTransaction(0x0102030405060708).ok()); }),
      (Bytes{0xE3, 0x0B, 0x00, 0x08, 0x08, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00}));
  EXPECT_EQ(
      Tokens(TdsVersion::k74, [](TokenWriter& t) { ASSERT_TRUE(t.EnvCommitTransaction(1).ok()); }),
      (Bytes{0xE3, 0x0B, 0x00, 0x09, 0x00, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Tokens(TdsVersion::k74,
                   [](TokenWriter& t) { ASSERT_TRUE(t.EnvRollbackTransaction(2).ok()); }),
            (Bytes{0xE3, 0x0B, 0x00, 0x0A, 0x00, 0x08, 0x02, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(
      Tokens(TdsVersion::k74, [](TokenWriter& t) { ASSERT_TRUE(t.EnvResetConnectionAck().ok()); }),
      (Bytes{0xE3, 0x03, 0x00, 0x12, 0x00, 0x00}));
}

TEST(TokenWriterTest, ErrorAndInfo) {
  SqlError e = errors::Make(errors::kInvalidObjectName, {"t"});
  e.line = 3;
  e.state = 1;
  Bytes body = Cat({{0xD0, 0x00, 0x00, 0x00, 0x01, 0x10},  // 208, state 1, class 16
                    {0x18, 0x00},
                    U16("Invalid object name 't'."),
                    {0x07},
                    U16("edgesql"),
                    {0x00}});
  Bytes b74 =
      Tokens(TdsVersion::k74, [&](TokenWriter& t) { ASSERT_TRUE(t.Message(e, "edgesql").ok()); });
  Bytes expected74 = Cat({{0xAA, static_cast<uint8_t>(body.size() + 4), 0x00}, body, {3, 0, 0, 0}});
  EXPECT_EQ(b74, expected74);
  // TDS 7.1: the line number is 2 bytes.
  Bytes b71 =
      Tokens(TdsVersion::k71, [&](TokenWriter& t) { ASSERT_TRUE(t.Message(e, "edgesql").ok()); });
  Bytes expected71 = Cat({{0xAA, static_cast<uint8_t>(body.size() + 2), 0x00}, body, {3, 0}});
  EXPECT_EQ(b71, expected71);
  // Severity 10 and below is an INFO token.
  SqlError info = errors::Make(errors::kChangedDatabaseContext, {"master"});
  Bytes bi =
      Tokens(TdsVersion::k74, [&](TokenWriter& t) { ASSERT_TRUE(t.Message(info, "x").ok()); });
  EXPECT_EQ(bi[0], kTokenInfo);
  EXPECT_EQ(Bytes(bi.begin() + 3, bi.begin() + 9), (Bytes{0x45, 0x16, 0x00, 0x00, 0x01, 0x00}));
  // A procedure name is sent; an over-long message is cut to fit the token.
  SqlError user = errors::MakeUser(50000, 16, 1, std::string(70000, 'x'));
  user.procedure = "usp_fail";
  Bytes bu =
      Tokens(TdsVersion::k74, [&](TokenWriter& t) { ASSERT_TRUE(t.Message(user, "s").ok()); });
  size_t token_length = bu[1] | (bu[2] << 8);
  EXPECT_EQ(token_length + 3, bu.size());
  EXPECT_LT(bu.size(), 65536u);
}

TEST(TokenWriterTest, DoneTokensByVersion) {
  Bytes b = Tokens(TdsVersion::k74, [](TokenWriter& t) {
    ASSERT_TRUE(t.Done(kDoneCount | kDoneMore, kCurCmdSelect, 5).ok());
    ASSERT_TRUE(t.DoneInProc(kDoneCount, kCurCmdInsert, 1).ok());
    ASSERT_TRUE(t.DoneProc(kDoneFinal, kCurCmdExecute, 0).ok());
  });
  EXPECT_EQ(b, (Bytes{0xFD, 0x11, 0x00, 0xC1, 0x00, 5, 0, 0, 0, 0, 0, 0, 0,  //
                      0xFF, 0x10, 0x00, 0xC3, 0x00, 1, 0, 0, 0, 0, 0, 0, 0,  //
                      0xFE, 0x00, 0x00, 0xE0, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}));
  b = Tokens(TdsVersion::k71,
             [](TokenWriter& t) { ASSERT_TRUE(t.Done(kDoneCount, kCurCmdSelect, 5).ok()); });
  EXPECT_EQ(b, (Bytes{0xFD, 0x10, 0x00, 0xC1, 0x00, 5, 0, 0, 0}));
  b = Tokens(TdsVersion::k74,
             [](TokenWriter& t) { ASSERT_TRUE(t.Done(kDoneAttn, kCurCmdNone, 0).ok()); });
  EXPECT_EQ(b[1], 0x20);  // the attention acknowledgement
}

std::vector<ResultColumn> TwoColumns() {
  ResultColumn id;
  id.name = "id";
  id.type = SqlType::Int();
  id.nullable = false;
  id.identity = true;
  ResultColumn name;
  name.name = "name";
  name.type = SqlType::NVarChar(10);
  name.nullable = true;
  name.updatable = true;
  return {id, name};
}

TEST(TokenWriterTest, ColMetadata) {
  std::vector<ResultColumn> cols = TwoColumns();
  Bytes b74 =
      Tokens(TdsVersion::k74, [&](TokenWriter& t) { ASSERT_TRUE(t.ColMetadata(cols).ok()); });
  EXPECT_EQ(b74,
            Cat({{0x81, 0x02, 0x00},
                 {0, 0, 0, 0, 0x10, 0x00, 0x26, 0x04, 0x02},
                 U16("id"),
                 {0, 0, 0, 0, 0x05, 0x00, 0xE7, 0x14, 0x00, 0x09, 0x04, 0xD0, 0x00, 0x34, 0x04},
                 U16("name")}));
  // TDS 7.1: 2-byte UserType.
  Bytes b71 =
      Tokens(TdsVersion::k71, [&](TokenWriter& t) { ASSERT_TRUE(t.ColMetadata(cols).ok()); });
  EXPECT_EQ(b71, Cat({{0x81, 0x02, 0x00},
                      {0, 0, 0x10, 0x00, 0x26, 0x04, 0x02},
                      U16("id"),
                      {0, 0, 0x05, 0x00, 0xE7, 0x14, 0x00, 0x09, 0x04, 0xD0, 0x00, 0x34, 0x04},
                      U16("name")}));
  EXPECT_EQ(Tokens(TdsVersion::k74, [](TokenWriter& t) { ASSERT_TRUE(t.NoMetadata().ok()); }),
            (Bytes{0x81, 0xFF, 0xFF}));
}

TEST(TokenWriterTest, LegacyLobColumnsCarryATableName) {
  ResultColumn c;
  c.name = "doc";
  c.type = SqlType::NVarChar(SqlType::kMax);
  c.table_name = "docs";
  std::vector<ResultColumn> cols = {c};
  Bytes b = Tokens(TdsVersion::k71, [&](TokenWriter& t) {
    ASSERT_TRUE(t.ColMetadata(cols).ok());
    Value v = Value::Str(c.type, "hi");
    ASSERT_TRUE(t.Row(std::span<const Value>(&v, 1)).ok());
  });
  Bytes meta = Cat({{0x81, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00},
                    {0x63, 0xFE, 0xFF, 0xFF, 0x7F, 0x09, 0x04, 0xD0, 0x00, 0x34},
                    {0x04, 0x00},
                    U16("docs"),
                    {0x03},
                    U16("doc")});
  ASSERT_GE(b.size(), meta.size());
  EXPECT_EQ(Bytes(b.begin(), b.begin() + meta.size()), meta);
  // ROW: text pointer length 16, pointer, timestamp, 4-byte length, UTF-16 data.
  Bytes row(b.begin() + meta.size(), b.end());
  ASSERT_EQ(row.size(), 1u + 1 + 16 + 8 + 4 + 4);
  EXPECT_EQ(row[0], kTokenRow);
  EXPECT_EQ(row[1], 16);
  EXPECT_EQ(Bytes(row.end() - 8, row.end()), (Bytes{0x04, 0, 0, 0, 'h', 0, 'i', 0}));
}

TEST(TokenWriterTest, RowsAndNbcRows) {
  std::vector<ResultColumn> cols = TwoColumns();
  std::vector<Value> full = {Value::Int(SqlType::Int(), 1),
                             Value::Str(SqlType::NVarChar(10), "abc")};
  std::vector<Value> with_null = {Value::Int(SqlType::Int(), 1),
                                  Value::Null(SqlType::NVarChar(10))};
  Bytes b = Tokens(TdsVersion::k74, [&](TokenWriter& t) {
    ASSERT_TRUE(t.ColMetadata(cols).ok());
    ASSERT_TRUE(t.Row(full).ok());
    ASSERT_TRUE(t.Row(with_null).ok());
  });
  Bytes rows(b.end() - 21, b.end());
  EXPECT_EQ(rows, (Bytes{0xD1, 0x04, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 'a',  0,   'b',
                         0,    'c',  0,    0xD2, 0x02, 0x04, 0x01, 0x00, 0x00, 0x00}));
  // Before TDS 7.3B there is no NBCROW: NULL is the column's NULL marker.
  for (TdsVersion v : {TdsVersion::k71, TdsVersion::k72, TdsVersion::k73A}) {
    b = Tokens(v, [&](TokenWriter& t) {
      ASSERT_TRUE(t.ColMetadata(cols).ok());
      ASSERT_TRUE(t.Row(with_null).ok());
    });
    EXPECT_EQ(Bytes(b.end() - 8, b.end()), (Bytes{0xD1, 0x04, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF}));
  }
}

TEST(TokenWriterTest, NbcRowBitmapSpansBytes) {
  std::vector<ResultColumn> cols(10);
  std::vector<Value> row;
  for (int i = 0; i < 10; ++i) {
    cols[i].name = "c" + std::to_string(i);
    cols[i].type = SqlType::TinyInt();
    row.push_back(i == 0 || i == 9 ? Value::Null(SqlType::TinyInt())
                                   : Value::Int(SqlType::TinyInt(), i));
  }
  Bytes b = Tokens(TdsVersion::k74, [&](TokenWriter& t) {
    ASSERT_TRUE(t.ColMetadata(cols).ok());
    ASSERT_TRUE(t.Row(row).ok());
  });
  Bytes expected = {0xD2, 0x01, 0x02};  // columns 0 and 9 are NULL
  for (int i = 1; i < 9; ++i) {
    expected.push_back(0x01);
    expected.push_back(static_cast<uint8_t>(i));
  }
  EXPECT_EQ(Bytes(b.end() - expected.size(), b.end()), expected);
}

TEST(TokenWriterTest, RowMustMatchMetadata) {
  std::vector<ResultColumn> cols = TwoColumns();
  std::vector<Value> short_row = {Value::Int(SqlType::Int(), 1)};
  std::vector<Value> wrong = {Value::Str(SqlType::VarChar(1), "x"), Value::Null(SqlType::Int())};
  Tokens(TdsVersion::k74, [&](TokenWriter& t) {
    ASSERT_TRUE(t.ColMetadata(cols).ok());
    Status st = t.Row(short_row);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.error().number, errors::kInternalError);
    EXPECT_FALSE(t.Row(wrong).ok());
  });
}

TEST(TokenWriterTest, ReturnStatusAndReturnValue) {
  Bytes b = Tokens(TdsVersion::k74, [](TokenWriter& t) {
    ASSERT_TRUE(t.ReturnStatus(-6).ok());
    ASSERT_TRUE(
        t.ReturnValue(1, "@out", kReturnValueOutput, SqlType::Int(), Value::Int(SqlType::Int(), 42))
            .ok());
  });
  EXPECT_EQ(b, Cat({{0x79, 0xFA, 0xFF, 0xFF, 0xFF},
                    {0xAC, 0x01, 0x00, 0x04},
                    U16("@out"),
                    {0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x26, 0x04, 0x04, 0x2A, 0, 0, 0}}));
  // A datetime2 output parameter to a TDS 7.1 client is an nvarchar.
  b = Tokens(TdsVersion::k71, [](TokenWriter& t) {
    ASSERT_TRUE(t.ReturnValue(2, "@d", kReturnValueOutput, SqlType::Date(),
                              Value::Int(SqlType::Date(), 738915))
                    .ok());
  });
  EXPECT_EQ(b, Cat({{0xAC, 0x02, 0x00, 0x02},
                    U16("@d"),
                    {0x01, 0x00, 0x00, 0x01, 0x00, 0xE7, 0x14, 0x00, 0x09, 0x04, 0xD0, 0x00, 0x34,
                     0x14, 0x00},
                    U16("2024-01-31")}));
}

TEST(TokenWriterTest, LargeRowsStreamAsPacketsFill) {
  ResultColumn c;
  c.name = "blob";
  c.type = SqlType::VarBinary(SqlType::kMax);
  std::vector<ResultColumn> cols = {c};
  std::string data(100000, 'z');
  Value v = Value::Str(c.type, data);
  BufferSink sink;
  PacketWriter pw(&sink, 4096);
  TokenWriter tw(&pw, TdsVersion::k74);
  pw.BeginMessage();
  ASSERT_TRUE(tw.ColMetadata(cols).ok());
  ASSERT_TRUE(tw.Row(std::span<const Value>(&v, 1)).ok());
  // Most of the row is on its way before the message ends.
  EXPECT_GE(sink.packets, 24u);
  ASSERT_TRUE(tw.Done(kDoneCount, kCurCmdSelect, 1).ok());
  ASSERT_TRUE(pw.EndMessage().ok());
  EXPECT_EQ(sink.packets, (pw.message_bytes() + 4087) / 4088);
}

std::vector<uint8_t> TokenKinds(ByteView b) {
  // Walks tokens by their length prefixes: every one must be well formed.
  std::vector<uint8_t> seen;
  ByteReader r(b);
  while (!r.AtEnd()) {
    uint8_t token = r.U8();
    seen.push_back(token);
    if (token == kTokenDone) {
      r.Skip(12);
    } else if (token == kTokenFeatureExtAck) {
      while (r.U8() != kFeatureTerminator && r.ok()) r.Skip(r.U32Le());
    } else {
      r.Skip(r.U16Le());
    }
    EXPECT_TRUE(r.ok());
    if (!r.ok()) break;
  }
  return seen;
}

TEST(TokenWriterTest, LoginResponseTokens) {
  LoginResponse resp;
  resp.database = "shop";
  resp.packet_size = 8192;
  resp.ack_utf8_support = true;
  resp.server_name = "edge";
  Bytes b = Tokens(TdsVersion::k74,
                   [&](TokenWriter& t) { ASSERT_TRUE(t.LoginResponseTokens(resp).ok()); });
  EXPECT_EQ(TokenKinds(b), (std::vector<uint8_t>{kTokenEnvChange, kTokenInfo, kTokenEnvChange,
                                                 kTokenInfo, kTokenEnvChange, kTokenEnvChange,
                                                 kTokenLoginAck, kTokenFeatureExtAck, kTokenDone}));
  // No FEATUREEXTACK before TDS 7.4, even if asked.
  b = Tokens(TdsVersion::k71,
             [&](TokenWriter& t) { ASSERT_TRUE(t.LoginResponseTokens(resp).ok()); });
  std::vector<uint8_t> kinds;
  for (size_t i = 0; i < b.size();) {  // 7.1 DONE has a 4-byte count
    kinds.push_back(b[i]);
    i += b[i] == kTokenDone ? 9 : 3 + (b[i + 1] | (b[i + 2] << 8));
  }
  EXPECT_EQ(kinds,
            (std::vector<uint8_t>{kTokenEnvChange, kTokenInfo, kTokenEnvChange, kTokenInfo,
                                  kTokenEnvChange, kTokenEnvChange, kTokenLoginAck, kTokenDone}));
}

TEST(TokenWriterTest, LoginResponseSequence) {
  // The order a real SQL Server uses (see tds-clients.md).
  const uint8_t coll[] = {0x09, 0x04, 0xD0, 0x00, 0x34};
  Bytes b = Tokens(TdsVersion::k74, [&](TokenWriter& t) {
    ASSERT_TRUE(t.EnvDatabase("master", "master").ok());
    ASSERT_TRUE(t.Message(errors::Make(errors::kChangedDatabaseContext, {"master"}), "edge").ok());
    ASSERT_TRUE(t.EnvSqlCollation(coll).ok());
    ASSERT_TRUE(t.EnvLanguage("us_english", "").ok());
    ASSERT_TRUE(t.Message(errors::Make(errors::kChangedLanguage, {"us_english"}), "edge").ok());
    ASSERT_TRUE(t.EnvPacketSize(4096, 4096).ok());
    ASSERT_TRUE(t.LoginAck().ok());
    ASSERT_TRUE(t.FeatureExtAckUtf8().ok());
    ASSERT_TRUE(t.Done(kDoneFinal, kCurCmdNone, 0).ok());
  });
  // Walk the tokens by their length prefixes: every one must be well formed.
  std::vector<uint8_t> seen;
  ByteReader r(b);
  while (!r.AtEnd()) {
    uint8_t token = r.U8();
    seen.push_back(token);
    if (token == kTokenDone) {
      r.Skip(12);
    } else if (token == kTokenFeatureExtAck) {
      while (r.U8() != kFeatureTerminator) r.Skip(r.U32Le());
    } else {
      r.Skip(r.U16Le());
    }
    ASSERT_TRUE(r.ok());
  }
  EXPECT_EQ(seen, (std::vector<uint8_t>{kTokenEnvChange, kTokenInfo, kTokenEnvChange,
                                        kTokenEnvChange, kTokenInfo, kTokenEnvChange,
                                        kTokenLoginAck, kTokenFeatureExtAck, kTokenDone}));
}

}  // namespace
}  // namespace edgesql::tds
