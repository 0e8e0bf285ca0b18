// The edgesql command.
//
//   edgesql up     --data-dir DIR [...]   the supervised server (the embedded default)
//   edgesql server --data-dir DIR [...]   one server process in the foreground
//   edgesql status --data-dir DIR [--json]
//   edgesql probe  --data-dir DIR [--ready] [--timeout-ms N]
//
// Each subcommand prints its options with --help.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.h"

namespace edgesql::cli {

constexpr const char* kUsage =
    "usage: edgesql up|server|status|probe --data-dir DIR [options]   (--help for each)\n"
    "\n"
    "  up      run the server under a supervisor that keeps the listening socket, restarts the\n"
    "          server in milliseconds when it dies, and replaces it when it hangs\n"
    "  server  run one server process in the foreground\n"
    "  status  show the supervisor and its server generations\n"
    "  probe   check liveness (or readiness) through DIR/run/control.sock; exit 0 if healthy\n";

std::optional<std::map<std::string, std::string>> ParseOptions(
    int argc, char** argv, const std::set<std::string>& with_value,
    const std::set<std::string>& switches, const char* usage) {
  std::map<std::string, std::string> out;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      std::exit(0);
    }
    size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    if (with_value.count(name)) {
      if (eq != std::string::npos) {
        out[name] = arg.substr(eq + 1);
      } else if (i + 1 < argc) {
        out[name] = argv[++i];
      } else {
        std::cerr << "edgesql: " << name << " needs a value\n" << usage;
        return std::nullopt;
      }
    } else if (switches.count(name) && eq == std::string::npos) {
      out[name] = "";
    } else {
      std::cerr << "edgesql: unknown option " << arg << "\n" << usage;
      return std::nullopt;
    }
  }
  return out;
}

std::optional<long> IntOption(const std::map<std::string, std::string>& options,
                              const std::string& name, long fallback) {
  auto it = options.find(name);
  if (it == options.end()) return fallback;
  char* end = nullptr;
  long v = std::strtol(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0' || v < 0) {
    std::cerr << "edgesql: " << name << " takes a non-negative number\n";
    return std::nullopt;
  }
  return v;
}

}  // namespace edgesql::cli

int main(int argc, char** argv) {
  using namespace edgesql::cli;
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string command = argv[1];
  if (command == "server") return RunServer(argc - 2, argv + 2);
  if (command == "up") return RunUp(argc - 2, argv + 2);
  if (command == "status") return RunStatus(argc - 2, argv + 2);
  if (command == "probe") return RunProbe(argc - 2, argv + 2);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "edgesql: unknown command " << command << "\n" << kUsage;
  return 2;
}
