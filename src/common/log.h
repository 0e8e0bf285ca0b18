// Logging: one line per event on stderr, written with a single write(2) so lines from concurrent
// sessions never interleave. Format: `2026-11-26T10:00:00.123Z INFO  net: message`.
//
//   ES_LOG(Info, "net") << "accepted connection from " << peer;
//
// Thread-safe. The minimum level is process-wide (SetLogLevel); lines below it cost one compare.
#pragma once

#include <sstream>
#include <string_view>

namespace edgesql::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void SetLevel(Level level);
Level GetLevel();
// Parses "debug", "info", "warn", "error"; returns false if unknown.
bool ParseLevel(std::string_view text, Level* level);

class Line {
 public:
  Line(Level level, std::string_view component);
  ~Line();
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;
  template <typename T>
  Line& operator<<(const T& v) {
    out_ << v;
    return *this;
  }

 private:
  std::ostringstream out_;
};

}  // namespace edgesql::log

// A for-loop rather than if/else, so that `if (x) ES_LOG(...) << ...;` has no dangling else.
#define ES_LOG(level, component)                                                       \
  for (bool es_log_once_ = ::edgesql::log::Level::level >= ::edgesql::log::GetLevel(); \
       es_log_once_; es_log_once_ = false)                                             \
  ::edgesql::log::Line(::edgesql::log::Level::level, component)
