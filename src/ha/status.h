// The supervisor's status file (DIR/run/status.json): what `edgesql status` shows and what the
// server's /metrics reports about restarts. Written by the supervisor (atomically: a temporary
// file renamed over the old one) at every change of state; read by anyone.
//
//   {"supervisor": {"pid", "state", "started_at_ms", "restarts", "consecutive_failures",
//                   "next_restart_at_ms", "last_recovery_ms", "listen", "http"},
//    "generations": [{"generation", "pid", "state", "adopted", "started_at_ms", "ready_at_ms",
//                     "ended_at_ms", "startup_ms", "recovery_ms", "exit"}, ...]}
//
// Times are milliseconds since the Unix epoch; durations are milliseconds, -1 when unknown.
// Supervisor states: starting, running, backoff, crash-loop (backoff after repeated failures),
// stopping, stopped. Generation states: starting, running, stopping, exited.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ha/json.h"

namespace edgesql::ha {

struct GenerationRecord {
  int64_t generation = 0;
  int64_t pid = 0;
  std::string state = "starting";
  bool adopted = false;  // a server left running by a previous supervisor
  int64_t started_at_ms = 0;
  int64_t ready_at_ms = 0;
  int64_t ended_at_ms = 0;
  int64_t startup_ms = -1;   // start to ready
  int64_t recovery_ms = -1;  // the previous generation's end to this one's readiness
  std::string exit;          // why it ended: "killed by signal 9", "exited with status 1", ...
};

struct SupervisorStatus {
  static constexpr size_t kMaxGenerations = 50;  // older records are dropped

  int64_t pid = 0;
  std::string state = "starting";
  int64_t started_at_ms = 0;
  int64_t restarts = 0;
  int64_t consecutive_failures = 0;
  int64_t next_restart_at_ms = 0;
  int64_t last_recovery_ms = -1;
  std::string listen;
  std::string http;
  std::vector<GenerationRecord> generations;  // oldest first

  Json ToJson() const;
  static SupervisorStatus FromJson(const Json& j);
};

Status WriteStatusFile(const std::string& path, const SupervisorStatus& status);
std::optional<SupervisorStatus> ReadStatusFile(const std::string& path);

// The human-readable form `edgesql status` prints.
std::string RenderStatus(const SupervisorStatus& status, int64_t now_ms);

// Milliseconds since the Unix epoch.
int64_t WallClockMs();

}  // namespace edgesql::ha
