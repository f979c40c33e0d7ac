// Prepared statements and connections over the sqlite3 C API; see
// connection.h.
#include "common/store/connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/string_view.h"
#include "common/store/sqlite_error.h"

namespace umkm::store {
Statement::Statement(Connection* connection, sqlite3_stmt* stmt,
                     std::vector<sqlite3_stmt*>* home)
    : connection_(connection), stmt_(stmt), home_(home) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      home_(std::exchange(other.home_, nullptr)),
      bind_status_(std::move(other.bind_status_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    connection_ = std::exchange(other.connection_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    home_ = std::exchange(other.home_, nullptr);
    bind_status_ = std::move(other.bind_status_);
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (stmt_ == nullptr) return;
  // Both calls only report the last step's error again, already returned
  // by Step(); the statement itself is fine to reuse.
  if (home_ == nullptr) {  // from PrepareUncached
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  home_->push_back(stmt_);
  stmt_ = nullptr;
}

Statement& Statement::CheckBind(int rc, int index) {
  if (rc != SQLITE_OK && bind_status_.ok()) {
    bind_status_ = SqliteStatus(rc, connection_->db_,
                                absl::StrCat("bind parameter ", index));
  }
  return *this;
}

Statement& Statement::BindInt64(int index, int64_t value) {
  return CheckBind(sqlite3_bind_int64(stmt_, index, value), index);
}

Statement& Statement::Bind(int index, double value) {
  return CheckBind(sqlite3_bind_double(stmt_, index, value), index);
}

Statement& Statement::Bind(int index, std::string_view text) {
  return CheckBind(sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8),
                   index);
}

Statement& Statement::Bind(int index, Blob blob) {
  // A null data pointer would bind NULL; an empty blob is still a blob.
  static const char kEmpty = 0;
  const char* data = blob.bytes.data() != nullptr ? blob.bytes.data() : &kEmpty;
  return CheckBind(sqlite3_bind_blob64(stmt_, index, data, blob.bytes.size(),
                                       SQLITE_TRANSIENT),
                   index);
}

Statement& Statement::Bind(int index, std::nullopt_t) {
  return CheckBind(sqlite3_bind_null(stmt_, index), index);
}

absl::StatusOr<bool> Statement::Step() {
  if (!bind_status_.ok()) return bind_status_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // sqlite3_step returns the extended code directly (extended result codes
  // are on for every connection), so the constraint kind survives.
  return connection_->Error(rc, "step");
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

void Statement::Reset() { sqlite3_reset(stmt_); }

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::ColumnDouble(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string_view Statement::ColumnText(int column) const {
  const auto* text =
      reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  // Size after the pointer: sqlite3_column_bytes may convert the value.
  const int size = sqlite3_column_bytes(stmt_, column);
  return text == nullptr ? std::string_view() : std::string_view(text, size);
}

std::string_view Statement::ColumnBlob(int column) const {
  const auto* data =
      static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  return data == nullptr ? std::string_view() : std::string_view(data, size);
}

std::optional<int64_t> Statement::ColumnOptionalInt64(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnInt64(column);
}

std::optional<double> Statement::ColumnOptionalDouble(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnDouble(column);
}

std::optional<std::string> Statement::ColumnOptionalText(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return std::string(ColumnText(column));
}

Connection::Connection(sqlite3* db, absl::Duration busy_timeout)
    : db_(db), busy_timeout_(busy_timeout) {}

Connection::~Connection() {
  for (auto& [sql, stmts] : cache_) {
    for (sqlite3_stmt* stmt : stmts) sqlite3_finalize(stmt);
  }
  // close_v2 defers the close if a statement was leaked, rather than failing.
  sqlite3_close_v2(db_);
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, int flags, absl::Duration busy_timeout) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteStatus(rc, db, absl::StrCat("open ", path));
    sqlite3_close_v2(db);  // sqlite allocates a handle even on failure
    return status;
  }
  auto connection =
      std::unique_ptr<Connection>(new Connection(db, busy_timeout));
  // Our own handler instead of sqlite3_busy_timeout, which cannot be told
  // about a deadline.
  const int handler_rc =
      sqlite3_busy_handler(db, &Connection::OnBusy, connection.get());
  if (handler_rc != SQLITE_OK) {
    return SqliteStatus(handler_rc, db, "set busy handler");
  }
  return connection;
}

int Connection::OnBusy(void* self, int attempts) {
  // The back-off of sqlite's own busy timeout handler: short sleeps first,
  // since most locks are held for a single short transaction.
  static constexpr int kDelaysMs[] = {1,  2,  5,  10, 15, 20,
                                      25, 25, 25, 50, 50, 100};
  auto* connection = static_cast<Connection*>(self);
  const absl::Time now = absl::Now();
  if (attempts == 0) {
    connection->busy_since_ = now;
    connection->deadline_ended_wait_ = false;
  }
  const absl::Time busy_limit =
      connection->busy_since_ +
      std::max(connection->busy_timeout_, absl::ZeroDuration());
  const absl::Time limit = std::min(busy_limit, connection->deadline_);
  if (now >= limit) {
    connection->deadline_ended_wait_ = connection->deadline_ < busy_limit;
    return 0;
  }
  const int delay_ms =
      kDelaysMs[std::min<size_t>(attempts, std::size(kDelaysMs) - 1)];
  absl::SleepFor(std::min(absl::Milliseconds(delay_ms), limit - now));
  return 1;
}

absl::Status Connection::Error(int rc, std::string_view what) const {
  absl::Status status = SqliteStatus(rc, db_, what);
  if (deadline_ended_wait_ && (rc & 0xff) == SQLITE_BUSY) {
    return absl::DeadlineExceededError(
        absl::StrCat("deadline passed while waiting for a lock held by "
                     "another connection: ",
                     status.message()));
  }
  return status;
}

absl::StatusOr<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(ToAbsl(sql));
  if (it == cache_.end()) {
    it = cache_.try_emplace(std::string(sql)).first;
  }
  std::vector<sqlite3_stmt*>& idle = it->second;
  if (!idle.empty()) {
    sqlite3_stmt* stmt = idle.back();
    idle.pop_back();
    return Statement(this, stmt, &idle);
  }
  absl::StatusOr<sqlite3_stmt*> stmt =
      PrepareOne(sql, SQLITE_PREPARE_PERSISTENT);
  if (!stmt.ok()) return stmt.status();
  return Statement(this, *stmt, &idle);
}

size_t Connection::cached_statements() const {
  size_t count = 0;
  for (const auto& [sql, idle] : cache_) count += idle.size();
  return count;
}

absl::StatusOr<Statement> Connection::PrepareUncached(std::string_view sql) {
  absl::StatusOr<sqlite3_stmt*> stmt = PrepareOne(sql, 0);
  if (!stmt.ok()) return stmt.status();
  return Statement(this, *stmt, nullptr);
}

absl::StatusOr<sqlite3_stmt*> Connection::PrepareOne(std::string_view sql,
                                                     unsigned int flags) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(
      db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, &tail);
  if (rc != SQLITE_OK) {
    return Error(rc, absl::StrCat("prepare \"", ToAbsl(sql), "\""));
  }
  if (stmt == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("prepare: no SQL statement in \"", ToAbsl(sql), "\""));
  }
  const std::string_view rest(tail, sql.data() + sql.size() - tail);
  if (!absl::StripAsciiWhitespace(ToAbsl(rest)).empty()) {
    sqlite3_finalize(stmt);
    return absl::InvalidArgumentError(absl::StrCat(
        "prepare: more than one SQL statement in \"", ToAbsl(sql), "\""));
  }
  return stmt;
}

absl::Status Connection::ExecuteScript(std::string_view sql) {
  const char* next = sql.data();
  const char* end = sql.data() + sql.size();
  while (next < end) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &stmt,
                                &tail);
    if (rc != SQLITE_OK) {
      return Error(rc, "prepare script statement");
    }
    next = tail;
    if (stmt == nullptr) continue;  // whitespace or comment only
    do {
      rc = sqlite3_step(stmt);
    } while (rc == SQLITE_ROW);
    absl::Status status = Error(rc, "run script statement");
    sqlite3_finalize(stmt);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

int64_t Connection::changes() const { return sqlite3_changes64(db_); }

int64_t Connection::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

}  // namespace umkm::store
