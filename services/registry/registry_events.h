// The registry's reactions to other services' events: the fields of a
// business that other services own the facts for.
//
//   VisitCompleted                  -> last_visit_time
//   ComplaintFiled, ...StatusChanged -> open_complaint_count
//   ReferralCreated, ...StatusChanged -> financing (count, last referral and
//                                        its state, total disbursed)
//
// Each effect runs inside the consumer's transaction (with the event's
// dedupe record) and is computed from link tables (one row per complaint
// or referral, newest state wins by event time), so it is correct whatever
// the order in which events arrive. After the commit the business leaves
// the cache.
#pragma once

#include "common/events/handler_registry.h"
#include "services/registry/business_cache.h"
#include "services/registry/sqlite_business_store.h"

namespace umkm::registry {

struct EventHandlerOptions {
  // Fault injection for the crash tests: the process exits right after an
  // effect committed and before the entry is acknowledged. Never set in
  // production.
  bool crash_after_commit = false;
};

// Registers the handlers on `consumer` (the kit's runtime, or a consumer
// before it starts). The store and cache must outlive the consumer.
void RegisterEventHandlers(events::HandlerRegistry& consumer,
                           const SqliteBusinessStore& store,
                           BusinessCache& cache,
                           EventHandlerOptions options = {});

}  // namespace umkm::registry
