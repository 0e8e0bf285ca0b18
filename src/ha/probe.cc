#include "ha/probe.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace edgesql::ha {

// The largest response read (metrics are a few KB).
constexpr size_t kMaxResponse = 1 << 20;

bool HttpProbe::Start(const std::string& socket_path, const std::string& target) {
  Abort();
  response_.clear();
  body_.clear();
  error_.clear();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(addr.sun_path)) {
    error_ = "socket path too long: " + socket_path;
    return false;
  }
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ < 0) {
    error_ = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    error_ = "connect " + socket_path + ": " + std::strerror(errno);
    Abort();
    return false;
  }
  std::string request = "GET " + target + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
  // A fresh Unix socket's send buffer always takes a request this small.
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    error_ = std::string("send: ") + std::strerror(errno);
    Abort();
    return false;
  }
  return true;
}

std::optional<int> HttpProbe::Continue() {
  if (fd_ < 0) return -1;
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n > 0) {
      response_.append(buf, static_cast<size_t>(n));
      if (response_.size() > kMaxResponse) {
        error_ = "response too large";
        Abort();
        return -1;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return std::nullopt;
    if (n < 0) {
      error_ = std::string("recv: ") + std::strerror(errno);
      Abort();
      return -1;
    }
    break;  // the server closed: the response is complete
  }
  Abort();
  // "HTTP/1.0 200 OK\r\n...\r\n\r\nbody"
  if (response_.compare(0, 5, "HTTP/") != 0 || response_.find(' ') == std::string::npos) {
    error_ = response_.empty() ? "connection closed without a response" : "malformed response";
    return -1;
  }
  int status = std::atoi(response_.c_str() + response_.find(' ') + 1);
  size_t head_end = response_.find("\r\n\r\n");
  if (head_end != std::string::npos) body_ = response_.substr(head_end + 4);
  return status;
}

void HttpProbe::Abort() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

int HttpProbe::Get(const std::string& socket_path, const std::string& target,
                   std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!Start(socket_path, target)) return -1;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      error_ = "no answer within " + std::to_string(timeout.count()) + " ms";
      Abort();
      return -1;
    }
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno != EINTR) {
      error_ = std::string("poll: ") + std::strerror(errno);
      Abort();
      return -1;
    }
    if (rc > 0) {
      if (auto status = Continue()) return *status;
    }
  }
}

}  // namespace edgesql::ha
