// edgesql status and edgesql probe: what runs on a data directory, from outside.
#include <iostream>

#include "cli/commands.h"
#include "ha/probe.h"
#include "ha/status.h"
#include "storage/data_dir.h"

namespace edgesql::cli {
namespace {

constexpr const char* kStatusUsage =
    "usage: edgesql status --data-dir DIR [--json]\n"
    "\n"
    "Shows the supervisor running on DIR (edgesql up) and its server generations: state,\n"
    "uptime, startup and recovery times, restarts, and why each past generation ended.\n"
    "Exit status: 0 when a server generation is running, 1 otherwise.\n";

constexpr const char* kProbeUsage =
    "usage: edgesql probe --data-dir DIR [--ready] [--timeout-ms N]\n"
    "\n"
    "An exec probe for environments without HTTP: asks the server on DIR, through its Unix\n"
    "socket DIR/run/control.sock, whether it is live (it runs a real query within a deadline)\n"
    "or, with --ready, ready to accept connections. Exit status 0 if so, 1 if not.\n";

}  // namespace

int RunStatus(int argc, char** argv) {
  auto o = ParseOptions(argc, argv, {"--data-dir"}, {"--json"}, kStatusUsage);
  if (!o) return 2;
  std::string dir = (*o)["--data-dir"];
  if (dir.empty()) {
    std::cerr << "edgesql: --data-dir is required\n" << kStatusUsage;
    return 2;
  }
  auto status = ha::ReadStatusFile(storage::DataDirectory::StatusPath(dir));
  if (!status) {
    std::cerr << "edgesql: no supervisor status in " << dir << " (edgesql up has not run on it)\n";
    return 1;
  }
  if (o->count("--json")) {
    std::cout << status->ToJson().Dump() << "\n";
  } else {
    std::cout << ha::RenderStatus(*status, ha::WallClockMs());
  }
  bool running = !status->generations.empty() && status->generations.back().state == "running" &&
                 status->state != "stopped";
  return running ? 0 : 1;
}

int RunProbe(int argc, char** argv) {
  auto o = ParseOptions(argc, argv, {"--data-dir", "--timeout-ms"}, {"--ready"}, kProbeUsage);
  if (!o) return 2;
  std::string dir = (*o)["--data-dir"];
  auto timeout = IntOption(*o, "--timeout-ms", 3000);
  if (dir.empty() || !timeout) {
    std::cerr << kProbeUsage;
    return 2;
  }
  std::string target = o->count("--ready") ? "/readyz" : "/livez";
  ha::HttpProbe probe;
  int code = probe.Get(storage::DataDirectory::ControlSocketPath(dir), target,
                       std::chrono::milliseconds(*timeout));
  if (code == 200) {
    std::cout << (o->count("--ready") ? "ready" : "live") << "\n";
    return 0;
  }
  std::cerr << "edgesql: not " << (o->count("--ready") ? "ready" : "live") << ": "
            << (code < 0 ? probe.error() : "HTTP " + std::to_string(code)) << "\n";
  return 1;
}

}  // namespace edgesql::cli
