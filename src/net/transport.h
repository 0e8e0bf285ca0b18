// Transport: the byte stream to one client, over a connected socket, with or without TLS.
//
// TDS negotiates encryption in PRELOGIN and then carries the TLS handshake records inside PRELOGIN
// (0x12) packets ([MS-TDS] 3.3.5.2, "TLS/SSL negotiation"); once the handshake is done, TLS records
// travel directly on TCP. If the client asked only for login encryption (ENCRYPT_OFF), TLS is
// dropped again after the LOGIN7 message and the session continues in plaintext. Transport
// drives OpenSSL through memory BIOs so it controls the framing in each phase.
//
// Under TLS the socket is read one whole TLS record at a time, never further: when TLS is dropped
// after LOGIN7 the first plaintext byte is still in the socket, and a check for input while a
// request runs (ReadIfReady) consumes a record only once all of it has arrived, so half a record
// from the client cannot block the request's thread.
//
// SQL Server negotiates at most TLS 1.2 inside TDS 7.x (TLS 1.3 needs TDS 8.0's strict mode);
// edgesql does the same, which also keeps post-handshake messages (TLS 1.3 session tickets) from
// interleaving with the PRELOGIN framing.
//
// Reads and writes are blocking; reads can be given a deadline (the login must complete in
// time), after which they fail. A session thread owns its Transport. Not thread-safe.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/status.h"

namespace edgesql::net {

// A server TLS context: the certificate and key, protocol limits. Thread-safe after creation.
class TlsContext {
 public:
  ~TlsContext();
  // Loads cert/key PEM files, generating a self-signed RSA-2048 pair (CN = the host name) there
  // first if neither file exists.
  static Result<std::unique_ptr<TlsContext>> LoadOrCreate(const std::string& cert_path,
                                                          const std::string& key_path);
  SSL_CTX* ctx() const { return ctx_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

class Transport {
 public:
  explicit Transport(int fd);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  int fd() const { return fd_; }
  bool tls_active() const { return ssl_ != nullptr && !tls_dropped_; }

  // Reads what is available (blocking until at least one byte); 0 means the peer closed.
  Result<size_t> Read(uint8_t* buf, size_t cap);
  // From now on, reads that would wait past `deadline` fail instead; nullopt removes it.
  void set_read_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
    read_deadline_ = deadline;
  }
  // A descriptor that becomes readable when the server shuts down: a read waiting for the client
  // then fails with 6005 (SHUTDOWN is in progress) instead of waiting on. -1: none.
  void set_interrupt_fd(int fd) { interrupt_fd_ = fd; }
  // Like Read, but never waits: nullopt when nothing (under TLS: no whole record) has arrived.
  // Used to notice an ATTENTION packet while a request runs.
  Result<std::optional<size_t>> ReadIfReady(uint8_t* buf, size_t cap);
  Status WriteAll(ByteView data);
  // Ends a connection the server closes: stops sending, then reads and discards what the peer
  // still sends (bounded in time), so that unread input does not make the kernel answer with a
  // reset, which can destroy the last response (a login error) before the client reads it.
  void LingeringClose();

  // Performs the server side of the TLS handshake with the records framed in PRELOGIN packets
  // (8-byte TDS header, type 0x12). `packet_size` bounds the packets we send.
  Status HandshakeInPrelogin(const TlsContext& tls, size_t packet_size);
  // Login-only encryption: after LOGIN7 has been read, continue in plaintext.
  void DropTls();

 private:
  Status WaitReadable();  // honours the read deadline and the interrupt descriptor
  Status ReadExact(uint8_t* buf, size_t n);  // raw socket
  Status FlushTlsOutput();                   // wbio -> socket (after handshake)
  Status RawWrite(ByteView data);
  Result<size_t> RawRead(uint8_t* buf, size_t cap);
  // Moves one whole TLS record from the socket into rbio_. With `wait` false it returns kNotReady
  // unless the whole record is already in the socket's receive buffer.
  enum class RecordRead { kRecord, kNotReady, kClosed };
  Result<RecordRead> ReadTlsRecord(bool wait);
  // SSL_read, feeding records as needed; nullopt when !wait and no whole record is available.
  Result<std::optional<size_t>> TlsRead(uint8_t* buf, size_t cap, bool wait);

  int fd_;
  SSL* ssl_ = nullptr;
  BIO* rbio_ = nullptr;  // network -> SSL (owned by ssl_)
  BIO* wbio_ = nullptr;  // SSL -> network (owned by ssl_)
  bool tls_dropped_ = false;
  std::optional<std::chrono::steady_clock::time_point> read_deadline_;
  int interrupt_fd_ = -1;
};

}  // namespace edgesql::net
