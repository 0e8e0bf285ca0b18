// Tests for the power-loss VFS (powerloss_vfs.cc). Each case runs SQLite in a forked child that
// ends itself with SIGKILL; the parent then opens what is left on disk with the plain "unix" VFS.
// The control case shows that a SIGKILL alone loses nothing, so what the VFS cases lose is its
// doing.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

extern "C" int edgesql_powerloss_vfs_register();

namespace {

using namespace std::string_literals;

// A failed check in the child cannot report through gtest: it prints and exits, and the parent
// sees an exit instead of the SIGKILL it expects.
#define CHILD_CHECK(cond)                                                                   \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      std::fprintf(stderr, "child check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::_Exit(2);                                                                        \
    }                                                                                       \
  } while (0)

constexpr int kSyncedRows = 40;
constexpr int kUnsyncedRows = 40;

// Runs `body` in a child process, which then dies of SIGKILL, as a power cut would end it.
::testing::AssertionResult RunAndKill(const std::function<void()>& body) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return ::testing::AssertionFailure() << "fork: " << std::strerror(errno);
  if (pid == 0) {
    body();
    ::raise(SIGKILL);
    std::_Exit(3);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return ::testing::AssertionFailure() << "waitpid";
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the child did not die of SIGKILL; wait status " << status
                                       << " (exit code 2: a check failed, see stderr)";
}

// First column of the first row, or the error.
std::string Query(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return "error: "s + sqlite3_errmsg(db);
  }
  std::string out;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text ? reinterpret_cast<const char*>(text) : "NULL";
  } else if (rc != SQLITE_DONE) {
    out = "error: "s + sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  return out;
}

void ChildExec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "child: %s: %s\n", sql.c_str(), err ? err : "?");
    std::_Exit(2);
  }
}

sqlite3* ChildOpen(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  CHILD_CHECK(rc == SQLITE_OK);
  return db;
}

// One row per transaction, each about a page, so every commit appends WAL frames.
void ChildInsertRows(sqlite3* db, int first, int last) {
  for (int id = first; id <= last; ++id) {
    ChildExec(db, "INSERT INTO t(id, pad) VALUES (" + std::to_string(id) + ", randomblob(600))");
  }
}

void ChildUsePowerlossVfs() {
  CHILD_CHECK(edgesql_powerloss_vfs_register() == SQLITE_OK);
  CHILD_CHECK(std::strcmp(sqlite3_vfs_find(nullptr)->zName, "powerloss") == 0);
}

std::string DiskContent(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class PowerlossVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/edgesql-powerloss-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    db_path_ = root_ + "/t.sqlite";
  }
  void TearDown() override {
    if (survivor_ != nullptr) sqlite3_close(survivor_);
    std::filesystem::remove_all(root_);
  }

  // Opens what the child left with the plain unix VFS (running WAL recovery if needed).
  sqlite3* OpenSurvivor() {
    EXPECT_EQ(sqlite3_open_v2(db_path_.c_str(), &survivor_, SQLITE_OPEN_READWRITE, "unix"),
              SQLITE_OK);
    return survivor_;
  }

  std::string root_;
  std::string db_path_;
  sqlite3* survivor_ = nullptr;
};

// The file as the process sees it (every handle) versus the file on disk, byte by byte.
TEST_F(PowerlossVfsTest, PendingBytesAreVisibleUntilSyncWritesThem) {
  std::string log_path = root_ + "/sync.log";
  std::string path = root_ + "/raw";
  auto child = [&] {
    ::setenv("EDGESQL_POWERLOSS_VFS_LOG", log_path.c_str(), 1);
    ChildUsePowerlossVfs();
    sqlite3_vfs* vfs = sqlite3_vfs_find("powerloss");
    CHILD_CHECK(vfs != nullptr);
    std::string name = path + "\0\0"s;  // SQLite passes names with a URI-parameter terminator
    auto open_file = [&](std::vector<std::max_align_t>& mem) {
      mem.resize(static_cast<size_t>(vfs->szOsFile) / sizeof(std::max_align_t) + 1);
      auto* f = reinterpret_cast<sqlite3_file*>(mem.data());
      int flags = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      CHILD_CHECK(vfs->xOpen(vfs, name.c_str(), f, flags, nullptr) == SQLITE_OK);
      return f;
    };
    std::vector<std::max_align_t> mem, mem2;
    sqlite3_file* f = open_file(mem);
    auto write = [&](sqlite3_int64 off, const std::string& s) {
      CHILD_CHECK(f->pMethods->xWrite(f, s.data(), static_cast<int>(s.size()), off) == SQLITE_OK);
    };
    auto read = [&](sqlite3_file* file, int n, int want_rc) {
      std::string buf(static_cast<size_t>(n), '?');
      CHILD_CHECK(file->pMethods->xRead(file, buf.data(), n, 0) == want_rc);
      return buf;
    };
    auto size = [&] {
      sqlite3_int64 n = -1;
      CHILD_CHECK(f->pMethods->xFileSize(f, &n) == SQLITE_OK);
      return n;
    };

    write(0, "hello");
    CHILD_CHECK(size() == 5 && DiskContent(path).empty());
    CHILD_CHECK(f->pMethods->xSync(f, SQLITE_SYNC_FULL) == SQLITE_OK);
    CHILD_CHECK(DiskContent(path) == "hello");

    write(1, "XY");
    write(10, "zz");
    write(8, "abc");  // overlaps the start of the range at 10, whose tail survives
    write(0, "H");    // adjacent to the range at 1
    CHILD_CHECK(size() == 12);
    CHILD_CHECK(read(f, 12, SQLITE_OK) == "HXYlo\0\0\0abcz"s);
    CHILD_CHECK(f->pMethods->xTruncate(f, 3) == SQLITE_OK);
    CHILD_CHECK(size() == 3);
    CHILD_CHECK(read(f, 5, SQLITE_IOERR_SHORT_READ) == "HXY\0\0"s);
    write(6, "Q");
    CHILD_CHECK(f->pMethods->xTruncate(f, 10) == SQLITE_OK);  // growing must not bring back "lo"
    CHILD_CHECK(read(f, 10, SQLITE_OK) == "HXY\0\0\0Q\0\0\0"s);
    CHILD_CHECK(DiskContent(path) == "hello");
    CHILD_CHECK(f->pMethods->xSync(f, SQLITE_SYNC_FULL) == SQLITE_OK);
    CHILD_CHECK(DiskContent(path) == "HXY\0\0\0Q\0\0\0"s);

    write(0, "lost");
    sqlite3_file* other = open_file(mem2);  // another handle sees the page cache, not the disk
    CHILD_CHECK(read(other, 7, SQLITE_OK) == "lost\0\0Q"s);
    CHILD_CHECK(DiskContent(path) == "HXY\0\0\0Q\0\0\0"s);
  };
  ASSERT_TRUE(RunAndKill(child));
  EXPECT_EQ(DiskContent(path), "HXY\0\0\0Q\0\0\0"s);
  EXPECT_EQ(DiskContent(log_path), "sync " + path + " 5\nsync " + path + " 4\n");
}

// Without the VFS a SIGKILL loses nothing, even with synchronous=OFF: the kernel keeps the
// process's writes. This is what makes the VFS cases below meaningful.
TEST_F(PowerlossVfsTest, WithoutTheVfsUnsyncedCommitsSurviveSigkill) {
  auto child = [&] {
    sqlite3* db = ChildOpen(db_path_);
    ChildExec(db,
              "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
              "CREATE TABLE t(id INTEGER PRIMARY KEY, pad BLOB)");
    ChildInsertRows(db, 1, kSyncedRows + kUnsyncedRows);
  };
  ASSERT_TRUE(RunAndKill(child));
  sqlite3* db = OpenSurvivor();
  EXPECT_EQ(Query(db, "SELECT count(*) FROM t"), std::to_string(kSyncedRows + kUnsyncedRows));
  EXPECT_EQ(Query(db, "PRAGMA integrity_check"), "ok");
}

// Connections on several threads share one view of each file: readers see the frames the writer
// appended but did not sync (synchronous=NORMAL) and never a torn or stale page, while checkpoints
// sync and the WAL restarts under them. After the kill some prefix of the rows is left.
TEST_F(PowerlossVfsTest, ConnectionsOnThreadsShareThePendingView) {
  constexpr int kRows = 300;
  auto child = [&] {
    ChildUsePowerlossVfs();
    sqlite3* db = ChildOpen(db_path_);
    ChildExec(db,
              "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
              "PRAGMA wal_autocheckpoint=20; CREATE TABLE t(id INTEGER PRIMARY KEY, pad BLOB)");
    std::atomic<bool> done{false};
    auto reader = [&] {
      sqlite3* r = ChildOpen(db_path_);
      ChildExec(r, "PRAGMA busy_timeout=5000");
      // -1 when the rows seen are not exactly 1..count.
      const char* sql =
          "SELECT CASE WHEN count(*) = coalesce(max(id), 0) THEN count(*) ELSE -1 END"
          " FROM t";
      long seen = 0;
      for (bool last = false; !last;) {
        last = done.load();
        std::string got = Query(r, sql);
        char* end = nullptr;
        long n = std::strtol(got.c_str(), &end, 10);
        if (*end != '\0' || n < seen) std::fprintf(stderr, "reader saw %s\n", got.c_str());
        CHILD_CHECK(*end == '\0' && n >= seen);
        seen = n;
      }
      CHILD_CHECK(seen == kRows);
    };
    std::thread r1(reader), r2(reader);
    ChildInsertRows(db, 1, kRows);
    done = true;
    r1.join();
    r2.join();
  };
  ASSERT_TRUE(RunAndKill(child));
  sqlite3* db = OpenSurvivor();
  std::string count = Query(db, "SELECT count(*) FROM t");
  EXPECT_EQ(Query(db, "SELECT coalesce(max(id), 0) FROM t"), count);
  EXPECT_LE(std::stoi(count), kRows);
  EXPECT_EQ(Query(db, "PRAGMA integrity_check"), "ok");
}

class PowerlossVfsJournalTest : public PowerlossVfsTest,
                                public ::testing::WithParamInterface<const char*> {};

// Commits made with synchronous=FULL are on disk; those made after synchronous=OFF were seen by
// the process (from a second connection too) but are gone after the kill, leaving a sound database.
TEST_P(PowerlossVfsJournalTest, UnsyncedCommitsAreLostOnSigkill) {
  auto child = [&] {
    ChildUsePowerlossVfs();
    sqlite3* db = ChildOpen(db_path_);
    ChildExec(db, "PRAGMA journal_mode="s + GetParam() +
                      "; PRAGMA synchronous=FULL;"
                      "CREATE TABLE t(id INTEGER PRIMARY KEY, pad BLOB)");
    ChildInsertRows(db, 1, kSyncedRows);
    ChildExec(db, "PRAGMA synchronous=OFF");
    ChildInsertRows(db, kSyncedRows + 1, kSyncedRows + kUnsyncedRows);
    sqlite3* reader = ChildOpen(db_path_);
    CHILD_CHECK(Query(reader, "SELECT count(*) FROM t") ==
                std::to_string(kSyncedRows + kUnsyncedRows));
  };
  ASSERT_TRUE(RunAndKill(child));
  sqlite3* db = OpenSurvivor();
  EXPECT_EQ(Query(db, "SELECT count(*) FROM t"), std::to_string(kSyncedRows));
  EXPECT_EQ(Query(db, "SELECT max(id) FROM t"), std::to_string(kSyncedRows));
  EXPECT_EQ(Query(db, "PRAGMA integrity_check"), "ok");
}

// With synchronous=FULL every commit survives, across a checkpoint that truncates the WAL.
TEST_P(PowerlossVfsJournalTest, SyncedCommitsSurviveSigkill) {
  auto child = [&] {
    ChildUsePowerlossVfs();
    sqlite3* db = ChildOpen(db_path_);
    ChildExec(db, "PRAGMA journal_mode="s + GetParam() +
                      "; PRAGMA synchronous=FULL;"
                      "CREATE TABLE t(id INTEGER PRIMARY KEY, pad BLOB)");
    ChildInsertRows(db, 1, kSyncedRows);
    CHILD_CHECK(Query(db, "PRAGMA wal_checkpoint(TRUNCATE)") == "0");
    ChildInsertRows(db, kSyncedRows + 1, kSyncedRows + kUnsyncedRows);
  };
  ASSERT_TRUE(RunAndKill(child));
  sqlite3* db = OpenSurvivor();
  EXPECT_EQ(Query(db, "SELECT count(*) FROM t"), std::to_string(kSyncedRows + kUnsyncedRows));
  EXPECT_EQ(Query(db, "PRAGMA integrity_check"), "ok");
}

INSTANTIATE_TEST_SUITE_P(JournalModes, PowerlossVfsJournalTest, ::testing::Values("WAL", "DELETE"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
