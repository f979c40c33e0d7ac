// Maps sqlite3 result codes to absl::Status; see sqlite_error.h.
#include "common/store/sqlite_error.h"

#include <sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace umkm::store {

absl::StatusCode SqliteCode(int rc) {
  switch (rc) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return absl::StatusCode::kOk;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return absl::StatusCode::kAlreadyExists;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_TRIGGER:
      return absl::StatusCode::kFailedPrecondition;
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
      return absl::StatusCode::kInvalidArgument;
    case SQLITE_READONLY:
      return absl::StatusCode::kFailedPrecondition;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_INTERRUPT:
      return absl::StatusCode::kCancelled;
    default:
      // IOERR, FULL, CANTOPEN, NOMEM, MISUSE, RANGE, ERROR (bad SQL), ...
      return absl::StatusCode::kInternal;
  }
}

absl::Status SqliteStatus(int rc, sqlite3* db, std::string_view what) {
  const absl::StatusCode code = SqliteCode(rc);
  if (code == absl::StatusCode::kOk) return absl::OkStatus();
  // sqlite3_errmsg describes the most recent failure on `db`, which is the one
  // we are mapping as long as callers map right after the failing call.
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return absl::Status(code, absl::StrCat(std::string(what), ": ", message, " [",
                                         sqlite3_errstr(rc), " (", rc, ")]"));
}

}  // namespace umkm::store
