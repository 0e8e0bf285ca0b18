#include "net/test_client.h"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/errors.h"
#include "tds/client_messages.h"
#include "tds/packet.h"
#include "tds/prelogin.h"
#include "tds/value_codec.h"
#include "tds/wire.h"

namespace edgesql::net::test {
namespace {

using namespace edgesql::tds;

SqlError Fail(const std::string& what) {
  return errors::Make(errors::kProtocolStreamIncorrect, {"test client: " + what});
}

bool IsTextEnvChange(uint8_t type) {
  switch (type) {
    case kEnvDatabase:
    case kEnvLanguage:
    case kEnvCharset:
    case kEnvPacketSize:
    case kEnvUnicodeSortLocale:
    case kEnvUnicodeSortFlags:
    case kEnvMirrorPartner:
    case kEnvUserInstanceStarted:
      return true;
    default:
      return false;
  }
}

// One length-prefixed ENVCHANGE value: B_VARCHAR (characters) or B_VARBYTE (bytes).
bool ReadEnvValue(ByteReader* in, bool text, Bytes* raw, std::string* decoded) {
  uint8_t n = in->U8();
  ByteView v = in->Take(text ? size_t{n} * 2 : n);
  if (!in->ok()) return false;
  raw->assign(v.begin(), v.end());
  if (text) {
    ByteReader r(v);
    return wire::ReadUtf16(&r, n, decoded);
  }
  return true;
}

uint32_t UserType(ByteReader* in, TdsVersion version) {
  return HasAllHeaders(version) ? in->U32Le() : in->U16Le();
}

Status ReadColumns(ByteReader* in, TdsVersion version, Token* t) {
  uint16_t count = in->U16Le();
  if (count == kNoMetadata) return Status::Ok();
  for (uint16_t i = 0; i < count && in->ok(); ++i) {
    UserType(in, version);
    in->U16Le();  // flags
    TypeInfo ti;
    if (ReadTypeInfo(in, &ti) != WireError::kNone) return Fail("bad TYPE_INFO in COLMETADATA");
    if (ti.IsLegacyLob()) {
      std::string table;
      if (HasAllHeaders(version)) {
        uint8_t parts = in->U8();
        for (uint8_t p = 0; p < parts; ++p) wire::ReadUsVarChar(in, &table);
      } else {
        wire::ReadUsVarChar(in, &table);
      }
    }
    std::string name;
    if (!wire::ReadBVarChar(in, &name)) return Fail("bad column name");
    t->column_names.push_back(std::move(name));
    t->column_types.push_back(ti);
  }
  return in->ok() ? Status::Ok() : Fail("truncated COLMETADATA");
}

}  // namespace

Result<std::vector<Token>> ParseTokens(ByteView payload, TdsVersion version) {
  std::vector<Token> out;
  std::vector<TypeInfo> columns;
  ByteReader in(payload);
  while (!in.AtEnd()) {
    Token t;
    t.type = in.U8();
    switch (t.type) {
      case kTokenDone:
      case kTokenDoneProc:
      case kTokenDoneInProc:
        t.status = in.U16Le();
        t.cur_cmd = in.U16Le();
        t.row_count = HasAllHeaders(version) ? in.U64Le() : in.U32Le();
        break;
      case kTokenEnvChange: {
        uint16_t len = in.U16Le();
        ByteReader body(in.Take(len));
        t.env_type = body.U8();
        bool text = IsTextEnvChange(t.env_type);
        if (!ReadEnvValue(&body, text, &t.env_new, &t.new_text) ||
            !ReadEnvValue(&body, text, &t.env_old, &t.old_text) || !body.AtEnd()) {
          return Fail("bad ENVCHANGE " + std::to_string(t.env_type));
        }
        break;
      }
      case kTokenError:
      case kTokenInfo: {
        uint16_t len = in.U16Le();
        ByteReader body(in.Take(len));
        t.number = static_cast<int32_t>(body.U32Le());
        t.state = body.U8();
        t.severity = body.U8();
        std::string server, proc;
        if (!wire::ReadUsVarChar(&body, &t.message) || !wire::ReadBVarChar(&body, &server) ||
            !wire::ReadBVarChar(&body, &proc)) {
          return Fail("bad ERROR/INFO");
        }
        if (HasAllHeaders(version)) {
          body.U32Le();
        } else {
          body.U16Le();
        }
        if (!body.ok() || !body.AtEnd()) return Fail("bad ERROR/INFO length");
        break;
      }
      case kTokenLoginAck: {
        uint16_t len = in.U16Le();
        ByteReader body(in.Take(len));
        t.interface = body.U8();
        t.tds_version = body.U32Be();
        if (!wire::ReadBVarChar(&body, &t.program)) return Fail("bad LOGINACK");
        body.Take(4);
        if (!body.ok() || !body.AtEnd()) return Fail("bad LOGINACK length");
        break;
      }
      case kTokenFeatureExtAck:
        for (;;) {
          FeatureExtension f;
          f.id = in.U8();
          if (!in.ok()) return Fail("FEATUREEXTACK without terminator");
          if (f.id == kFeatureTerminator) break;
          ByteView data = in.Take(in.U32Le());
          f.data.assign(data.begin(), data.end());
          t.features.push_back(std::move(f));
        }
        break;
      case kTokenColMetadata:
        EDGESQL_RETURN_IF_ERROR(ReadColumns(&in, version, &t));
        columns = t.column_types;
        break;
      case kTokenRow:
      case kTokenNbcRow: {
        Bytes nulls((columns.size() + 7) / 8, 0);
        if (t.type == kTokenNbcRow) {
          ByteView bitmap = in.Take(nulls.size());
          nulls.assign(bitmap.begin(), bitmap.end());
        }
        for (size_t i = 0; i < columns.size() && in.ok(); ++i) {
          if (t.type == kTokenNbcRow && (nulls[i / 8] >> (i % 8)) & 1) {
            t.values.push_back(Value::Null(SqlTypeOf(columns[i])));
            continue;
          }
          Value v;
          if (DecodeValue(&in, columns[i], ValueForm::kRow, {}, &v) != WireError::kNone) {
            return Fail("bad value in column " + std::to_string(i));
          }
          t.values.push_back(std::move(v));
        }
        break;
      }
      case kTokenReturnStatus:
        t.return_status = static_cast<int32_t>(in.U32Le());
        break;
      case kTokenReturnValue: {
        t.ordinal = in.U16Le();
        if (!wire::ReadBVarChar(&in, &t.name)) return Fail("bad RETURNVALUE name");
        in.U8();  // status
        UserType(&in, version);
        in.U16Le();  // flags
        TypeInfo ti;
        if (ReadTypeInfo(&in, &ti) != WireError::kNone) return Fail("bad RETURNVALUE type");
        Value v;
        if (DecodeValue(&in, ti, ValueForm::kRow, {}, &v) != WireError::kNone) {
          return Fail("bad RETURNVALUE value");
        }
        t.column_types.push_back(ti);
        t.values.push_back(std::move(v));
        break;
      }
      case kTokenOrder:
      case kTokenTabName:
      case kTokenColInfo:
        in.Skip(in.U16Le());
        break;
      default:
        return Fail("unknown token 0x" + wire::HexByte(t.type));
    }
    if (!in.ok()) return Fail("truncated token 0x" + wire::HexByte(t.type));
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<uint8_t> TokenTypes(const std::vector<Token>& tokens) {
  std::vector<uint8_t> types;
  for (const Token& t : tokens) types.push_back(t.type);
  return types;
}

const Token* FindToken(const std::vector<Token>& tokens, uint8_t type, size_t nth) {
  for (const Token& t : tokens) {
    if (t.type == type && nth-- == 0) return &t;
  }
  return nullptr;
}

const Token* FindEnvChange(const std::vector<Token>& tokens, uint8_t env_type) {
  for (const Token& t : tokens) {
    if (t.type == kTokenEnvChange && t.env_type == env_type) return &t;
  }
  return nullptr;
}

std::string Describe(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    switch (t.type) {
      case kTokenEnvChange:
        out += "ENVCHANGE(" + std::to_string(t.env_type) + ")";
        break;
      case kTokenError:
      case kTokenInfo:
        out += std::string(t.type == kTokenError ? "ERROR(" : "INFO(") + std::to_string(t.number) +
               ": " + t.message + ")";
        break;
      case kTokenDone:
      case kTokenDoneProc:
      case kTokenDoneInProc: {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "%s(0x%x, %llu)",
                      t.type == kTokenDone       ? "DONE"
                      : t.type == kTokenDoneProc ? "DONEPROC"
                                                 : "DONEINPROC",
                      t.status, static_cast<unsigned long long>(t.row_count));
        out += buf;
        break;
      }
      default:
        out += "0x" + wire::HexByte(t.type);
    }
  }
  return out;
}

LoginRequest MakeLogin(const LoginOptions& o) {
  LoginRequest r;
  r.tds_version = o.tds_version;
  r.packet_size = o.packet_size;
  r.client_prog_version = 7;
  r.client_pid = static_cast<uint32_t>(::getpid());
  r.option_flags1 = o.option_flags1;
  r.option_flags2 = kLoginInitLangFatal | kLoginOdbc;
  r.hostname = "testhost";
  r.username = o.user;
  r.password = o.password;
  r.app_name = "net_test";
  r.server_name = "localhost";
  r.library_name = "edgesql-test";
  r.database = o.database;
  if (o.utf8_support) r.features.push_back({kFeatureUtf8Support, Bytes{0x01}});
  return r;
}

// ---- TdsClient ----

TdsClient::TdsClient(int fd, std::chrono::milliseconds timeout) : fd_(fd) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

TdsClient::~TdsClient() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  ::close(fd_);
}

Status TdsClient::WriteSocket(ByteView bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(std::string("send: ") + std::strerror(errno));
    }
    off += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Bytes TdsClient::SealTls(ByteView bytes) {
  Bytes out;
  if (!bytes.empty()) SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(BIO_ctrl_pending(wbio_)));
  if (!out.empty()) BIO_read(wbio_, out.data(), static_cast<int>(out.size()));
  return out;
}

Status TdsClient::SendRaw(ByteView bytes) {
  if (!tls_active_) return WriteSocket(bytes);
  Bytes sealed = SealTls(bytes);
  return WriteSocket(sealed);
}

Status TdsClient::FillPlain() {
  if (in_pos_ == in_.size()) {
    in_.clear();
    in_pos_ = 0;
  }
  uint8_t buf[16384];
  for (;;) {
    if (tls_active_) {
      int n = SSL_read(ssl_, buf, sizeof(buf));
      if (n > 0) {
        in_.insert(in_.end(), buf, buf + n);
        return Status::Ok();
      }
      int err = SSL_get_error(ssl_, n);
      if (err != SSL_ERROR_WANT_READ) return Fail("TLS read failed");
    }
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(std::string("recv: ") + std::strerror(errno));
    if (n == 0) return Fail("the server closed the connection");
    if (!tls_active_) {
      in_.insert(in_.end(), buf, buf + n);
      return Status::Ok();
    }
    BIO_write(rbio_, buf, static_cast<int>(n));
  }
}

Status TdsClient::ReadExact(uint8_t* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    if (in_pos_ == in_.size()) EDGESQL_RETURN_IF_ERROR(FillPlain());
    size_t take = std::min(n - got, in_.size() - in_pos_);
    std::memcpy(out + got, in_.data() + in_pos_, take);
    in_pos_ += take;
    got += take;
  }
  return Status::Ok();
}

Result<Bytes> TdsClient::ReadMessage() {
  Bytes payload;
  for (;;) {
    uint8_t h[kPacketHeaderSize];
    EDGESQL_RETURN_IF_ERROR(ReadExact(h, sizeof(h)));
    PacketHeader header = *ParsePacketHeader(ByteView(h, sizeof(h)));
    if (header.type != kPacketTabularResult || header.length < kPacketHeaderSize) {
      return Fail("unexpected packet type " + std::to_string(header.type));
    }
    if (header.length > packet_size_) return Fail("a packet above the negotiated size");
    last_spid_ = header.spid;
    size_t at = payload.size();
    payload.resize(at + header.length - kPacketHeaderSize);
    EDGESQL_RETURN_IF_ERROR(ReadExact(payload.data() + at, payload.size() - at));
    if (header.status & kStatusEom) return payload;
  }
}

Result<std::vector<Token>> TdsClient::ReadTokens() {
  EDGESQL_ASSIGN_OR_RETURN(Bytes payload, ReadMessage());
  return ParseTokens(payload, version_);
}

Status TdsClient::Send(uint8_t type, ByteView payload, uint8_t status) {
  return SendRaw(client::Packetize(type, payload, packet_size_, status));
}

Status TdsClient::SendBatch(std::string_view sql, uint8_t status, uint64_t descriptor) {
  return Send(kPacketSqlBatch, client::EncodeSqlBatch(sql, version_, descriptor), status);
}

Status TdsClient::SendAttention() { return Send(kPacketAttention, {}); }

Result<std::vector<Token>> TdsClient::Batch(std::string_view sql, uint8_t status) {
  EDGESQL_RETURN_IF_ERROR(SendBatch(sql, status));
  return ReadTokens();
}

Status TdsClient::TlsHandshake() {
  ctx_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  ssl_ = SSL_new(ctx_);
  rbio_ = BIO_new(BIO_s_mem());
  wbio_ = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl_, rbio_, wbio_);
  SSL_set_connect_state(ssl_);
  for (;;) {
    int rc = SSL_do_handshake(ssl_);
    Bytes out = SealTls({});
    if (!out.empty()) EDGESQL_RETURN_IF_ERROR(Send(kPacketPrelogin, out));
    if (rc == 1) break;
    if (SSL_get_error(ssl_, rc) != SSL_ERROR_WANT_READ) return Fail("TLS handshake failed");
    uint8_t h[kPacketHeaderSize];
    EDGESQL_RETURN_IF_ERROR(ReadExact(h, sizeof(h)));
    PacketHeader header = *ParsePacketHeader(ByteView(h, sizeof(h)));
    if (header.type != kPacketPrelogin || header.length < kPacketHeaderSize) {
      return Fail("the handshake did not come in PRELOGIN packets");
    }
    Bytes record(header.length - kPacketHeaderSize);
    EDGESQL_RETURN_IF_ERROR(ReadExact(record.data(), record.size()));
    BIO_write(rbio_, record.data(), static_cast<int>(record.size()));
  }
  if (in_pos_ != in_.size()) return Fail("bytes after the handshake");
  tls_active_ = true;
  return Status::Ok();
}

Result<uint8_t> TdsClient::Prelogin(std::optional<uint8_t> encryption) {
  PreloginRequest pre;
  pre.has_version = true;
  pre.client_version = 0x0B000000;
  pre.encryption = encryption;
  pre.thread_id = 1;
  pre.mars = 0;
  EDGESQL_RETURN_IF_ERROR(Send(kPacketPrelogin, client::EncodePrelogin(pre)));
  EDGESQL_ASSIGN_OR_RETURN(Bytes reply, ReadMessage());
  // The reply has the request's layout; DecodePrelogin reads it as well.
  EDGESQL_ASSIGN_OR_RETURN(PreloginRequest answer, DecodePrelogin(reply));
  if (!answer.encryption) return Fail("no ENCRYPTION in the PRELOGIN reply");
  uint8_t server = *answer.encryption;
  uint8_t client = encryption.value_or(kEncryptOff);
  bool tls = false;
  if (client == kEncryptNotSup) {
    tls = false;  // a server answering REQ is refused by the caller
  } else if (server == kEncryptOn || server == kEncryptReq) {
    tls = true;
  } else if (server == kEncryptOff) {
    tls = true;
    login_only_ = client == kEncryptOff;
  }
  if (tls) EDGESQL_RETURN_IF_ERROR(TlsHandshake());
  return server;
}

Result<std::vector<Token>> TdsClient::Login(const LoginOptions& o) {
  EDGESQL_RETURN_IF_ERROR(Send(kPacketLogin7, client::EncodeLogin7(MakeLogin(o))));
  return ReadLoginResponse(o.tds_version);
}

Result<std::vector<Token>> TdsClient::ReadLoginResponse(uint32_t tds_version) {
  if (auto v = NegotiateTdsVersion(tds_version)) version_ = *v;
  if (login_only_) tls_active_ = false;
  EDGESQL_ASSIGN_OR_RETURN(std::vector<Token> tokens, ReadTokens());
  if (const Token* size = FindEnvChange(tokens, kEnvPacketSize)) {
    packet_size_ = static_cast<uint32_t>(std::stoul(size->new_text));
  }
  return tokens;
}

Status TdsClient::Connect(const LoginOptions& o) {
  EDGESQL_RETURN_IF_ERROR(Prelogin(kEncryptNotSup).status());
  EDGESQL_ASSIGN_OR_RETURN(std::vector<Token> tokens, Login(o));
  if (FindToken(tokens, kTokenLoginAck) == nullptr) return Fail("no LOGINACK");
  return Status::Ok();
}

bool TdsClient::WaitClosed(std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  uint8_t buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) return false;
    ssize_t n = ::recv(fd_, buf, sizeof(buf), MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) return true;  // reset
  }
}

}  // namespace edgesql::net::test
