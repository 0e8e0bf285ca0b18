#include "engine/writer_lane.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "common/errors.h"

namespace edgesql::engine {
namespace {

using storage::SqliteConnection;

class WriterLaneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/edgesql-lane-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    auto w = SqliteConnection::Open(path(), SqliteConnection::Role::kWriter, true, nullptr);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)").ok());
    lane_ = std::make_unique<WriterLane>(std::move(w).value());
  }
  void TearDown() override {
    lane_.reset();
    std::filesystem::remove_all(root_);
  }
  std::string path() const { return root_ + "/t.sqlite"; }
  std::unique_ptr<SqliteConnection> Reader() {
    auto r = SqliteConnection::Open(path(), SqliteConnection::Role::kReader, false, nullptr);
    EXPECT_TRUE(r.ok());
    return std::move(r).value();
  }
  static Status Insert(SqliteConnection& c, int64_t id) {
    auto st = c.Prepare("INSERT INTO t VALUES (?1, 0)");
    if (!st.ok()) return st.status();
    EDGESQL_RETURN_IF_ERROR((*st)->BindInt(1, id));
    auto r = (*st)->Step();
    return r.ok() ? Status::Ok() : r.status();
  }

  std::string root_;
  std::unique_ptr<WriterLane> lane_;
};

TEST_F(WriterLaneTest, AutocommitIsDurableAndVisibleOnReturn) {
  ASSERT_TRUE(lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 1); }, {}).ok());
  auto r = Reader();
  EXPECT_EQ(*r->QueryInt("SELECT count(*) FROM t"), 1);
  EXPECT_FALSE(lane_->connection().InTransaction());
}

TEST_F(WriterLaneTest, CheckpointCopiesTheLogIntoTheFileInTheLanesTurn) {
  for (int i = 1; i <= 50; ++i) {
    ASSERT_TRUE(lane_->RunAutocommit([&](SqliteConnection& c) { return Insert(c, i); }, {}).ok());
  }
  std::string wal = path() + "-wal";
  EXPECT_GT(std::filesystem::file_size(wal), 0u);
  // A reader holding a snapshot keeps a PASSIVE checkpoint from completing.
  auto r = Reader();
  ASSERT_TRUE(r->Exec("BEGIN").ok());
  ASSERT_EQ(*r->QueryInt("SELECT count(*) FROM t"), 50);
  ASSERT_TRUE(lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 51); }, {}).ok());
  auto partial = lane_->Checkpoint("PASSIVE", {});
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(*partial);
  ASSERT_TRUE(r->Exec("COMMIT").ok());
  auto full = lane_->Checkpoint("TRUNCATE", {});
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_TRUE(*full);
  EXPECT_EQ(std::filesystem::file_size(wal), 0u);
  // The lane is usable afterwards, and nothing was lost.
  ASSERT_TRUE(lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 52); }, {}).ok());
  EXPECT_EQ(*Reader()->QueryInt("SELECT count(*) FROM t"), 52);
}

TEST_F(WriterLaneTest, ConcurrentWritersAreGroupCommittedAndNoneIsLost) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int64_t id = t * 1000 + i;
        Status st = lane_->RunAutocommit([&](SqliteConnection& c) { return Insert(c, id); }, {});
        if (!st.ok()) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*Reader()->QueryInt("SELECT count(*) FROM t"), kThreads * kPerThread);
  LaneStats s = lane_->stats();
  EXPECT_EQ(s.grouped_statements, static_cast<uint64_t>(kThreads * kPerThread));
  EXPECT_LE(s.commits, s.grouped_statements);
}

TEST_F(WriterLaneTest, FailedMemberIsRolledBackAlone) {
  ASSERT_TRUE(lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 7); }, {}).ok());
  Status dup = lane_->RunAutocommit(
      [](SqliteConnection& c) -> Status {
        EDGESQL_RETURN_IF_ERROR(Insert(c, 8));  // would succeed...
        return Insert(c, 7);                    // ...but the statement fails as a whole
      },
      {});
  EXPECT_FALSE(dup.ok());
  ASSERT_TRUE(lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 9); }, {}).ok());
  auto r = Reader();
  auto st = r->Prepare("SELECT group_concat(id, ',') FROM (SELECT id FROM t ORDER BY id)");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*(*st)->Step());
  EXPECT_EQ((*st)->ColumnText(0), "7,9");
}

TEST_F(WriterLaneTest, ExplicitTransactionIsInvisibleUntilCommit) {
  int owner = 0;
  ASSERT_TRUE(lane_->Acquire(&owner, {}).ok());
  ASSERT_TRUE(Insert(lane_->connection(), 1).ok());
  auto r = Reader();
  EXPECT_EQ(*r->QueryInt("SELECT count(*) FROM t"), 0);  // readers see the last commit
  ASSERT_TRUE(lane_->Commit(&owner).ok());
  EXPECT_EQ(*r->QueryInt("SELECT count(*) FROM t"), 1);
}

TEST_F(WriterLaneTest, RollbackDiscardsAndReleases) {
  int owner = 0;
  ASSERT_TRUE(lane_->Acquire(&owner, {}).ok());
  ASSERT_TRUE(Insert(lane_->connection(), 1).ok());
  lane_->Rollback(&owner);
  EXPECT_FALSE(lane_->IsOwnedBy(&owner));
  ASSERT_TRUE(lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 2); }, {}).ok());
  EXPECT_EQ(*Reader()->QueryInt("SELECT sum(id) FROM t"), 2);
}

TEST_F(WriterLaneTest, WaiterTimesOutWithLockTimeoutError) {
  int owner = 0;
  ASSERT_TRUE(lane_->Acquire(&owner, {}).ok());
  LaneWait wait;
  wait.lock_timeout_ms = 50;
  auto start = std::chrono::steady_clock::now();
  Status st = lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 1); }, wait);
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().number, errors::kLockTimeout);
  EXPECT_GE(waited, std::chrono::milliseconds(50));
  int other = 0;
  wait.lock_timeout_ms = 0;
  Status immediate = lane_->Acquire(&other, wait);
  ASSERT_FALSE(immediate.ok());
  EXPECT_EQ(immediate.error().number, errors::kLockTimeout);
  lane_->Rollback(&owner);
}

TEST_F(WriterLaneTest, WaiterIsCancelledByAttention) {
  int owner = 0;
  ASSERT_TRUE(lane_->Acquire(&owner, {}).ok());
  std::atomic<int> polls{0};
  LaneWait wait;
  wait.cancelled = [&] { return ++polls >= 3; };
  Status st = lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 1); }, wait);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().number, errors::kQueryCancelled);
  lane_->Rollback(&owner);
}

TEST_F(WriterLaneTest, WriterWaitsForTransactionThenProceeds) {
  int owner = 0;
  ASSERT_TRUE(lane_->Acquire(&owner, {}).ok());
  ASSERT_TRUE(Insert(lane_->connection(), 1).ok());
  std::atomic<bool> done{false};
  std::thread writer([&] {
    Status st = lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 2); }, {});
    EXPECT_TRUE(st.ok());
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(done.load());
  ASSERT_TRUE(lane_->Commit(&owner).ok());
  writer.join();
  EXPECT_EQ(*Reader()->QueryInt("SELECT count(*) FROM t"), 2);
}

TEST_F(WriterLaneTest, AbandoningJoinerDoesNotStrandTheGroup) {
  // Many short writers with tiny timeouts racing an exclusive owner: whatever the interleaving,
  // every writer returns (none waits forever for a commit) and every success is durable.
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        LaneWait wait;
        wait.lock_timeout_ms = i % 3;
        Status st = lane_->RunAutocommit(
            [&](SqliteConnection& c) { return Insert(c, t * 1000 + i); }, wait);
        if (st.ok()) ok++;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 20; ++i) {
      int owner = 0;
      if (lane_->Acquire(&owner, {}).ok()) lane_->Rollback(&owner);
    }
  });
  for (auto& th : threads) th.join();
  EXPECT_EQ(*Reader()->QueryInt("SELECT count(*) FROM t"), ok.load());
}

TEST_F(WriterLaneTest, JoiningTransactionsShareGroupsAndStayInvisibleUntilDurable) {
  // 8 threads each run 30 explicit transactions of two inserts, one in three rolled back. Every
  // committed transaction is there in full, no rolled-back row is, and the commits were shared.
  constexpr int kThreads = 8;
  constexpr int kPerThread = 30;
  std::atomic<int> failures{0};
  std::atomic<int> committed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int owner = 0;
        if (!lane_->Acquire(&owner, {}, /*join_group=*/true).ok()) {
          failures++;
          continue;
        }
        int64_t id = (t * 1000 + i) * 2;
        bool inserted =
            Insert(lane_->connection(), id).ok() && Insert(lane_->connection(), id + 1).ok();
        if (!inserted) failures++;
        if (i % 3 == 2) {
          lane_->Rollback(&owner);
        } else if (lane_->Commit(&owner).ok()) {
          committed++;
        } else {
          failures++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto r = Reader();
  EXPECT_EQ(*r->QueryInt("SELECT count(*) FROM t"), 2 * committed.load());
  // Rows of rolled-back transactions have i % 3 == 2, i.e. (id / 2) % 1000 % 3 == 2.
  EXPECT_EQ(*r->QueryInt("SELECT count(*) FROM t WHERE (id / 2) % 1000 % 3 = 2"), 0);
  EXPECT_EQ(*r->QueryInt("SELECT count(*) FROM t WHERE id % 2 = 0"), committed.load());
  LaneStats s = lane_->stats();
  EXPECT_EQ(s.grouped_statements, static_cast<uint64_t>(committed.load()));
  EXPECT_LE(s.commits, s.grouped_statements);
  EXPECT_FALSE(lane_->connection().InTransaction());
}

TEST_F(WriterLaneTest, JoiningTransactionIsInvisibleUntilItsGroupCommits) {
  // A holds the lane on its own; B (a joining transaction) and C (an autocommit write) queue
  // behind it. When A commits, B opens a group that C, queued before it opened, joins: one
  // COMMIT serves B and C, and neither is visible to readers before it.
  int a = 0;
  ASSERT_TRUE(lane_->Acquire(&a, {}).ok());
  ASSERT_TRUE(Insert(lane_->connection(), 1).ok());
  auto r = Reader();
  std::atomic<int> b_state{0};  // 1: B has inserted, 2: B's commit returned
  std::thread b([&] {
    int owner = 0;
    ASSERT_TRUE(lane_->Acquire(&owner, {}, /*join_group=*/true).ok());
    ASSERT_TRUE(Insert(lane_->connection(), 2).ok());
    b_state = 1;
    // C is waiting to join: B's row is not committed yet, so readers do not see it.
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    EXPECT_EQ(*Reader()->QueryInt("SELECT count(*) FROM t WHERE id = 2"), 0);
    EXPECT_TRUE(lane_->Commit(&owner).ok());
    b_state = 2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::thread c([&] {
    EXPECT_TRUE(lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 3); }, {}).ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(lane_->Commit(&a).ok());
  b.join();
  c.join();
  EXPECT_EQ(b_state.load(), 2);
  EXPECT_EQ(*r->QueryInt("SELECT count(*) FROM t"), 3);
  LaneStats s = lane_->stats();
  EXPECT_EQ(s.commits, 2u);  // A's own, then one for B and C
  EXPECT_EQ(s.grouped_statements, 2u);
}
TEST_F(WriterLaneTest, WaitingStatementsAreCombinedIntoOneGroup) {
  // Six autocommit writers queue behind an explicit transaction; one of them fails (duplicate
  // key). When the lane frees, the first runs its statement and then the others' on its own
  // thread: each caller still gets its own result, and one COMMIT serves the group.
  ASSERT_TRUE(lane_->RunAutocommit([](SqliteConnection& c) { return Insert(c, 100); }, {}).ok());
  int owner = 0;
  ASSERT_TRUE(lane_->Acquire(&owner, {}).ok());
  constexpr int kWriters = 6;
  std::atomic<int> ran_elsewhere{0};
  std::vector<Status> results(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      auto caller = std::this_thread::get_id();
      int64_t id = i == 3 ? 100 : i;  // writer 3 collides with the row inserted above
      results[i] = lane_->RunAutocommit(
          [&, id](SqliteConnection& c) {
            if (std::this_thread::get_id() != caller) ran_elsewhere++;
            return Insert(c, id);
          },
          {});
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // queued in order
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(lane_->Commit(&owner).ok());
  for (auto& th : threads) th.join();
  for (int i = 0; i < kWriters; ++i) EXPECT_EQ(results[i].ok(), i != 3) << "writer " << i;
  EXPECT_EQ(ran_elsewhere.load(), kWriters - 1);
  EXPECT_EQ(*Reader()->QueryInt("SELECT count(*) FROM t"), kWriters);  // 100 and 0..5 but 3
  LaneStats s = lane_->stats();
  EXPECT_EQ(s.commits, 3u);  // the first insert, the transaction, one group for the writers
  EXPECT_EQ(s.grouped_statements, static_cast<uint64_t>(1 + kWriters - 1));
}

}  // namespace
}  // namespace edgesql::engine
