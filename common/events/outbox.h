// The transactional outbox: events recorded in the producer's own SQLite
// file, in the same transaction as the state change they describe.
//
//   absl::Status status = db.Write([&](store::Connection& conn) {
//     UMKM_RETURN_IF_ERROR(SaveBusiness(conn, business));
//     return events::AppendToOutbox(conn, event);
//   });
//   if (status.ok()) relay.Notify();
//
// If the transaction rolls back, so does the event; if it commits, the relay
// (relay.h) publishes the event eventually, whatever Redis is doing. Needs
// the events_outbox table (schema.h, kOutboxSchema).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/events/envelope.h"
#include "common/store/connection.h"

namespace umkm::events {

// Records `event` in the outbox. Call it inside Database::Write, with the
// connection given to the write function. INVALID_ARGUMENT when the event
// has no id or no type; ALREADY_EXISTS when an event with that id is already
// in the outbox; store errors otherwise. Not thread-safe (like Connection).
absl::Status AppendToOutbox(store::Connection& conn, const v1::Event& event);

// One unpublished outbox row.
struct OutboxRow {
  int64_t sequence = 0;
  std::string event_id;
  std::string payload;  // serialized v1::Event
};

// Up to `limit` unpublished rows in sequence (commit) order.
absl::StatusOr<std::vector<OutboxRow>> ReadPendingOutbox(
    store::Connection& conn, int limit);

// Marks unpublished rows with sequence in [first, last] as published at
// `now`. Run inside Database::Write.
absl::Status MarkOutboxPublished(store::Connection& conn, int64_t first,
                                 int64_t last, absl::Time now);

// Deletes published rows published before `before`; returns how many.
absl::StatusOr<int64_t> PruneOutbox(store::Connection& conn, absl::Time before);

// Unpublished rows and the creation time of the oldest one.
struct OutboxBacklog {
  int64_t pending = 0;
  absl::Time oldest_created = absl::InfiniteFuture();  // when pending == 0
};
absl::StatusOr<OutboxBacklog> ReadOutboxBacklog(store::Connection& conn);

}  // namespace umkm::events
