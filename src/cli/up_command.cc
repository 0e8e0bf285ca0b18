// edgesql up: the server under its supervisor (src/ha/supervisor.h). The README's first command.
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "common/log.h"
#include "ha/supervisor.h"

namespace edgesql::cli {
namespace {

constexpr const char* kUsage =
    "usage: edgesql up --data-dir DIR [--listen ADDR:PORT] [--http ADDR:PORT]\n"
    "                  [server options: --force-encryption --max-connections N\n"
    "                   --tls-cert FILE --tls-key FILE --server-name NAME --log-level LEVEL]\n"
    "                  [--shutdown-grace-ms N]          running statements' time after SIGTERM "
    "(10000)\n"
    "                  [--probe-period-ms N]            liveness probe interval (1000)\n"
    "                  [--probe-timeout-ms N]           a probe's deadline (1000)\n"
    "                  [--probe-failures N]             failures in a row that mean hung (3)\n"
    "                  [--startup-timeout-ms N]         time to become ready (60000)\n"
    "                  [--restart-delay-ms N]           backoff's first delay (100)\n"
    "                  [--restart-backoff-factor F]     backoff growth (2)\n"
    "                  [--restart-max-delay-ms N]       backoff cap (10000)\n"
    "                  [--restart-reset-ms N]           a run this long resets the backoff (1000)\n"
    "                  [--lock-wait-ms N]               wait this long for another supervisor of\n"
    "                                                   DIR to stop before giving up (0)\n"
    "\n"
    "Binds the listening sockets once and runs `edgesql server` with them; restarts it at once\n"
    "when it dies (with backoff when it keeps dying), replaces it when its liveness probe fails.\n"
    "SIGTERM/SIGINT stop it cleanly. The sa password: see `edgesql server --help`.\n";

std::string SelfPath() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "edgesql";
}

}  // namespace

int RunUp(int argc, char** argv) {
  auto options =
      ParseOptions(argc, argv,
                   {"--data-dir", "--listen", "--http", "--tls-cert", "--tls-key", "--server-name",
                    "--max-connections", "--log-level", "--shutdown-grace-ms", "--probe-period-ms",
                    "--probe-timeout-ms", "--probe-failures", "--startup-timeout-ms",
                    "--restart-delay-ms", "--restart-backoff-factor", "--restart-max-delay-ms",
                    "--restart-reset-ms", "--lock-wait-ms"},
                   {"--force-encryption"}, kUsage);
  if (!options) return 2;
  auto& o = *options;
  ha::SupervisorOptions s;
  s.data_dir = o["--data-dir"];
  if (s.data_dir.empty()) {
    std::cerr << "edgesql: --data-dir is required\n" << kUsage;
    return 2;
  }
  if (o.count("--listen")) s.listen = o["--listen"];
  s.http = o.count("--http") ? o["--http"] : "";
  s.server_binary = SelfPath();
  // The server's own options pass through.
  for (const char* name : {"--tls-cert", "--tls-key", "--server-name", "--max-connections",
                           "--log-level", "--shutdown-grace-ms"}) {
    if (o.count(name)) {
      s.server_args.push_back(name);
      s.server_args.push_back(o[name]);
    }
  }
  if (o.count("--force-encryption")) s.server_args.push_back("--force-encryption");
  log::Level level = log::Level::Info;
  if (o.count("--log-level") && !log::ParseLevel(o["--log-level"], &level)) {
    std::cerr << "edgesql: --log-level takes debug, info, warn or error\n";
    return 2;
  }
  log::SetLevel(level);

  auto ms = [&](const char* name, long fallback, std::chrono::milliseconds* out) {
    auto v = IntOption(o, name, fallback);
    if (v) *out = std::chrono::milliseconds(*v);
    return v.has_value();
  };
  auto failures = IntOption(o, "--probe-failures", 3);
  if (!ms("--shutdown-grace-ms", 10000, &s.shutdown_grace) ||
      !ms("--probe-period-ms", 1000, &s.probe_period) ||
      !ms("--probe-timeout-ms", 1000, &s.probe_timeout) ||
      !ms("--startup-timeout-ms", 60000, &s.startup_timeout) ||
      !ms("--restart-delay-ms", 100, &s.restart.initial_delay) ||
      !ms("--restart-max-delay-ms", 10000, &s.restart.max_delay) ||
      !ms("--restart-reset-ms", 1000, &s.restart.reset_after) ||
      !ms("--lock-wait-ms", 0, &s.lock_wait) || !failures) {
    return 2;
  }
  if (*failures < 1 || s.probe_period.count() < 1 || s.probe_timeout.count() < 1) {
    std::cerr << "edgesql: --probe-failures, --probe-period-ms and --probe-timeout-ms must be "
                 "positive\n";
    return 2;
  }
  s.probe_failures = static_cast<int>(*failures);
  if (o.count("--restart-backoff-factor")) {
    char* end = nullptr;
    s.restart.factor = std::strtod(o["--restart-backoff-factor"].c_str(), &end);
    if (*end != '\0' || s.restart.factor < 1.0) {
      std::cerr << "edgesql: --restart-backoff-factor takes a number of at least 1\n";
      return 2;
    }
  }
  return ha::RunSupervisor(s);
}

}  // namespace edgesql::cli
