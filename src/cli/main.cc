// The edgesql command.
//
//   edgesql server --data-dir DIR [--listen ADDR:PORT] [--http ADDR:PORT] [--force-encryption]
//                  [--tls-cert FILE --tls-key FILE] [--server-name NAME] [--log-level LEVEL]
//
// `server` runs the database server in the foreground. The first start initializes DIR and needs
// the sa password in MSSQL_SA_PASSWORD (or a file named by MSSQL_SA_PASSWORD_FILE, for mounted
// secrets); later starts ignore it. The listening sockets are bound from --listen and --http, or
// inherited by LISTEN_FDS (systemd socket activation, `edgesql up`): the first is TDS, the
// second, if any, HTTP.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

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

#include "common/log.h"
#include "engine/server.h"
#include "net/http_health.h"
#include "net/listener.h"
#include "net/tds_connection.h"
#include "net/transport.h"

namespace edgesql {
namespace {

constexpr const char* kUsage =
    "usage: edgesql server --data-dir DIR [--listen ADDR:PORT] [--http ADDR:PORT]\n"
    "                      [--force-encryption] [--max-connections N]\n"
    "                      [--tls-cert FILE --tls-key FILE] [--server-name NAME]\n"
    "                      [--log-level debug|info|warn|error]\n"
    "\n"
    "The first start initializes DIR with the sa password from MSSQL_SA_PASSWORD (or the file\n"
    "named by MSSQL_SA_PASSWORD_FILE): 8 to 128 characters from three of uppercase, lowercase,\n"
    "digits and symbols. Later starts ignore it; use ALTER LOGIN sa WITH PASSWORD = '...'.\n";

struct ServerFlags {
  std::string data_dir;
  std::string listen = "127.0.0.1:1433";
  std::string http;  // health endpoint; none when empty
  std::string tls_cert;
  std::string tls_key;
  std::string server_name;
  bool force_encryption = false;
  int max_connections = 32767;
  log::Level log_level = log::Level::Info;
};

net::Acceptor* g_acceptor = nullptr;
net::HealthEndpoint* g_health = nullptr;

void OnStopSignal(int) {
  if (g_acceptor != nullptr) g_acceptor->Stop();
  if (g_health != nullptr) g_health->Stop();
}

Result<int> BindOrInherit(const std::vector<int>& inherited, size_t index,
                          const std::string& spec) {
  if (index < inherited.size()) return inherited[index];
  auto endpoint = net::ParseEndpoint(spec);
  if (!endpoint.ok()) return endpoint.error();
  return net::ListenTcp(*endpoint);
}

std::optional<ServerFlags> ParseServerFlags(int argc, char** argv) {
  ServerFlags f;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      size_t eq = arg.find('=');
      if (eq != std::string::npos) return arg.substr(eq + 1);
      if (i + 1 < argc) return std::string(argv[++i]);
      std::cerr << "edgesql: " << arg << " needs a value\n";
      return std::nullopt;
    };
    std::string name = arg.substr(0, arg.find('='));
    if (name == "--data-dir") {
      auto v = value();
      if (!v) return std::nullopt;
      f.data_dir = *v;
    } else if (name == "--listen") {
      auto v = value();
      if (!v) return std::nullopt;
      f.listen = *v;
    } else if (name == "--http") {
      auto v = value();
      if (!v) return std::nullopt;
      f.http = *v;
    } else if (name == "--tls-cert") {
      auto v = value();
      if (!v) return std::nullopt;
      f.tls_cert = *v;
    } else if (name == "--tls-key") {
      auto v = value();
      if (!v) return std::nullopt;
      f.tls_key = *v;
    } else if (name == "--server-name") {
      auto v = value();
      if (!v) return std::nullopt;
      f.server_name = *v;
    } else if (name == "--max-connections") {
      auto v = value();
      if (!v) return std::nullopt;
      f.max_connections = std::atoi(v->c_str());
      if (f.max_connections < 1) {
        std::cerr << "edgesql: --max-connections takes a positive number\n";
        return std::nullopt;
      }
    } else if (name == "--force-encryption") {
      f.force_encryption = true;
    } else if (name == "--log-level") {
      auto v = value();
      if (!v || !log::ParseLevel(*v, &f.log_level)) {
        std::cerr << "edgesql: --log-level takes debug, info, warn or error\n";
        return std::nullopt;
      }
    } else {
      std::cerr << "edgesql: unknown option " << arg << "\n" << kUsage;
      return std::nullopt;
    }
  }
  if (f.data_dir.empty()) {
    std::cerr << "edgesql: --data-dir is required\n" << kUsage;
    return std::nullopt;
  }
  if (f.tls_cert.empty() != f.tls_key.empty()) {
    std::cerr << "edgesql: --tls-cert and --tls-key go together\n";
    return std::nullopt;
  }
  return f;
}

std::string InitialSaPassword() {
  if (const char* p = std::getenv("MSSQL_SA_PASSWORD")) return p;
  if (const char* file = std::getenv("MSSQL_SA_PASSWORD_FILE")) {
    std::ifstream in(file);
    std::string password;
    std::getline(in, password);
    return password;
  }
  return "";
}

// Many idle connections each hold a socket: allow as many descriptors as the hard limit does.
void RaiseDescriptorLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

int RunServer(int argc, char** argv) {
  std::optional<ServerFlags> flags = ParseServerFlags(argc, argv);
  if (!flags) return 2;
  log::SetLevel(flags->log_level);
  auto started = std::chrono::steady_clock::now();
  signal(SIGPIPE, SIG_IGN);
  RaiseDescriptorLimit();

  engine::ServerOptions options;
  options.data_dir = flags->data_dir;
  options.server_name = flags->server_name;
  options.initial_sa_password = InitialSaPassword();
  auto server = engine::Server::Open(options);
  if (!server.ok()) {
    std::cerr << "edgesql: " << server.error().message << "\n";
    return 1;
  }
  std::string cert =
      flags->tls_cert.empty() ? (*server)->data_dir().TlsCertPath() : flags->tls_cert;
  std::string key = flags->tls_key.empty() ? (*server)->data_dir().TlsKeyPath() : flags->tls_key;
  auto tls = net::TlsContext::LoadOrCreate(cert, key);
  if (!tls.ok()) {
    std::cerr << "edgesql: " << tls.error().message << "\n";
    return 1;
  }

  std::vector<int> inherited = net::InheritedSockets();
  auto listen_fd = BindOrInherit(inherited, 0, flags->listen);
  if (!listen_fd.ok()) {
    std::cerr << "edgesql: " << listen_fd.error().message << "\n";
    return 1;
  }
  std::optional<int> http_fd;
  if (!flags->http.empty() || inherited.size() > 1) {
    auto fd = BindOrInherit(inherited, 1, flags->http);
    if (!fd.ok()) {
      std::cerr << "edgesql: " << fd.error().message << "\n";
      return 1;
    }
    http_fd = *fd;
  }

  net::ConnectionOptions conn_options;
  conn_options.force_encryption = flags->force_encryption;
  conn_options.max_sessions = flags->max_connections;
  conn_options.tls = tls->get();
  net::ConnectionStats stats;
  net::Acceptor acceptor(*listen_fd);
  g_acceptor = &acceptor;
  std::unique_ptr<net::HealthEndpoint> health;
  std::thread health_thread;
  if (http_fd) {
    health = std::make_unique<net::HealthEndpoint>(*http_fd, **server, stats);
    g_health = health.get();
    health_thread = std::thread([&] { health->Run(); });
  }
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);

  auto ready_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  if (health) health->set_ready(true);
  ES_LOG(Info, "server") << "edgesql ready on " << net::LocalAddress(*listen_fd)
                         << (http_fd ? " (http " + net::LocalAddress(*http_fd) + ")" : "")
                         << " (data " << flags->data_dir << ", pid " << getpid() << ", started in "
                         << ready_ms << " ms)";
  engine::Server* srv = server->get();
  acceptor.Run([&](int fd, std::string peer) {
    net::ConnectionOptions per = conn_options;
    per.peer = std::move(peer);
    net::ServeConnection(fd, *srv, per, stats);
  });
  g_acceptor = nullptr;
  if (health) {
    health->set_ready(false);
    health->Stop();
    health_thread.join();
  }
  ES_LOG(Info, "server") << "stopping: " << acceptor.active() << " connections open";
  // Open sessions are abandoned: their transactions were never committed, and SQLite discards
  // them at the next open. Graceful draining belongs to `edgesql up`'s shutdown sequence.
  std::_Exit(0);
}

}  // namespace
}  // namespace edgesql

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "server") == 0) {
    return edgesql::RunServer(argc - 2, argv + 2);
  }
  std::fputs(edgesql::kUsage, stderr);
  return 2;
}
