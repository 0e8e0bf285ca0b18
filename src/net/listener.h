// Listening sockets and the accept loop.
//
// A server either binds its own sockets (--listen ADDR:PORT) or inherits them by the
// LISTEN_FDS/LISTEN_PID convention of systemd socket activation (sd_listen_fds(3)): the sockets
// are file descriptors 3, 4, ... of the process, and LISTEN_PID names the process they are for.
// That is how `edgesql up` hands the same socket to every server generation, so clients queue in
// the backlog instead of being refused while a server restarts (DESIGN.md).
//
// Acceptor::Run accepts until Stop() and serves each connection on a thread of its own (small
// stack: the session's work is bounded by the parser's nesting limit and SQLite's own limits).
// Accepted sockets get TCP_NODELAY and SQL Server's keep-alive timing (30 s idle, 1 s interval),
// so a peer that vanished without a FIN or RST is noticed.
// Stop is async-signal-safe (it writes to a pipe).
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace edgesql::net {

struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 1433;
  std::string ToString() const { return host + ":" + std::to_string(port); }
};

// Parses "ADDR:PORT", "[v6addr]:PORT", ":PORT" (all interfaces) or "PORT".
Result<Endpoint> ParseEndpoint(std::string_view text);

// Creates, binds and listens on a TCP socket (SO_REUSEADDR, CLOEXEC).
Result<int> ListenTcp(const Endpoint& endpoint, int backlog = 1024);
// The same for an address in ParseEndpoint's forms.
Result<int> ListenTcp(std::string_view spec, int backlog = 1024);

// Creates a Unix-domain stream socket listening at `path` (mode 0600; a stale socket file left by
// a dead process is replaced). The caller must own the directory: the data-directory lock or the
// supervisor's lock makes sure no live process is listening there.
Result<int> ListenUnix(const std::string& path, int backlog = 64);

// A socket passed by LISTEN_FDS, with its name from LISTEN_FDNAMES ("" when not named).
struct InheritedSocket {
  int fd;
  std::string name;
};

// The sockets passed by LISTEN_FDS for this process (empty when none), in order. Clears the
// variables so that child processes do not see them.
std::vector<InheritedSocket> InheritedSockets();

// The inherited socket named `name`; without names (plain systemd units), the one at `position`.
std::optional<int> FindInherited(const std::vector<InheritedSocket>& sockets,
                                 const std::string& name, size_t position);

// The local address a listening socket is bound to, "ADDR:PORT".
std::string LocalAddress(int fd);

class Acceptor {
 public:
  using Handler = std::function<void(int fd, std::string peer)>;
  explicit Acceptor(int listen_fd);
  ~Acceptor();

  // Accepts connections and runs `handler` for each on its own detached thread, until Stop().
  void Run(const Handler& handler);
  void Stop();
  // Connections whose handler is still running.
  int active() const { return active_.load(); }

 private:
  int listen_fd_;
  int wake_[2] = {-1, -1};
  std::atomic<int> active_{0};
};

}  // namespace edgesql::net
