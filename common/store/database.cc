// The SQLite store: connection setup, group-committed writes, pooled reads
// and migrations; see database.h.
#include "common/store/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
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
  return absl::Status(
      status.code(),
      absl::StrCat(std::string(context), ": ", std::string(status.message())));
}

}  // namespace

struct Database::WriteRequest {
  explicit WriteRequest(absl::FunctionRef<absl::Status(Connection&)> f)
      : fn(f) {}
  absl::FunctionRef<absl::Status(Connection&)> fn;
  absl::Status status;  // written by the leader before `done`
  bool done = false;    // guarded by write_mu_
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
  const int busy_ms = static_cast<int>(
      std::min<int64_t>(absl::ToInt64Milliseconds(options.busy_timeout),
                        std::numeric_limits<int>::max()));

  UMKM_ASSIGN_OR_RETURN(
      db->writer_,
      Connection::Open(db->path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       busy_ms));
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
    UMKM_ASSIGN_OR_RETURN(
        std::unique_ptr<Connection> reader,
        Connection::Open(db->path_, SQLITE_OPEN_READONLY, busy_ms));
    db->readers_.push_back(std::move(reader));
  }
  std::lock_guard<std::mutex> lock(db->read_mu_);
  for (auto& reader : db->readers_) db->idle_readers_.push_back(reader.get());
  return db;
}

absl::Status Database::Write(absl::FunctionRef<absl::Status(Connection&)> fn) {
  WriteRequest request(fn);
  std::unique_lock<std::mutex> lock(write_mu_);
  writers_.push_back(&request);
  // Wait until a leader has run this request, or it reaches the front and
  // leads a batch itself.
  write_cv_.wait(lock, [this, &request] {
    return request.done || writers_.front() == &request;
  });
  if (request.done) return request.status;

  // Leader: take a batch from the front (this request first). Requests stay
  // queued while they run, so nobody else becomes leader meanwhile.
  const size_t size = std::min<size_t>(
      writers_.size(), static_cast<size_t>(options_.max_batch_size));
  std::vector<WriteRequest*> batch(writers_.begin(), writers_.begin() + size);
  lock.unlock();

  const size_t completed = ExecuteBatch(batch);

  lock.lock();
  ++transactions_;
  writes_ += static_cast<int64_t>(completed);
  for (size_t i = 0; i < completed; ++i) {
    writers_.front()->done = true;
    writers_.pop_front();
  }
  lock.unlock();
  // The finished ones return; the new front (if any) leads the next batch.
  write_cv_.notify_all();
  return request.status;
}

size_t Database::ExecuteBatch(absl::Span<WriteRequest* const> batch) {
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

  absl::Status begin = conn.Execute("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    for (WriteRequest* request : batch) request->status = begin;
    return batch.size();
  }

  if (batch.size() == 1) {
    WriteRequest& request = *batch[0];
    request.status = request.fn(conn);
    if (!request.status.ok()) {
      if (sqlite3_get_autocommit(conn.db_) == 0) {
        conn.Execute("ROLLBACK").IgnoreError();
      }
      return 1;
    }
  } else {
    for (size_t i = 0; i < batch.size(); ++i) {
      WriteRequest& request = *batch[i];
      absl::Status savepoint = conn.Execute(kSavepoint);
      // Request i fails too (without having run): returning only the i
      // before it would leave the leader's own request, when i is 0, neither
      // done nor failed, acknowledged with an unset OK while still at the
      // front of the queue, where nobody else could ever lead.
      if (!savepoint.ok()) return abort_batch(i + 1, savepoint);
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
                    static_cast<int64_t>(writers_.size())};
}

absl::Status Database::Read(absl::FunctionRef<absl::Status(Connection&)> fn) {
  Connection* conn = nullptr;
  {
    std::unique_lock<std::mutex> lock(read_mu_);
    read_cv_.wait(lock, [this] { return !idle_readers_.empty(); });
    conn = idle_readers_.back();
    idle_readers_.pop_back();
  }
  absl::Status status = conn->Execute("BEGIN");
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
