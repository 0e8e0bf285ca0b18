#include "net/transport.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/errors.h"
#include "common/log.h"

namespace edgesql::net {
namespace {

constexpr uint8_t kPreloginPacket = 0x12;  // [MS-TDS] 2.2.3.1.1, packet type PRELOGIN
constexpr uint8_t kStatusEom = 0x01;
constexpr size_t kHeaderSize = 8;
// TLS record layer (RFC 5246 6.2): type, version, 16-bit length; a TLSCiphertext fragment is at
// most 2^14 + 2048 bytes.
constexpr size_t kTlsRecordHeaderSize = 5;
constexpr size_t kMaxTlsRecordPayload = (1 << 14) + 2048;

SqlError TlsError(const std::string& what) {
  char buf[256];
  unsigned long code = ERR_get_error();
  std::string detail = "no detail";
  if (code != 0) {
    ERR_error_string_n(code, buf, sizeof(buf));
    detail = buf;
  }
  ERR_clear_error();
  return errors::Make(errors::kProtocolStreamIncorrect, {"TLS " + what + " failed: " + detail});
}

SqlError SocketError(const char* what, int err) {
  return errors::Make(errors::kProtocolStreamIncorrect,
                      {std::string(what) + ": " + std::strerror(err)});
}

// Generates a self-signed RSA-2048 certificate valid for ten years.
Status GenerateSelfSigned(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (key == nullptr) return TlsError("key generation");
  X509* cert = X509_new();
  Status result;
  char host[256] = "edgesql";
  ::gethostname(host, sizeof(host) - 1);
  uint64_t serial = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof(serial));
  X509_set_version(cert, 2);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial >> 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<unsigned char*>(host), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("edgesql self-signed"), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  if (X509_sign(cert, key, EVP_sha256()) == 0) {
    result = TlsError("certificate signing");
  } else {
    // The key file is private to the server's user.
    mode_t old = ::umask(077);
    FILE* kf = std::fopen(key_path.c_str(), "w");
    FILE* cf = std::fopen(cert_path.c_str(), "w");
    ::umask(old);
    if (kf == nullptr || cf == nullptr ||
        PEM_write_PrivateKey(kf, key, nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        PEM_write_X509(cf, cert) != 1 || std::fflush(kf) != 0 || std::fflush(cf) != 0 ||
        ::fsync(fileno(kf)) != 0 || ::fsync(fileno(cf)) != 0) {
      result = errors::Make(errors::kCannotCreateFile,
                            {std::to_string(errno), std::strerror(errno), key_path});
    }
    if (kf) std::fclose(kf);
    if (cf) std::fclose(cf);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  return result;
}

}  // namespace

// ---- TlsContext ----

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

Result<std::unique_ptr<TlsContext>> TlsContext::LoadOrCreate(const std::string& cert_path,
                                                             const std::string& key_path) {
  bool have_cert = ::access(cert_path.c_str(), F_OK) == 0;
  bool have_key = ::access(key_path.c_str(), F_OK) == 0;
  if (!have_cert && !have_key) {
    ES_LOG(Info, "net") << "generating a self-signed TLS certificate in " << cert_path;
    EDGESQL_RETURN_IF_ERROR(GenerateSelfSigned(cert_path, key_path));
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return TlsError("context creation");
  std::unique_ptr<TlsContext> tls(new TlsContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_path.c_str()) != 1) {
    return TlsError("loading certificate " + cert_path);
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_path.c_str(), SSL_FILETYPE_PEM) != 1) {
    return TlsError("loading key " + key_path);
  }
  if (SSL_CTX_check_private_key(ctx) != 1) return TlsError("matching key and certificate");
  return tls;
}

// ---- Transport ----

Transport::Transport(int fd) : fd_(fd) {}

Transport::~Transport() {
  if (ssl_ != nullptr) SSL_free(ssl_);  // frees both BIOs
  ::close(fd_);
}

void Transport::LingeringClose() {
  constexpr auto kLinger = std::chrono::milliseconds(250);
  if (::shutdown(fd_, SHUT_WR) != 0) return;
  auto deadline = std::chrono::steady_clock::now() + kLinger;
  uint8_t buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return;
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return;  // the peer closed too, or the socket failed
  }
}

Status Transport::WaitReadable() {
  if (!read_deadline_ && interrupt_fd_ < 0) return Status::Ok();
  for (;;) {
    int timeout_ms = -1;
    if (read_deadline_) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*read_deadline_ -
                                                               std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return errors::Make(errors::kProtocolStreamIncorrect,
                            {"The client did not send its data before the deadline."});
      }
      timeout_ms = static_cast<int>(std::min<int64_t>(left.count(), 60000));
    }
    pollfd p[2] = {{fd_, POLLIN, 0}, {interrupt_fd_, POLLIN, 0}};
    int rc = ::poll(p, interrupt_fd_ >= 0 ? 2 : 1, timeout_ms);
    if (rc > 0 && p[0].revents != 0) return Status::Ok();
    if (rc > 0) return errors::Make(errors::kShutdownInProgress, {});
    if (rc < 0 && errno != EINTR) return SocketError("poll", errno);
  }
}

Result<size_t> Transport::RawRead(uint8_t* buf, size_t cap) {
  EDGESQL_RETURN_IF_ERROR(WaitReadable());
  for (;;) {
    ssize_t n = ::recv(fd_, buf, cap, 0);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    return SocketError("read", errno);
  }
}

Status Transport::RawWrite(ByteView data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return SocketError("write", errno);
    }
    off += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status Transport::ReadExact(uint8_t* buf, size_t n) {
  size_t off = 0;
  while (off < n) {
    EDGESQL_ASSIGN_OR_RETURN(size_t got, RawRead(buf + off, n - off));
    if (got == 0) {
      return errors::Make(errors::kProtocolStreamIncorrect, {"The stream ended unexpectedly."});
    }
    off += got;
  }
  return Status::Ok();
}

Status Transport::FlushTlsOutput() {
  uint8_t buf[16384];
  for (;;) {
    int n = BIO_read(wbio_, buf, sizeof(buf));
    if (n <= 0) return Status::Ok();
    EDGESQL_RETURN_IF_ERROR(RawWrite(ByteView(buf, static_cast<size_t>(n))));
  }
}

Result<Transport::RecordRead> Transport::ReadTlsRecord(bool wait) {
  uint8_t header[kTlsRecordHeaderSize];
  if (wait) {
    EDGESQL_ASSIGN_OR_RETURN(size_t got, RawRead(header, sizeof(header)));
    if (got == 0) return RecordRead::kClosed;
    EDGESQL_RETURN_IF_ERROR(ReadExact(header + got, sizeof(header) - got));
  } else {
    ssize_t n = ::recv(fd_, header, sizeof(header), MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return RecordRead::kClosed;
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return RecordRead::kNotReady;
      return SocketError("read", errno);
    }
    if (static_cast<size_t>(n) < sizeof(header)) return RecordRead::kNotReady;
  }
  // Content type 20..23 (change_cipher_spec, alert, handshake, application_data), version 3.x:
  // anything else is not TLS (a client writing plaintext), and waiting for the "length" its bytes
  // happen to spell would hang the connection.
  size_t length = (static_cast<size_t>(header[3]) << 8) | header[4];
  if (header[0] < 20 || header[0] > 23 || header[1] != 3) {
    return errors::Make(errors::kProtocolStreamIncorrect,
                        {"The client sent data that is not a TLS record."});
  }
  if (length > kMaxTlsRecordPayload) {
    return errors::Make(errors::kProtocolStreamIncorrect,
                        {"A TLS record of " + std::to_string(length) + " bytes is too long."});
  }
  if (!wait) {
    int available = 0;
    if (::ioctl(fd_, FIONREAD, &available) != 0) return SocketError("ioctl", errno);
    if (static_cast<size_t>(available) < sizeof(header) + length) return RecordRead::kNotReady;
    EDGESQL_RETURN_IF_ERROR(ReadExact(header, sizeof(header)));  // consume the peeked header
  }
  Bytes record(sizeof(header) + length);
  std::copy_n(header, sizeof(header), record.begin());
  EDGESQL_RETURN_IF_ERROR(ReadExact(record.data() + sizeof(header), length));
  BIO_write(rbio_, record.data(), static_cast<int>(record.size()));
  return RecordRead::kRecord;
}

Result<std::optional<size_t>> Transport::TlsRead(uint8_t* buf, size_t cap, bool wait) {
  for (;;) {
    int n = SSL_read(ssl_, buf, static_cast<int>(std::min<size_t>(cap, 1 << 30)));
    if (n > 0) return std::optional<size_t>(static_cast<size_t>(n));
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_ZERO_RETURN) return std::optional<size_t>(0);
    if (err != SSL_ERROR_WANT_READ) return TlsError("read");
    EDGESQL_ASSIGN_OR_RETURN(RecordRead r, ReadTlsRecord(wait));
    if (r == RecordRead::kNotReady) return std::optional<size_t>();
    if (r == RecordRead::kClosed) return std::optional<size_t>(0);
  }
}

Result<size_t> Transport::Read(uint8_t* buf, size_t cap) {
  if (!tls_active()) return RawRead(buf, cap);
  EDGESQL_ASSIGN_OR_RETURN(std::optional<size_t> n, TlsRead(buf, cap, /*wait=*/true));
  return *n;
}

Result<std::optional<size_t>> Transport::ReadIfReady(uint8_t* buf, size_t cap) {
  if (tls_active()) return TlsRead(buf, cap, /*wait=*/false);
  for (;;) {
    ssize_t n = ::recv(fd_, buf, cap, MSG_DONTWAIT);
    if (n >= 0) return std::optional<size_t>(static_cast<size_t>(n));
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<size_t>();
    return SocketError("read", errno);
  }
}

Status Transport::WriteAll(ByteView data) {
  if (!tls_active()) return RawWrite(data);
  size_t off = 0;
  while (off < data.size()) {
    // A memory BIO never pushes back, so SSL_write consumes everything it is given.
    int chunk = static_cast<int>(std::min<size_t>(data.size() - off, 16384));
    int n = SSL_write(ssl_, data.data() + off, chunk);
    if (n <= 0) return TlsError("write");
    off += static_cast<size_t>(n);
    EDGESQL_RETURN_IF_ERROR(FlushTlsOutput());
  }
  return Status::Ok();
}

Status Transport::HandshakeInPrelogin(const TlsContext& tls, size_t packet_size) {
  ssl_ = SSL_new(tls.ctx());
  if (ssl_ == nullptr) return TlsError("session creation");
  rbio_ = BIO_new(BIO_s_mem());
  wbio_ = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl_, rbio_, wbio_);
  SSL_set_accept_state(ssl_);
  const size_t max_payload = std::max<size_t>(packet_size, 512) - kHeaderSize;
  for (;;) {
    int rc = SSL_do_handshake(ssl_);
    // Whatever the handshake produced goes to the client inside PRELOGIN packets.
    Bytes out(static_cast<size_t>(BIO_ctrl_pending(wbio_)));
    if (!out.empty()) {
      BIO_read(wbio_, out.data(), static_cast<int>(out.size()));
      for (size_t off = 0; off < out.size(); off += max_payload) {
        size_t n = std::min(max_payload, out.size() - off);
        uint8_t header[kHeaderSize] = {kPreloginPacket, 0, 0, 0, 0, 0, 0, 0};
        if (off + n == out.size()) header[1] = kStatusEom;
        size_t len = n + kHeaderSize;
        header[2] = static_cast<uint8_t>(len >> 8);
        header[3] = static_cast<uint8_t>(len);
        EDGESQL_RETURN_IF_ERROR(RawWrite(ByteView(header, kHeaderSize)));
        EDGESQL_RETURN_IF_ERROR(RawWrite(ByteView(out.data() + off, n)));
      }
    }
    if (rc == 1) return Status::Ok();
    int err = SSL_get_error(ssl_, rc);
    if (err != SSL_ERROR_WANT_READ) return TlsError("handshake");
    uint8_t header[kHeaderSize];
    EDGESQL_RETURN_IF_ERROR(ReadExact(header, kHeaderSize));
    size_t len = (static_cast<size_t>(header[2]) << 8) | header[3];
    if (header[0] != kPreloginPacket || len < kHeaderSize) {
      return errors::Make(errors::kProtocolStreamIncorrect,
                          {"Expected a PRELOGIN packet carrying the TLS handshake."});
    }
    Bytes payload(len - kHeaderSize);
    EDGESQL_RETURN_IF_ERROR(ReadExact(payload.data(), payload.size()));
    BIO_write(rbio_, payload.data(), static_cast<int>(payload.size()));
  }
}

void Transport::DropTls() { tls_dropped_ = true; }

}  // namespace edgesql::net
