#include "ha/status.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

namespace edgesql::ha {
namespace {

SupervisorStatus Sample() {
  SupervisorStatus s;
  s.pid = 42;
  s.state = "running";
  s.started_at_ms = 1000;
  s.restarts = 2;
  s.last_recovery_ms = 17;
  s.listen = "127.0.0.1:1433";
  GenerationRecord a;
  a.generation = 1;
  a.pid = 100;
  a.state = "exited";
  a.started_at_ms = 1000;
  a.ready_at_ms = 1200;
  a.ended_at_ms = 5000;
  a.startup_ms = 200;
  a.exit = "killed by signal 9 (SIGKILL)";
  GenerationRecord b;
  b.generation = 2;
  b.pid = 101;
  b.state = "running";
  b.started_at_ms = 5001;
  b.ready_at_ms = 5017;
  b.startup_ms = 16;
  b.recovery_ms = 17;
  s.generations = {a, b};
  return s;
}

TEST(Status, FileRoundTrip) {
  char dir[] = "/tmp/edgesql-status-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/status.json";
  ASSERT_TRUE(WriteStatusFile(path, Sample()).ok());
  auto back = ReadStatusFile(path);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->ToJson().Dump(), Sample().ToJson().Dump());
  EXPECT_EQ(back->generations.at(0).exit, "killed by signal 9 (SIGKILL)");
  EXPECT_EQ(back->generations.at(1).recovery_ms, 17);
  unlink(path.c_str());
  EXPECT_FALSE(ReadStatusFile(path));
  rmdir(dir);
}

TEST(Status, RenderShowsEveryGenerationNewestFirst) {
  std::string text = RenderStatus(Sample(), 6017);
  EXPECT_NE(text.find("restarts 2"), std::string::npos) << text;
  size_t second = text.find("\n2    101");
  size_t first = text.find("\n1    100");
  ASSERT_NE(second, std::string::npos) << text;
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_LT(second, first);
  EXPECT_NE(text.find("killed by signal 9"), std::string::npos);
  EXPECT_NE(text.find("1000ms"), std::string::npos) << text;  // generation 2 up since 5017
}

}  // namespace
}  // namespace edgesql::ha
