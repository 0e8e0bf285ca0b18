#include "ha/status.h"

// GCC 12 reports std::variant members of Json as "maybe used uninitialized" when it inlines their
// moves (a known false positive of that release's -Wmaybe-uninitialized with variant).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/errors.h"

namespace edgesql::ha {

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Json SupervisorStatus::ToJson() const {
  Json::Array gens;
  for (const GenerationRecord& g : generations) {
    gens.push_back(Json::Object{{"generation", g.generation},
                                {"pid", g.pid},
                                {"state", g.state},
                                {"adopted", g.adopted},
                                {"started_at_ms", g.started_at_ms},
                                {"ready_at_ms", g.ready_at_ms},
                                {"ended_at_ms", g.ended_at_ms},
                                {"startup_ms", g.startup_ms},
                                {"recovery_ms", g.recovery_ms},
                                {"exit", g.exit}});
  }
  return Json::Object{{"supervisor", Json::Object{{"pid", pid},
                                                  {"state", state},
                                                  {"started_at_ms", started_at_ms},
                                                  {"restarts", restarts},
                                                  {"consecutive_failures", consecutive_failures},
                                                  {"next_restart_at_ms", next_restart_at_ms},
                                                  {"last_recovery_ms", last_recovery_ms},
                                                  {"listen", listen},
                                                  {"http", http}}},
                      {"generations", std::move(gens)}};
}

SupervisorStatus SupervisorStatus::FromJson(const Json& j) {
  SupervisorStatus s;
  if (const Json* sup = j.Get("supervisor")) {
    s.pid = sup->Int("pid");
    s.state = sup->Str("state", "unknown");
    s.started_at_ms = sup->Int("started_at_ms");
    s.restarts = sup->Int("restarts");
    s.consecutive_failures = sup->Int("consecutive_failures");
    s.next_restart_at_ms = sup->Int("next_restart_at_ms");
    s.last_recovery_ms = sup->Int("last_recovery_ms", -1);
    s.listen = sup->Str("listen");
    s.http = sup->Str("http");
  }
  if (const Json* gens = j.Get("generations"); gens != nullptr && gens->array() != nullptr) {
    for (const Json& g : *gens->array()) {
      GenerationRecord r;
      r.generation = g.Int("generation");
      r.pid = g.Int("pid");
      r.state = g.Str("state", "unknown");
      r.adopted = g.Bool("adopted");
      r.started_at_ms = g.Int("started_at_ms");
      r.ready_at_ms = g.Int("ready_at_ms");
      r.ended_at_ms = g.Int("ended_at_ms");
      r.startup_ms = g.Int("startup_ms", -1);
      r.recovery_ms = g.Int("recovery_ms", -1);
      r.exit = g.Str("exit");
      s.generations.push_back(std::move(r));
    }
  }
  return s;
}

Status WriteStatusFile(const std::string& path, const SupervisorStatus& status) {
  std::string text = status.ToJson().Dump() + "\n";
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    int err = errno;
    return errors::Make(errors::kCannotCreateFile, {tmp, std::to_string(err), std::strerror(err)});
  }
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  // Not fsync'd: the file describes running processes, which a power loss ends anyway.
  if (off != text.size() || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return errors::Make(errors::kCannotCreateFile, {path, std::to_string(err), std::strerror(err)});
  }
  return Status::Ok();
}

std::optional<SupervisorStatus> ReadStatusFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream buf;
  buf << in.rdbuf();
  auto j = Json::Parse(buf.str());
  if (!j || j->Get("supervisor") == nullptr) return std::nullopt;
  return SupervisorStatus::FromJson(*j);
}

namespace {

std::string Duration(int64_t ms) {
  if (ms < 0) return "-";
  std::ostringstream o;
  if (ms < 10000) {
    o << ms << "ms";
  } else if (ms < 120000) {
    o << ms / 1000 << "s";
  } else if (ms < 7200000) {
    o << ms / 60000 << "m" << (ms / 1000) % 60 << "s";
  } else {
    o << ms / 3600000 << "h" << (ms / 60000) % 60 << "m";
  }
  return o.str();
}

}  // namespace

std::string RenderStatus(const SupervisorStatus& s, int64_t now_ms) {
  std::ostringstream o;
  o << "supervisor  pid " << s.pid << "  " << s.state << "  up "
    << Duration(s.started_at_ms > 0 ? now_ms - s.started_at_ms : -1) << "  restarts " << s.restarts
    << "  last recovery " << Duration(s.last_recovery_ms) << "\n";
  o << "listening   " << s.listen << (s.http.empty() ? "" : "  http " + s.http) << "\n";
  if (s.state == "backoff" || s.state == "crash-loop") {
    o << "next start  in " << Duration(std::max<int64_t>(0, s.next_restart_at_ms - now_ms)) << " ("
      << s.consecutive_failures << " consecutive failures)\n";
  }
  o << "\nGEN  PID      STATE     UPTIME    STARTUP  RECOVERY  EXIT\n";
  for (auto it = s.generations.rbegin(); it != s.generations.rend(); ++it) {
    const GenerationRecord& g = *it;
    int64_t end = g.ended_at_ms > 0 ? g.ended_at_ms : now_ms;
    int64_t uptime = g.ready_at_ms > 0 ? end - g.ready_at_ms : -1;
    char line[256];
    std::snprintf(line, sizeof(line), "%-4lld %-8lld %-9s %-9s %-8s %-9s %s%s\n",
                  static_cast<long long>(g.generation), static_cast<long long>(g.pid),
                  g.state.c_str(), Duration(uptime).c_str(), Duration(g.startup_ms).c_str(),
                  Duration(g.recovery_ms).c_str(), g.adopted ? "(adopted) " : "", g.exit.c_str());
    o << line;
  }
  return o.str();
}

}  // namespace edgesql::ha
