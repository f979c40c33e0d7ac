// The SQLite store: connection setup, group-committed writes, pooled reads
// and migrations; see database.h.
#include "common/store/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/string_view.h"
#include "common/status/macros.h"

namespace umkm::store {
namespace {

// Savepoint wrapped around each function of a grouped write batch.
constexpr std::string_view kSavepoint = "SAVEPOINT umkm_write";
constexpr std::string_view kRollbackToSavepoint = "ROLLBACK TO umkm_write";
constexpr std::string_view kReleaseSavepoint = "RELEASE umkm_write";

// The same code with context prepended.
absl::Status Annotate(const absl::Status& status, std::string_view context) {
  return absl::Status(status.code(),
                      absl::StrCat(ToAbsl(context), ": ", status.message()));
}

absl::Status DeadlinePassed(std::string_view what) {
  return absl::DeadlineExceededError(
      absl::StrCat("deadline passed ", ToAbsl(what)));
}

}  // namespace

struct Database::WriteRequest {
  WriteRequest(absl::FunctionRef<absl::Status(Connection&)> f, absl::Time d)
      : fn(f), deadline(d) {}
  absl::FunctionRef<absl::Status(Connection&)> fn;
  const absl::Time deadline;
  absl::Status status;  // written by the leader before `done`
  bool ran = false;     // fn was called; written by the leader before `done`
  bool done = false;    // guarded by write_mu_
  // Part of the batch a leader is running: it must stay queued until the
  // leader finishes with it, even past its deadline. Guarded by write_mu_.
  bool claimed = false;
};

Database::Database(std::string path, Options options)
    : path_(std::move(path)), options_(options) {}

Database::~Database() = default;

absl::StatusOr<std::unique_ptr<Database>> Database::Open(std::string path,
                                                         Options options) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) {
    return absl::InvalidArgumentError(
        absl::StrCat("database path must name a file, got \"", path, "\""));
  }
  if (options.reader_connections < 1 || options.max_batch_size < 1) {
    return absl::InvalidArgumentError(
        "reader_connections and max_batch_size must be at least 1");
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  std::error_code error;
  if (!std::filesystem::is_directory(parent, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat("directory ", parent.string(), " for database ", path,
                     " does not exist (it is not created automatically)"));
  }

  auto db = std::unique_ptr<Database>(new Database(std::move(path), options));
  UMKM_ASSIGN_OR_RETURN(
      db->writer_,
      Connection::Open(db->path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       options.busy_timeout));
  Connection& writer = *db->writer_;
  {
    UMKM_ASSIGN_OR_RETURN(Statement wal,
                          writer.Prepare("PRAGMA journal_mode=WAL"));
    UMKM_ASSIGN_OR_RETURN(bool row, wal.Step());
    if (!row || wal.ColumnText(0) != "wal") {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot put ", db->path_, " in WAL mode (journal_mode is ",
          row ? std::string(wal.ColumnText(0)) : "unknown", ")"));
    }
  }
  UMKM_RETURN_IF_ERROR(writer.Execute(options.synchronous == Synchronous::kFull
                                          ? "PRAGMA synchronous=FULL"
                                          : "PRAGMA synchronous=NORMAL"));
  UMKM_RETURN_IF_ERROR(writer.Execute("PRAGMA foreign_keys=ON"));

  for (int i = 0; i < options.reader_connections; ++i) {
    UMKM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                          Connection::Open(db->path_, SQLITE_OPEN_READONLY,
                                           options.busy_timeout));
    db->readers_.push_back(std::move(reader));
  }
  std::lock_guard<std::mutex> lock(db->read_mu_);
  for (auto& reader : db->readers_) db->idle_readers_.push_back(reader.get());
  return db;
}

absl::Status Database::Write(absl::FunctionRef<absl::Status(Connection&)> fn,
                             absl::Time deadline) {
  if (absl::Now() >= deadline) {
    std::lock_guard<std::mutex> lock(write_mu_);
    ++expired_;
    return DeadlinePassed("before the write was queued");
  }
  WriteRequest request(fn, deadline);
  std::unique_lock<std::mutex> lock(write_mu_);
  writers_.push_back(&request);
  // Wait until a leader has run this request, or it reaches the front and
  // leads a batch itself, or its deadline passes first.
  while (!request.done && writers_.front() != &request) {
    if (request.claimed || deadline == absl::InfiniteFuture()) {
      // A leader is running it: its outcome comes with the batch's end.
      write_cv_.wait(lock);
      continue;
    }
    if (absl::Now() >= deadline) {
      // Not at the front and not claimed, so no leader holds it: leaving
      // the queue changes neither leadership nor a running batch.
      writers_.erase(std::find(writers_.begin(), writers_.end(), &request));
      ++expired_;
      return DeadlinePassed("while the write was queued behind others");
    }
    write_cv_.wait_until(lock, absl::ToChronoTime(deadline));
  }
  if (request.done) return request.status;

  // Leader: take a batch from the front (this request first). Requests stay
  // queued while they run, so nobody else becomes leader meanwhile.
  const size_t size = std::min<size_t>(
      writers_.size(), static_cast<size_t>(options_.max_batch_size));
  std::vector<WriteRequest*> batch(writers_.begin(), writers_.begin() + size);
  for (WriteRequest* member : batch) member->claimed = true;
  lock.unlock();

  bool transaction = false;
  const size_t completed = ExecuteBatch(batch, &transaction);

  lock.lock();
  if (transaction) ++transactions_;
  for (size_t i = 0; i < completed; ++i) {
    WriteRequest* finished = writers_.front();
    if (finished->ran) {
      ++writes_;
    } else if (finished->status.code() == absl::StatusCode::kDeadlineExceeded) {
      ++expired_;
    }
    finished->done = true;
    writers_.pop_front();
  }
  // The rest go back to waiting, and may time out again.
  for (size_t i = completed; i < batch.size(); ++i) batch[i]->claimed = false;
  lock.unlock();
  // The finished ones return; the new front (if any) leads the next batch.
  write_cv_.notify_all();
  return request.status;
}

size_t Database::ExecuteBatch(absl::Span<WriteRequest* const> batch,
                              bool* transaction) {
  Connection& conn = *writer_;
  // Ends the transaction with an error for every request run so far.
  auto abort_batch = [&](size_t run, const absl::Status& cause) {
    if (sqlite3_get_autocommit(conn.db_) == 0) {
      // Best effort: if ROLLBACK fails too, the connection is unusable and
      // the next BEGIN reports it.
      conn.Execute("ROLLBACK").IgnoreError();
    }
    for (size_t i = 0; i < run; ++i) {
      if (batch[i]->status.ok()) {
        batch[i]->status = Annotate(cause, "write batch rolled back");
      }
    }
    return run;
  };
  // Refuses `request` when its deadline has passed; it then never runs.
  auto refuse_if_late = [](WriteRequest& request) {
    if (absl::Now() < request.deadline) return false;
    request.status = DeadlinePassed("before the write's turn in its batch");
    return true;
  };

  // Those already late are refused before any lock wait; the wait for the
  // others lasts until the latest of their deadlines.
  absl::Time latest = absl::InfinitePast();
  for (WriteRequest* request : batch) {
    if (!refuse_if_late(*request)) latest = std::max(latest, request->deadline);
  }
  if (latest == absl::InfinitePast()) return batch.size();
  conn.set_deadline(latest);

  *transaction = true;
  absl::Status begin = conn.Execute("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    for (WriteRequest* request : batch) {
      if (request->status.ok()) request->status = begin;
    }
    return batch.size();
  }

  if (batch.size() == 1) {
    WriteRequest& request = *batch[0];
    if (!refuse_if_late(request)) {
      request.ran = true;
      request.status = request.fn(conn);
    }
    if (!request.status.ok()) {
      if (sqlite3_get_autocommit(conn.db_) == 0) {
        conn.Execute("ROLLBACK").IgnoreError();
      }
      return 1;
    }
  } else {
    for (size_t i = 0; i < batch.size(); ++i) {
      WriteRequest& request = *batch[i];
      // Skipped if refused before BEGIN (status set) or late by now.
      if (!request.status.ok() || refuse_if_late(request)) continue;
      absl::Status savepoint = conn.Execute(kSavepoint);
      // Request i fails too (without having run): returning only the i
      // before it would leave the leader's own request, when i is 0, neither
      // done nor failed, acknowledged with an unset OK while still at the
      // front of the queue, where nobody else could ever lead.
      if (!savepoint.ok()) return abort_batch(i + 1, savepoint);
      request.ran = true;
      request.status = request.fn(conn);
      if (sqlite3_get_autocommit(conn.db_) != 0) {
        // SQLite rolled the whole transaction back (disk full, I/O error) or
        // the function ended it: every earlier request in the batch is lost
        // too. Requests not yet run stay queued for the next batch.
        if (request.status.ok()) {
          request.status = absl::InternalError(
              "write function ended the transaction itself");
        }
        return abort_batch(i + 1, request.status);
      }
      if (!request.status.ok()) {
        absl::Status undo = conn.Execute(kRollbackToSavepoint);
        if (!undo.ok()) return abort_batch(i + 1, undo);
      }
      absl::Status release = conn.Execute(kReleaseSavepoint);
      if (!release.ok()) return abort_batch(i + 1, release);
    }
  }

  absl::Status commit = conn.Execute("COMMIT");
  if (!commit.ok()) return abort_batch(batch.size(), commit);
  return batch.size();
}

Database::WriteStats Database::write_stats() {
  std::lock_guard<std::mutex> lock(write_mu_);
  return WriteStats{transactions_, writes_,
                    static_cast<int64_t>(writers_.size()), expired_};
}

absl::Status Database::Read(absl::FunctionRef<absl::Status(Connection&)> fn,
                            absl::Time deadline) {
  if (absl::Now() >= deadline) return DeadlinePassed("before the read");
  Connection* conn = nullptr;
  {
    std::unique_lock<std::mutex> lock(read_mu_);
    auto idle = [this] { return !idle_readers_.empty(); };
    if (deadline == absl::InfiniteFuture()) {
      read_cv_.wait(lock, idle);
    } else if (!read_cv_.wait_until(lock, absl::ToChronoTime(deadline), idle)) {
      return DeadlinePassed(absl::StrCat("waiting for one of ", readers_.size(),
                                         " reader connections, all busy"));
    }
    conn = idle_readers_.back();
    idle_readers_.pop_back();
  }
  conn->set_deadline(deadline);
  // A reader freed right at the deadline is no use: fn starts only before.
  absl::Status status =
      absl::Now() < deadline
          ? conn->Execute("BEGIN")
          : DeadlinePassed("while waiting for a reader connection");
  if (status.ok()) {
    status = fn(*conn);
    if (sqlite3_get_autocommit(conn->db_) == 0) {
      // A read transaction has nothing to keep; ending it releases the
      // snapshot so the WAL can be checkpointed.
      absl::Status end = conn->Execute("ROLLBACK");
      if (status.ok()) status = end;
    }
  }
  {
    std::lock_guard<std::mutex> lock(read_mu_);
    idle_readers_.push_back(conn);
  }
  read_cv_.notify_one();
  return status;
}

absl::StatusOr<std::vector<std::pair<int, std::string>>>
Database::AppliedMigrations() {
  std::vector<std::pair<int, std::string>> applied;
  UMKM_RETURN_IF_ERROR(Read([&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(
        Statement exists,
        conn.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                     "name = 'schema_migrations'"));
    UMKM_ASSIGN_OR_RETURN(bool table, exists.Step());
    if (!table) return absl::OkStatus();
    UMKM_ASSIGN_OR_RETURN(
        Statement rows,
        conn.Prepare(
            "SELECT version, name FROM schema_migrations ORDER BY version"));
    while (true) {
      UMKM_ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) return absl::OkStatus();
      applied.emplace_back(static_cast<int>(rows.ColumnInt64(0)),
                           std::string(rows.ColumnText(1)));
    }
  }));
  return applied;
}

absl::StatusOr<int> Database::SchemaVersion() {
  UMKM_ASSIGN_OR_RETURN(auto applied, AppliedMigrations());
  return applied.empty() ? 0 : applied.back().first;
}

absl::Status Database::Migrate(absl::Span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    const Migration& migration = migrations[i];
    if (migration.version <= 0 ||
        (i > 0 && migration.version <= migrations[i - 1].version) ||
        migration.name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration ", migration.version, " \"", ToAbsl(migration.name),
          "\": versions must be positive and strictly increasing, names "
          "non-empty"));
    }
  }
  UMKM_RETURN_IF_ERROR(Write([](Connection& conn) {
    return conn.ExecuteScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "  version INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  applied_at TEXT NOT NULL"
        "    DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))");
  }));

  UMKM_ASSIGN_OR_RETURN(auto applied, AppliedMigrations());
  const int latest_known = migrations.empty() ? 0 : migrations.back().version;
  for (const auto& [version, name] : applied) {
    if (version > latest_known) {
      return absl::FailedPreconditionError(
          absl::StrCat(path_, " has schema version ", version, " (", name,
                       "), newer than the latest this binary knows (",
                       latest_known, "); run a newer binary"));
    }
    auto known =
        std::find_if(migrations.begin(), migrations.end(),
                     [&](const Migration& m) { return m.version == version; });
    if (known == migrations.end() || known->name != name) {
      return absl::FailedPreconditionError(
          absl::StrCat(path_, " records migration ", version, " (", name,
                       ") which this binary does not have under that version"));
    }
  }
  const int applied_max = applied.empty() ? 0 : applied.back().first;
  for (const Migration& migration : migrations) {
    const bool done = std::any_of(
        applied.begin(), applied.end(),
        [&](const auto& entry) { return entry.first == migration.version; });
    if (done) continue;
    if (migration.version < applied_max) {
      return absl::FailedPreconditionError(
          absl::StrCat("migration ", migration.version, " (",
                       ToAbsl(migration.name), ") is missing from ", path_,
                       " but the later version ", applied_max, " is applied"));
    }
    absl::Status status = Write([&](Connection& conn) -> absl::Status {
      // Another process may have applied it since we looked.
      UMKM_ASSIGN_OR_RETURN(
          Statement check,
          conn.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?"));
      check.BindAll(migration.version);
      UMKM_ASSIGN_OR_RETURN(bool already, check.Step());
      if (already) return absl::OkStatus();
      UMKM_RETURN_IF_ERROR(conn.ExecuteScript(migration.sql));
      return conn.Execute(
          "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
          migration.version, migration.name);
    });
    if (!status.ok()) {
      return Annotate(status, absl::StrCat("migration ", migration.version,
                                           " (", ToAbsl(migration.name), ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace umkm::store
