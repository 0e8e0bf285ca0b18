#include "net/transport.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

namespace edgesql::net {
namespace {

// The client half of a TDS TLS negotiation, written the way drivers do it: handshake records
// wrapped in PRELOGIN packets, then raw TLS on the socket.
class TdsTlsClient {
 public:
  explicit TdsTlsClient(int fd) : fd_(fd) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
    ssl_ = SSL_new(ctx_);
    rbio_ = BIO_new(BIO_s_mem());
    wbio_ = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl_, rbio_, wbio_);
    SSL_set_connect_state(ssl_);
  }
  ~TdsTlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
  }
  bool Handshake() {
    for (;;) {
      int rc = SSL_do_handshake(ssl_);
      SendWrapped();
      if (rc == 1) return true;
      if (SSL_get_error(ssl_, rc) != SSL_ERROR_WANT_READ) return false;
      uint8_t h[8];
      if (!ReadN(h, 8) || h[0] != 0x12) return false;
      std::vector<uint8_t> p(((h[2] << 8) | h[3]) - 8);
      if (!ReadN(p.data(), p.size())) return false;
      BIO_write(rbio_, p.data(), static_cast<int>(p.size()));
    }
  }
  void WriteTls(const std::string& s) {
    SSL_write(ssl_, s.data(), static_cast<int>(s.size()));
    char buf[4096];
    int n;
    while ((n = BIO_read(wbio_, buf, sizeof(buf))) > 0) ASSERT_EQ(::write(fd_, buf, n), n);
  }
  std::string ReadTls(size_t want) {
    std::string out;
    char buf[4096];
    while (out.size() < want) {
      int n = SSL_read(ssl_, buf, sizeof(buf));
      if (n > 0) {
        out.append(buf, n);
        continue;
      }
      ssize_t raw = ::read(fd_, buf, sizeof(buf));
      if (raw <= 0) break;
      BIO_write(rbio_, buf, static_cast<int>(raw));
    }
    return out;
  }
  const char* Version() const { return SSL_get_version(ssl_); }
  // Encrypts `s` and returns the records without sending them.
  std::string Seal(const std::string& s) {
    SSL_write(ssl_, s.data(), static_cast<int>(s.size()));
    std::string out(BIO_ctrl_pending(wbio_), '\0');
    BIO_read(wbio_, out.data(), static_cast<int>(out.size()));
    return out;
  }

 private:
  void SendWrapped() {
    std::vector<uint8_t> out(BIO_ctrl_pending(wbio_));
    if (out.empty()) return;
    BIO_read(wbio_, out.data(), static_cast<int>(out.size()));
    uint8_t h[8] = {0x12,
                    0x01,
                    static_cast<uint8_t>((out.size() + 8) >> 8),
                    static_cast<uint8_t>(out.size() + 8),
                    0,
                    0,
                    0,
                    0};
    ASSERT_EQ(::write(fd_, h, 8), 8);
    ASSERT_EQ(::write(fd_, out.data(), out.size()), static_cast<ssize_t>(out.size()));
  }
  bool ReadN(uint8_t* p, size_t n) {
    size_t off = 0;
    while (off < n) {
      ssize_t r = ::read(fd_, p + off, n - off);
      if (r <= 0) return false;
      off += r;
    }
    return true;
  }
  int fd_;
  SSL_CTX* ctx_;
  SSL* ssl_;
  BIO* rbio_;
  BIO* wbio_;
};

class TransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/edgesql-tls-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    auto tls = TlsContext::LoadOrCreate(root_ + "/cert.pem", root_ + "/key.pem");
    ASSERT_TRUE(tls.ok()) << tls.status().ToString();
    tls_ = std::move(tls).value();
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
  }
  void TearDown() override {
    ::close(fds_[1]);
    std::filesystem::remove_all(root_);
  }
  std::string root_;
  std::unique_ptr<TlsContext> tls_;
  int fds_[2];
};

TEST_F(TransportTest, GeneratesKeyOnlyReadableByOwnerAndReusesIt) {
  auto mode = std::filesystem::status(root_ + "/key.pem").permissions();
  EXPECT_EQ(mode & std::filesystem::perms::group_read, std::filesystem::perms::none);
  EXPECT_EQ(mode & std::filesystem::perms::others_read, std::filesystem::perms::none);
  auto again = TlsContext::LoadOrCreate(root_ + "/cert.pem", root_ + "/key.pem");
  EXPECT_TRUE(again.ok());
}

TEST_F(TransportTest, FullEncryptionCarriesBothDirections) {
  Transport server(fds_[0]);
  std::thread t([&] {
    ASSERT_TRUE(server.HandshakeInPrelogin(*tls_, 512).ok());  // small packets: split records
    uint8_t buf[8];
    auto n = server.Read(buf, sizeof(buf));
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), *n), "ping");
    ASSERT_TRUE(server.WriteAll(AsBytes("pong")).ok());
  });
  TdsTlsClient client(fds_[1]);
  ASSERT_TRUE(client.Handshake());
  client.WriteTls("ping");
  EXPECT_EQ(client.ReadTls(4), "pong");
  t.join();
}

TEST_F(TransportTest, HandshakeInPreloginThenTlsThenPlaintextAfterLogin) {
  Transport server(fds_[0]);
  std::string got_login;
  std::thread t([&] {
    ASSERT_TRUE(server.HandshakeInPrelogin(*tls_, 4096).ok());
    uint8_t buf[64];
    while (got_login.size() < 5) {
      auto n = server.Read(buf, sizeof(buf));
      ASSERT_TRUE(n.ok());
      ASSERT_GT(*n, 0u);
      got_login.append(reinterpret_cast<char*>(buf), *n);
    }
    server.DropTls();  // login-only encryption: the login response is already plaintext
    ASSERT_TRUE(server.WriteAll(AsBytes("plain")).ok());
  });
  TdsTlsClient client(fds_[1]);
  ASSERT_TRUE(client.Handshake());
  EXPECT_STREQ(client.Version(), "TLSv1.2");
  client.WriteTls("login");
  char buf[5];
  ASSERT_EQ(::read(fds_[1], buf, 5), 5);
  EXPECT_EQ(std::string(buf, 5), "plain");
  t.join();
  EXPECT_EQ(got_login, "login");
}

TEST_F(TransportTest, GarbageInsteadOfHandshakeIsAnError) {
  Transport server(fds_[0]);
  uint8_t junk[16] = {0x12, 0x01, 0x00, 0x10, 0, 0, 0, 0, 'n', 'o', 't', ' ', 't', 'l', 's', '!'};
  ASSERT_EQ(::write(fds_[1], junk, sizeof(junk)), 16);
  Status st = server.HandshakeInPrelogin(*tls_, 4096);
  EXPECT_FALSE(st.ok());
}

TEST_F(TransportTest, ReadDeadlineEndsAWaitingRead) {
  Transport server(fds_[0]);
  server.set_read_deadline(std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
  uint8_t buf[8];
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(server.Read(buf, sizeof(buf)).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(90));
  server.set_read_deadline(std::nullopt);
  ASSERT_EQ(::write(fds_[1], "x", 1), 1);
  auto n = server.Read(buf, sizeof(buf));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
}

TEST_F(TransportTest, ReadIfReadyNeverWaits) {
  Transport server(fds_[0]);
  uint8_t buf[8];
  auto none = server.ReadIfReady(buf, sizeof(buf));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_EQ(::write(fds_[1], "x", 1), 1);
  auto one = server.ReadIfReady(buf, sizeof(buf));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(**one, 1u);
  ::shutdown(fds_[1], SHUT_WR);
  auto closed = server.ReadIfReady(buf, sizeof(buf));
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(**closed, 0u);
}

TEST_F(TransportTest, ReadIfReadyUnderTlsTakesOnlyWholeRecords) {
  Transport server(fds_[0]);
  std::thread t([&] { ASSERT_TRUE(server.HandshakeInPrelogin(*tls_, 4096).ok()); });
  TdsTlsClient client(fds_[1]);
  ASSERT_TRUE(client.Handshake());
  t.join();
  std::string record = client.Seal("attention");
  uint8_t buf[64];
  // Half a record: not ready, and nothing is consumed.
  ASSERT_EQ(::write(fds_[1], record.data(), 3), 3);
  auto partial = server.ReadIfReady(buf, sizeof(buf));
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(partial->has_value());
  ASSERT_EQ(::write(fds_[1], record.data() + 3, record.size() - 3),
            static_cast<ssize_t>(record.size() - 3));
  auto whole = server.ReadIfReady(buf, sizeof(buf));
  ASSERT_TRUE(whole.ok());
  ASSERT_TRUE(whole->has_value());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), **whole), "attention");
}

TEST_F(TransportTest, DroppingTlsLeavesTheFollowingPlaintextInTheSocket) {
  Transport server(fds_[0]);
  std::thread t([&] { ASSERT_TRUE(server.HandshakeInPrelogin(*tls_, 4096).ok()); });
  TdsTlsClient client(fds_[1]);
  ASSERT_TRUE(client.Handshake());
  t.join();
  // The login record and the first plaintext bytes in one write.
  std::string both = client.Seal("login") + "plain";
  ASSERT_EQ(::write(fds_[1], both.data(), both.size()), static_cast<ssize_t>(both.size()));
  uint8_t buf[64];
  auto login = server.Read(buf, sizeof(buf));
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), *login), "login");
  server.DropTls();
  auto plain = server.Read(buf, sizeof(buf));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), *plain), "plain");
}

}  // namespace
}  // namespace edgesql::net
