// Prepared statements and the connection they run on.
//
// A Connection is one sqlite3 handle plus a cache of prepared statements keyed
// by SQL text, so hot paths prepare each statement once per connection.
// Connections are owned by a Database (database.h) and lent to the function
// given to Database::Read or Database::Write; they are never shared between
// threads at the same time, so neither class is thread-safe.
//
// Only prepared statements with bound parameters touch data: values are never
// spliced into SQL text. Keep SQL texts constant (no values, no variable-length
// IN lists) or the per-connection statement cache grows without bound.
//
//   UMKM_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(
//       "SELECT display_name, capital_idr FROM business WHERE id = ?"));
//   stmt.BindAll(id);
//   UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
//   if (!row) return absl::NotFoundError(...);
//   std::string name(stmt.ColumnText(0));
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

struct sqlite3;
struct sqlite3_stmt;

namespace umkm::store {

class Connection;

// Marks bytes to be bound as a BLOB rather than TEXT.
struct Blob {
  std::string_view bytes;
};

// One prepared statement borrowed from a Connection's cache. Move-only. On
// destruction it is reset, its bindings cleared, and it goes back to the cache.
// Must not outlive the Connection it came from (in practice: the Read/Write
// function that prepared it).
//
// Binding uses 1-based parameter indices, as sqlite does. Bind errors are
// sticky: the first one is remembered and returned by the next Step()/Run(),
// so call sites can chain binds without checking each.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  template <std::integral T>
  Statement& Bind(int index, T value) {
    return BindInt64(index, static_cast<int64_t>(value));
  }
  Statement& Bind(int index, double value);
  // TEXT; the bytes are copied.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  // BLOB; the bytes are copied.
  Statement& Bind(int index, Blob blob);
  Statement& Bind(int index, std::nullopt_t);
  // NULL when `value` is empty.
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value.has_value() ? Bind(index, *value) : Bind(index, std::nullopt);
  }
  // Binds args to parameters 1..N in order.
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row. Returns true when a row is available, false when
  // the statement has finished, or the mapped error (see sqlite_error.h).
  absl::StatusOr<bool> Step();
  // Steps until the statement finishes, ignoring any rows.
  absl::Status Run();
  // Rewinds the statement so it can run again; bindings are kept.
  void Reset();

  // Column getters for the current row (0-based). Text and blob views stay
  // valid until the next Step(), Reset() or destruction.
  int ColumnCount() const;
  bool ColumnIsNull(int column) const;
  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::string_view ColumnText(int column) const;
  std::string_view ColumnBlob(int column) const;
  std::optional<int64_t> ColumnOptionalInt64(int column) const;
  std::optional<double> ColumnOptionalDouble(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const;

 private:
  friend class Connection;
  Statement(Connection* connection, sqlite3_stmt* stmt,
            std::vector<sqlite3_stmt*>* home);
  Statement& BindInt64(int index, int64_t value);
  // Records the first failing bind.
  Statement& CheckBind(int rc, int index);
  void Release();

  Connection* connection_;
  sqlite3_stmt* stmt_;
  std::vector<sqlite3_stmt*>* home_;  // cache slot it returns to; null: none
  absl::Status bind_status_;
};

// One sqlite3 connection with its statement cache. Not thread-safe; obtained
// only through Database::Read/Write.
class Connection {
 public:
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A prepared statement for `sql`, which must hold exactly one SQL
  // statement. Reuses an idle cached statement for the same text when there
  // is one; otherwise prepares (and later caches) a new one, so the same
  // query may be open twice at once.
  absl::StatusOr<Statement> Prepare(std::string_view sql);

  // Like Prepare, but the statement is finalized when the Statement goes
  // away instead of being cached: for SQL whose text depends on the request
  // (a filter's shape), which would otherwise grow the cache without bound.
  absl::StatusOr<Statement> PrepareUncached(std::string_view sql);

  // Prepares `sql`, binds `args` to parameters 1..N and runs it to the end.
  template <typename... Args>
  absl::Status Execute(std::string_view sql, const Args&... args) {
    absl::StatusOr<Statement> stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->BindAll(args...);
    return stmt->Run();
  }

  // Runs a script of several parameterless statements (DDL in migrations),
  // one prepared statement at a time. Not cached.
  absl::Status ExecuteScript(std::string_view sql);

  // Idle statements in the cache (for tests and diagnostics).
  size_t cached_statements() const;

  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int64_t changes() const;
  // Rowid of the most recent successful INSERT on this connection.
  int64_t last_insert_rowid() const;

 private:
  friend class Database;
  friend class Statement;
  Connection(sqlite3* db, absl::Duration busy_timeout);
  // Prepares exactly one statement with sqlite3_prepare_v3 `flags`.
  absl::StatusOr<sqlite3_stmt*> PrepareOne(std::string_view sql,
                                           unsigned int flags);
  // Opens `path` with sqlite3 open `flags`. A lock held by another
  // connection is waited for (see OnBusy) up to `busy_timeout`, and no
  // longer than the deadline given to set_deadline.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, int flags, absl::Duration busy_timeout);

  // Bounds every lock wait from now on by `deadline` as well as by the busy
  // timeout; the Database sets it before each transaction.
  void set_deadline(absl::Time deadline) {
    deadline_ = deadline;
    deadline_ended_wait_ = false;
  }
  // sqlite3_busy_handler callback (`self` is the Connection): sleeps and
  // returns 1 (try again) until the busy timeout, counted from the first
  // attempt, or the deadline runs out, whichever comes first; then 0, and
  // sqlite reports SQLITE_BUSY.
  static int OnBusy(void* self, int attempts);
  // SqliteStatus, except DEADLINE_EXCEEDED when `rc` is SQLITE_BUSY because
  // the deadline, not the busy timeout, ended the wait.
  absl::Status Error(int rc, std::string_view what) const;

  sqlite3* db_;
  const absl::Duration busy_timeout_;
  absl::Time deadline_ = absl::InfiniteFuture();
  absl::Time busy_since_;             // when the current lock wait began
  bool deadline_ended_wait_ = false;  // the last lock wait hit deadline_
  // Idle prepared statements by SQL text. node_hash_map: Statement keeps a
  // pointer to its slot, which must survive rehashing.
  absl::node_hash_map<std::string, std::vector<sqlite3_stmt*>> cache_;
};

}  // namespace umkm::store
