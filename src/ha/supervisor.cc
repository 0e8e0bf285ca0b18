#include "ha/supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

#include "common/log.h"
#include "ha/probe.h"
#include "ha/status.h"
#include "net/listener.h"
#include "storage/data_dir.h"

namespace edgesql::ha {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The server's descriptors: LISTEN_FDS order, and the names in LISTEN_FDNAMES.
constexpr int kTdsFd = 3, kControlFd = 4, kHttpFd = 5;
// Backlog of the TDS socket: the connections that may queue while a server restarts.
constexpr int kTdsBacklog = 4096;
// Beyond the grace period, how long a stopping server gets before SIGKILL.
constexpr milliseconds kStopMargin{5000};
// How often a supervisor waiting for another one's lock (--lock-wait-ms) tries again.
constexpr milliseconds kLockPollInterval{50};

// pidfds (Linux 5.6+), by system call: Debian 12's <sys/pidfd.h> lacks C++ linkage.
int PidfdOpen(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
int PidfdGetfd(int pidfd, int fd) {
  return static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, fd, 0));
}
int PidfdSignal(int pidfd, int sig) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

int64_t Ms(Clock::duration d) { return std::chrono::duration_cast<milliseconds>(d).count(); }

std::string DescribeWait(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = sigabbrev_np(sig);
    return "killed by signal " + std::to_string(sig) +
           (name ? std::string(" (SIG") + name + ")" : "");
  }
  return "ended (wait status " + std::to_string(status) + ")";
}

struct Sockets {
  int tds = -1;
  int control = -1;
  int http = -1;
};

struct Generation {
  int64_t number = 0;
  pid_t pid = -1;
  int pidfd = -1;
  int ready_fd = -1;  // read end of the readiness pipe; -1 once read or for an adopted server
  bool own_child = true;
  bool ready = false;
  Clock::time_point started;
  Clock::time_point ready_at;
  std::string kill_reason;  // set when the supervisor killed it
  int probe_failures = 0;
  size_t record = 0;  // index in status_.generations
};

class Supervisor {
 public:
  explicit Supervisor(const SupervisorOptions& o) : o_(o), backoff_(o.restart) {}

  int Run() {
    if (!TakeLock()) return 1;
    if (!SetUpSignals()) return 1;
    status_.pid = ::getpid();
    status_.started_at_ms = WallClockMs();
    status_.listen = o_.listen;
    status_.http = o_.http;
    if (auto previous = ReadStatusFile(storage::DataDirectory::StatusPath(o_.data_dir))) {
      // Keep the history of the generations before this supervisor.
      status_.generations = previous->generations;
      status_.restarts = previous->restarts;
      for (GenerationRecord& g : status_.generations) {
        if (g.state != "exited") g.state = "unknown";
      }
    }
    if (!AdoptOrphan() && !BindSockets()) return 1;
    if (current_ == nullptr) StartGeneration();
    return Loop();
  }

 private:
  // ---- Setup ----

  bool TakeLock() {
    Status st = storage::DataDirectory::EnsureRunDirectory(o_.data_dir);
    if (!st.ok()) {
      ES_LOG(Error, "supervisor") << st.error().message;
      return false;
    }
    std::string path = storage::DataDirectory::SupervisorLockPath(o_.data_dir);
    lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0) {
      ES_LOG(Error, "supervisor") << "cannot open " << path << ": " << std::strerror(errno);
      return false;
    }
    const auto give_up = Clock::now() + o_.lock_wait;
    bool said = false;
    while (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      char holder[32] = {0};
      [[maybe_unused]] ssize_t n = ::pread(lock_fd_, holder, sizeof(holder) - 1, 0);
      if (Clock::now() >= give_up) {
        ES_LOG(Error, "supervisor")
            << "another supervisor (pid " << std::atoi(holder) << ") is running on " << o_.data_dir
            << "; only one may run per data directory";
        return false;
      }
      if (!said) {
        ES_LOG(Info, "supervisor")
            << "waiting up to " << o_.lock_wait.count() << " ms for the supervisor (pid "
            << std::atoi(holder) << ") running on " << o_.data_dir << " to stop";
        said = true;
      }
      std::this_thread::sleep_for(kLockPollInterval);
    }
    if (said) ES_LOG(Info, "supervisor") << "the other supervisor stopped; taking over";
    std::string pid = std::to_string(::getpid()) + "\n";
    [[maybe_unused]] int rc = ::ftruncate(lock_fd_, 0);
    [[maybe_unused]] ssize_t n = ::pwrite(lock_fd_, pid.data(), pid.size(), 0);
    return true;
  }

  bool SetUpSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGCHLD);
    if (::sigprocmask(SIG_BLOCK, &set, &old_mask_) != 0) return false;
    signal_fd_ = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    ::signal(SIGPIPE, SIG_IGN);
    return signal_fd_ >= 0;
  }

  bool BindSockets() {
    auto fd = net::ListenTcp(o_.listen, kTdsBacklog);
    if (!fd.ok()) {
      ES_LOG(Error, "supervisor") << fd.error().message;
      return false;
    }
    sockets_.tds = *fd;
    auto control = net::ListenUnix(storage::DataDirectory::ControlSocketPath(o_.data_dir));
    if (!control.ok()) {
      ES_LOG(Error, "supervisor") << control.error().message;
      return false;
    }
    sockets_.control = *control;
    if (!o_.http.empty()) {
      auto hfd = net::ListenTcp(o_.http);
      if (!hfd.ok()) {
        ES_LOG(Error, "supervisor") << hfd.error().message;
        return false;
      }
      sockets_.http = *hfd;
    }
    ES_LOG(Info, "supervisor") << "listening on " << net::LocalAddress(sockets_.tds)
                               << (sockets_.http >= 0
                                       ? " (http " + net::LocalAddress(sockets_.http) + ")"
                                       : std::string());
    return true;
  }

  // A server left running by a supervisor that was killed: take its sockets and watch it.
  bool AdoptOrphan() {
    std::ifstream in(storage::DataDirectory::ServerPidPath(o_.data_dir));
    long pid = 0;
    if (!(in >> pid) || pid <= 1 || ::kill(static_cast<pid_t>(pid), 0) != 0) return false;
    // Only an edgesql server of this executable is ours to adopt.
    char exe[4096] = {0};
    std::string link = "/proc/" + std::to_string(pid) + "/exe";
    ssize_t n = ::readlink(link.c_str(), exe, sizeof(exe) - 1);
    std::string self = o_.server_binary;
    char real_self[4096] = {0};
    if (::realpath(self.c_str(), real_self) != nullptr) self = real_self;
    if (n <= 0 || std::string(exe, static_cast<size_t>(n)) != self) return false;
    int pidfd = PidfdOpen(static_cast<pid_t>(pid));
    if (pidfd < 0) return false;
    Sockets got;
    got.tds = PidfdGetfd(pidfd, kTdsFd);
    got.control = PidfdGetfd(pidfd, kControlFd);
    if (!o_.http.empty()) got.http = PidfdGetfd(pidfd, kHttpFd);
    auto endpoint = net::ParseEndpoint(o_.listen);
    bool usable = got.tds >= 0 && got.control >= 0 && (o_.http.empty() || got.http >= 0) &&
                  endpoint.ok() && endpoint->port != 0 &&
                  net::LocalAddress(got.tds) == endpoint->ToString();
    if (!usable) {
      std::string why = got.tds < 0 ? std::string("pidfd_getfd: ") + std::strerror(errno)
                                    : "its sockets are not the ones asked for";
      for (int fd : {got.tds, got.control, got.http}) {
        if (fd >= 0) ::close(fd);
      }
      ES_LOG(Warn, "supervisor") << "cannot adopt the running server (pid " << pid << "): " << why
                                 << "; stopping it";
      PidfdSignal(pidfd, SIGKILL);
      pollfd p{pidfd, POLLIN, 0};
      ::poll(&p, 1, 10000);
      ::close(pidfd);
      return false;
    }
    for (int* fd : {&got.tds, &got.control, &got.http}) {
      if (*fd >= 0) ::fcntl(*fd, F_SETFD, FD_CLOEXEC);
    }
    sockets_ = got;
    auto g = std::make_unique<Generation>();
    g->pid = static_cast<pid_t>(pid);
    g->pidfd = pidfd;
    g->own_child = false;
    g->ready = true;  // it was serving; the liveness probe checks it from now on
    g->started = g->ready_at = Clock::now();
    // The generation keeps its number and record if the previous supervisor recorded it.
    auto known = std::find_if(status_.generations.begin(), status_.generations.end(),
                              [&](const GenerationRecord& r) { return r.pid == pid; });
    if (known != status_.generations.end()) {
      known->state = "running";
      known->adopted = true;
      g->number = known->generation;
      g->record = static_cast<size_t>(known - status_.generations.begin());
    } else {
      GenerationRecord r;
      r.generation = g->number = NextGenerationNumber();
      r.pid = pid;
      r.state = "running";
      r.adopted = true;
      r.started_at_ms = r.ready_at_ms = WallClockMs();
      g->record = AddRecord(r);
    }
    current_ = std::move(g);
    status_.state = "running";
    ES_LOG(Info, "supervisor") << "adopted the running server (pid " << pid << ") on "
                               << net::LocalAddress(sockets_.tds) << " as generation "
                               << current_->number;
    next_probe_ = Clock::now();
    WriteStatus();
    return true;
  }

  int64_t NextGenerationNumber() {
    return status_.generations.empty() ? 1 : status_.generations.back().generation + 1;
  }

  size_t AddRecord(const GenerationRecord& r) {
    status_.generations.push_back(r);
    while (status_.generations.size() > SupervisorStatus::kMaxGenerations) {
      status_.generations.erase(status_.generations.begin());
      if (current_ && current_->record > 0) current_->record--;
    }
    return status_.generations.size() - 1;
  }

  GenerationRecord& Record(const Generation& g) { return status_.generations[g.record]; }

  void WriteStatus() {
    Status st = WriteStatusFile(storage::DataDirectory::StatusPath(o_.data_dir), status_);
    if (!st.ok()) ES_LOG(Warn, "supervisor") << st.error().message;
  }

  // ---- Generations ----

  void StartGeneration() {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) {
      ES_LOG(Error, "supervisor") << "pipe: " << std::strerror(errno);
      ScheduleRestart(std::nullopt, "could not start: " + std::string(std::strerror(errno)));
      return;
    }
    auto g = std::make_unique<Generation>();
    g->number = NextGenerationNumber();
    g->started = Clock::now();
    std::vector<int> fds = {sockets_.tds, sockets_.control};
    if (sockets_.http >= 0) fds.push_back(sockets_.http);
    std::vector<std::string> args = {o_.server_binary, "server", "--data-dir", o_.data_dir};
    args.insert(args.end(), o_.server_args.begin(), o_.server_args.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string names = sockets_.http >= 0 ? "tds:control:http" : "tds:control";
    int ready_target = 3 + static_cast<int>(fds.size());

    pid_t pid = ::fork();
    if (pid == 0) {
      // The child. The supervisor is single-threaded, so the C library is in a usable state.
      // Move the descriptors out of the way first: a source may sit on a target number.
      std::vector<int> high;
      for (int fd : fds) high.push_back(::fcntl(fd, F_DUPFD_CLOEXEC, 64));
      int ready_high = ::fcntl(ready[1], F_DUPFD_CLOEXEC, 64);
      for (size_t i = 0; i < high.size(); ++i) ::dup2(high[i], 3 + static_cast<int>(i));
      ::dup2(ready_high, ready_target);
      ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
      ::setenv("LISTEN_FDS", std::to_string(fds.size()).c_str(), 1);
      ::setenv("LISTEN_FDNAMES", names.c_str(), 1);
      ::setenv("EDGESQL_READY_FD", std::to_string(ready_target).c_str(), 1);
      ::setenv("EDGESQL_GENERATION", std::to_string(g->number).c_str(), 1);
      ::signal(SIGPIPE, SIG_DFL);
      ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
      ::execv(o_.server_binary.c_str(), argv.data());
      std::fprintf(stderr, "edgesql: cannot run %s: %s\n", o_.server_binary.c_str(),
                   std::strerror(errno));
      ::_exit(127);
    }
    ::close(ready[1]);
    if (pid < 0) {
      ::close(ready[0]);
      ES_LOG(Error, "supervisor") << "fork: " << std::strerror(errno);
      ScheduleRestart(std::nullopt, "could not start: " + std::string(std::strerror(errno)));
      return;
    }
    g->pid = pid;
    g->pidfd = PidfdOpen(pid);
    g->ready_fd = ready[0];
    GenerationRecord r;
    r.generation = g->number;
    r.pid = pid;
    r.started_at_ms = WallClockMs();
    g->record = AddRecord(r);
    current_ = std::move(g);
    status_.state = status_.state == "stopping" ? "stopping" : "starting";
    WritePidFile(pid);
    WriteStatus();
    ES_LOG(Info, "supervisor") << "started generation " << current_->number << " (pid " << pid
                               << ")";
  }

  void WritePidFile(pid_t pid) {
    std::string path = storage::DataDirectory::ServerPidPath(o_.data_dir);
    std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << pid << "\n";
    }
    ::rename(tmp.c_str(), path.c_str());
  }

  void OnReady() {
    char buf[64];
    ssize_t n = ::read(current_->ready_fd, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    ::close(current_->ready_fd);
    current_->ready_fd = -1;
    if (n <= 0) return;  // closed without a word: its exit follows
    Generation& g = *current_;
    g.ready = true;
    g.ready_at = Clock::now();
    g.probe_failures = 0;
    GenerationRecord& r = Record(g);
    r.state = "running";
    r.ready_at_ms = WallClockMs();
    r.startup_ms = Ms(g.ready_at - g.started);
    std::string recovery;
    if (last_exit_noticed_) {
      r.recovery_ms = Ms(g.ready_at - *last_exit_noticed_);
      status_.last_recovery_ms = r.recovery_ms;
      recovery = ", " + std::to_string(r.recovery_ms) + " ms after the previous one ended";
      last_exit_noticed_.reset();
    }
    if (status_.state != "stopping") status_.state = "running";
    next_probe_ = g.ready_at + o_.probe_period;
    WriteStatus();
    ES_LOG(Info, "supervisor") << "generation " << g.number << " (pid " << g.pid << ") ready in "
                               << r.startup_ms << " ms" << recovery;
  }

  // The current generation has ended (its pidfd is readable, or SIGCHLD named it).
  void OnExit() {
    Generation& g = *current_;
    std::string reason = "ended";
    if (g.own_child) {
      int wstatus = 0;
      if (::waitpid(g.pid, &wstatus, 0) == g.pid) reason = DescribeWait(wstatus);
    } else {
      reason = "ended (adopted: exit status not available)";
    }
    if (!g.kill_reason.empty()) reason = g.kill_reason + "; " + reason;
    auto now = Clock::now();
    GenerationRecord& r = Record(g);
    r.state = "exited";
    r.ended_at_ms = WallClockMs();
    r.exit = reason;
    std::optional<milliseconds> uptime;
    if (g.ready) uptime = std::chrono::duration_cast<milliseconds>(now - g.ready_at);
    if (g.ready_fd >= 0) ::close(g.ready_fd);
    if (g.pidfd >= 0) ::close(g.pidfd);
    probe_.Abort();
    current_.reset();
    if (stopping_) {
      ES_LOG(Info, "supervisor") << "server generation " << r.generation << " (pid " << r.pid
                                 << ") " << reason;
      return;
    }
    last_exit_noticed_ = now;
    ES_LOG(Warn, "supervisor") << "server generation " << r.generation << " (pid " << r.pid << ") "
                               << reason
                               << (uptime ? " after " + std::to_string(uptime->count()) + " ms up"
                                          : std::string(" before it was ready"));
    ScheduleRestart(uptime, reason);
  }

  void ScheduleRestart(std::optional<milliseconds> uptime, const std::string& reason) {
    milliseconds delay = backoff_.OnExit(uptime);
    status_.restarts++;
    status_.consecutive_failures = backoff_.consecutive_failures();
    restart_at_ = Clock::now() + delay;
    if (delay.count() == 0) {
      WriteStatus();
      StartGeneration();
      return;
    }
    status_.state = backoff_.crash_loop() ? "crash-loop" : "backoff";
    status_.next_restart_at_ms = WallClockMs() + delay.count();
    WriteStatus();
    if (backoff_.crash_loop()) {
      ES_LOG(Error, "supervisor") << "CRASH LOOP: the server failed "
                                  << backoff_.consecutive_failures()
                                  << " times in a row (last: " << reason << "); next start in "
                                  << delay.count() << " ms. See the server's log above.";
    } else {
      ES_LOG(Warn, "supervisor") << "next start in " << delay.count() << " ms (backoff after "
                                 << backoff_.consecutive_failures() << " failures)";
    }
  }

  void Kill(const std::string& why) {
    Generation& g = *current_;
    if (g.kill_reason.empty()) g.kill_reason = why;
    ES_LOG(Error, "supervisor") << "killing generation " << g.number << " (pid " << g.pid
                                << "): " << why;
    if (g.pidfd >= 0) {
      PidfdSignal(g.pidfd, SIGKILL);
    } else {
      ::kill(g.pid, SIGKILL);
    }
  }

  // ---- Liveness ----

  void StartProbe() {
    probe_started_ = Clock::now();
    if (!probe_.Start(storage::DataDirectory::ControlSocketPath(o_.data_dir), "/livez")) {
      ProbeFailed(probe_.error());
    }
  }

  void OnProbeResult(int status) {
    if (status == 200) {
      current_->probe_failures = 0;
    } else {
      ProbeFailed(status < 0 ? probe_.error() : "HTTP " + std::to_string(status));
    }
  }

  void ProbeFailed(const std::string& why) {
    probe_.Abort();
    Generation& g = *current_;
    g.probe_failures++;
    ES_LOG(Warn, "supervisor") << "liveness probe of generation " << g.number << " failed ("
                               << g.probe_failures << " of " << o_.probe_failures << "): " << why;
    if (g.probe_failures >= o_.probe_failures) {
      Kill("failed its liveness probe " + std::to_string(g.probe_failures) + " times (" + why +
           ")");
    }
  }

  // ---- Shutdown ----

  void BeginStop(int sig) {
    if (stopping_) {
      ES_LOG(Warn, "supervisor") << "second stop signal: killing the server now";
      if (current_) Kill("stopped by a second signal");
      return;
    }
    stopping_ = true;
    stop_began_ = Clock::now();
    status_.state = "stopping";
    ES_LOG(Info, "supervisor") << "received " << sigabbrev_np(sig) << "; stopping the server";
    if (current_) {
      Record(*current_).state = "stopping";
      if (current_->pidfd >= 0) {
        PidfdSignal(current_->pidfd, SIGTERM);
      } else {
        ::kill(current_->pid, SIGTERM);
      }
      stop_deadline_ = Clock::now() + o_.shutdown_grace + kStopMargin;
    }
    WriteStatus();
  }

  // ---- The loop ----

  int Loop() {
    for (;;) {
      if (stopping_ && current_ == nullptr) break;
      auto now = Clock::now();
      std::optional<Clock::time_point> wake;
      auto at = [&](Clock::time_point t) {
        if (!wake || t < *wake) wake = t;
      };
      if (current_ == nullptr && !stopping_) at(restart_at_);
      if (current_ && !current_->ready && !stopping_) at(current_->started + o_.startup_timeout);
      if (current_ && current_->ready && !stopping_) {
        at(probe_.running() ? probe_started_ + o_.probe_timeout : next_probe_);
      }
      if (stopping_ && current_) at(stop_deadline_);

      pollfd fds[4];
      int n = 0;
      fds[n++] = {signal_fd_, POLLIN, 0};
      int pidfd_index = -1, ready_index = -1, probe_index = -1;
      if (current_ && current_->pidfd >= 0) {
        pidfd_index = n;
        fds[n++] = {current_->pidfd, POLLIN, 0};
      }
      if (current_ && current_->ready_fd >= 0) {
        ready_index = n;
        fds[n++] = {current_->ready_fd, POLLIN, 0};
      }
      if (probe_.running()) {
        probe_index = n;
        fds[n++] = {probe_.fd(), POLLIN, 0};
      }
      int timeout = wake ? static_cast<int>(std::max<int64_t>(0, Ms(*wake - now) + 1)) : -1;
      int rc = ::poll(fds, n, timeout);
      if (rc < 0 && errno != EINTR) {
        ES_LOG(Error, "supervisor") << "poll: " << std::strerror(errno);
        return 1;
      }
      if (rc > 0 && (fds[0].revents & POLLIN)) HandleSignals();
      if (current_ && ready_index >= 0 && (fds[ready_index].revents != 0)) OnReady();
      if (current_ && probe_index >= 0 && fds[probe_index].revents != 0 && probe_.running()) {
        if (auto status = probe_.Continue()) OnProbeResult(*status);
      }
      if (current_ && pidfd_index >= 0 && (fds[pidfd_index].revents & POLLIN)) OnExit();
      now = Clock::now();
      if (current_ == nullptr && !stopping_ && now >= restart_at_) StartGeneration();
      if (current_ && !stopping_ && !current_->ready &&
          now >= current_->started + o_.startup_timeout && current_->kill_reason.empty()) {
        Kill("not ready within " + std::to_string(o_.startup_timeout.count()) + " ms");
      }
      if (current_ && current_->ready && !stopping_) {
        if (probe_.running() && now >= probe_started_ + o_.probe_timeout) {
          ProbeFailed("no answer within " + std::to_string(o_.probe_timeout.count()) + " ms");
          next_probe_ = now + o_.probe_period;
        } else if (!probe_.running() && now >= next_probe_ && current_->kill_reason.empty()) {
          next_probe_ = now + o_.probe_period;
          StartProbe();
        }
      }
      if (stopping_ && current_ && now >= stop_deadline_ && current_->kill_reason.empty()) {
        Kill("did not stop within " + std::to_string(Ms(stop_deadline_ - stop_began_)) + " ms");
      }
    }
    status_.state = "stopped";
    WriteStatus();
    ::unlink(storage::DataDirectory::ServerPidPath(o_.data_dir).c_str());
    ES_LOG(Info, "supervisor") << "stopped in " << Ms(Clock::now() - stop_began_) << " ms";
    return 0;
  }

  void HandleSignals() {
    signalfd_siginfo info;
    while (::read(signal_fd_, &info, sizeof(info)) == sizeof(info)) {
      if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) {
        BeginStop(static_cast<int>(info.ssi_signo));
      }
      // SIGCHLD: the pidfd reports our child's exit; children of nobody else exist here.
    }
  }

  const SupervisorOptions& o_;
  Backoff backoff_;
  SupervisorStatus status_;
  Sockets sockets_;
  std::unique_ptr<Generation> current_;
  HttpProbe probe_;
  int lock_fd_ = -1;
  int signal_fd_ = -1;
  sigset_t old_mask_{};
  bool stopping_ = false;
  Clock::time_point restart_at_;
  Clock::time_point next_probe_;
  Clock::time_point probe_started_;
  Clock::time_point stop_began_;
  Clock::time_point stop_deadline_;
  std::optional<Clock::time_point> last_exit_noticed_;
};

}  // namespace

int RunSupervisor(const SupervisorOptions& options) { return Supervisor(options).Run(); }

}  // namespace edgesql::ha
