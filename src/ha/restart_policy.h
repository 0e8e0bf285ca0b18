// When the supervisor starts the next server generation: Kubernetes' CrashLoopBackOff, except that
// the first restart after a stable run is immediate (a crash of a healthy server costs only the
// restart itself, a few milliseconds).
//
//   failures = consecutive generations that ended without a stable run (ready for reset_after)
//   delay    = 0 for the first failure, then initial_delay * factor^(failures - 2), at most
//   max_delay
//
// A generation that ran for reset_after or longer resets the count. From crash_loop_after
// consecutive failures on, the supervisor reports a crash loop (log at error level, status
// "crash-loop"), never hides it.
#pragma once

#include <chrono>
#include <optional>

namespace edgesql::ha {

struct RestartPolicy {
  std::chrono::milliseconds initial_delay{100};
  double factor = 2.0;
  std::chrono::milliseconds max_delay{10000};
  std::chrono::milliseconds reset_after{1000};
  int crash_loop_after = 3;
};

class Backoff {
 public:
  explicit Backoff(RestartPolicy policy) : policy_(policy) {}

  // A generation ended; `uptime` is how long it had been ready (nullopt: it never became ready).
  // Returns how long to wait before starting the next one.
  std::chrono::milliseconds OnExit(std::optional<std::chrono::milliseconds> uptime);

  int consecutive_failures() const { return failures_; }
  bool crash_loop() const { return failures_ >= policy_.crash_loop_after; }

 private:
  RestartPolicy policy_;
  int failures_ = 0;
};

}  // namespace edgesql::ha
