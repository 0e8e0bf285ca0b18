// edgesql server: one server process in the foreground.
//
// The first start initializes DIR and needs the sa password in MSSQL_SA_PASSWORD (or a file named
// by MSSQL_SA_PASSWORD_FILE, for mounted secrets); later starts ignore it. The listening sockets
// are bound from --listen and --http, or inherited by LISTEN_FDS (systemd socket activation,
// `edgesql up`): named by LISTEN_FDNAMES "tds", "http", "control", or without names the first is
// TDS and the second HTTP. The health endpoint is also served on the Unix socket
// DIR/run/control.sock (inherited as "control", or bound here), for `edgesql probe` and the
// supervisor. With EDGESQL_READY_FD set (by the supervisor), "ready" is written there once the
// server accepts connections.
//
// SIGTERM or SIGINT: stop accepting; close idle sessions; let running requests finish within
// --shutdown-grace-ms, then cancel the rest (their transactions roll back); checkpoint every
// database; exit 0, logging how long it took. A second signal cancels at once.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "common/log.h"
#include "engine/server.h"
#include "ha/status.h"
#include "net/http_health.h"
#include "net/listener.h"
#include "net/tds_connection.h"
#include "net/transport.h"
#include "storage/data_dir.h"

namespace edgesql::cli {
namespace {

constexpr const char* kUsage =
    "usage: edgesql server --data-dir DIR [--listen ADDR:PORT] [--http ADDR:PORT]\n"
    "                      [--force-encryption] [--max-connections N]\n"
    "                      [--tls-cert FILE --tls-key FILE] [--server-name NAME]\n"
    "                      [--shutdown-grace-ms N] [--log-level debug|info|warn|error]\n"
    "\n"
    "The first start initializes DIR with the sa password from MSSQL_SA_PASSWORD (or the file\n"
    "named by MSSQL_SA_PASSWORD_FILE): 8 to 128 characters from three of uppercase, lowercase,\n"
    "digits and symbols. Later starts ignore it; use ALTER LOGIN sa WITH PASSWORD = '...'.\n"
    "--listen defaults to 127.0.0.1:1433; --shutdown-grace-ms (default 10000) is how long\n"
    "running statements may take to finish after SIGTERM.\n";

// After the grace period, how long cancelled requests get to unwind before the process exits.
constexpr auto kCancelWait = std::chrono::seconds(5);

net::Acceptor* g_acceptor = nullptr;
net::ShutdownSignal* g_shutdown = nullptr;
std::atomic<int> g_stop_signals{0};  // lock-free

void OnStopSignal(int) {
  if (g_stop_signals.fetch_add(1) == 0) {
    if (g_acceptor != nullptr) g_acceptor->Stop();
  } else if (g_shutdown != nullptr) {
    g_shutdown->cancel_running.store(true);  // lock-free: safe in a signal handler
  }
}

// The initial sa password and where it came from (for the error when it is not valid). A file
// holds it on its first line; a line end (\n or \r\n, as an editor on Windows writes) is not
// part of it.
void InitialSaPassword(engine::ServerOptions* options) {
  if (const char* p = std::getenv("MSSQL_SA_PASSWORD")) {
    options->initial_sa_password = p;
    return;
  }
  if (const char* file = std::getenv("MSSQL_SA_PASSWORD_FILE")) {
    std::ifstream in(file);
    std::string password;
    if (!in) {
      options->initial_sa_password_source =
          "the file named by MSSQL_SA_PASSWORD_FILE (" + std::string(file) + ", not readable)";
      return;
    }
    std::getline(in, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    options->initial_sa_password = password;
    options->initial_sa_password_source =
        "the file named by MSSQL_SA_PASSWORD_FILE (" + std::string(file) + ")";
  }
}

// Many idle connections each hold a socket: allow as many descriptors as the hard limit does.
void RaiseDescriptorLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// What /metrics adds beyond the engine's counters: the WAL the next start would have to read,
// and, under a supervisor, its restart count and the last restart's recovery time.
std::string ProcessMetrics(engine::Server& server, const std::string& data_dir) {
  std::ostringstream m;
  m << "# HELP edgesql_wal_bytes Bytes in the databases' write-ahead logs.\n"
       "# TYPE edgesql_wal_bytes gauge\nedgesql_wal_bytes "
    << server.WalBytes() << "\n";
  if (const char* gen = std::getenv("EDGESQL_GENERATION")) {
    m << "# HELP edgesql_server_generation The supervisor's number for this server process.\n"
         "# TYPE edgesql_server_generation gauge\nedgesql_server_generation "
      << std::atol(gen) << "\n";
    if (auto st = ha::ReadStatusFile(storage::DataDirectory::StatusPath(data_dir))) {
      m << "# HELP edgesql_restarts_total Server restarts by the supervisor.\n"
           "# TYPE edgesql_restarts_total counter\nedgesql_restarts_total "
        << st->restarts << "\n";
      if (st->last_recovery_ms >= 0) {
        m << "# HELP edgesql_last_recovery_seconds From the previous server's end to this "
             "one's readiness.\n# TYPE edgesql_last_recovery_seconds gauge\n"
             "edgesql_last_recovery_seconds "
          << static_cast<double>(st->last_recovery_ms) / 1000.0 << "\n";
      }
    }
  }
  return m.str();
}

void NotifyReady() {
  const char* fd_text = std::getenv("EDGESQL_READY_FD");
  if (fd_text == nullptr) return;
  int fd = std::atoi(fd_text);
  ::unsetenv("EDGESQL_READY_FD");
  if (fd < 3) return;
  [[maybe_unused]] ssize_t n = ::write(fd, "ready\n", 6);
  ::close(fd);
}

}  // namespace

int RunServer(int argc, char** argv) {
  auto options =
      ParseOptions(argc, argv,
                   {"--data-dir", "--listen", "--http", "--tls-cert", "--tls-key", "--server-name",
                    "--max-connections", "--log-level", "--shutdown-grace-ms"},
                   {"--force-encryption"}, kUsage);
  if (!options) return 2;
  auto& o = *options;
  std::string data_dir = o["--data-dir"];
  if (data_dir.empty()) {
    std::cerr << "edgesql: --data-dir is required\n" << kUsage;
    return 2;
  }
  if (o.count("--tls-cert") != o.count("--tls-key")) {
    std::cerr << "edgesql: --tls-cert and --tls-key go together\n";
    return 2;
  }
  log::Level level = log::Level::Info;
  if (o.count("--log-level") && !log::ParseLevel(o["--log-level"], &level)) {
    std::cerr << "edgesql: --log-level takes debug, info, warn or error\n";
    return 2;
  }
  auto max_connections = IntOption(o, "--max-connections", 32767);
  auto grace_ms = IntOption(o, "--shutdown-grace-ms", 10000);
  if (!max_connections || !grace_ms) return 2;
  if (*max_connections < 1) {
    std::cerr << "edgesql: --max-connections takes a positive number\n";
    return 2;
  }
  log::SetLevel(level);
  auto started = std::chrono::steady_clock::now();
  signal(SIGPIPE, SIG_IGN);
  RaiseDescriptorLimit();

  engine::ServerOptions server_options;
  server_options.data_dir = data_dir;
  server_options.server_name = o["--server-name"];
  InitialSaPassword(&server_options);
  auto server = engine::Server::Open(server_options);
  if (!server.ok()) {
    std::cerr << "edgesql: " << server.error().message << "\n";
    return 1;
  }
  auto opened = std::chrono::steady_clock::now();
  std::string cert = o.count("--tls-cert") ? o["--tls-cert"] : (*server)->data_dir().TlsCertPath();
  std::string key = o.count("--tls-key") ? o["--tls-key"] : (*server)->data_dir().TlsKeyPath();
  auto tls = net::TlsContext::LoadOrCreate(cert, key);
  if (!tls.ok()) {
    std::cerr << "edgesql: " << tls.error().message << "\n";
    return 1;
  }

  std::vector<net::InheritedSocket> inherited = net::InheritedSockets();
  std::optional<int> listen_fd = net::FindInherited(inherited, "tds", 0);
  if (!listen_fd) {
    auto fd = net::ListenTcp(o.count("--listen") ? o["--listen"] : "127.0.0.1:1433");
    if (!fd.ok()) {
      std::cerr << "edgesql: " << fd.error().message << "\n";
      return 1;
    }
    listen_fd = *fd;
  }
  std::optional<int> http_fd = net::FindInherited(inherited, "http", 1);
  if (!http_fd && o.count("--http")) {
    auto fd = net::ListenTcp(o["--http"]);
    if (!fd.ok()) {
      std::cerr << "edgesql: " << fd.error().message << "\n";
      return 1;
    }
    http_fd = *fd;
  }
  // The control socket: ours to bind when no supervisor passed it, since we hold the
  // data-directory lock (no other server can be listening there).
  std::optional<int> control_fd = net::FindInherited(inherited, "control", SIZE_MAX);
  if (!control_fd) {
    Status st = storage::DataDirectory::EnsureRunDirectory(data_dir);
    auto fd = st.ok() ? net::ListenUnix(storage::DataDirectory::ControlSocketPath(data_dir))
                      : Result<int>(st.error());
    if (!fd.ok()) {
      std::cerr << "edgesql: " << fd.error().message << "\n";
      return 1;
    }
    control_fd = *fd;
  }

  net::ShutdownSignal shutdown;
  int shutdown_pipe[2];
  if (::pipe2(shutdown_pipe, O_CLOEXEC) != 0) {
    std::cerr << "edgesql: pipe: " << std::strerror(errno) << "\n";
    return 1;
  }
  shutdown.fd = shutdown_pipe[0];
  g_shutdown = &shutdown;

  net::ConnectionOptions conn_options;
  conn_options.force_encryption = o.count("--force-encryption") > 0;
  conn_options.max_sessions = static_cast<int>(*max_connections);
  conn_options.tls = tls->get();
  conn_options.shutdown = &shutdown;
  net::ConnectionStats stats;
  net::Acceptor acceptor(*listen_fd);
  g_acceptor = &acceptor;

  engine::Server* srv = server->get();
  std::vector<std::unique_ptr<net::HealthEndpoint>> health;
  std::vector<std::thread> health_threads;
  for (std::optional<int> fd : {http_fd, control_fd}) {
    if (!fd) continue;
    auto endpoint = std::make_unique<net::HealthEndpoint>(*fd, *srv, stats);
    endpoint->set_extra_metrics([srv, data_dir] { return ProcessMetrics(*srv, data_dir); });
    health.push_back(std::move(endpoint));
  }
  for (auto& h : health) health_threads.emplace_back([&h] { h->Run(); });

  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);

  auto ms_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 t)
        .count();
  };
  for (auto& h : health) h->set_ready(true);
  ES_LOG(Info, "server")
      << "edgesql ready on " << net::LocalAddress(*listen_fd)
      << (http_fd ? " (http " + net::LocalAddress(*http_fd) + ")" : "") << " (data " << data_dir
      << ", pid " << getpid() << ", started in " << ms_since(started)
      << " ms, of which opening the databases "
      << std::chrono::duration_cast<std::chrono::milliseconds>(opened - started).count()
      << " ms; WAL " << srv->WalBytes() << " bytes)";
  NotifyReady();
  acceptor.Run([&](int fd, std::string peer) {
    net::ConnectionOptions per = conn_options;
    per.peer = std::move(peer);
    net::ServeConnection(fd, *srv, per, stats);
  });

  // ---- Shutdown ----
  auto stop_began = std::chrono::steady_clock::now();
  g_acceptor = nullptr;
  ::close(*listen_fd);  // under a supervisor, its copy keeps the socket (and the backlog)
  for (auto& h : health) h->set_ready(false);
  int open_at_stop = acceptor.active();
  ES_LOG(Info, "server") << "stopping: " << open_at_stop << " connections open, " << *grace_ms
                         << " ms for running requests";
  [[maybe_unused]] ssize_t n = ::write(shutdown_pipe[1], "x", 1);  // idle sessions close now
  auto grace_end = stop_began + std::chrono::milliseconds(*grace_ms);
  while (acceptor.active() > 0 && std::chrono::steady_clock::now() < grace_end &&
         !shutdown.cancel_running.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  int cancelled = acceptor.active();
  if (cancelled > 0) {
    ES_LOG(Warn, "server") << "cancelling " << cancelled
                           << " requests still running; their transactions roll back";
    shutdown.cancel_running.store(true);
    auto cancel_end = std::chrono::steady_clock::now() + kCancelWait;
    while (acceptor.active() > 0 && std::chrono::steady_clock::now() < cancel_end) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  int stuck = acceptor.active();
  int incomplete = stuck > 0 ? -1 : srv->CheckpointAll(std::chrono::milliseconds(2000));
  for (auto& h : health) h->Stop();
  for (auto& t : health_threads) t.join();
  ES_LOG(Info, "server") << "shutdown took " << ms_since(stop_began) << " ms: " << open_at_stop
                         << " connections closed, " << cancelled << " requests cancelled"
                         << (stuck > 0 ? ", " + std::to_string(stuck) +
                                             " connections did not end (checkpoint skipped)"
                             : incomplete == 0 ? ", WAL checkpointed"
                                               : ", checkpoint incomplete");
  // Exit without running destructors: a connection thread that did not end may still use the
  // engine. Everything acknowledged is durable; what was not is rolled back at the next open.
  std::_Exit(0);
}

}  // namespace edgesql::cli
