#include "ha/restart_policy.h"

#include <gtest/gtest.h>

namespace edgesql::ha {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, FirstRestartIsImmediateThenGrowsToTheCap) {
  RestartPolicy p;
  p.initial_delay = milliseconds(100);
  p.factor = 2;
  p.max_delay = milliseconds(1000);
  p.reset_after = milliseconds(5000);
  Backoff b(p);
  EXPECT_EQ(b.OnExit(milliseconds(10)).count(), 0);
  EXPECT_FALSE(b.crash_loop());
  EXPECT_EQ(b.OnExit(std::nullopt).count(), 100);
  EXPECT_EQ(b.OnExit(milliseconds(1)).count(), 200);
  EXPECT_TRUE(b.crash_loop());
  EXPECT_EQ(b.OnExit(std::nullopt).count(), 400);
  EXPECT_EQ(b.OnExit(std::nullopt).count(), 800);
  EXPECT_EQ(b.OnExit(std::nullopt).count(), 1000);
  EXPECT_EQ(b.OnExit(std::nullopt).count(), 1000);
  EXPECT_EQ(b.consecutive_failures(), 7);
}

TEST(Backoff, AStableRunResetsIt) {
  RestartPolicy p;
  p.reset_after = milliseconds(5000);
  Backoff b(p);
  b.OnExit(std::nullopt);
  b.OnExit(std::nullopt);
  b.OnExit(std::nullopt);
  EXPECT_TRUE(b.crash_loop());
  EXPECT_EQ(b.OnExit(milliseconds(5000)).count(), 0);
  EXPECT_EQ(b.consecutive_failures(), 1);
  EXPECT_FALSE(b.crash_loop());
}

}  // namespace
}  // namespace edgesql::ha
