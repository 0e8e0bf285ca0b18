#include "ha/restart_policy.h"

#include <algorithm>
#include <cmath>

namespace edgesql::ha {

std::chrono::milliseconds Backoff::OnExit(std::optional<std::chrono::milliseconds> uptime) {
  if (uptime && *uptime >= policy_.reset_after) failures_ = 0;
  ++failures_;
  if (failures_ == 1) return std::chrono::milliseconds(0);
  double delay = static_cast<double>(policy_.initial_delay.count()) *
                 std::pow(policy_.factor, static_cast<double>(failures_ - 2));
  double cap = static_cast<double>(policy_.max_delay.count());
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(delay, cap)));
}

}  // namespace edgesql::ha
