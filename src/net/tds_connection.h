// TdsConnection: one client connection, from PRELOGIN to close, driving the TDS codec (src/tds)
// over a Transport and executing requests through an engine Session.
//
//   prelogin --PRELOGIN--> [tls handshake] --> login --LOGIN7 ok--> ready <--> running
//       |                                        |                    |
//       +-- bad framing / wrong message ---------+--- 18456 / 4060 ---+--> closed
//
// PRELOGIN negotiates encryption as SQL Server does (tds::NegotiateEncryption): the handshake
// records travel in PRELOGIN packets; with login-only encryption TLS is dropped after LOGIN7.
// LOGIN7 is answered like SQL Server's login response (ENVCHANGE database, INFO 5701, ENVCHANGE
// language, INFO 5703, ENVCHANGE packet size, ENVCHANGE collation, LOGINACK, FEATUREEXTACK for
// UTF8_SUPPORT when asked, DONE). A failed login gets its error and the connection is closed.
//
// While a request runs, the connection watches the socket without ever blocking on it (under TLS
// only whole records are taken): an ATTENTION packet cancels the request, which ends with a DONE
// carrying the ATTN bit; an ATTENTION that arrives after a request finished is acknowledged with
// a DONE(ATTN) of its own, as the client waits for one. A request that arrives meanwhile is
// queued, and reading stops until it has run (an ATTENTION behind it is its own). A stream that
// breaks meanwhile (garbage, TLS error, the client gone) cancels the request and closes the
// connection. Framing errors and malformed messages close the connection with a log line; a
// malformed request the session can survive (a bad RPC parameter) gets an error and the
// connection goes on. A request that ends the session (severity 20 and above) has its response
// finished, so the client sees the error, before the close.
//
// A BULK LOAD message (the rows of a bulk copy announced by INSERT BULK, [MS-TDS] 2.2.6.1) is not
// buffered: its parts are decoded and stored as they arrive, and it is always read to its end
// before its response, also when the load fails early; a BULK LOAD the client abandons (IGNORE)
// gets no response.
//
// Message size is bounded to 128 KiB until login ([MS-TDS] 2.2.6.4), then to the request bound
// (BULK LOAD messages excepted); packets to the negotiated size. A client that has not completed
// its login within ConnectionOptions::login_timeout is disconnected, so silent, half-open or
// trickling connections cannot pile up before login.
//
// One TdsConnection per accepted socket, run to completion on its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/server.h"
#include "net/transport.h"

namespace edgesql::net {

// Server shutdown as connections see it (SIGTERM). Once `fd` is readable, a connection waiting
// for its client's next message closes (its session ends and rolls back an open transaction),
// and one whose request is still running finishes that request first. When `cancel_running` is
// set (the grace period is over), running requests are cancelled and their connections closed
// without a further response: the client sees the connection end, never a DONE for a statement
// whose work was rolled back.
struct ShutdownSignal {
  int fd = -1;
  std::atomic<bool> cancel_running{false};
};

struct ConnectionOptions {
  bool force_encryption = false;    // answer REQ and refuse clients that cannot do TLS
  const TlsContext* tls = nullptr;  // null: no certificate, encryption not supported
  std::string peer;                 // "ip:port", for logs
  // PRELOGIN, the TLS handshake and LOGIN7 must all arrive within this time of the connection.
  std::chrono::milliseconds login_timeout = std::chrono::seconds(60);
  // Logins beyond this many open sessions are refused with 17809, as SQL Server does past its
  // 'user connections' setting (whose maximum, 32767, is the default here).
  int max_sessions = 32767;
  const ShutdownSignal* shutdown = nullptr;  // none: the connection ends only with its client
};

// Counters shared by all connections (for logs now, /metrics later).
struct ConnectionStats {
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> logins{0};
  std::atomic<uint64_t> login_failures{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> protocol_errors{0};
  std::atomic<uint64_t> errors{0};  // ERROR tokens sent (severity 11 and above)
};

// Serves the connection on `fd` (which it owns and closes) until the client leaves or the
// stream breaks.
void ServeConnection(int fd, engine::Server& server, const ConnectionOptions& options,
                     ConnectionStats& stats);

}  // namespace edgesql::net
