// The connection state machine driven over a socket pair, byte for byte, against a real engine:
// login (plain, TDS 7.1 and 7.4, TLS full and login-only, forced encryption), the token streams of
// results, procedures and transactions, ATTENTION and RESETCONNECTION, and every way a hostile or
// broken client can end a connection, each followed by a check that the server still serves.
#include "net/tds_connection.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <list>
#include <thread>

#include "common/utf.h"
#include "net/test_client.h"
#include "tds/client_messages.h"
#include "tds/packet.h"

namespace edgesql::net {
namespace {

using namespace std::chrono_literals;
using test::Describe;
using test::FindEnvChange;
using test::FindToken;
using test::LoginOptions;
using test::TdsClient;
using test::Token;
using test::TokenTypes;
namespace tds = edgesql::tds;

constexpr const char* kPassword = "Str0ng!Passw0rd";

class ConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/edgesql-net-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = new std::string(tmpl);
    engine::ServerOptions options;
    options.data_dir = *root_ + "/data";
    options.server_name = "nettest";
    options.initial_sa_password = kPassword;
    auto server = engine::Server::Open(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value().release();
    auto tls = TlsContext::LoadOrCreate(*root_ + "/cert.pem", *root_ + "/key.pem");
    ASSERT_TRUE(tls.ok()) << tls.status().ToString();
    tls_ = std::move(tls).value().release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete tls_;
    std::filesystem::remove_all(*root_);
    delete root_;
  }

  void TearDown() override { JoinServers(); }
  // Waits for every connection served so far to end (their clients must be closed).
  void JoinServers() {
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

  // Serves a new connection on its own thread, as the acceptor does; the client end is returned.
  std::unique_ptr<TdsClient> Open(ConnectionOptions options) {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    options.peer = "test:" + std::to_string(threads_.size());
    const ConnectionOptions& kept = options_.emplace_back(std::move(options));
    int server_fd = fds[0];
    threads_.emplace_back(
        [this, server_fd, &kept] { ServeConnection(server_fd, *server_, kept, stats_); });
    return std::make_unique<TdsClient>(fds[1]);
  }
  std::unique_ptr<TdsClient> Open() { return Open(WithTls()); }
  static ConnectionOptions WithTls(bool force = false) {
    ConnectionOptions o;
    o.tls = tls_;
    o.force_encryption = force;
    return o;
  }
  static LoginOptions Sa() {
    LoginOptions o;
    o.password = kPassword;
    return o;
  }
  std::unique_ptr<TdsClient> LoggedIn(LoginOptions login = Sa()) {
    auto c = Open();
    Status st = c->Connect(login);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return c;
  }

  // Invariant 4 of DESIGN.md: whatever the last client did, a new one logs in and runs a batch.
  void ExpectServerStillServes() {
    auto c = LoggedIn();
    auto tokens = c->Batch("SELECT 1");
    ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
    const Token* row = FindToken(*tokens, tds::kTokenRow);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->values.at(0).AsInt(), 1);
  }

  static std::string* root_;
  static engine::Server* server_;
  static TlsContext* tls_;
  ConnectionStats stats_;
  std::list<ConnectionOptions> options_;
  std::vector<std::thread> threads_;
};

std::string* ConnectionTest::root_ = nullptr;
engine::Server* ConnectionTest::server_ = nullptr;
TlsContext* ConnectionTest::tls_ = nullptr;

const Token& LastDone(const std::vector<Token>& tokens) {
  static const Token kNone;
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
    if (it->type == tds::kTokenDone || it->type == tds::kTokenDoneProc) return *it;
  }
  return kNone;
}

// Reads messages until one ends with a DONE carrying ATTN; returns all tokens read.
std::vector<Token> ReadUntilAttentionAck(TdsClient& c, int max_messages = 3) {
  std::vector<Token> all;
  for (int i = 0; i < max_messages; ++i) {
    auto tokens = c.ReadTokens();
    EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
    if (!tokens.ok()) break;
    all.insert(all.end(), tokens->begin(), tokens->end());
    if (LastDone(*tokens).status & tds::kDoneAttn) break;
  }
  return all;
}

// ---- Login ----

TEST_F(ConnectionTest, LoginResponseHasSqlServersTokensInOrder) {
  auto c = Open();
  auto answer = c->Prelogin(tds::kEncryptNotSup);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer, tds::kEncryptNotSup);
  auto tokens = c->Login(Sa());
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ(TokenTypes(*tokens),
            (std::vector<uint8_t>{tds::kTokenEnvChange, tds::kTokenInfo, tds::kTokenEnvChange,
                                  tds::kTokenInfo, tds::kTokenEnvChange, tds::kTokenEnvChange,
                                  tds::kTokenLoginAck, tds::kTokenDone}));
  EXPECT_EQ((*tokens)[0].env_type, tds::kEnvDatabase);
  EXPECT_EQ((*tokens)[0].new_text, "master");
  EXPECT_EQ((*tokens)[1].number, 5701);
  EXPECT_EQ((*tokens)[2].env_type, tds::kEnvLanguage);
  EXPECT_EQ((*tokens)[3].number, 5703);
  EXPECT_EQ((*tokens)[4].env_type, tds::kEnvPacketSize);
  EXPECT_EQ((*tokens)[4].new_text, "4096");
  EXPECT_EQ((*tokens)[5].env_type, tds::kEnvSqlCollation);
  EXPECT_EQ((*tokens)[5].env_new.size(), 5u);
  const Token& ack = (*tokens)[6];
  EXPECT_EQ(ack.interface, tds::kInterfaceTsql);
  EXPECT_EQ(ack.tds_version, 0x74000004u);
  EXPECT_EQ(ack.program, "Microsoft SQL Server");
  EXPECT_EQ((*tokens)[7].status, tds::kDoneFinal);
  EXPECT_GE(c->last_spid(), 51);  // FreeTDS reads the SPID from the packet header
  EXPECT_EQ(stats_.logins.load(), 1u);
}

TEST_F(ConnectionTest, WrongPasswordGets18456ThenClose) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptNotSup).ok());
  LoginOptions login = Sa();
  login.password = "wrong";
  auto tokens = c->Login(login);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_EQ(TokenTypes(*tokens), (std::vector<uint8_t>{tds::kTokenError, tds::kTokenDone}));
  EXPECT_EQ((*tokens)[0].number, 18456);
  EXPECT_EQ((*tokens)[0].severity, 14);
  EXPECT_NE((*tokens)[1].status & tds::kDoneError, 0);
  EXPECT_TRUE(c->WaitClosed());
  c.reset();
  JoinServers();
  EXPECT_EQ(stats_.login_failures.load(), 1u);
  EXPECT_EQ(stats_.protocol_errors.load(), 0u);  // a failed login is not a protocol error
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, UnknownDatabaseGets4060And18456ThenClose) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptNotSup).ok());
  LoginOptions login = Sa();
  login.database = "no_such_db";
  auto tokens = c->Login(login);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  // SQL Server sends both: "Cannot open database ..." and "Login failed for user 'sa'."
  ASSERT_EQ(TokenTypes(*tokens),
            (std::vector<uint8_t>{tds::kTokenError, tds::kTokenError, tds::kTokenDone}));
  EXPECT_EQ((*tokens)[0].number, 4060);
  EXPECT_NE((*tokens)[0].message.find("no_such_db"), std::string::npos);
  EXPECT_EQ((*tokens)[1].number, 18456);
  EXPECT_EQ((*tokens)[1].message, "Login failed for user 'sa'.");
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, Tds71LoginLikeJtds) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptNotSup).ok());
  LoginOptions login = Sa();
  login.tds_version = 0x71000001;
  login.utf8_support = true;  // ignored below 7.4: no FEATUREEXTACK
  auto tokens = c->Login(login);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const Token* ack = FindToken(*tokens, tds::kTokenLoginAck);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->tds_version, 0x71000001u);
  EXPECT_EQ(FindToken(*tokens, tds::kTokenFeatureExtAck), nullptr);
  // Requests carry no ALL_HEADERS in 7.1; DONE row counts are 4 bytes (the parser checks).
  auto rows = c->Batch("SELECT 42 AS answer");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const Token* row = FindToken(*rows, tds::kTokenRow);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->values.at(0).AsInt(), 42);
  EXPECT_EQ(LastDone(*rows).row_count, 1u);
}

TEST_F(ConnectionTest, Tds74WithUtf8SupportGetsFeatureExtAckOnlyThen) {
  {
    auto c = Open();
    ASSERT_TRUE(c->Prelogin(tds::kEncryptNotSup).ok());
    LoginOptions login = Sa();
    login.utf8_support = true;
    auto tokens = c->Login(login);
    ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
    const Token* ack = FindToken(*tokens, tds::kTokenFeatureExtAck);
    ASSERT_NE(ack, nullptr);
    ASSERT_EQ(ack->features.size(), 1u);
    EXPECT_EQ(ack->features[0].id, tds::kFeatureUtf8Support);
    EXPECT_EQ(ack->features[0].data, Bytes{1});
    // FEATUREEXTACK follows LOGINACK and precedes the final DONE.
    auto types = TokenTypes(*tokens);
    ASSERT_GE(types.size(), 3u);
    EXPECT_EQ(types[types.size() - 3], tds::kTokenLoginAck);
    EXPECT_EQ(types[types.size() - 2], tds::kTokenFeatureExtAck);
  }
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptNotSup).ok());
  auto tokens = c->Login(Sa());
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(FindToken(*tokens, tds::kTokenFeatureExtAck), nullptr);
}

TEST_F(ConnectionTest, NegotiatedPacketSizeBoundsBothDirections) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptNotSup).ok());
  LoginOptions login = Sa();
  login.packet_size = 512;
  auto tokens = c->Login(login);
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(FindEnvChange(*tokens, tds::kEnvPacketSize)->new_text, "512");
  // A result larger than a packet arrives in 512-byte packets (the client checks each one).
  auto big = c->Batch("SELECT REPLICATE('x', 3000) AS v");
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  ASSERT_NE(FindToken(*big, tds::kTokenRow), nullptr);
  // A packet above the granted size ends the connection.
  Bytes payload = tds::client::EncodeSqlBatch(std::string(1000, 'x'), tds::TdsVersion::k74);
  ASSERT_TRUE(c->SendRaw(tds::client::Packetize(tds::kPacketSqlBatch, payload, 4096)).ok());
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

// ---- Encryption ----

TEST_F(ConnectionTest, FullEncryption) {
  auto c = Open();
  auto answer = c->Prelogin(tds::kEncryptOn);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer, tds::kEncryptOn);
  ASSERT_TRUE(c->tls_active());
  auto tokens = c->Login(Sa());
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_NE(FindToken(*tokens, tds::kTokenLoginAck), nullptr);
  EXPECT_TRUE(c->tls_active());
  auto rows = c->Batch("SELECT N'secret' AS s");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(FindToken(*rows, tds::kTokenRow)->values.at(0).AsString(), "secret");
}

TEST_F(ConnectionTest, LoginOnlyEncryptionResumesPlaintextAfterLogin7) {
  auto c = Open();
  auto answer = c->Prelogin(tds::kEncryptOff);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer, tds::kEncryptOff);
  auto tokens = c->Login(Sa());  // LOGIN7 in TLS, the response in plaintext
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_NE(FindToken(*tokens, tds::kTokenLoginAck), nullptr);
  EXPECT_FALSE(c->tls_active());
  auto rows = c->Batch("SELECT 7");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(FindToken(*rows, tds::kTokenRow)->values.at(0).AsInt(), 7);
}

TEST_F(ConnectionTest, LoginOnlyEncryptionFailedLoginAnswersInPlaintext) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptOff).ok());
  LoginOptions login = Sa();
  login.password = "nope";
  auto tokens = c->Login(login);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ(FindToken(*tokens, tds::kTokenError)->number, 18456);
  EXPECT_TRUE(c->WaitClosed());
}

TEST_F(ConnectionTest, ServerWithoutCertificateAnswersNotSup) {
  ConnectionOptions plain;  // no TLS context
  auto c = Open(plain);
  auto answer = c->Prelogin(tds::kEncryptNotSup);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(*answer, tds::kEncryptNotSup);
  auto tokens = c->Login(Sa());
  ASSERT_TRUE(tokens.ok());
  EXPECT_NE(FindToken(*tokens, tds::kTokenLoginAck), nullptr);
}

TEST_F(ConnectionTest, ForceEncryptionRefusesNotSupClient) {
  auto c = Open(WithTls(/*force=*/true));
  auto answer = c->Prelogin(tds::kEncryptNotSup);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer, tds::kEncryptReq);
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, ForceEncryptionEncryptsEverythingForOffClient) {
  auto c = Open(WithTls(/*force=*/true));
  auto answer = c->Prelogin(tds::kEncryptOff);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer, tds::kEncryptReq);
  auto tokens = c->Login(Sa());
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_TRUE(c->tls_active());
  auto rows = c->Batch("SELECT 1");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
}

TEST_F(ConnectionTest, GarbageInsteadOfTlsHandshakeCloses) {
  auto c = Open();
  tds::PreloginRequest pre;
  pre.encryption = tds::kEncryptOn;
  ASSERT_TRUE(c->Send(tds::kPacketPrelogin, tds::client::EncodePrelogin(pre)).ok());
  ASSERT_TRUE(c->ReadMessage().ok());
  Bytes junk(40, 0x16);
  ASSERT_TRUE(c->Send(tds::kPacketPrelogin, junk).ok());
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

// ---- Malformed framing: the connection closes, the server goes on ----

TEST_F(ConnectionTest, PacketLengthBelowHeaderCloses) {
  auto c = Open();
  uint8_t bad[8] = {tds::kPacketPrelogin, tds::kStatusEom, 0, 4, 0, 0, 1, 0};
  ASSERT_TRUE(c->SendRaw(ByteView(bad, 8)).ok());
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, WrongFirstMessageCloses) {
  auto c = Open();
  ASSERT_TRUE(c->SendBatch("SELECT 1").ok());
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, Login7WithoutPreloginLogsInWithoutEncryption) {
  // jTDS with TDS 7.1 starts with LOGIN7, as clients did before PRELOGIN; SQL Server accepts it.
  auto c = Open();
  LoginOptions login = Sa();
  login.tds_version = 0x71000001;
  auto tokens = c->Login(login);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_NE(FindToken(*tokens, tds::kTokenLoginAck), nullptr) << Describe(*tokens);
  EXPECT_TRUE(c->Batch("SELECT 1").ok());
}

TEST_F(ConnectionTest, Login7WithoutPreloginIsRefusedUnderForcedEncryption) {
  auto c = Open(WithTls(/*force=*/true));
  ASSERT_TRUE(c->Send(tds::kPacketLogin7, tds::client::EncodeLogin7(test::MakeLogin(Sa()))).ok());
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, TruncatedLogin7Closes) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptNotSup).ok());
  Bytes login = tds::client::EncodeLogin7(test::MakeLogin(Sa()));
  login.resize(60);  // the offsets now point past the end
  ASSERT_TRUE(c->Send(tds::kPacketLogin7, login).ok());
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, StreamEndingInsideAMessageCloses) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptNotSup).ok());
  Bytes login =
      tds::client::Packetize(tds::kPacketLogin7, tds::client::EncodeLogin7(test::MakeLogin(Sa())));
  login.resize(login.size() / 2);
  ASSERT_TRUE(c->SendRaw(login).ok());
  ::shutdown(c->fd(), SHUT_WR);
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, InvalidUtf16InBatchCloses) {
  auto c = LoggedIn();
  Bytes payload = tds::client::EncodeSqlBatch("SELECT ", tds::TdsVersion::k74);
  payload.push_back(0x00);  // a lone low surrogate, U+DC00
  payload.push_back(0xDC);
  ASSERT_TRUE(c->Send(tds::kPacketSqlBatch, payload).ok());
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, UnknownPacketTypeCloses) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Send(0x05, AsBytes("??")).ok());
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, PacketTypeChangingWithinAMessageCloses) {
  auto c = LoggedIn();
  Bytes first = tds::client::Packetize(
      tds::kPacketSqlBatch, tds::client::EncodeSqlBatch("SELECT 1", tds::TdsVersion::k74));
  first[1] = tds::kStatusNormal;  // not the end of the message
  ASSERT_TRUE(c->SendRaw(first).ok());
  ASSERT_TRUE(c->Send(tds::kPacketRpc, AsBytes("xx")).ok());
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, OversizedMessageCloses) {
  auto c = LoggedIn();
  // Packets of a message that never ends, past the 64 MiB request bound.
  Bytes packet(tds::kDefaultPacketSize, 'A');
  tds::PacketHeader h;
  h.type = tds::kPacketSqlBatch;
  h.status = tds::kStatusNormal;
  h.length = tds::kDefaultPacketSize;
  tds::WritePacketHeader(h, packet.data());
  size_t sent = 0;
  bool refused = false;
  while (sent < (size_t{65} << 20)) {
    if (!c->SendRaw(packet).ok()) {
      refused = true;  // the server closed the connection under us
      break;
    }
    sent += packet.size();
  }
  EXPECT_TRUE(refused || c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, BatchReturningRows) {
  auto c = LoggedIn();
  auto tokens = c->Batch("SELECT 1 AS a, N'x' AS b UNION ALL SELECT 2, CAST(NULL AS nvarchar(1))");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_EQ(TokenTypes(*tokens), (std::vector<uint8_t>{tds::kTokenColMetadata, tds::kTokenRow,
                                                       tds::kTokenNbcRow, tds::kTokenDone}))
      << Describe(*tokens);
  const Token& meta = (*tokens)[0];
  EXPECT_EQ(meta.column_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*tokens)[1].values.at(0).AsInt(), 1);
  EXPECT_EQ((*tokens)[1].values.at(1).AsString(), "x");
  EXPECT_EQ((*tokens)[2].values.at(0).AsInt(), 2);
  EXPECT_TRUE((*tokens)[2].values.at(1).is_null());
  const Token& done = (*tokens)[3];
  EXPECT_EQ(done.status, tds::kDoneCount);
  EXPECT_EQ(done.cur_cmd, tds::kCurCmdSelect);
  EXPECT_EQ(done.row_count, 2u);
}

TEST_F(ConnectionTest, SeveralStatementsSetDoneMoreOnAllButTheLast) {
  auto c = LoggedIn();
  auto tokens = c->Batch("SELECT 1; SELECT 2");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const Token* first = FindToken(*tokens, tds::kTokenDone, 0);
  const Token* second = FindToken(*tokens, tds::kTokenDone, 1);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(first->status, tds::kDoneMore | tds::kDoneCount);
  EXPECT_EQ(second->status, tds::kDoneCount);
}

TEST_F(ConnectionTest, SqlErrorInBatchKeepsTheConnection) {
  auto c = LoggedIn();
  auto tokens = c->Batch("SELECT * FROM no_such_table");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const Token* err = FindToken(*tokens, tds::kTokenError);
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->number, 208);
  EXPECT_NE(LastDone(*tokens).status & tds::kDoneError, 0);
  EXPECT_TRUE(c->Batch("SELECT 1").ok());
}

Bytes RpcPayload(const tds::RpcRequest& rpc) {
  auto payload = tds::client::EncodeRpc(rpc, tds::TdsVersion::k74);
  EXPECT_TRUE(payload.ok()) << payload.status().ToString();
  return payload.ok() ? *payload : Bytes{};
}

tds::RpcParameter Param(std::string name, const SqlType& type, Value value, uint8_t flags = 0) {
  tds::RpcParameter p;
  p.name = std::move(name);
  p.status_flags = flags;
  p.type_info = tds::WireTypeFor(type, tds::TdsVersion::k74);
  p.value = std::move(value);
  return p;
}

tds::RpcCall ExecuteSqlWithOutput(int input) {
  tds::RpcCall call;
  call.proc_id = tds::kProcExecuteSql;
  call.params.push_back(Param("@stmt", SqlType::NVarChar(4000),
                              Value::Str(SqlType::NVarChar(4000), "SET @o = @i * 2")));
  call.params.push_back(Param("@params", SqlType::NVarChar(4000),
                              Value::Str(SqlType::NVarChar(4000), "@i int, @o int OUTPUT")));
  call.params.push_back(Param("@i", SqlType::Int(), Value::Integer(input)));
  call.params.push_back(Param("@o", SqlType::Int(), Value::Null(SqlType::Int()), tds::kParamByRef));
  return call;
}

TEST_F(ConnectionTest, RpcExecuteSqlWithOutputParameter) {
  auto c = LoggedIn();
  tds::RpcRequest rpc;
  rpc.calls.push_back(ExecuteSqlWithOutput(21));
  ASSERT_TRUE(c->Send(tds::kPacketRpc, RpcPayload(rpc)).ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  auto types = TokenTypes(*tokens);
  ASSERT_GE(types.size(), 3u);
  EXPECT_EQ(types[types.size() - 3], tds::kTokenReturnStatus);
  EXPECT_EQ(types[types.size() - 2], tds::kTokenReturnValue);
  EXPECT_EQ(types.back(), tds::kTokenDoneProc);
  const Token* status = FindToken(*tokens, tds::kTokenReturnStatus);
  EXPECT_EQ(status->return_status, 0);
  const Token* out = FindToken(*tokens, tds::kTokenReturnValue);
  EXPECT_EQ(out->name, "@o");
  EXPECT_EQ(out->values.at(0).AsInt(), 42);
  const Token& done = tokens->back();
  EXPECT_EQ(done.status & (tds::kDoneMore | tds::kDoneError | tds::kDoneAttn), 0);
  EXPECT_EQ(done.cur_cmd, tds::kCurCmdExecute);
}

TEST_F(ConnectionTest, SeveralRpcsInOneMessageSetDoneProcMoreOnAllButTheLast) {
  auto c = LoggedIn();
  tds::RpcRequest rpc;
  rpc.calls.push_back(ExecuteSqlWithOutput(1));
  rpc.calls.push_back(ExecuteSqlWithOutput(2));
  ASSERT_TRUE(c->Send(tds::kPacketRpc, RpcPayload(rpc)).ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const Token* first = FindToken(*tokens, tds::kTokenDoneProc, 0);
  const Token* second = FindToken(*tokens, tds::kTokenDoneProc, 1);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first->status & tds::kDoneMore, 0);
  EXPECT_EQ(second->status & tds::kDoneMore, 0);
  EXPECT_EQ(FindToken(*tokens, tds::kTokenReturnValue, 1)->values.at(0).AsInt(), 4);
}

TEST_F(ConnectionTest, TransactionManagerBeginAndCommitWithDescriptors) {
  auto c = LoggedIn();
  tds::TransactionManagerRequest begin;
  begin.type = tds::TmRequestType::kBegin;
  ASSERT_TRUE(c->Send(tds::kPacketTransactionManager,
                      tds::client::EncodeTransactionManager(begin, tds::TdsVersion::k74))
                  .ok());
  auto began = c->ReadTokens();
  ASSERT_TRUE(began.ok()) << began.status().ToString();
  const Token* env8 = FindEnvChange(*began, tds::kEnvBeginTransaction);
  ASSERT_NE(env8, nullptr);
  ASSERT_EQ(env8->env_new.size(), 8u);
  EXPECT_TRUE(env8->env_old.empty());
  uint64_t descriptor = 0;
  for (int i = 0; i < 8; ++i) descriptor |= uint64_t{env8->env_new[i]} << (8 * i);
  EXPECT_NE(descriptor, 0u);
  EXPECT_EQ(LastDone(*began).cur_cmd, tds::kCurCmdBeginTran);

  // A batch inside the transaction, carrying the descriptor in ALL_HEADERS.
  ASSERT_TRUE(c->SendBatch("SELECT @@TRANCOUNT", 0, descriptor).ok());
  auto inside = c->ReadTokens();
  ASSERT_TRUE(inside.ok()) << inside.status().ToString();
  EXPECT_EQ(FindToken(*inside, tds::kTokenRow)->values.at(0).AsInt(), 1);

  tds::TransactionManagerRequest commit;
  commit.type = tds::TmRequestType::kCommit;
  ASSERT_TRUE(c->Send(tds::kPacketTransactionManager, tds::client::EncodeTransactionManager(
                                                          commit, tds::TdsVersion::k74, descriptor))
                  .ok());
  auto committed = c->ReadTokens();
  ASSERT_TRUE(committed.ok()) << committed.status().ToString();
  const Token* env9 = FindEnvChange(*committed, tds::kEnvCommitTransaction);
  ASSERT_NE(env9, nullptr);
  EXPECT_TRUE(env9->env_new.empty());
  EXPECT_EQ(env9->env_old, env8->env_new);
  EXPECT_EQ(LastDone(*committed).cur_cmd, tds::kCurCmdCommit);
  EXPECT_EQ(LastDone(*committed).status & tds::kDoneInXact, 0);
}

TEST_F(ConnectionTest, ResetConnectionIsAcknowledgedFirstAndRestoresTheSession) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Batch("SET NOCOUNT ON").ok());
  auto before = c->Batch("SELECT 1");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(LastDone(*before).status & tds::kDoneCount, 0);  // NOCOUNT is on
  auto tokens = c->Batch("SELECT 1", tds::kStatusResetConnection);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_FALSE(tokens->empty());
  EXPECT_EQ((*tokens)[0].type, tds::kTokenEnvChange);
  EXPECT_EQ((*tokens)[0].env_type, tds::kEnvResetConnectionAck);
  EXPECT_NE(LastDone(*tokens).status & tds::kDoneCount, 0);  // NOCOUNT is off again
  // Without the bit there is no acknowledgement.
  auto again = c->Batch("SELECT 1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(FindEnvChange(*again, tds::kEnvResetConnectionAck), nullptr);
}

TEST_F(ConnectionTest, ResetConnectionRollsBackAnOpenTransaction) {
  auto c = LoggedIn();
  auto began = c->Batch("BEGIN TRAN");
  ASSERT_TRUE(began.ok());
  auto tokens = c->Batch("SELECT @@TRANCOUNT", tds::kStatusResetConnection);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ(FindToken(*tokens, tds::kTokenRow)->values.at(0).AsInt(), 0);
}

// ---- ATTENTION ----

TEST_F(ConnectionTest, AttentionWithNoRequestRunningGetsDoneAttn) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->SendAttention().ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].type, tds::kTokenDone);
  EXPECT_EQ((*tokens)[0].status, tds::kDoneAttn);
  EXPECT_TRUE(c->Batch("SELECT 1").ok());
}

void ExpectCancelledWaitfor(TdsClient& c) {
  ASSERT_TRUE(c.SendBatch("WAITFOR DELAY '00:00:10'").ok());
  std::this_thread::sleep_for(200ms);
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(c.SendAttention().ok());
  std::vector<Token> tokens = ReadUntilAttentionAck(c);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_NE(LastDone(tokens).status & tds::kDoneAttn, 0);
  // The connection is usable at once, with no stale acknowledgement in the way.
  auto next = c.Batch("SELECT 5");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(FindToken(*next, tds::kTokenRow)->values.at(0).AsInt(), 5);
  EXPECT_EQ(LastDone(*next).status & tds::kDoneAttn, 0);
}

TEST_F(ConnectionTest, AttentionCancelsWaitfor) {
  auto c = LoggedIn();
  ExpectCancelledWaitfor(*c);
}

TEST_F(ConnectionTest, AttentionCancelsWaitforUnderFullEncryption) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptOn).ok());
  ASSERT_TRUE(c->Login(Sa()).ok());
  ASSERT_TRUE(c->tls_active());
  ExpectCancelledWaitfor(*c);
}

TEST_F(ConnectionTest, AttentionCancelsAnRpcAndTheCallsAfterIt) {
  auto c = LoggedIn();
  tds::RpcRequest rpc;
  tds::RpcCall wait;
  wait.proc_id = tds::kProcExecuteSql;
  wait.params.push_back(Param("@stmt", SqlType::NVarChar(4000),
                              Value::Str(SqlType::NVarChar(4000), "WAITFOR DELAY '00:00:10'")));
  rpc.calls.push_back(wait);
  rpc.calls.push_back(ExecuteSqlWithOutput(3));
  ASSERT_TRUE(c->Send(tds::kPacketRpc, RpcPayload(rpc)).ok());
  std::this_thread::sleep_for(200ms);
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(c->SendAttention().ok());
  std::vector<Token> tokens = ReadUntilAttentionAck(*c);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(FindToken(tokens, tds::kTokenReturnValue), nullptr);  // the second call never ran
  EXPECT_TRUE(c->Batch("SELECT 1").ok());
}

TEST_F(ConnectionTest, AttentionRacingTheEndOfARequestIsAcknowledgedOnce) {
  auto c = LoggedIn();
  for (int i = 0; i < 20; ++i) {
    // The ATTENTION arrives while the SELECT runs, while its response is written, or after it:
    // in every case exactly one DONE(ATTN) comes back and nothing is left for the next request.
    Bytes both = tds::client::Packetize(
        tds::kPacketSqlBatch, tds::client::EncodeSqlBatch("SELECT 1", tds::TdsVersion::k74));
    Bytes attn = tds::client::Packetize(tds::kPacketAttention, {});
    both.insert(both.end(), attn.begin(), attn.end());
    ASSERT_TRUE(c->SendRaw(both).ok());
    std::vector<Token> tokens = ReadUntilAttentionAck(*c);
    ASSERT_NE(LastDone(tokens).status & tds::kDoneAttn, 0) << "iteration " << i;
    auto next = c->Batch("SELECT 9");
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    ASSERT_EQ(LastDone(*next).status & tds::kDoneAttn, 0) << "iteration " << i;
    ASSERT_EQ(FindToken(*next, tds::kTokenRow)->values.at(0).AsInt(), 9);
  }
}

TEST_F(ConnectionTest, AttentionTogetherWithTheNextRequest) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->SendBatch("WAITFOR DELAY '00:00:10'").ok());
  std::this_thread::sleep_for(200ms);
  Bytes attn = tds::client::Packetize(tds::kPacketAttention, {});
  Bytes next = tds::client::Packetize(
      tds::kPacketSqlBatch, tds::client::EncodeSqlBatch("SELECT 11", tds::TdsVersion::k74));
  attn.insert(attn.end(), next.begin(), next.end());
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(c->SendRaw(attn).ok());
  std::vector<Token> cancelled = ReadUntilAttentionAck(*c);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_NE(LastDone(cancelled).status & tds::kDoneAttn, 0);
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ(FindToken(*tokens, tds::kTokenRow)->values.at(0).AsInt(), 11);
}

TEST_F(ConnectionTest, OversizedPreloginMessageClosesEarly) {
  // Before login the only messages are PRELOGIN and LOGIN7 (at most 128 KiB, [MS-TDS] 2.2.6.4):
  // an unauthenticated client cannot make the server buffer more than that.
  auto c = Open();
  Bytes packet(tds::kDefaultPacketSize, 0);
  tds::PacketHeader h;
  h.type = tds::kPacketPrelogin;
  h.status = tds::kStatusNormal;
  h.length = tds::kDefaultPacketSize;
  tds::WritePacketHeader(h, packet.data());
  for (int i = 0; i < 40; ++i) {
    if (!c->SendRaw(packet).ok()) break;
  }
  EXPECT_TRUE(c->WaitClosed(2s));
}

TEST_F(ConnectionTest, SilentClientIsClosedAfterTheLoginTimeout) {
  ConnectionOptions o = WithTls();
  o.login_timeout = 200ms;
  auto c = Open(o);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c->WaitClosed(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  // The timeout covers the whole login, not each read: a client trickling a PRELOGIN is closed too.
  auto d = Open(o);
  start = std::chrono::steady_clock::now();
  uint8_t header[8] = {tds::kPacketPrelogin, tds::kStatusEom, 0, 64, 0, 0, 1, 0};
  for (int i = 0; i < 8; ++i) {
    if (!d->SendRaw(ByteView(header + i, 1)).ok()) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(d->WaitClosed(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  // A logged-in session is not subject to it.
  auto e = Open(o);
  ASSERT_TRUE(e->Connect(Sa()).ok());
  std::this_thread::sleep_for(400ms);
  EXPECT_TRUE(e->Batch("SELECT 1").ok());
}

// ---- Requests ----

TEST_F(ConnectionTest, PartialTlsRecordDoesNotStallARunningRequest) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptOn).ok());
  ASSERT_TRUE(c->Login(Sa()).ok());
  ASSERT_TRUE(c->SendBatch("WAITFOR DELAY '00:00:00.5'").ok());
  // The first bytes of the next request's TLS record, the rest withheld.
  Bytes next = c->SealTls(tds::client::Packetize(
      tds::kPacketSqlBatch, tds::client::EncodeSqlBatch("SELECT 3", tds::TdsVersion::k74)));
  ASSERT_GT(next.size(), 10u);
  ASSERT_EQ(::send(c->fd(), next.data(), 7, MSG_NOSIGNAL), 7);
  auto start = std::chrono::steady_clock::now();
  auto done = c->ReadTokens();  // the WAITFOR's response must not wait for the rest of the record
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  ASSERT_EQ(::send(c->fd(), next.data() + 7, next.size() - 7, MSG_NOSIGNAL),
            static_cast<ssize_t>(next.size() - 7));
  auto rows = c->ReadTokens();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(FindToken(*rows, tds::kTokenRow)->values.at(0).AsInt(), 3);
}

TEST_F(ConnectionTest, LoginOnlyEncryptionPlaintextStartsRightAfterTheLoginRecord) {
  // A client that sends its first plaintext request right behind the encrypted LOGIN7: the server
  // must not swallow those bytes into TLS.
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptOff).ok());
  Bytes login = c->SealTls(
      tds::client::Packetize(tds::kPacketLogin7, tds::client::EncodeLogin7(test::MakeLogin(Sa()))));
  Bytes batch = tds::client::Packetize(
      tds::kPacketSqlBatch, tds::client::EncodeSqlBatch("SELECT 8", tds::TdsVersion::k74));
  login.insert(login.end(), batch.begin(), batch.end());
  ASSERT_EQ(::send(c->fd(), login.data(), login.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(login.size()));
  auto response = c->ReadLoginResponse();
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_NE(FindToken(*response, tds::kTokenLoginAck), nullptr);
  auto rows = c->ReadTokens();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(FindToken(*rows, tds::kTokenRow)->values.at(0).AsInt(), 8);
}

TEST_F(ConnectionTest, PipelinedRequestsRunInOrder) {
  auto c = LoggedIn();
  Bytes both = tds::client::Packetize(
      tds::kPacketSqlBatch,
      tds::client::EncodeSqlBatch("WAITFOR DELAY '00:00:00.2'", tds::TdsVersion::k74));
  Bytes second = tds::client::Packetize(
      tds::kPacketSqlBatch, tds::client::EncodeSqlBatch("SELECT 4", tds::TdsVersion::k74));
  both.insert(both.end(), second.begin(), second.end());
  ASSERT_TRUE(c->SendRaw(both).ok());
  auto waited = c->ReadTokens();
  ASSERT_TRUE(waited.ok()) << waited.status().ToString();
  EXPECT_EQ(LastDone(*waited).status & tds::kDoneAttn, 0);
  auto rows = c->ReadTokens();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(FindToken(*rows, tds::kTokenRow)->values.at(0).AsInt(), 4);
}

TEST_F(ConnectionTest, AttentionBehindAQueuedRequestDoesNotCancelTheRunningOne) {
  auto c = LoggedIn();
  Bytes all = tds::client::Packetize(
      tds::kPacketSqlBatch,
      tds::client::EncodeSqlBatch("WAITFOR DELAY '00:00:00.2'", tds::TdsVersion::k74));
  Bytes second = tds::client::Packetize(
      tds::kPacketSqlBatch, tds::client::EncodeSqlBatch("SELECT 4", tds::TdsVersion::k74));
  Bytes attn = tds::client::Packetize(tds::kPacketAttention, {});
  all.insert(all.end(), second.begin(), second.end());
  all.insert(all.end(), attn.begin(), attn.end());
  ASSERT_TRUE(c->SendRaw(all).ok());
  auto waited = c->ReadTokens();
  ASSERT_TRUE(waited.ok()) << waited.status().ToString();
  EXPECT_EQ(LastDone(*waited).status & tds::kDoneAttn, 0) << Describe(*waited);
  std::vector<Token> rest = ReadUntilAttentionAck(*c);
  EXPECT_NE(LastDone(rest).status & tds::kDoneAttn, 0);
  auto next = c->Batch("SELECT 6");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(FindToken(*next, tds::kTokenRow)->values.at(0).AsInt(), 6);
}

TEST_F(ConnectionTest, GarbageWhileARequestRunsClosesTheConnection) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->SendBatch("WAITFOR DELAY '00:00:01'").ok());
  std::this_thread::sleep_for(100ms);
  uint8_t bad[8] = {0x77, 0x01, 0x00, 0x08, 0, 0, 0, 0};  // no such packet type
  ASSERT_TRUE(c->SendRaw(ByteView(bad, 8)).ok());
  EXPECT_TRUE(c->WaitClosed(5s));
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, FatalErrorReachesTheClientBeforeTheClose) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->SendBatch("RAISERROR('going down', 20, 1) WITH LOG").ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const Token* err = FindToken(*tokens, tds::kTokenError);
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->severity, 20);
  EXPECT_EQ(err->message, "going down");
  EXPECT_NE(LastDone(*tokens).status & tds::kDoneError, 0);
  EXPECT_EQ(LastDone(*tokens).status & tds::kDoneMore, 0);
  EXPECT_TRUE(c->WaitClosed());
  ExpectServerStillServes();
}

TEST_F(ConnectionTest, AbandonedMessageThenAttentionGetsOnlyTheAcknowledgement) {
  // A client cancelling while it still sends a request ends the message with IGNORE|EOM
  // ([MS-TDS] 2.2.3.1.2) and sends ATTENTION: the request never runs, the ATTENTION is answered.
  auto c = LoggedIn();
  Bytes abandoned = tds::client::Packetize(
      tds::kPacketSqlBatch, tds::client::EncodeSqlBatch("SELECT 1/0", tds::TdsVersion::k74));
  abandoned[1] = tds::kStatusEom | tds::kStatusIgnore;
  Bytes attn = tds::client::Packetize(tds::kPacketAttention, {});
  abandoned.insert(abandoned.end(), attn.begin(), attn.end());
  ASSERT_TRUE(c->SendRaw(abandoned).ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ(Describe(*tokens), "DONE(0x20, 0)");
  EXPECT_TRUE(c->Batch("SELECT 1").ok());
}

TEST_F(ConnectionTest, ResetConnectionSkipTranKeepsTheTransaction) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Batch("BEGIN TRAN").ok());
  auto tokens = c->Batch("SELECT @@TRANCOUNT", tds::kStatusResetConnectionSkipTran);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_NE(FindEnvChange(*tokens, tds::kEnvResetConnectionAck), nullptr);
  EXPECT_EQ(FindToken(*tokens, tds::kTokenRow)->values.at(0).AsInt(), 1);
  EXPECT_TRUE(c->Batch("ROLLBACK").ok());
}

TEST_F(ConnectionTest, PlaintextWhereTlsIsExpectedCloses) {
  auto c = Open();
  ASSERT_TRUE(c->Prelogin(tds::kEncryptOn).ok());
  ASSERT_TRUE(c->tls_active());
  // A LOGIN7 packet sent in the clear after the handshake. Read as a TLS record header, its
  // first five bytes spell a length of 0x2000: the server must reject the header at once rather
  // than wait for 8 KiB that will never come.
  uint8_t clear[16] = {tds::kPacketLogin7, tds::kStatusEom, 0x01, 0x20, 0, 0, 1, 0};
  ASSERT_EQ(::send(c->fd(), clear, sizeof(clear), MSG_NOSIGNAL), 16);
  EXPECT_TRUE(c->WaitClosed(2s));
  ExpectServerStillServes();
}

// ---- Bulk load ([MS-TDS] 2.2.6.1) ----

// A BULK LOAD payload of `n` rows (id, name) for table columns (int, nvarchar(40)), starting at
// `first`; row `bad` (if any) repeats id 0.
Bytes BulkRows(int first, int n, int bad = -1) {
  std::vector<tds::BulkColumn> cols(2);
  cols[0].name = "id";
  cols[0].type_info = tds::WireTypeFor(SqlType::Int(), tds::TdsVersion::k74);
  cols[1].name = "name";
  cols[1].type_info = tds::WireTypeFor(SqlType::NVarChar(40), tds::TdsVersion::k74);
  std::vector<std::vector<Value>> rows;
  for (int i = first; i < first + n; ++i) {
    rows.push_back({Value::Int(SqlType::Int(), i == bad ? 0 : i),
                    Value::Str(SqlType::NVarChar(40), "row " + std::to_string(i) + " \xC3\xA9")});
  }
  auto payload = tds::client::EncodeBulkLoad(cols, rows, tds::TdsVersion::k74);
  EXPECT_TRUE(payload.ok());
  return payload.ok() ? *payload : Bytes{};
}

int64_t Count(TdsClient& c, const std::string& table) {
  auto tokens = c.Batch("SELECT count(*) FROM " + table);
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
  const Token* row = tokens.ok() ? FindToken(*tokens, tds::kTokenRow) : nullptr;
  return row ? row->values.at(0).AsInt() : -1;
}

TEST_F(ConnectionTest, BulkLoadStreamsAMessageOfManyParts) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Batch("CREATE TABLE bulk1 (id int PRIMARY KEY, name nvarchar(40))").ok());
  auto announced = c->Batch("INSERT BULK bulk1 ([id] int, [name] nvarchar(40))");
  ASSERT_TRUE(announced.ok());
  EXPECT_EQ(Describe(*announced), "DONE(0x0, 0)");
  Bytes payload = BulkRows(1, 30000);
  ASSERT_GT(payload.size(), 10u * 64 * 1024);
  ASSERT_TRUE(c->Send(tds::kPacketBulkLoad, payload).ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ(Describe(*tokens), "DONE(0x10, 30000)");
  EXPECT_EQ(LastDone(*tokens).cur_cmd, tds::kCurCmdInsert);
  EXPECT_EQ(Count(*c, "bulk1"), 30000);
}

TEST_F(ConnectionTest, BulkLoadErrorInTheFirstPartReadsTheRestOfTheMessage) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Batch("CREATE TABLE bulk2 (id int PRIMARY KEY, name nvarchar(40))").ok());
  ASSERT_TRUE(c->Batch("INSERT BULK bulk2 (id int, name nvarchar(40))").ok());
  ASSERT_TRUE(c->Send(tds::kPacketBulkLoad, BulkRows(0, 20000, /*bad=*/5)).ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const Token* error = FindToken(*tokens, tds::kTokenError);
  ASSERT_NE(error, nullptr) << Describe(*tokens);
  EXPECT_EQ(error->number, 2627);
  EXPECT_TRUE(LastDone(*tokens).status & tds::kDoneError);
  EXPECT_EQ(Count(*c, "bulk2"), 0);
}

TEST_F(ConnectionTest, BulkLoadWithoutInsertBulkIsAnErrorNotAClose) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Send(tds::kPacketBulkLoad, BulkRows(1, 5000)).ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const Token* error = FindToken(*tokens, tds::kTokenError);
  ASSERT_NE(error, nullptr) << Describe(*tokens);
  EXPECT_EQ(error->number, 4002);
  EXPECT_TRUE(LastDone(*tokens).status & tds::kDoneError);
  EXPECT_TRUE(c->Batch("SELECT 1").ok());
}

TEST_F(ConnectionTest, InsertBulkFollowedByABatchGets4022) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Batch("CREATE TABLE bulk3 (id int, name nvarchar(40))").ok());
  ASSERT_TRUE(c->Batch("INSERT BULK bulk3 (id int, name nvarchar(40))").ok());
  auto tokens = c->Batch("SELECT 1");
  ASSERT_TRUE(tokens.ok());
  const Token* error = FindToken(*tokens, tds::kTokenError);
  ASSERT_NE(error, nullptr) << Describe(*tokens);
  EXPECT_EQ(error->number, 4022);
  EXPECT_EQ(FindToken(*tokens, tds::kTokenRow), nullptr);
  tokens = c->Batch("SELECT 1");
  ASSERT_TRUE(tokens.ok());
  EXPECT_NE(FindToken(*tokens, tds::kTokenRow), nullptr) << Describe(*tokens);
}

TEST_F(ConnectionTest, AttentionInsteadOfTheBulkLoadCallsItOff) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Batch("CREATE TABLE bulk4 (id int, name nvarchar(40))").ok());
  ASSERT_TRUE(c->Batch("INSERT BULK bulk4 (id int, name nvarchar(40))").ok());
  ASSERT_TRUE(c->SendAttention().ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(Describe(*tokens), "DONE(0x20, 0)");
  EXPECT_EQ(Count(*c, "bulk4"), 0);
}

TEST_F(ConnectionTest, AbandonedBulkLoadGetsNoResponseAndStoresNothing) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Batch("CREATE TABLE bulk5 (id int, name nvarchar(40))").ok());
  ASSERT_TRUE(c->Batch("INSERT BULK bulk5 (id int, name nvarchar(40))").ok());
  Bytes wire = tds::client::Packetize(tds::kPacketBulkLoad, BulkRows(1, 20000));
  size_t last = 0;  // the last packet's header
  for (size_t at = 0; at < wire.size(); at += (wire[at + 2] << 8) | wire[at + 3]) last = at;
  wire[last + 1] |= tds::kStatusIgnore;
  ASSERT_TRUE(c->SendRaw(wire).ok());
  EXPECT_EQ(Count(*c, "bulk5"), 0);
  // The announcement went with the abandoned message: the next load needs INSERT BULK again.
  ASSERT_TRUE(c->Send(tds::kPacketBulkLoad, BulkRows(1, 10)).ok());
  auto tokens = c->ReadTokens();
  ASSERT_TRUE(tokens.ok());
  ASSERT_NE(FindToken(*tokens, tds::kTokenError), nullptr);
  EXPECT_EQ(FindToken(*tokens, tds::kTokenError)->number, 4002);
}

TEST_F(ConnectionTest, AttentionRightAfterABulkLoadCancelsOrIsAcknowledged) {
  auto c = LoggedIn();
  ASSERT_TRUE(c->Batch("CREATE TABLE bulk6 (id int PRIMARY KEY, name nvarchar(40))").ok());
  ASSERT_TRUE(c->Batch("INSERT BULK bulk6 (id int, name nvarchar(40))").ok());
  Bytes wire = tds::client::Packetize(tds::kPacketBulkLoad, BulkRows(1, 50000));
  Bytes attn = tds::client::Packetize(tds::kPacketAttention, {});
  wire.insert(wire.end(), attn.begin(), attn.end());
  ASSERT_TRUE(c->SendRaw(wire).ok());
  std::vector<Token> tokens = ReadUntilAttentionAck(*c);
  ASSERT_TRUE(LastDone(tokens).status & tds::kDoneAttn) << Describe(tokens);
  // Either the load was cancelled (nothing stored) or it had committed before the ATTENTION was
  // seen (its DONE came first, with the count); never anything in between.
  const Token* first_done = FindToken(tokens, tds::kTokenDone);
  int64_t stored = Count(*c, "bulk6");
  if (first_done->status & tds::kDoneCount) {
    EXPECT_EQ(first_done->row_count, 50000u);
    EXPECT_EQ(stored, 50000);
  } else {
    EXPECT_EQ(stored, 0);
  }
}

}  // namespace
}  // namespace edgesql::net
