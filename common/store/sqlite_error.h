// Maps sqlite3 result codes to absl::Status.
//
// Every sqlite3 call in this package is checked at its call site and turned
// into a Status here, so callers above the store see canonical codes only:
//   UNIQUE / PRIMARY KEY constraint      -> ALREADY_EXISTS
//   FOREIGN KEY constraint, READONLY     -> FAILED_PRECONDITION
//   CHECK / NOT NULL / other constraint, TOOBIG, MISMATCH -> INVALID_ARGUMENT
//   BUSY / LOCKED                        -> UNAVAILABLE (retryable); a
//       lock wait the caller's deadline ended is DEADLINE_EXCEEDED instead
//       (Connection maps it, see database.h)
//   CORRUPT / NOTADB                     -> DATA_LOSS
//   IOERR / FULL / CANTOPEN / anything else -> INTERNAL
// The message names the operation and carries sqlite's own message; it may
// quote SQL or column names, so the gRPC edge must not echo INTERNAL messages
// to callers.
#pragma once

#include <string_view>

#include "absl/status/status.h"

struct sqlite3;

namespace umkm::store {

// Returns OK when `rc` is SQLITE_OK, SQLITE_ROW or SQLITE_DONE; otherwise the
// mapped error "<what>: <sqlite message> [<code name>]". `db` may be null (the
// message then comes from sqlite3_errstr). `rc` may be a primary or an
// extended result code.
absl::Status SqliteStatus(int rc, sqlite3* db, std::string_view what);

// The canonical code for `rc` (exposed for tests).
absl::StatusCode SqliteCode(int rc);

}  // namespace umkm::store
