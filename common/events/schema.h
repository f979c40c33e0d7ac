// The tables the events library keeps in a service's own SQLite file.
//
// A service owns its migrations and their version numbers, so this library
// does not migrate anything itself: it hands out the DDL and the service
// appends it to its own migration list, once, with its next free version:
//
//   constexpr store::Migration kMigrations[] = {
//       {1, "business", R"sql(...)sql"},
//       {2, "events_outbox", events::kOutboxSchema},        // if it publishes
//       {3, "events_processed", events::kProcessedSchema},  // if it consumes
//   };
//
// Once released, these texts never change; a later change to the tables
// comes as a new constant the service appends as a new migration.
#pragma once

#include <string_view>

namespace umkm::events {

// events_outbox: events recorded with the state change, in commit order.
// published_time is NULL until the relay has XADDed the row; published rows
// are kept for a short while (RelayOptions::published_retention) for
// debugging, then deleted.
inline constexpr std::string_view kOutboxSchema = R"sql(
CREATE TABLE events_outbox (
  sequence       INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id       TEXT NOT NULL UNIQUE,
  payload        BLOB NOT NULL,
  created_time   INTEGER NOT NULL,
  published_time INTEGER
);
CREATE INDEX events_outbox_pending ON events_outbox(sequence)
  WHERE published_time IS NULL;
CREATE INDEX events_outbox_published ON events_outbox(published_time)
  WHERE published_time IS NOT NULL;
)sql";

// events_processed: ids of events whose effect this service committed,
// written in the same transaction as the effect (the dedupe record).
inline constexpr std::string_view kProcessedSchema = R"sql(
CREATE TABLE events_processed (
  event_id       TEXT PRIMARY KEY,
  type           TEXT NOT NULL,
  processed_time INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX events_processed_time ON events_processed(processed_time);
)sql";

}  // namespace umkm::events
