// edgesql_loadgen: the load generator of bench/run (bench/README.md). One thread per client,
// each with its own connection and its own prepared statements, released together by a
// barrier; latencies go to a per-thread histogram merged at the end; one JSON object on stdout.
//
//   edgesql_loadgen --system edgesql|postgres|sqlite --setup [--rows N]
//   edgesql_loadgen --system S --workload W --clients N --duration S --warmup S
//   edgesql_loadgen --system S --check
//
// While a run measures, it writes "#measure-start T" and "#measure-end T" lines to stderr (T: its
// own CPU seconds), so that the caller can sample the server's CPU time over exactly the measured
// window.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "db.h"

namespace loadgen {

std::string AccountFiller(int64_t aid) {
  std::string s = "account " + std::to_string(aid) + " ";
  s.resize(84, 'x');
  return s;
}

std::unique_ptr<Connection> Connect(const Target& t) {
  if (t.system == "edgesql") return ConnectOdbc(t);
  if (t.system == "postgres") return ConnectPg(t);
  if (t.system == "sqlite") return ConnectSqlite(t);
  throw DbError("unknown system " + t.system);
}

namespace {

using Clock = std::chrono::steady_clock;

// Log-linear histogram of nanoseconds: exact below 128, then 64 buckets per power of two
// (about 1.5% wide), like HdrHistogram with two significant digits.
class Histogram {
 public:
  Histogram() : counts_(64 * 60, 0) {}
  void Add(uint64_t ns) { ++counts_[Index(ns)]; }
  void Merge(const Histogram& o) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
  }
  uint64_t Count() const {
    uint64_t n = 0;
    for (uint64_t c : counts_) n += c;
    return n;
  }
  // Nearest-rank percentile, as the middle of its bucket, in microseconds.
  double PercentileUs(double p) const {
    uint64_t n = Count();
    if (n == 0) return 0;
    uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(p / 100.0 * n)));
    uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return Middle(i) / 1000.0;
    }
    return 0;
  }

 private:
  static size_t Index(uint64_t v) {
    if (v < 128) return v;
    int shift = std::bit_width(v) - 7;
    return static_cast<size_t>(shift) * 64 + (v >> shift);
  }
  static double Middle(size_t idx) {
    if (idx < 128) return static_cast<double>(idx);
    int shift = static_cast<int>(idx / 64) - 1;
    uint64_t low = (idx - static_cast<uint64_t>(shift) * 64) << shift;
    return static_cast<double>(low) + static_cast<double>(uint64_t{1} << shift) / 2;
  }
  std::vector<uint64_t> counts_;
};

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// A JSON object built field by field, printed on one line.
class Json {
 public:
  Json& Num(const char* k, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return Raw(k, buf);
  }
  Json& Int(const char* k, int64_t v) { return Raw(k, std::to_string(v)); }
  Json& Str(const char* k, const std::string& v) { return Raw(k, JsonString(v)); }
  Json& Raw(const char* k, const std::string& v) {
    body_ += (body_.empty() ? "" : ", ") + JsonString(k) + ": " + v;
    return *this;
  }
  void Print() const {
    std::printf("{%s}\n", body_.c_str());
    std::fflush(stdout);
  }

 private:
  std::string body_;
};

// The process's own CPU time (all threads; CLOCK_PROCESS_CPUTIME_ID is exact and monotonic),
// the server CPU time of in-process SQLite.
void Marker(const char* what) {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  std::fprintf(stderr, "#%s %.6f\n", what, ts.tv_sec + ts.tv_nsec / 1e9);
  std::fflush(stderr);
}

struct Options {
  Target target;
  std::string mode;  // setup | run | check
  std::string workload;
  int clients = 1;
  double duration = 5, warmup = 1;
  int64_t rows = 1000000;
  std::string method;  // bulk load method; "" = the system's fastest
  int64_t batch = 0;   // bulk load rows per transaction/batch; 0 = one
  uint64_t seed = 1;
};

int64_t Branches(const Options& o) { return std::max<int64_t>(1, o.rows / 100000); }
int64_t Tellers(const Options& o) { return 10 * Branches(o); }

std::string DefaultMethod(const std::string& system) {
  if (system == "edgesql") return "bcp";
  if (system == "postgres") return "copy";
  return "insert";
}

// pgbench's tables (scale = rows / 100000) and the insert workload's own table. SQLite declares
// its keys INTEGER PRIMARY KEY, the rowid, the way SQLite applications key integer tables.
std::vector<std::string> SchemaDdl(const std::string& system, const std::string& accounts) {
  std::string key = system == "sqlite" ? "INTEGER PRIMARY KEY" : "int NOT NULL PRIMARY KEY";
  std::string ts = system == "edgesql" ? "datetime" : system == "postgres" ? "timestamp" : "text";
  std::vector<std::string> ddl = {
      "CREATE TABLE " + accounts + " (aid " + key +
          ", bid int NOT NULL, abalance int NOT NULL, filler char(84))",
  };
  if (accounts != "accounts") return ddl;
  ddl.push_back("CREATE TABLE tellers (tid " + key +
                ", bid int NOT NULL, tbalance int NOT NULL, filler char(84))");
  ddl.push_back("CREATE TABLE branches (bid " + key + ", bbalance int NOT NULL, filler char(88))");
  ddl.push_back("CREATE TABLE history (tid int, bid int, aid int, delta int, mtime " + ts +
                ", filler char(22))");
  ddl.push_back("CREATE TABLE inserts (id " + key + ", payload varchar(100))");
  return ddl;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// --setup: database, tables, branches and tellers, then the accounts by the bulk path.
int Setup(Options& o) {
  if (o.target.system == "edgesql") {
    Target master = o.target;
    master.database = "master";
    Connect(master)->Exec("CREATE DATABASE " + o.target.database);
  }
  auto c = Connect(o.target);
  for (const std::string& sql : SchemaDdl(o.target.system, "accounts")) c->Exec(sql);
  c->Begin();
  auto b = c->Prepare("INSERT INTO branches (bid, bbalance) VALUES (?, 0)");
  for (int64_t i = 1; i <= Branches(o); ++i) b->Execute({i});
  auto t = c->Prepare("INSERT INTO tellers (tid, bid, tbalance) VALUES (?, ?, 0)");
  for (int64_t i = 1; i <= Tellers(o); ++i) t->Execute({i, (i - 1) / 10 + 1});
  c->Commit();
  std::string method = o.method.empty() ? DefaultMethod(o.target.system) : o.method;
  auto t0 = Clock::now();
  int64_t acked = c->BulkLoad("accounts", method, 1, o.rows, o.batch);
  double load_s = Seconds(Clock::now() - t0);
  if (o.target.system == "postgres") c->Exec("VACUUM ANALYZE");  // as pgbench -i does
  int64_t counted = c->Exec("SELECT COUNT(*) FROM accounts");
  Json()
      .Str("system", o.target.system)
      .Str("mode", "setup")
      .Str("method", method)
      .Int("rows", o.rows)
      .Int("rows_acked", acked)
      .Int("rows_counted", counted)
      .Int("branches", Branches(o))
      .Int("tellers", Tellers(o))
      .Num("load_seconds", load_s)
      .Print();
  return counted == o.rows ? 0 : 1;
}

// --check: the invariants bench/run verifies after the workloads.
int Check(Options& o) {
  auto c = Connect(o.target);
  auto q = [&](const char* sql) { return c->Exec(sql); };
  Json()
      .Str("system", o.target.system)
      .Str("mode", "check")
      .Int("accounts", q("SELECT COUNT(*) FROM accounts"))
      .Int("history", q("SELECT COUNT(*) FROM history"))
      .Int("inserts", q("SELECT COUNT(*) FROM inserts"))
      .Int("sum_abalance", q("SELECT COALESCE(SUM(CAST(abalance AS bigint)), 0) FROM accounts"))
      .Int("sum_tbalance", q("SELECT COALESCE(SUM(CAST(tbalance AS bigint)), 0) FROM tellers"))
      .Int("sum_bbalance", q("SELECT COALESCE(SUM(CAST(bbalance AS bigint)), 0) FROM branches"))
      .Int("sum_delta", q("SELECT COALESCE(SUM(CAST(delta AS bigint)), 0) FROM history"))
      .Print();
  return 0;
}

// bulk_load: one stream into a fresh accounts-shaped table, then its row count.
int BulkLoadRun(Options& o) {
  std::string method = o.method.empty() ? DefaultMethod(o.target.system) : o.method;
  std::string table = "bulk_" + method + "_" + std::to_string(getpid());
  auto c = Connect(o.target);
  for (const std::string& sql : SchemaDdl(o.target.system, table)) c->Exec(sql);
  Marker("measure-start");
  auto t0 = Clock::now();
  int64_t acked = 0;
  std::string error;
  try {
    acked = c->BulkLoad(table, method, 1, o.rows, o.batch);
  } catch (const DbError& e) {
    error = e.what();
  }
  double s = Seconds(Clock::now() - t0);
  Marker("measure-end");
  int64_t counted = c->Exec("SELECT COUNT(*) FROM " + table);
  c->Exec("DROP TABLE " + table);
  Json j;
  j.Str("system", o.target.system)
      .Str("workload", "bulk_load")
      .Str("method", method)
      .Int("clients", 1)
      .Int("batch_rows", o.batch)
      .Int("ops", error.empty() ? 1 : 0)
      .Int("errors", error.empty() ? 0 : 1)
      .Int("rows_sent", o.rows)
      .Int("rows_acked", acked)
      .Int("rows_counted", counted)
      .Num("seconds", s)
      .Num("rows_per_s", error.empty() ? o.rows / s : 0)
      .Num("ops_per_s", error.empty() ? o.rows / s : 0);
  if (!error.empty()) j.Raw("error_samples", "[" + JsonString(error) + "]");
  j.Print();
  return error.empty() ? 0 : 1;
}

// One client thread's state for the timed workloads.
struct Client {
  int index = 0;
  std::unique_ptr<Connection> conn;
  std::vector<std::unique_ptr<Statement>> st;
  std::mt19937_64 rng;
  int64_t next_insert = 0;
  int64_t acked = 0;        // committed operations, warm-up included (for the row-count check)
  int64_t bad_results = 0;  // operations whose result had the wrong number of rows
  uint64_t ops = 0, errors = 0;
  Histogram hist;
  int64_t Uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  }
};

// The statements of each workload, the same text on every system (`?` placeholders).
const std::map<std::string, std::vector<std::string>>& WorkloadSql() {
  static const std::map<std::string, std::vector<std::string>> sql = {
      {"point_select", {"SELECT abalance FROM accounts WHERE aid = ?"}},
      {"range_scan", {"SELECT aid, abalance FROM accounts WHERE aid BETWEEN ? AND ?"}},
      {"insert_autocommit", {"INSERT INTO inserts (id, payload) VALUES (?, ?)"}},
      {"tpcb",
       {"UPDATE accounts SET abalance = abalance + ? WHERE aid = ?",
        "SELECT abalance FROM accounts WHERE aid = ?",
        "UPDATE tellers SET tbalance = tbalance + ? WHERE tid = ?",
        "UPDATE branches SET bbalance = bbalance + ? WHERE bid = ?",
        "INSERT INTO history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, "
        "CURRENT_TIMESTAMP)"}},
      {"connect", {}},
  };
  return sql;
}

// One operation of the workload; throws DbError on failure.
void RunOp(const Options& o, Client& c) {
  const std::string& w = o.workload;
  if (w == "point_select") {
    int64_t aid = c.Uniform(1, o.rows);
    if (c.st[0]->Execute({aid}) != 1) ++c.bad_results;
  } else if (w == "range_scan") {
    int64_t lo = c.Uniform(1, std::max<int64_t>(1, o.rows - 99));
    if (c.st[0]->Execute({lo, lo + 99}) != 100) ++c.bad_results;
  } else if (w == "insert_autocommit") {
    int64_t id = c.next_insert;
    c.next_insert += o.clients;
    c.st[0]->Execute({id, std::string("payload of row ") + std::to_string(id)});
    ++c.acked;
  } else if (w == "tpcb") {
    int64_t aid = c.Uniform(1, o.rows), tid = c.Uniform(1, Tellers(o));
    int64_t bid = c.Uniform(1, Branches(o)), delta = c.Uniform(-5000, 5000);
    c.conn->Begin();
    try {
      c.st[0]->Execute({delta, aid});
      if (c.st[1]->Execute({aid}) != 1) ++c.bad_results;
      c.st[2]->Execute({delta, tid});
      c.st[3]->Execute({delta, bid});
      c.st[4]->Execute({tid, bid, aid, delta});
      c.conn->Commit();
    } catch (const DbError&) {
      c.conn->Rollback();
      throw;
    }
    ++c.acked;
  } else if (w == "connect") {
    auto conn = Connect(o.target);
    if (conn->Exec("SELECT 1") != 1) ++c.bad_results;
  }
}

int TimedRun(Options& o) {
  const auto& sql = WorkloadSql();
  if (!sql.count(o.workload)) {
    std::fprintf(stderr, "unknown workload %s\n", o.workload.c_str());
    return 2;
  }
  std::vector<Client> clients(o.clients);
  int64_t insert_base = 1;
  if (o.workload == "insert_autocommit")
    insert_base = Connect(o.target)->Exec("SELECT COALESCE(MAX(id), 0) FROM inserts") + 1;
  std::barrier sync(o.clients + 1);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> start_ns{0}, end_ns{0};
  std::mutex mu;
  std::vector<std::string> samples;
  std::atomic<int> setup_failures{0};
  auto record_error = [&](const std::string& e) {
    std::lock_guard<std::mutex> g(mu);
    if (samples.size() < 5 && std::find(samples.begin(), samples.end(), e) == samples.end())
      samples.push_back(e);
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) {
    threads.emplace_back([&, i] {
      Client& c = clients[i];
      c.index = i;
      c.rng.seed(o.seed * 1000003 + i);
      c.next_insert = insert_base + i;
      bool ready = true;
      try {
        if (o.workload != "connect") {
          c.conn = Connect(o.target);
          for (const std::string& s : sql.at(o.workload)) c.st.push_back(c.conn->Prepare(s));
        }
      } catch (const DbError& e) {
        record_error(std::string("setup: ") + e.what());
        setup_failures++;
        ready = false;
      }
      sync.arrive_and_wait();  // everyone connected
      sync.arrive_and_wait();  // start times set
      if (!ready) return;
      auto epoch = Clock::time_point(Clock::duration(0));
      auto ms = epoch + std::chrono::nanoseconds(start_ns.load());
      auto me = epoch + std::chrono::nanoseconds(end_ns.load());
      while (!stop.load(std::memory_order_relaxed)) {
        auto t0 = Clock::now();
        bool ok = true;
        try {
          RunOp(o, c);
        } catch (const DbError& e) {
          ok = false;
          record_error(e.what());
        }
        auto t1 = Clock::now();
        if (t1 >= me) break;
        if (t1 < ms) continue;
        if (ok) {
          ++c.ops;
          c.hist.Add(static_cast<uint64_t>((t1 - t0).count()));
        } else {
          ++c.errors;
        }
      }
      c.st.clear();
      c.conn.reset();
    });
  }
  sync.arrive_and_wait();
  auto begin = Clock::now();
  auto ms =
      begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
  auto me =
      ms + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
  start_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(ms.time_since_epoch()).count();
  end_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(me.time_since_epoch()).count();
  sync.arrive_and_wait();
  std::this_thread::sleep_until(ms);
  Marker("measure-start");
  std::this_thread::sleep_until(me);
  Marker("measure-end");
  stop = true;
  for (auto& t : threads) t.join();

  Histogram all;
  uint64_t ops = 0, errors = 0;
  int64_t acked = 0, bad = 0;
  for (const Client& c : clients) {
    all.Merge(c.hist);
    ops += c.ops;
    errors += c.errors;
    acked += c.acked;
    bad += c.bad_results;
  }
  std::string errs = "[";
  for (size_t i = 0; i < samples.size(); ++i) errs += (i ? ", " : "") + JsonString(samples[i]);
  errs += "]";
  Json()
      .Str("system", o.target.system)
      .Str("workload", o.workload)
      .Int("clients", o.clients)
      .Num("warmup_s", o.warmup)
      .Num("seconds", o.duration)
      .Int("ops", static_cast<int64_t>(ops))
      .Int("errors", static_cast<int64_t>(errors))
      .Int("setup_failures", setup_failures.load())
      .Num("ops_per_s", ops / o.duration)
      .Num("p50_us", all.PercentileUs(50))
      .Num("p99_us", all.PercentileUs(99))
      .Int("acked_total", acked)
      .Int("bad_results", bad)
      .Raw("error_samples", errs)
      .Print();
  return setup_failures.load() == 0 ? 0 : 1;
}

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "loadgen: %s\n"
               "usage: edgesql_loadgen --system edgesql|postgres|sqlite\n"
               "         (--setup | --check | --workload W --clients N --duration S --warmup S)\n"
               "         [--rows N] [--method bcp|values|copy|insert] [--batch N] [--seed N]\n"
               "         [--host H --port P --user U --password PW --database DB --driver SO]\n"
               "         [--pg CONNINFO] [--sqlite FILE]\n",
               why);
  std::exit(2);
}

Options Parse(int argc, char** argv) {
  Options o;
  o.mode = "run";
  using Set = std::function<void(const std::string&)>;
  auto text = [](std::string& field) -> Set {
    return [&field](const std::string& v) { field = v; };
  };
  auto integer = [](auto& field) -> Set {
    return [&field](const std::string& v) { field = std::stoll(v); };
  };
  auto real = [](double& field) -> Set {
    return [&field](const std::string& v) { field = std::stod(v); };
  };
  const std::map<std::string, Set> setters = {
      {"--system", text(o.target.system)},
      {"--workload", text(o.workload)},
      {"--clients", integer(o.clients)},
      {"--duration", real(o.duration)},
      {"--warmup", real(o.warmup)},
      {"--rows", integer(o.rows)},
      {"--method", text(o.method)},
      {"--batch", integer(o.batch)},
      {"--seed", integer(o.seed)},
      {"--host", text(o.target.host)},
      {"--port", integer(o.target.port)},
      {"--user", text(o.target.user)},
      {"--password", text(o.target.password)},
      {"--database", text(o.target.database)},
      {"--driver", text(o.target.odbc_driver)},
      {"--pg", text(o.target.pg_conninfo)},
      {"--sqlite", text(o.target.sqlite_file)},
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--setup" || a == "--check") {
      o.mode = a.substr(2);
      continue;
    }
    if (i + 1 >= argc) Usage(("missing value after " + a).c_str());
    auto setter = setters.find(a);
    if (setter == setters.end()) Usage(("unknown option " + a).c_str());
    setter->second(argv[++i]);
  }
  if (o.target.system.empty()) Usage("--system is required");
  if (o.mode == "run" && o.workload.empty()) Usage("--workload, --setup or --check is required");
  if (o.clients < 1 || o.duration <= 0 || o.warmup < 0 || o.rows < 100) Usage("bad numbers");
  return o;
}

}  // namespace
}  // namespace loadgen

int main(int argc, char** argv) {
  using namespace loadgen;
  Options o = Parse(argc, argv);
  if (o.target.system == "sqlite" && o.target.sqlite_file.empty()) Usage("--sqlite FILE needed");
  try {
    if (o.mode == "setup") return Setup(o);
    if (o.mode == "check") return Check(o);
    if (o.workload == "bulk_load") return BulkLoadRun(o);
    return TimedRun(o);
  } catch (const DbError& e) {
    std::fprintf(stderr, "loadgen: %s\n", e.what());
    return 1;
  }
}
