// An HTTP GET over the server's Unix control socket (DIR/run/control.sock), which serves the same
// /livez, /readyz and /metrics as the --http listener. The supervisor runs its liveness probe
// with it, without blocking its event loop (Start, then Continue whenever fd() is readable);
// `edgesql probe` runs one to completion (Get).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace edgesql::ha {

class HttpProbe {
 public:
  HttpProbe() = default;
  ~HttpProbe() { Abort(); }
  HttpProbe(const HttpProbe&) = delete;
  HttpProbe& operator=(const HttpProbe&) = delete;

  // Connects and sends the request; false (reason in error()) if the socket is not there or its
  // backlog is full.
  bool Start(const std::string& socket_path, const std::string& target);
  bool running() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Reads what has arrived: the HTTP status once the server closed the response, -1 if the
  // response is malformed or the connection failed, nullopt while incomplete.
  std::optional<int> Continue();
  void Abort();

  const std::string& error() const { return error_; }
  const std::string& body() const { return body_; }

  // Start + Continue until done or `timeout`: the status, or -1 (reason in error()).
  int Get(const std::string& socket_path, const std::string& target,
          std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string response_;
  std::string body_;
  std::string error_;
};

}  // namespace edgesql::ha
