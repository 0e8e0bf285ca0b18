// The HTTP health endpoint (--http ADDR:PORT): what orchestrators and supervisors probe.
//
//   GET /livez    200 "ok" if the engine answers a real query (a session on master runs
//                 SELECT 1) within the deadline, else 503: a hung engine fails liveness.
//   GET /readyz   200 "ready" once the server accepts TDS connections, 503 while stopping.
//   GET /metrics  Prometheus text format: connections, logins, requests, errors, commits, and
//                 what set_extra_metrics adds (WAL size, restarts, recovery time).
// The same endpoint serves the TCP --http listener and the Unix control socket.
//
// Requests are served one at a time on the endpoint's own thread, with a read deadline, so a
// stuck or hostile HTTP client cannot affect TDS sessions. Only GET is answered; anything else
// gets 405/404/400. Thread-safe to Stop from a signal handler (a pipe write).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "engine/server.h"
#include "net/tds_connection.h"

namespace edgesql::net {

class HealthEndpoint {
 public:
  HealthEndpoint(int listen_fd, engine::Server& server, const ConnectionStats& stats);
  ~HealthEndpoint();

  // Serves until Stop().
  void Run();
  void Stop();
  void set_ready(bool ready) { ready_.store(ready); }
  // More Prometheus text appended to /metrics (what the process knows beyond the engine). Set
  // before Run.
  void set_extra_metrics(std::function<std::string()> extra) { extra_metrics_ = std::move(extra); }

 private:
  std::string Handle(const std::string& method, const std::string& path);
  bool Live();
  std::string Metrics();

  int listen_fd_;
  engine::Server& server_;
  const ConnectionStats& stats_;
  std::atomic<bool> ready_{false};
  std::function<std::string()> extra_metrics_;
  int wake_[2] = {-1, -1};
  std::shared_ptr<std::atomic<bool>> probe_running_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace edgesql::net
