// The supervisor behind `edgesql up`: the one-machine orchestrator of DESIGN.md's failure model.
//
// It owns what must outlive a server process and hands it to each server generation:
//   - the listening sockets (TDS, HTTP if asked for, and the Unix control socket
//     DIR/run/control.sock), created once and passed by the LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES
//     convention as fds 3, 4, 5 ("tds", "control", "http"). While no server runs, new connections
//     wait in the kernel's backlog and are served by the next generation: none is refused.
//   - the restart decision: a server that exits for any reason while the supervisor is not
//     stopping is replaced, at once the first time, then with backoff (restart_policy.h).
//   - the liveness probe: every probe_period, GET /livez on the control socket, which makes the
//     server run a real query (SELECT 1 in a session on master) within its own deadline; a probe
//     that gets no 200 within probe_timeout is a failure, and probe_failures failures in a row
//     mean the server is hung (SIGSTOP, a deadlock): it is killed with SIGKILL and replaced.
//   - a startup deadline: a server not ready (it reports readiness on a pipe, EDGESQL_READY_FD)
//     within startup_timeout is killed and counts as a failure.
//
// Shutdown (SIGTERM or SIGINT): the server gets SIGTERM and drains (edgesql server: running
// statements get shutdown_grace, the rest is rolled back, the WAL checkpointed); after
// shutdown_grace plus a margin it gets SIGKILL. The supervisor then exits 0, logging how long the
// shutdown took.
//
// A supervisor killed with SIGKILL leaves its server running (there is no parent-death signal):
// clients go on being served. The next `edgesql up` on the directory adopts that server: it
// takes duplicates of its listening sockets (pidfd_getfd, which needs ptrace access to it: the
// same user without Yama restrictions, or CAP_SYS_PTRACE), watches it through a pidfd and probes
// it like its own. If adoption is not possible, the old server is killed and a new one started.
//
// State is published in DIR/run/status.json (status.h) and DIR/run/server.pid. Only one
// supervisor runs per directory (DIR/run/supervisor.lock); the server's own data-directory lock
// remains the last line of defence against two writers. Single-threaded: one poll loop.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ha/restart_policy.h"

namespace edgesql::ha {

struct SupervisorOptions {
  std::string data_dir;
  std::string listen = "127.0.0.1:1433";
  std::string http;                      // empty: no HTTP listener
  std::string server_binary;             // the edgesql executable
  std::vector<std::string> server_args;  // passed to `edgesql server` after --data-dir
  RestartPolicy restart;
  std::chrono::milliseconds probe_period{1000};
  std::chrono::milliseconds probe_timeout{1000};
  int probe_failures = 3;
  std::chrono::milliseconds startup_timeout{60000};
  std::chrono::milliseconds shutdown_grace{10000};
  // How long to wait for another supervisor of the directory to stop (its lock to be free)
  // before giving up: a replacement pod started while the old one is still shutting down takes
  // over as soon as it is gone instead of failing and being restarted with backoff.
  std::chrono::milliseconds lock_wait{0};
};

// Runs until SIGTERM/SIGINT; returns the process exit status (0 after a clean shutdown).
int RunSupervisor(const SupervisorOptions& options);

}  // namespace edgesql::ha
