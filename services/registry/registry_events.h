// The registry's reactions to other services' events: the fields of a
// business that other services own the facts for.
//
//   VisitCompleted                  -> last_visit_time
//   ComplaintFiled, ...StatusChanged -> open_complaint_count
//   ReferralCreated, ...StatusChanged -> financing (count, last referral and
//                                        its state, total disbursed)
//
// The handlers only translate events into BusinessStore calls (RecordVisit,
// RecordComplaintState, RecordReferralState), which run inside the
// consumer's transaction (with the event's dedupe record) and give the same
// result whatever the order in which events arrive. Each handler works in a
// BackgroundContext of the registry that carries the incoming event's
// correlation id. After the commit the business leaves the cache.
#pragma once

#include "common/clock/clock.h"
#include "common/events/handler_registry.h"
#include "services/registry/business_cache.h"
#include "services/registry/business_store.h"

namespace umkm::registry {

struct EventHandlerOptions {
  // The time of the handlers' contexts (their ids); outlives the consumer.
  // (Fault injection after a commit is the service kit's:
  // --testing_crash_after_event_commit.)
  const Clock* clock = &SystemClock();
};

// Registers the handlers on `consumer` (the kit's runtime, or a consumer
// before it starts). The store and cache must outlive the consumer.
void RegisterEventHandlers(events::HandlerRegistry& consumer,
                           BusinessStore& store, BusinessCache& cache,
                           EventHandlerOptions options = {});

}  // namespace umkm::registry
