#include "net/listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/errors.h"
#include "common/log.h"

namespace edgesql::net {
namespace {

// Per-connection thread stack: address space, of which only the touched pages take memory. The
// deepest work on it is bounded: the T-SQL parser limits nesting (its worst accepted input needs
// about 1.5 MB unoptimized under ASan), the binder walks the bounded tree, SQLite bounds its own
// expression depth. 8 MB leaves room for all three at once.
constexpr size_t kConnectionStackSize = 8 << 20;

SqlError NetError(const std::string& what, int err) {
  return errors::Make(errors::kCannotOpenFile, {what, std::to_string(err), std::strerror(err)});
}

struct ThreadStart {
  Acceptor::Handler handler;
  int fd;
  std::string peer;
  std::atomic<int>* active;
};

void* ConnectionThread(void* arg) {
  std::unique_ptr<ThreadStart> start(static_cast<ThreadStart*>(arg));
  start->handler(start->fd, std::move(start->peer));
  start->active->fetch_sub(1);
  return nullptr;
}

// SQL Server probes idle connections with TCP keep-alives (KeepAlive 30000 ms, KeepAliveInterval
// 1000 ms by default), so the session of a client whose machine vanished is ended instead of
// waiting forever for its next request. Not all sockets are TCP (tests use socket pairs): failures
// are ignored.
void EnableKeepAlive(int fd) {
  int on = 1, idle = 30, interval = 1, count = 10;
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
}

std::string PeerName(const sockaddr_storage& addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_UNIX) {
    return reinterpret_cast<const sockaddr_un*>(&addr)->sun_path;
  } else if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
    port = ntohs(a->sin6_port);
  }
  return std::string(host) + ":" + std::to_string(port);
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view text) {
  Endpoint ep;
  std::string_view port = text;
  size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    ep.host = host.empty() ? "0.0.0.0" : std::string(host);
    port = text.substr(colon + 1);
  }
  char* end = nullptr;
  std::string p(port);
  long n = std::strtol(p.c_str(), &end, 10);
  if (p.empty() || *end != '\0' || n < 0 || n > 65535) {
    return errors::Make(errors::kCannotOpenFile,
                        {std::string(text), "0", "expected ADDR:PORT with a port from 0 to 65535"});
  }
  ep.port = static_cast<uint16_t>(n);
  return ep;
}

Result<int> ListenTcp(const Endpoint& endpoint, int backlog) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(endpoint.port);
  int rc = getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    return errors::Make(errors::kCannotOpenFile,
                        {endpoint.ToString(), std::to_string(rc), gai_strerror(rc)});
  }
  int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    int err = errno;
    freeaddrinfo(found);
    return NetError(endpoint.ToString(), err);
  }
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, backlog) != 0) {
    int err = errno;
    freeaddrinfo(found);
    ::close(fd);
    return NetError("listening on " + endpoint.ToString(), err);
  }
  freeaddrinfo(found);
  return fd;
}

Result<int> ListenUnix(const std::string& path, int backlog) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return errors::Make(errors::kCannotOpenFile,
                        {path, "0",
                         "the path is longer than a Unix socket address allows (" +
                             std::to_string(sizeof(addr.sun_path) - 1) + " bytes)"});
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return NetError(path, errno);
  ::unlink(path.c_str());
  // The umask makes the socket 0600 from the start; a chmod afterwards would leave a window.
  mode_t old_mask = ::umask(0177);
  int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ::umask(old_mask);
  if (rc != 0 || ::listen(fd, backlog) != 0) {
    int err = errno;
    ::close(fd);
    return NetError("listening on " + path, err);
  }
  return fd;
}

Result<int> ListenTcp(std::string_view spec, int backlog) {
  EDGESQL_ASSIGN_OR_RETURN(Endpoint endpoint, ParseEndpoint(spec));
  return ListenTcp(endpoint, backlog);
}

std::vector<InheritedSocket> InheritedSockets() {
  std::vector<InheritedSocket> fds;
  const char* pid = std::getenv("LISTEN_PID");
  const char* count = std::getenv("LISTEN_FDS");
  const char* names = std::getenv("LISTEN_FDNAMES");
  if (pid == nullptr || count == nullptr) return fds;
  if (std::strtol(pid, nullptr, 10) == static_cast<long>(::getpid())) {
    long n = std::strtol(count, nullptr, 10);
    std::string_view rest = names != nullptr ? names : "";
    for (long i = 0; i < n && i < 64; ++i) {
      int fd = 3 + static_cast<int>(i);  // SD_LISTEN_FDS_START
      ::fcntl(fd, F_SETFD, FD_CLOEXEC);
      size_t colon = rest.find(':');
      std::string name(rest.substr(0, colon));
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
      fds.push_back({fd, name});
    }
  }
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  return fds;
}

std::optional<int> FindInherited(const std::vector<InheritedSocket>& sockets,
                                 const std::string& name, size_t position) {
  bool named = false;
  for (const auto& s : sockets) {
    if (s.name == name) return s.fd;
    named = named || !s.name.empty();
  }
  if (!named && position < sockets.size()) return sockets[position].fd;
  return std::nullopt;
}

std::string LocalAddress(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "?";
  return PeerName(addr);
}

Acceptor::Acceptor(int listen_fd) : listen_fd_(listen_fd) {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
}

Acceptor::~Acceptor() {
  if (wake_[0] >= 0) ::close(wake_[0]);
  if (wake_[1] >= 0) ::close(wake_[1]);
}

void Acceptor::Stop() {
  char c = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_[1], &c, 1);
}

void Acceptor::Run(const Handler& handler) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, kConnectionStackSize);
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      ES_LOG(Error, "net") << "poll: " << std::strerror(errno);
      break;
    }
    if (fds[1].revents != 0) break;
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN) continue;
      // Out of descriptors or memory: log, back off briefly, keep serving the others.
      ES_LOG(Warn, "net") << "accept: " << std::strerror(errno);
      ::poll(nullptr, 0, 50);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    EnableKeepAlive(fd);
    auto* start = new ThreadStart{handler, fd, PeerName(addr), &active_};
    active_.fetch_add(1);
    pthread_t thread;
    if (pthread_create(&thread, &attr, ConnectionThread, start) != 0) {
      ES_LOG(Warn, "net") << "cannot start a thread for " << start->peer;
      active_.fetch_sub(1);
      ::close(fd);
      delete start;
    }
  }
  pthread_attr_destroy(&attr);
}

}  // namespace edgesql::net
