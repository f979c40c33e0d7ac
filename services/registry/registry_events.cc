#include "services/registry/registry_events.h"

#include <cstdlib>
#include <string>

#include "common/aip/resource_name.h"
#include "common/log/json_log.h"
#include "common/status/macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/registry/business_rules.h"

namespace umkm::registry {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::umkm::common::v1::ComplaintState;
using ::umkm::common::v1::ReferralState;
namespace ev = ::umkm::events::v1;

absl::StatusOr<std::string> BusinessId(const std::string& name) {
  return aip::ParseResourceId(name, kBusinessCollection, "business");
}

int64_t EventMicros(const ev::Event& event) {
  return TimeUtil::TimestampToMicroseconds(event.occurred_time());
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

// Records the complaint's state (unless a newer one is recorded) and sets
// the business's count of open complaints from all its complaints.
absl::Status RecordComplaint(store::Connection& conn, const std::string& id,
                             const std::string& complaint, bool open,
                             int64_t state_time, v1::Business& business) {
  UMKM_RETURN_IF_ERROR(conn.Execute(
      "INSERT INTO business_complaint (complaint, business_id, open, "
      "state_time) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (complaint) DO UPDATE "
      "SET open = ?3, state_time = ?4 WHERE state_time <= ?4",
      complaint, id, open ? 1 : 0, state_time));
  UMKM_ASSIGN_OR_RETURN(
      store::Statement count,
      conn.Prepare("SELECT COUNT(*) FROM business_complaint WHERE "
                   "business_id = ? AND open = 1"));
  count.BindAll(id);
  UMKM_ASSIGN_OR_RETURN(bool row, count.Step());
  business.set_open_complaint_count(
      row ? static_cast<int32_t>(count.ColumnInt64(0)) : 0);
  return absl::OkStatus();
}

// Records the referral's state and disbursed total (unless newer ones are
// recorded) and recomputes the business's financing summary.
absl::Status RecordReferral(store::Connection& conn, const std::string& id,
                            const std::string& referral, ReferralState state,
                            int64_t total_disbursed_idr, int64_t state_time,
                            v1::Business& business) {
  UMKM_RETURN_IF_ERROR(conn.Execute(
      "INSERT INTO business_referral (referral, business_id, state, "
      "total_disbursed_idr, first_seen_time, state_time) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (referral) DO UPDATE "
      "SET state = ?3, total_disbursed_idr = MAX(total_disbursed_idr, ?4), "
      "state_time = ?5 WHERE state_time <= ?5 AND ?3 <> 0",
      referral, id, static_cast<int>(state), total_disbursed_idr, state_time));
  UMKM_ASSIGN_OR_RETURN(
      store::Statement summary,
      conn.Prepare("SELECT COUNT(*), COALESCE(SUM(total_disbursed_idr), 0) "
                   "FROM business_referral WHERE business_id = ?"));
  summary.BindAll(id);
  UMKM_ASSIGN_OR_RETURN(bool row, summary.Step());
  v1::FinancingSummary* financing = business.mutable_financing();
  if (row) {
    financing->set_referral_count(static_cast<int32_t>(summary.ColumnInt64(0)));
    financing->set_total_disbursed_idr(summary.ColumnInt64(1));
  }
  UMKM_ASSIGN_OR_RETURN(
      store::Statement last,
      conn.Prepare("SELECT referral, state FROM business_referral WHERE "
                   "business_id = ? ORDER BY first_seen_time DESC, referral "
                   "DESC LIMIT 1"));
  last.BindAll(id);
  UMKM_ASSIGN_OR_RETURN(bool found, last.Step());
  if (found) {
    financing->set_last_referral(std::string(last.ColumnText(0)));
    financing->set_last_referral_state(
        static_cast<ReferralState>(last.ColumnInt64(1)));
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterEventHandlers(events::EventConsumer& consumer,
                           const SqliteBusinessStore& store,
                           BusinessCache& cache, EventHandlerOptions options) {
  // Runs an effect on the business named by `name`.
  auto apply = [&store](store::Connection& conn, const std::string& name,
                        auto&& mutate) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(std::string id, BusinessId(name));
    return store.ApplyEventEffect(
        conn, id, [&](v1::Business& business) { return mutate(id, business); });
  };
  // After the commit: the business leaves the cache; in crash tests, the
  // process dies before the acknowledgement.
  auto after_commit = [&cache, options](const std::string& name) {
    absl::StatusOr<std::string> id = BusinessId(name);
    if (id.ok()) cache.Invalidate(*id);
    if (options.crash_after_commit) {
      log::Error("fault injection: exiting after commit, before XACK");
      log::Flush();
      std::_Exit(86);
    }
  };

  consumer.On(
      ev::Event::kVisitCompleted,
      [apply](store::Connection& conn, const ev::Event& event) {
        const ev::VisitCompleted& visit = event.visit_completed();
        return apply(conn, visit.business(),
                     [&](const std::string&, v1::Business& business) {
                       if (!business.has_last_visit_time() ||
                           business.last_visit_time() < visit.visit_time()) {
                         *business.mutable_last_visit_time() =
                             visit.visit_time();
                       }
                       return absl::OkStatus();
                     });
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.visit_completed().business());
      });

  consumer.On(
      ev::Event::kComplaintFiled,
      [apply](store::Connection& conn, const ev::Event& event) {
        const ev::ComplaintFiled& filed = event.complaint_filed();
        if (filed.business().empty()) return absl::OkStatus();  // not ours
        return apply(conn, filed.business(),
                     [&](const std::string& id, v1::Business& business) {
                       return RecordComplaint(conn, id, filed.complaint(),
                                              IsOpen(filed.state()),
                                              EventMicros(event), business);
                     });
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.complaint_filed().business());
      });

  consumer.On(
      ev::Event::kComplaintStatusChanged,
      [apply](store::Connection& conn, const ev::Event& event) {
        const ev::ComplaintStatusChanged& changed =
            event.complaint_status_changed();
        if (changed.business().empty()) return absl::OkStatus();
        return apply(conn, changed.business(),
                     [&](const std::string& id, v1::Business& business) {
                       return RecordComplaint(conn, id, changed.complaint(),
                                              IsOpen(changed.new_state()),
                                              EventMicros(event), business);
                     });
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.complaint_status_changed().business());
      });

  consumer.On(
      ev::Event::kReferralCreated,
      [apply](store::Connection& conn, const ev::Event& event) {
        const ev::ReferralCreated& created = event.referral_created();
        return apply(conn, created.business(),
                     [&](const std::string& id, v1::Business& business) {
                       return RecordReferral(
                           conn, id, created.referral(),
                           umkm::common::v1::REFERRAL_STATE_DRAFT, 0,
                           EventMicros(event), business);
                     });
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.referral_created().business());
      });

  consumer.On(
      ev::Event::kReferralStatusChanged,
      [apply](store::Connection& conn, const ev::Event& event) {
        const ev::ReferralStatusChanged& changed =
            event.referral_status_changed();
        return apply(conn, changed.business(),
                     [&](const std::string& id, v1::Business& business) {
                       return RecordReferral(conn, id, changed.referral(),
                                             changed.new_state(),
                                             changed.total_disbursed_idr(),
                                             EventMicros(event), business);
                     });
      },
      [after_commit](const ev::Event& event) {
        after_commit(event.referral_status_changed().business());
      });
}

}  // namespace umkm::registry
