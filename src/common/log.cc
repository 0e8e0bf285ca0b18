#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

namespace edgesql::log {
namespace {

std::atomic<Level> g_level{Level::Info};

const char* LevelName(Level level) {
  switch (level) {
    case Level::Debug:
      return "DEBUG";
    case Level::Info:
      return "INFO ";
    case Level::Warn:
      return "WARN ";
    case Level::Error:
      return "ERROR";
  }
  return "?";
}

}  // namespace

void SetLevel(Level level) { g_level.store(level); }
Level GetLevel() { return g_level.load(std::memory_order_relaxed); }

bool ParseLevel(std::string_view text, Level* level) {
  if (text == "debug")
    *level = Level::Debug;
  else if (text == "info")
    *level = Level::Info;
  else if (text == "warn")
    *level = Level::Warn;
  else if (text == "error")
    *level = Level::Error;
  else
    return false;
  return true;
}

Line::Line(Level level, std::string_view component) {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  out_ << stamp << ' ' << LevelName(level) << ' ' << component << ": ";
}

Line::~Line() {
  out_ << '\n';
  std::string s = out_.str();
  // One write per line; a short write to stderr is not worth retrying for a log line.
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, s.data(), s.size());
}

}  // namespace edgesql::log
