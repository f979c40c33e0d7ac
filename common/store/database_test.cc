// Tests for Database against real SQLite files: setup pragmas, migrations,
// transactions, group commit, concurrency, and durability across SIGKILL.
#include "common/store/database.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/status/macros.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::store {
namespace {

using ::testing::HasSubstr;
using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

constexpr Migration kMigrations[] = {
    {1, "create_business",
     "CREATE TABLE business (id INTEGER PRIMARY KEY, nib TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL);"
     "CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL);"
     "INSERT INTO counter (id, value) VALUES (1, 0);"},
    {2, "create_visit",
     "CREATE TABLE visit (id INTEGER PRIMARY KEY, business_id INTEGER NOT NULL"
     " REFERENCES business (id));"},
};

// Runs a query returning one integer.
absl::StatusOr<int64_t> QueryInt(Database& db, std::string_view sql) {
  int64_t value = 0;
  UMKM_RETURN_IF_ERROR(db.Read([&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
    UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return absl::NotFoundError("no row");
    value = stmt.ColumnInt64(0);
    return absl::OkStatus();
  }));
  return value;
}

absl::Status InsertBusiness(Connection& conn, int64_t id,
                            std::string_view nib) {
  return conn.Execute("INSERT INTO business (id, nib, name) VALUES (?, ?, ?)",
                      id, nib, "Toko");
}

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("test.db"));
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
    ASSERT_THAT(db_->Migrate(kMigrations), IsOk());
  }

  umkm::testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST(DatabaseOpenTest, MissingDirectoryIsFailedPrecondition) {
  umkm::testing::TempDir dir;
  auto db = Database::Open(dir.File("no/such/dir/x.db"));
  EXPECT_THAT(db, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(std::string(db.status().message()), HasSubstr("no/such/dir"));
}

TEST(DatabaseOpenTest, InMemoryIsRejected) {
  EXPECT_THAT(Database::Open(":memory:"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DatabaseOpenTest, SetsWalFullSyncAndForeignKeys) {
  umkm::testing::TempDir dir;
  auto db = Database::Open(dir.File("x.db"));
  ASSERT_THAT(db, IsOk());
  EXPECT_THAT(QueryInt(**db,
                       "SELECT journal_mode = 'wal' FROM "
                       "pragma_journal_mode"),
              IsOkAndHolds(1));
  int64_t synchronous = -1;
  int64_t foreign_keys = -1;
  ASSERT_THAT((*db)->Write([&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(Statement sync, conn.Prepare("PRAGMA synchronous"));
    UMKM_RETURN_IF_ERROR(sync.Step().status());
    synchronous = sync.ColumnInt64(0);
    UMKM_ASSIGN_OR_RETURN(Statement fk, conn.Prepare("PRAGMA foreign_keys"));
    UMKM_RETURN_IF_ERROR(fk.Step().status());
    foreign_keys = fk.ColumnInt64(0);
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(synchronous, 2);  // FULL
  EXPECT_EQ(foreign_keys, 1);
}

TEST_F(DatabaseTest, MigrationsAreAppliedInOrderOnce) {
  EXPECT_THAT(db_->SchemaVersion(), IsOkAndHolds(2));
  EXPECT_THAT(db_->Migrate(kMigrations), IsOk());
  EXPECT_THAT(QueryInt(*db_,
                       "SELECT group_concat(version) = '1,2' FROM "
                       "(SELECT version FROM schema_migrations "
                       "ORDER BY version)"),
              IsOkAndHolds(1));
  // Migration 1's seed row was inserted once, not once per Migrate call.
  EXPECT_THAT(QueryInt(*db_, "SELECT count(*) FROM counter"), IsOkAndHolds(1));
}

TEST_F(DatabaseTest, AddsOnlyPendingMigrations) {
  const Migration more[] = {
      kMigrations[0],
      kMigrations[1],
      {3, "add_phone", "ALTER TABLE business ADD COLUMN phone TEXT;"}};
  ASSERT_THAT(db_->Migrate(more), IsOk());
  EXPECT_THAT(db_->SchemaVersion(), IsOkAndHolds(3));
  EXPECT_THAT(db_->Write([](Connection& conn) {
    return conn.Execute(
        "INSERT INTO business (id, nib, name, phone) VALUES (1, 'n', 'x', ?)",
        "+62341");
  }),
              IsOk());
}

TEST_F(DatabaseTest, RefusesDatabaseNewerThanBinary) {
  EXPECT_THAT(db_->Migrate(absl::MakeConstSpan(kMigrations, 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(DatabaseTest, RefusesRenamedMigration) {
  const Migration renamed[] = {kMigrations[0],
                               {2, "something_else", kMigrations[1].sql}};
  EXPECT_THAT(db_->Migrate(renamed),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

struct BadListCase {
  std::string label;
  std::vector<Migration> migrations;
};

class BadMigrationListTest : public ::testing::TestWithParam<BadListCase> {};

TEST_P(BadMigrationListTest, IsInvalidArgument) {
  umkm::testing::TempDir dir;
  auto db = Database::Open(dir.File("x.db"));
  ASSERT_THAT(db, IsOk());
  EXPECT_THAT((*db)->Migrate(GetParam().migrations),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT((*db)->SchemaVersion(), IsOkAndHolds(0));
}

INSTANTIATE_TEST_SUITE_P(
    Lists, BadMigrationListTest,
    ::testing::Values(
        BadListCase{"OutOfOrder", {{2, "b", "SELECT 1"}, {1, "a", "SELECT 1"}}},
        BadListCase{"Duplicate", {{1, "a", "SELECT 1"}, {1, "b", "SELECT 1"}}},
        BadListCase{"ZeroVersion", {{0, "a", "SELECT 1"}}},
        BadListCase{"EmptyName", {{1, "", "SELECT 1"}}}),
    [](const auto& info) { return info.param.label; });

TEST_F(DatabaseTest, FailedMigrationLeavesNothing) {
  const Migration broken[] = {kMigrations[0],
                              kMigrations[1],
                              {3, "broken",
                               "CREATE TABLE extra (id INTEGER PRIMARY KEY);"
                               "INSERT INTO no_such_table VALUES (1);"}};
  EXPECT_THAT(db_->Migrate(broken), StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(db_->SchemaVersion(), IsOkAndHolds(2));
  EXPECT_THAT(QueryInt(*db_,
                       "SELECT count(*) FROM sqlite_master WHERE name = "
                       "'extra'"),
              IsOkAndHolds(0));
}

TEST_F(DatabaseTest, ErrorRollsBackEverything) {
  EXPECT_THAT(db_->Write([](Connection& conn) -> absl::Status {
    UMKM_RETURN_IF_ERROR(InsertBusiness(conn, 1, "nib-1"));
    UMKM_RETURN_IF_ERROR(
        conn.Execute("UPDATE counter SET value = 42 WHERE id = 1"));
    return absl::AbortedError("changed my mind");
  }),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(QueryInt(*db_, "SELECT count(*) FROM business"), IsOkAndHolds(0));
  EXPECT_THAT(QueryInt(*db_, "SELECT value FROM counter"), IsOkAndHolds(0));
}

TEST_F(DatabaseTest, UniqueViolationIsAlreadyExists) {
  ASSERT_THAT(db_->Write([](Connection& conn) {
    return InsertBusiness(conn, 1, "nib-1");
  }),
              IsOk());
  EXPECT_THAT(db_->Write([](Connection& conn) {
    return InsertBusiness(conn, 2, "nib-1");
  }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(db_->Write([](Connection& conn) {
    return InsertBusiness(conn, 1, "nib-2");
  }),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(DatabaseTest, ForeignKeyViolationIsFailedPrecondition) {
  EXPECT_THAT(db_->Write([](Connection& conn) {
    return conn.Execute("INSERT INTO visit (id, business_id) VALUES (1, 99)");
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(DatabaseTest, NotNullViolationIsInvalidArgument) {
  EXPECT_THAT(db_->Write([](Connection& conn) {
    return conn.Execute("INSERT INTO business (id, nib, name) VALUES (1, ?, ?)",
                        std::nullopt, "x");
  }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(DatabaseTest, ConcurrentWritersLoseNoUpdates) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        absl::Status status = db_->Write([&](Connection& conn) -> absl::Status {
          // Read-modify-write: a lost update would show in the final value.
          UMKM_ASSIGN_OR_RETURN(
              Statement read,
              conn.Prepare("SELECT value FROM counter WHERE id = 1"));
          UMKM_RETURN_IF_ERROR(read.Step().status());
          const int64_t value = read.ColumnInt64(0);
          UMKM_RETURN_IF_ERROR(conn.Execute(
              "UPDATE counter SET value = ? WHERE id = 1", value + 1));
          return InsertBusiness(conn, t * 1000 + i,
                                std::to_string(t * 1000 + i));
        });
        if (!status.ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_THAT(QueryInt(*db_, "SELECT value FROM counter"),
              IsOkAndHolds(kThreads * kWritesPerThread));
  EXPECT_THAT(QueryInt(*db_, "SELECT count(*) FROM business"),
              IsOkAndHolds(kThreads * kWritesPerThread));
  const Database::WriteStats stats = db_->write_stats();
  EXPECT_EQ(stats.queued, 0);
  EXPECT_LE(stats.transactions, stats.writes);
}

// Holds the writer with one slow write until `count` more are queued behind
// it, so that they all run as one batch when it is released.
class WriterBlocker {
 public:
  WriterBlocker(Database& db) : db_(db) {
    thread_ = std::thread([this] {
      status_ = db_.Write([this](Connection&) {
        running_.set_value();
        release_.get_future().wait();
        return absl::OkStatus();
      });
    });
    running_.get_future().wait();
  }
  // Returns once `count` writes wait behind the blocker, then lets it finish.
  void ReleaseWhenQueued(int64_t count) {
    // Polls a condition, not a clock: the writers are known to be on their way.
    while (db_.write_stats().queued < count + 1) std::this_thread::yield();
    release_.set_value();
    thread_.join();
  }
  const absl::Status& status() const { return status_; }

 private:
  Database& db_;
  // std::promise, not absl::Notification: TSan sees through the former only.
  std::promise<void> running_;
  std::promise<void> release_;
  absl::Status status_;
  std::thread thread_;
};

TEST_F(DatabaseTest, GroupCommitIsolatesFailingWrite) {
  const int64_t transactions_before = db_->write_stats().transactions;
  WriterBlocker blocker(*db_);
  constexpr int kWriters = 6;
  constexpr int kBad = 3;
  std::vector<absl::Status> results(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      results[w] = db_->Write([w](Connection& conn) -> absl::Status {
        UMKM_RETURN_IF_ERROR(
            InsertBusiness(conn, 100 + w, "nib-" + std::to_string(w)));
        if (w == kBad) {
          // Its first insert went in; repeating its own NIB fails the
          // function, whatever order the batch runs in.
          return InsertBusiness(conn, 200, "nib-" + std::to_string(w));
        }
        return absl::OkStatus();
      });
    });
  }
  blocker.ReleaseWhenQueued(kWriters);
  for (auto& thread : threads) thread.join();

  EXPECT_THAT(blocker.status(), IsOk());
  for (int w = 0; w < kWriters; ++w) {
    if (w == kBad) {
      EXPECT_THAT(results[w], StatusIs(absl::StatusCode::kAlreadyExists));
    } else {
      EXPECT_THAT(results[w], IsOk()) << "writer " << w;
    }
  }
  // The blocker's transaction plus one batch for all six.
  EXPECT_EQ(db_->write_stats().transactions - transactions_before, 2);
  EXPECT_THAT(QueryInt(*db_, "SELECT count(*) FROM business"),
              IsOkAndHolds(kWriters - 1));
  EXPECT_THAT(QueryInt(*db_, "SELECT count(*) FROM business WHERE id = 103"),
              IsOkAndHolds(0));
}

TEST_F(DatabaseTest, ReadsProceedWhileWriterIsBusy) {
  ASSERT_THAT(db_->Write([](Connection& conn) {
    return InsertBusiness(conn, 1, "nib-1");
  }),
              IsOk());
  WriterBlocker blocker(*db_);
  // The writer holds its transaction open; WAL readers are not blocked.
  EXPECT_THAT(QueryInt(*db_, "SELECT count(*) FROM business"), IsOkAndHolds(1));
  blocker.ReleaseWhenQueued(0);
  EXPECT_THAT(blocker.status(), IsOk());
}

TEST_F(DatabaseTest, ReadSeesOneSnapshot) {
  int64_t before = -1;
  int64_t after = -1;
  ASSERT_THAT(db_->Read([&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(Statement count,
                          conn.Prepare("SELECT count(*) FROM business"));
    UMKM_RETURN_IF_ERROR(count.Step().status());
    before = count.ColumnInt64(0);
    count.Reset();
    // A write commits from another thread while this read is open.
    absl::Status written;
    std::thread writer([&] {
      written = db_->Write(
          [](Connection& conn) { return InsertBusiness(conn, 1, "nib-1"); });
    });
    writer.join();
    EXPECT_THAT(written, IsOk());
    UMKM_RETURN_IF_ERROR(count.Step().status());
    after = count.ColumnInt64(0);
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(before, 0);
  EXPECT_EQ(after, 0);
  // A new read sees the committed row.
  EXPECT_THAT(QueryInt(*db_, "SELECT count(*) FROM business"), IsOkAndHolds(1));
}

TEST_F(DatabaseTest, PassedDeadlineRunsNothing) {
  bool ran = false;
  auto insert = [&](Connection& conn) {
    ran = true;
    return InsertBusiness(conn, 1, "nib-1");
  };
  EXPECT_THAT(db_->Write(insert, absl::Now() - absl::Seconds(1)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_THAT(db_->Write(insert, absl::InfinitePast()),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_THAT(db_->Read(
                  [&](Connection&) {
                    ran = true;
                    return absl::OkStatus();
                  },
                  absl::Now() - absl::Seconds(1)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_FALSE(ran);
  EXPECT_EQ(db_->write_stats().expired, 2);
  EXPECT_THAT(QueryInt(*db_, "SELECT count(*) FROM business"), IsOkAndHolds(0));
  // A deadline still ahead changes nothing.
  EXPECT_THAT(db_->Write(insert, absl::Now() + absl::Minutes(1)), IsOk());
  EXPECT_TRUE(ran);
  EXPECT_THAT(QueryInt(*db_, "SELECT count(*) FROM business"), IsOkAndHolds(1));
}

TEST_F(DatabaseTest, WriteWhoseDeadlinePassesInTheQueueNeverRuns) {
  WriterBlocker blocker(*db_);
  // Writes without a deadline queued ahead of the one that times out and
  // (unless it timed out already) behind it: leaving the middle of the queue
  // must not disturb them.
  absl::Status ahead;
  std::thread ahead_thread([&] {
    ahead = db_->Write(
        [](Connection& conn) { return InsertBusiness(conn, 1, "nib-1"); });
  });
  while (db_->write_stats().queued < 2) std::this_thread::yield();
  absl::Status behind;
  std::thread behind_thread;
  bool ran = false;
  // The writer stays blocked until this Write returns, so it can only end
  // by its deadline.
  std::thread late_thread([&] {
    absl::Status late = db_->Write(
        [&](Connection& conn) {
          ran = true;
          return InsertBusiness(conn, 2, "nib-2");
        },
        absl::Now() + absl::Milliseconds(200));
    EXPECT_THAT(late, StatusIs(absl::StatusCode::kDeadlineExceeded));
  });
  while (db_->write_stats().queued < 3 && db_->write_stats().expired == 0) {
    std::this_thread::yield();
  }
  behind_thread = std::thread([&] {
    behind = db_->Write(
        [](Connection& conn) { return InsertBusiness(conn, 3, "nib-3"); });
  });
  late_thread.join();
  blocker.ReleaseWhenQueued(2);
  ahead_thread.join();
  behind_thread.join();

  EXPECT_FALSE(ran);
  EXPECT_THAT(ahead, IsOk());
  EXPECT_THAT(behind, IsOk());
  const Database::WriteStats stats = db_->write_stats();
  EXPECT_EQ(stats.queued, 0);
  EXPECT_EQ(stats.expired, 1);
  EXPECT_THAT(QueryInt(*db_,
                       "SELECT group_concat(id) = '1,3' FROM "
                       "(SELECT id FROM business ORDER BY id)"),
              IsOkAndHolds(1));
}

TEST_F(DatabaseTest, ReaderWaitEndsAtDeadline) {
  Options options;
  options.reader_connections = 1;
  auto db = Database::Open(dir_.File("one_reader.db"), options);
  ASSERT_THAT(db, IsOk());
  std::promise<void> reading;
  std::promise<void> done;
  absl::Status held;
  std::thread holder([&] {
    held = (*db)->Read([&](Connection&) {
      reading.set_value();
      done.get_future().wait();
      return absl::OkStatus();
    });
  });
  reading.get_future().wait();
  bool ran = false;
  EXPECT_THAT((*db)->Read(
                  [&](Connection&) {
                    ran = true;
                    return absl::OkStatus();
                  },
                  absl::Now() + absl::Milliseconds(100)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_FALSE(ran);
  done.set_value();
  holder.join();
  EXPECT_THAT(held, IsOk());
  EXPECT_THAT(QueryInt(**db, "SELECT 7"), IsOkAndHolds(7));
}

// The write lock of the database file, held by a connection of its own as
// another process would: our writer's BEGIN IMMEDIATE waits for it.
class ForeignWriteLock {
 public:
  explicit ForeignWriteLock(const std::string& path) {
    EXPECT_EQ(
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr),
        SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db_);
  }
  ~ForeignWriteLock() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
  ForeignWriteLock(const ForeignWriteLock&) = delete;
  ForeignWriteLock& operator=(const ForeignWriteLock&) = delete;

 private:
  sqlite3* db_ = nullptr;
};

absl::StatusOr<std::unique_ptr<Database>> OpenMigrated(
    const std::string& path, absl::Duration busy_timeout) {
  Options options;
  options.busy_timeout = busy_timeout;
  UMKM_ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                        Database::Open(path, options));
  UMKM_RETURN_IF_ERROR(db->Migrate(kMigrations));
  return db;
}

TEST(DatabaseLockTest, LockWaitEndsAtDeadlineBeforeBusyTimeout) {
  umkm::testing::TempDir dir;
  // Were the wait not cut by the deadline, this test would run into
  // ctest's timeout long before the minute is up.
  auto db = OpenMigrated(dir.File("locked.db"), absl::Seconds(60));
  ASSERT_THAT(db, IsOk());
  bool ran = false;
  {
    ForeignWriteLock lock(dir.File("locked.db"));
    absl::Status status = (*db)->Write(
        [&](Connection& conn) {
          ran = true;
          return InsertBusiness(conn, 1, "nib-1");
        },
        absl::Now() + absl::Milliseconds(200));
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kDeadlineExceeded));
    EXPECT_THAT(std::string(status.message()), HasSubstr("lock"));
    // WAL readers are not blocked by the foreign writer.
    EXPECT_THAT(QueryInt(**db, "SELECT count(*) FROM business"),
                IsOkAndHolds(0));
  }
  EXPECT_FALSE(ran);
  EXPECT_EQ((*db)->write_stats().expired, 1);
  // Lock gone: the same write goes through.
  EXPECT_THAT(
      (*db)->Write(
          [](Connection& conn) { return InsertBusiness(conn, 1, "nib-1"); },
          absl::Now() + absl::Minutes(1)),
      IsOk());
  EXPECT_THAT(QueryInt(**db, "SELECT count(*) FROM business"), IsOkAndHolds(1));
}

TEST(DatabaseLockTest, BusyTimeoutIsStillUnavailable) {
  umkm::testing::TempDir dir;
  auto db = OpenMigrated(dir.File("locked.db"), absl::Milliseconds(50));
  ASSERT_THAT(db, IsOk());
  ForeignWriteLock lock(dir.File("locked.db"));
  auto insert = [](Connection& conn) {
    return InsertBusiness(conn, 1, "nib-1");
  };
  EXPECT_THAT((*db)->Write(insert), StatusIs(absl::StatusCode::kUnavailable));
  // A deadline further away than busy_timeout leaves it in charge.
  EXPECT_THAT((*db)->Write(insert, absl::Now() + absl::Minutes(1)),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ((*db)->write_stats().expired, 0);
}

// Child process body for the crash test: writes rows from several threads
// and reports each id on `ack_fd` only after Write returned OK. Never returns.
[[noreturn]] void WriteAndAcknowledgeForever(const std::string& path,
                                             int ack_fd) {
  auto db = Database::Open(path);
  if (!db.ok() || !(*db)->Migrate(kMigrations).ok()) _exit(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t i = 0;; ++i) {
        const int64_t id = t * 1'000'000 + i;
        absl::Status status = (*db)->Write([&](Connection& conn) {
          return InsertBusiness(conn, id, std::to_string(id));
        });
        if (!status.ok()) _exit(3);
        // 8-byte writes to a pipe are atomic, so threads do not interleave.
        if (write(ack_fd, &id, sizeof(id)) != sizeof(id)) _exit(4);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  _exit(5);
}

TEST(DatabaseCrashTest, AcknowledgedWritesSurviveSigkill) {
  umkm::testing::TempDir dir;
  const std::string path = dir.File("crash.db");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    WriteAndAcknowledgeForever(path, fds[1]);
  }
  close(fds[1]);

  // Kill the child in the middle of writing, after enough acknowledgements.
  constexpr size_t kKillAfter = 300;
  std::set<int64_t> acknowledged;
  int64_t id = 0;
  while (acknowledged.size() < kKillAfter &&
         read(fds[0], &id, sizeof(id)) == sizeof(id)) {
    acknowledged.insert(id);
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wait_status))
      << "child exited early with " << WEXITSTATUS(wait_status);
  // Acknowledgements already in the pipe count too.
  while (read(fds[0], &id, sizeof(id)) == sizeof(id)) acknowledged.insert(id);
  close(fds[0]);
  ASSERT_GE(acknowledged.size(), kKillAfter);

  auto db = Database::Open(path);
  ASSERT_THAT(db, IsOk());
  std::set<int64_t> stored;
  ASSERT_THAT((*db)->Read([&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(Statement rows,
                          conn.Prepare("SELECT id FROM business"));
    while (true) {
      UMKM_ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) return absl::OkStatus();
      stored.insert(rows.ColumnInt64(0));
    }
  }),
              IsOk());
  for (int64_t acked : acknowledged) {
    EXPECT_TRUE(stored.contains(acked))
        << "acknowledged row " << acked << " lost";
  }
}

}  // namespace
}  // namespace umkm::store
