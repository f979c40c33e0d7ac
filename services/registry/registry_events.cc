#include "services/registry/registry_events.h"

#include <cstdlib>
#include <string>

#include "common/aip/resource_name.h"
#include "common/log/json_log.h"
#include "common/status/macros.h"
#include "services/registry/business_events.h"
#include "services/registry/business_rules.h"

namespace umkm::registry {
namespace {

using ::umkm::common::v1::ComplaintState;
namespace ev = ::umkm::events::v1;

absl::StatusOr<std::string> BusinessId(const std::string& name) {
  return aip::ParseResourceId(name, kBusinessCollection, "business");
}

// Complaints not yet resolved, closed, forwarded or archived.
bool IsOpen(ComplaintState state) {
  switch (state) {
    case umkm::common::v1::COMPLAINT_STATE_RESOLVED:
    case umkm::common::v1::COMPLAINT_STATE_CLOSED:
    case umkm::common::v1::COMPLAINT_STATE_FORWARDED:
    case umkm::common::v1::COMPLAINT_STATE_ARCHIVED:
      return false;
    default:
      return true;
  }
}

// The context of the work an event causes: the registry itself, correlated
// with the event.
RequestContext ContextFor(const ev::Event& event, const Clock& clock) {
  return BackgroundContext(auth::Caller{.subject = std::string(kEventSource),
                                        .role = auth::Role::kService},
                           event.correlation_id(), clock.Now());
}

}  // namespace

void RegisterEventHandlers(events::HandlerRegistry& consumer,
                           BusinessStore& store, BusinessCache& cache,
                           EventHandlerOptions options) {
  // After the commit: the business leaves the cache.
  auto after_commit = [&cache](const std::string& name) {
    absl::StatusOr<std::string> id = BusinessId(name);
    if (id.ok()) cache.Invalidate(*id);
  };

  consumer.On(
      ev::Event::kVisitCompleted,
      [&store, clock = options.clock](store::Connection& conn,
                                      const ev::Event& event) {
        const ev::VisitCompleted& visit = event.visit_completed();
        UMKM_ASSIGN_OR_RETURN(std::string id, BusinessId(visit.business()));
        return store.RecordVisit(conn, ContextFor(event, *clock), id,
                                 visit.visit_time());
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.visit_completed().business());
      });

  consumer.On(
      ev::Event::kComplaintFiled,
      [&store, clock = options.clock](store::Connection& conn,
                                      const ev::Event& event) {
        const ev::ComplaintFiled& filed = event.complaint_filed();
        if (filed.business().empty()) return absl::OkStatus();  // not ours
        UMKM_ASSIGN_OR_RETURN(std::string id, BusinessId(filed.business()));
        return store.RecordComplaintState(
            conn, ContextFor(event, *clock), id, filed.complaint(),
            IsOpen(filed.state()), event.occurred_time());
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.complaint_filed().business());
      });

  consumer.On(
      ev::Event::kComplaintStatusChanged,
      [&store, clock = options.clock](store::Connection& conn,
                                      const ev::Event& event) {
        const ev::ComplaintStatusChanged& changed =
            event.complaint_status_changed();
        if (changed.business().empty()) return absl::OkStatus();
        UMKM_ASSIGN_OR_RETURN(std::string id, BusinessId(changed.business()));
        return store.RecordComplaintState(
            conn, ContextFor(event, *clock), id, changed.complaint(),
            IsOpen(changed.new_state()), event.occurred_time());
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.complaint_status_changed().business());
      });

  consumer.On(
      ev::Event::kReferralCreated,
      [&store, clock = options.clock](store::Connection& conn,
                                      const ev::Event& event) {
        const ev::ReferralCreated& created = event.referral_created();
        UMKM_ASSIGN_OR_RETURN(std::string id, BusinessId(created.business()));
        return store.RecordReferralState(
            conn, ContextFor(event, *clock), id, created.referral(),
            umkm::common::v1::REFERRAL_STATE_DRAFT,
            /*total_disbursed_idr=*/0, event.occurred_time());
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.referral_created().business());
      });

  consumer.On(
      ev::Event::kReferralStatusChanged,
      [&store, clock = options.clock](store::Connection& conn,
                                      const ev::Event& event) {
        const ev::ReferralStatusChanged& changed =
            event.referral_status_changed();
        UMKM_ASSIGN_OR_RETURN(std::string id, BusinessId(changed.business()));
        return store.RecordReferralState(
            conn, ContextFor(event, *clock), id, changed.referral(),
            changed.new_state(), changed.total_disbursed_idr(),
            event.occurred_time());
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.referral_status_changed().business());
      });
}

}  // namespace umkm::registry
