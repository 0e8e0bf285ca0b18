#include "net/http_health.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/log.h"
#include "engine/result_sink.h"
#include "engine/session.h"

namespace edgesql::net {
namespace {

constexpr int kRequestDeadlineMs = 2000;  // reading one HTTP request
constexpr auto kProbeDeadline = std::chrono::seconds(2);

// Remembers whether the probe's query failed, and nothing else.
class ProbeSink : public engine::DiscardingSink {
 public:
  bool failed = false;
  Status Done(const engine::DoneInfo& d) override {
    failed |= d.error;
    return Status::Ok();
  }
  Status Message(const SqlError& m) override {
    failed |= m.severity > 10;
    return Status::Ok();
  }
};

std::string Response(int code, const char* reason, const std::string& body,
                     const char* type = "text/plain; charset=utf-8") {
  std::ostringstream out;
  out << "HTTP/1.1 " << code << " " << reason << "\r\nContent-Type: " << type
      << "\r\nContent-Length: " << body.size() << "\r\nConnection: close\r\n\r\n"
      << body;
  return out.str();
}

// Reads the request head (up to the blank line) with a deadline; empty on failure.
std::string ReadHead(int fd) {
  std::string head;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kRequestDeadlineMs);
  char buf[1024];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 8192) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return "";
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return "";
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return "";
    head.append(buf, static_cast<size_t>(n));
  }
  return head;
}

}  // namespace

HealthEndpoint::HealthEndpoint(int listen_fd, engine::Server& server, const ConnectionStats& stats)
    : listen_fd_(listen_fd), server_(server), stats_(stats) {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
}

HealthEndpoint::~HealthEndpoint() {
  if (wake_[0] >= 0) ::close(wake_[0]);
  if (wake_[1] >= 0) ::close(wake_[1]);
}

void HealthEndpoint::Stop() {
  char c = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_[1], &c, 1);
}

bool HealthEndpoint::Live() {
  // One probe at a time: if the last one is still stuck in the engine, the engine is not live.
  bool expected = false;
  if (!probe_running_->compare_exchange_strong(expected, true)) return false;
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    bool ok = false;
  };
  auto shared = std::make_shared<Shared>();
  auto running = probe_running_;
  engine::Server* server = &server_;
  std::thread([shared, running, server] {
    std::unique_ptr<engine::Session> session = server->InternalSession();
    ProbeSink sink;
    Status st = session->ExecuteBatch("SELECT 1", sink);
    session.reset();
    std::lock_guard lock(shared->mu);
    shared->ok = st.ok() && !sink.failed;
    shared->done = true;
    running->store(false);
    shared->cv.notify_all();
  }).detach();
  std::unique_lock lock(shared->mu);
  shared->cv.wait_for(lock, kProbeDeadline, [&] { return shared->done; });
  return shared->done && shared->ok;
}

std::string HealthEndpoint::Metrics() {
  std::ostringstream m;
  auto counter = [&](const char* name, const char* help, uint64_t value) {
    m << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n"
      << name << " " << value << "\n";
  };
  counter("edgesql_connections_accepted_total", "TDS connections accepted.",
          stats_.accepted.load());
  counter("edgesql_logins_total", "Successful logins.", stats_.logins.load());
  counter("edgesql_login_failures_total", "Failed logins.", stats_.login_failures.load());
  counter("edgesql_requests_total", "Requests (batches, RPCs, transaction requests).",
          stats_.requests.load());
  counter("edgesql_errors_total", "Errors sent to clients (severity 11 and above).",
          stats_.errors.load());
  counter("edgesql_protocol_errors_total", "Connections closed for a protocol error.",
          stats_.protocol_errors.load());
  m << "# HELP edgesql_sessions Open sessions.\n# TYPE edgesql_sessions gauge\nedgesql_sessions "
    << server_.ActiveSessions() << "\n";
  uint64_t commits = 0;
  for (auto& [id, name] : server_.ListDatabases()) {
    if (engine::Database* db = server_.DatabaseById(id)) commits += db->lane().stats().commits;
  }
  counter("edgesql_commits_total", "Durable commits (WAL fsyncs) across databases.", commits);
  if (extra_metrics_) m << extra_metrics_();
  return m.str();
}

std::string HealthEndpoint::Handle(const std::string& method, const std::string& path) {
  if (method != "GET" && method != "HEAD") return Response(405, "Method Not Allowed", "GET only\n");
  if (path == "/livez") {
    return Live() ? Response(200, "OK", "ok\n")
                  : Response(503, "Service Unavailable", "not live\n");
  }
  if (path == "/readyz") {
    return ready_.load() ? Response(200, "OK", "ready\n")
                         : Response(503, "Service Unavailable", "not ready\n");
  }
  if (path == "/metrics") {
    return Response(200, "OK", Metrics(), "text/plain; version=0.0.4; charset=utf-8");
  }
  return Response(404, "Not Found", "unknown path\n");
}

void HealthEndpoint::Run() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) break;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::string head = ReadHead(fd);
    std::string reply;
    size_t sp1 = head.find(' ');
    size_t sp2 = sp1 == std::string::npos ? sp1 : head.find(' ', sp1 + 1);
    if (sp2 == std::string::npos) {
      reply = Response(400, "Bad Request", "bad request\n");
    } else {
      reply = Handle(head.substr(0, sp1), head.substr(sp1 + 1, sp2 - sp1 - 1));
    }
    [[maybe_unused]] ssize_t n = ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
    ::close(fd);
  }
}

}  // namespace edgesql::net
