// A TDS client for the network layer's tests: it drives a server connection byte for byte the way
// drivers do (PRELOGIN, the TLS handshake framed in PRELOGIN packets, LOGIN7 in TLS or not,
// requests, ATTENTION), and parses the server's token stream into Tokens the tests can check.
//
// Messages are built with the codec's client-side encoders (tds/client_messages.h); tokens are
// parsed here independently of TokenWriter (only TYPE_INFO and values reuse the codec's readers),
// so a writer mistake shows up as a parse failure or a wrong field. Test-only; not thread-safe.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "tds/login7.h"
#include "tds/protocol.h"
#include "tds/type_info.h"
#include "types/value.h"

namespace edgesql::net::test {

struct Token {
  uint8_t type = 0;
  // DONE, DONEPROC, DONEINPROC
  uint16_t status = 0;
  uint16_t cur_cmd = 0;
  uint64_t row_count = 0;
  // ENVCHANGE: the raw new and old values (text types decoded into new_text / old_text)
  uint8_t env_type = 0;
  Bytes env_new, env_old;
  std::string new_text, old_text;
  // ERROR, INFO
  int32_t number = 0;
  uint8_t state = 0;
  uint8_t severity = 0;
  std::string message;
  // LOGINACK
  uint8_t interface = 0;
  uint32_t tds_version = 0;  // as sent (big-endian on the wire)
  std::string program;
  // FEATUREEXTACK
  std::vector<tds::FeatureExtension> features;
  // COLMETADATA (names and wire types), ROW / NBCROW values, RETURNVALUE (name, ordinal, value)
  std::vector<std::string> column_names;
  std::vector<tds::TypeInfo> column_types;
  std::vector<Value> values;
  uint16_t ordinal = 0;
  std::string name;
  // RETURNSTATUS
  int32_t return_status = 0;
};

// Parses one server message payload. Rows are decoded with the last COLMETADATA seen in it.
Result<std::vector<Token>> ParseTokens(ByteView payload, tds::TdsVersion version);

// Token helpers for assertions.
std::vector<uint8_t> TokenTypes(const std::vector<Token>& tokens);
const Token* FindToken(const std::vector<Token>& tokens, uint8_t type, size_t nth = 0);
const Token* FindEnvChange(const std::vector<Token>& tokens, uint8_t env_type);
// "ENVCHANGE(1) INFO(5701) ... ERROR(208: Invalid object name ...) DONE(0x10)", for messages.
std::string Describe(const std::vector<Token>& tokens);

struct LoginOptions {
  uint32_t tds_version = 0x74000004;
  std::string user = "sa";
  std::string password;
  std::string database;
  uint32_t packet_size = tds::kDefaultPacketSize;
  bool utf8_support = false;
  // fDatabase = INIT_DB_FATAL, as drivers send it.
  uint8_t option_flags1 =
      tds::kLoginInitDbFatal | tds::kLoginUseDbNotify | tds::kLoginSetLangNotify;
};

class TdsClient {
 public:
  // Takes ownership of `fd`; reads time out after `timeout` so a broken server fails the test
  // instead of hanging it.
  explicit TdsClient(int fd, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  ~TdsClient();
  TdsClient(const TdsClient&) = delete;
  TdsClient& operator=(const TdsClient&) = delete;

  int fd() const { return fd_; }
  tds::TdsVersion version() const { return version_; }
  uint16_t last_spid() const { return last_spid_; }
  bool tls_active() const { return tls_active_; }

  // Sends PRELOGIN with `encryption` (nullopt: no ENCRYPTION option) and reads the answer; then
  // performs the TLS handshake when the answers call for one. Returns the server's answer.
  Result<uint8_t> Prelogin(std::optional<uint8_t> encryption);
  // LOGIN7, and the response's tokens. With login-only encryption TLS ends after the LOGIN7.
  Result<std::vector<Token>> Login(const LoginOptions& options);
  // The second half of Login, for tests that send the LOGIN7 themselves.
  Result<std::vector<Token>> ReadLoginResponse(uint32_t tds_version = 0x74000004);
  // Prelogin(NOT_SUP) + Login, failing unless a LOGINACK came back.
  Status Connect(const LoginOptions& options);

  // Sends a message of `type` in packets of the negotiated size (through TLS when active).
  Status Send(uint8_t type, ByteView payload, uint8_t status = 0);
  Status SendRaw(ByteView bytes);
  Status SendBatch(std::string_view sql, uint8_t status = 0, uint64_t descriptor = 0);
  Status SendAttention();
  // One whole server message (its packets' payloads joined); an error on EOF or timeout.
  Result<Bytes> ReadMessage();
  Result<std::vector<Token>> ReadTokens();
  Result<std::vector<Token>> Batch(std::string_view sql, uint8_t status = 0);
  // True once the server has closed the connection (EOF or reset) within `within`; bytes still
  // arriving before the close are discarded.
  bool WaitClosed(std::chrono::milliseconds within = std::chrono::seconds(10));

  // TLS record-level access, for tests that split records on purpose: encrypts `bytes` as
  // application data and returns the raw records without sending them.
  Bytes SealTls(ByteView bytes);

 private:
  Status ReadExact(uint8_t* out, size_t n);
  Status FillPlain();  // reads more decrypted (or raw) bytes into in_
  Status WriteSocket(ByteView bytes);
  Status TlsHandshake();

  int fd_;
  tds::TdsVersion version_ = tds::TdsVersion::k74;
  uint32_t packet_size_ = tds::kDefaultPacketSize;
  uint16_t last_spid_ = 0;
  Bytes in_;  // plaintext received and not yet consumed
  size_t in_pos_ = 0;
  bool login_only_ = false;
  bool tls_active_ = false;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  BIO* rbio_ = nullptr;
  BIO* wbio_ = nullptr;
};

// An encoded TDS 7.x login: the fields real drivers fill.
tds::LoginRequest MakeLogin(const LoginOptions& options);

}  // namespace edgesql::net::test
