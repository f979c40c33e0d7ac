// The request log: AIP-155 idempotency by `request_id`, kept in the
// service's own SQLite file in the same transaction as the change a request
// made.
//
//   // The table, appended to the service's migrations (like
//   // events::kOutboxSchema; the text never changes once released):
//   {7, "request_log", store::kRequestLogSchema},
//
//   // Domain: the key of a request, from its request_id field and the rest
//   // of the message.
//   store::RequestKey key = store::RequestKeyOf(request);
//
//   // Store, inside the change's Database::Write:
//   UMKM_ASSIGN_OR_RETURN(std::optional<std::string> prior,
//                         log.Find(conn, "CreateThing", key));
//   if (prior) return ReadThing(conn, *prior);   // a retry: same answer
//   ... make the change ...
//   UMKM_RETURN_IF_ERROR(log.Record(conn, "CreateThing", key, thing_id));
//
// What is stored of a request is a keyed fingerprint, HMAC-SHA256 under a
// key the service passes in, never the request: requests carry personal
// data (a business owner's NIK), and an unkeyed digest of data with so
// little entropy can be reversed offline by whoever holds the database
// file. With the key kept apart from the file, the fingerprint reveals
// nothing.
//
// Rows older than the retention are pruned (a retry after that is a new
// request): Record does it at most once per prune_interval, in the
// transaction it runs in; a service may also call Prune itself.
//
// Thread-safe (the methods are const; each runs on the Connection it is
// given, which is not).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/hmac.h"
#include "common/clock/clock.h"
#include "common/store/connection.h"
#include "google/protobuf/message.h"

namespace umkm::store {

// request_log: one row per request_id seen within the retention.
inline constexpr std::string_view kRequestLogSchema = R"sql(
CREATE TABLE request_log (
  request_id  TEXT PRIMARY KEY,
  method      TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  resource    TEXT NOT NULL,
  create_time INTEGER NOT NULL
) STRICT;
CREATE INDEX request_log_created ON request_log(create_time);
)sql";

// What the domain hands the store to make a request idempotent.
struct RequestKey {
  std::string request_id;  // empty: the request is not idempotent
  // The request without its request_id, serialized deterministically. Only
  // its keyed fingerprint is stored. A retry must send the same request.
  std::string request;
};

// The key of an AIP-155 request message: its `request_id` field and the
// rest of the message (RequestKey::request). `request` must have a
// singular string field named request_id; a message without one is a bug
// in code and terminates the program.
RequestKey RequestKeyOf(const google::protobuf::Message& request);

struct RequestLogOptions {
  // How long a request_id is remembered.
  absl::Duration retention = absl::Hours(24 * 30);
  // Record() prunes rows past the retention at most this often;
  // zero: never (the service calls Prune itself).
  absl::Duration prune_interval = absl::Hours(1);
};

class RequestLog {
 public:
  // `fingerprint_key` is a server secret of at least 32 bytes (derive it
  // from the service's master secret; never store it with the data).
  // `clock` gives the rows' times and must outlive the log.
  explicit RequestLog(absl::string_view fingerprint_key,
                      const Clock& clock = SystemClock(),
                      RequestLogOptions options = {});

  // Inside the write transaction of the change, before making it: the
  // `resource` an earlier request with key.request_id recorded, or nullopt
  // when key.request_id is empty or not in the log.
  //   FAILED_PRECONDITION  the request_id was used for another method or
  //                        a different request (PreconditionFailure type
  //                        "REQUEST_ID" about the request id, ErrorInfo
  //                        reason "REQUEST_ID_REUSED"): answering with the
  //                        first result would hide a client bug that sends
  //                        different data under one key.
  absl::StatusOr<std::optional<std::string>> Find(Connection& conn,
                                                  absl::string_view method,
                                                  const RequestKey& key) const;

  // Records the request in the same transaction as the change it made;
  // `resource` is what Find returns for a retry (e.g. the id of what was
  // created). Nothing when key.request_id is empty. Call only after Find
  // returned nullopt. Prunes when due (see above).
  absl::Status Record(Connection& conn, absl::string_view method,
                      const RequestKey& key, absl::string_view resource) const;

  // Deletes the rows recorded before `cutoff`; returns how many.
  static absl::StatusOr<int64_t> Prune(Connection& conn, absl::Time cutoff);

  // The stored fingerprint of `request` for `method`: hex HMAC-SHA256 of
  // both, length-prefixed.
  std::string Fingerprint(absl::string_view method,
                          absl::string_view request) const;

 private:
  const auth::HmacSha256 mac_;
  const Clock& clock_;
  const RequestLogOptions options_;
  // When Record prunes next (Unix micros).
  mutable std::atomic<int64_t> next_prune_micros_{0};
};

}  // namespace umkm::store
