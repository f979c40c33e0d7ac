// The schema shared by events_test and its helper process
// (events_test_consumer): a stand-in state table, an effects log whose rows
// count how often a handler ran for an event, and the events tables.
#pragma once

#include "common/events/schema.h"
#include "common/store/database.h"

namespace umkm::events::testing {

inline constexpr store::Migration kTestMigrations[] = {
    {1, "state", R"sql(
CREATE TABLE state (name TEXT PRIMARY KEY);
-- No key on event_id: a second effect for one event would show as a
-- second row.
CREATE TABLE effects (event_id TEXT NOT NULL, business TEXT NOT NULL);
)sql"},
    {2, "events_outbox", kOutboxSchema},
    {3, "events_processed", kProcessedSchema},
};

}  // namespace umkm::events::testing
