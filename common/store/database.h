// The embedded SQLite store every service keeps its own tables in.
//
// One Database is one SQLite file in WAL mode with foreign keys on: a single
// writer connection plus a small pool of read-only reader connections (WAL
// lets readers run in parallel with the writer, each on a consistent
// snapshot). All access goes through two entry points:
//
//   Write(fn)  runs fn(Connection&) inside a transaction on the writer. If fn
//              returns an error, everything it did is rolled back.
//   Read(fn)   runs fn(Connection&) on a reader inside a read transaction, so
//              every query in fn sees the same committed snapshot.
//
// Durability: Write returns OK only after the COMMIT that contains fn's work
// has returned. With Synchronous::kFull (the default) that commit fsynced the
// WAL, so an acknowledged write survives kill -9 and power loss; with kNormal
// it survives kill -9 of the process but may be lost on power loss.
//
// Group commit: concurrent Write calls queue up; the caller at the head of
// the queue (the leader, as in LevelDB's write path) runs a batch of queued
// functions in one transaction, each inside its own SAVEPOINT, then commits
// once and wakes the others. A failing function rolls back only its own
// savepoint; the others in the batch still commit. One fsync is shared by the
// whole batch, which is what lets many concurrent writers beat one fsync per
// request.
//
// Deadlines: Write and Read take the caller's deadline (real time, as in
// RequestContext; absl::InfiniteFuture() for none). A function starts only
// before its deadline: a call whose deadline passed, whether on arrival,
// while waiting for the writer or a reader, or while queued in a batch, is
// DEADLINE_EXCEEDED without running `fn`, so nothing of it is written. A
// function that started runs to the end and commits however long it takes;
// the deadline bounds the waits, not the work. Waits for a lock held by
// another process end at the earlier of busy_timeout (UNAVAILABLE) and the
// deadline (DEADLINE_EXCEEDED). A batch waits for the lock until the latest
// deadline among its members, so nobody is cut short by another's deadline;
// a member whose own deadline passes during that wait is refused, and its
// Write returns when the batch ends.
//
// Portability: services should not hand this class to their RPC handlers. Each
// service defines a narrow repository interface per aggregate (e.g. a
// BusinessStore with Create/Get/List/Update) and implements it over
// Read/Write, Statement and Migrate, so that another backend would be a
// second implementation of that interface and the RPC handlers would stay
// untouched. That is as far as it goes: there is no PostgreSQL backend, and
// everything below the repository interfaces is SQLite's. Statement and
// Connection wrap sqlite3 (changes(), last_insert_rowid()), the SQL is
// SQLite's dialect (`?` and `?N` placeholders, AUTOINCREMENT, sqlite_master),
// and the events outbox, the consumer's dedupe table, the event stats and
// the stores' event-fed writes (run on the consumer's Connection) use it
// directly. A PostgreSQL backend would have to port all of those too.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/store/connection.h"

namespace umkm::store {

// PRAGMA synchronous for the writer.
enum class Synchronous {
  kFull,    // fsync the WAL on every commit: survives power loss
  kNormal,  // fsync only at checkpoints: survives process crash only
};

struct Options {
  Synchronous synchronous = Synchronous::kFull;
  // How long a connection waits for a lock held by another process before
  // the call fails with UNAVAILABLE; a call's deadline can end the wait
  // sooner (DEADLINE_EXCEEDED). Zero or negative: no wait.
  absl::Duration busy_timeout = absl::Seconds(5);
  // Reader connections in the pool (at least 1).
  int reader_connections = 4;
  // Most Write functions grouped into one transaction; 1 disables grouping.
  int max_batch_size = 64;
};

// One schema change. Versions are positive and strictly increasing across
// the list given to Migrate; `sql` may hold several statements.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Thread-safe: any number of threads may call Read and Write concurrently.
// Reads run in parallel (up to reader_connections at once, then they wait for
// a free reader); writes are serialised on the writer connection (a Write
// waits for the batches ahead of it). Neither wait has a time limit, and
// neither knows the caller's deadline: only busy_timeout bounds lock waits.
class Database {
 public:
  // Opens (creating if missing) the SQLite file at `path`. The parent
  // directory must already exist: FAILED_PRECONDITION otherwise, naming it.
  // Errors from sqlite are mapped as described in sqlite_error.h.
  static absl::StatusOr<std::unique_ptr<Database>> Open(std::string path,
                                                        Options options = {});

  // Every Read and Write call must have returned before destruction.
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs `fn` in a write transaction on the writer connection and returns its
  // status once the transaction has committed (or the commit's error).
  // On error nothing `fn` wrote remains. `fn` may run on another caller's
  // thread (group commit) but always before Write returns; it must not call
  // Read or Write on this Database, must not issue BEGIN/COMMIT/ROLLBACK
  // itself (SAVEPOINTs with its own names are fine), and must destroy its
  // Statements before returning. Values `fn` computed are valid only when
  // Write returns OK.
  //   DEADLINE_EXCEEDED  `deadline` passed before `fn` started (on arrival,
  //                      queued behind other writes, or waiting for another
  //                      process's lock); `fn` did not run.
  //   UNAVAILABLE        busy_timeout ran out waiting for another process's
  //                      lock; `fn` did not run.
  absl::Status Write(absl::FunctionRef<absl::Status(Connection&)> fn,
                     absl::Time deadline = absl::InfiniteFuture());

  // Runs `fn` on a reader connection inside a read transaction (one snapshot
  // for every query in it) and returns its status. `fn` sees every write
  // acknowledged before Read was called; it cannot write (the connection is
  // read-only). Same rules for `fn` as for Write. DEADLINE_EXCEEDED without
  // running `fn` when `deadline` passed before a reader was free; a lock
  // wait inside `fn` that the deadline ends fails that statement with
  // DEADLINE_EXCEEDED (busy_timeout: UNAVAILABLE).
  absl::Status Read(absl::FunctionRef<absl::Status(Connection&)> fn,
                    absl::Time deadline = absl::InfiniteFuture());

  // Brings the schema up to date: creates `schema_migrations` if missing and
  // applies, in order, each migration not recorded there, each in its own
  // transaction together with its record. Idempotent; safe against another
  // process migrating the same file at the same time.
  //   INVALID_ARGUMENT     versions not positive and strictly increasing.
  //   FAILED_PRECONDITION  the file records a version this binary does not
  //                        know (newer binary wrote it), a version whose name
  //                        differs, or a gap below an applied version.
  absl::Status Migrate(absl::Span<const Migration> migrations);

  // The highest applied migration version, 0 for a fresh file.
  absl::StatusOr<int> SchemaVersion();

  // Counters for the write path, for metrics and tests.
  struct WriteStats {
    int64_t transactions = 0;  // write transactions run (one per batch)
    int64_t writes = 0;        // Write functions run
    int64_t queued = 0;        // Write calls waiting or running right now
    int64_t expired = 0;       // Write calls refused: deadline passed first
  };
  WriteStats write_stats();

  const std::string& path() const { return path_; }

 private:
  struct WriteRequest;

  Database(std::string path, Options options);
  // Runs the first requests of `batch` in one transaction, refusing those
  // whose deadline passed before their turn. Returns how many it completed
  // (their `status` set); the rest stay queued. Sets `*transaction` unless
  // it refused the whole batch before BEGIN.
  size_t ExecuteBatch(absl::Span<WriteRequest* const> batch, bool* transaction);
  absl::StatusOr<std::vector<std::pair<int, std::string>>> AppliedMigrations();

  const std::string path_;
  const Options options_;

  // std::mutex rather than absl::Mutex: Debian's Abseil is not built with
  // TSan annotations, so TSan could not check this code under absl::Mutex.
  //
  // Write path. writers_ holds waiting requests in arrival order; the front
  // one leads. A request leaves it when done, or when its deadline passes
  // while it is not part of a running batch. writer_ is used only by the
  // current leader, which needs no lock for it because only one request is
  // at the front at a time.
  std::mutex write_mu_;
  std::condition_variable write_cv_;  // a batch finished
  std::deque<WriteRequest*> writers_ ABSL_GUARDED_BY(write_mu_);
  int64_t transactions_ ABSL_GUARDED_BY(write_mu_) = 0;
  int64_t writes_ ABSL_GUARDED_BY(write_mu_) = 0;
  int64_t expired_ ABSL_GUARDED_BY(write_mu_) = 0;
  std::unique_ptr<Connection> writer_;

  // Read path.
  std::mutex read_mu_;
  std::condition_variable read_cv_;  // a reader came back
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_readers_ ABSL_GUARDED_BY(read_mu_);
};

}  // namespace umkm::store
