// BusinessStore: the registry's repository for business records.
//
// The interface is what the RPC handlers need and nothing more, so that
// another implementation (PostgreSQL, say; none exists) could replace the
// SQLite one (sqlite_business_store) without touching them. The event
// handlers (registry_events.cc) are not behind it: they write SQLite SQL
// through the consumer's store::Connection. Records go in and come out with the
// owner's full NIK; encryption at rest, masking and caching are not the
// caller's concern here (encryption is the store's, masking and caching the
// service's).
//
// Every change a client makes is recorded together with its event
// (BusinessRegistered, BusinessUpdated, BusinessDeactivated) in the same
// transaction: the events topic never misses a change nor announces one that
// rolled back. Writing methods take the RequestContext of the work that
// asks: its correlation_id is the events' correlation id, and its deadline
// bounds the wait for the database.
//
// Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/context/request_context.h"
#include "common/store/connection.h"
#include "common/store/request_log.h"
#include "google/protobuf/timestamp.pb.h"
#include "umkm/registry/v1/registry.pb.h"

namespace umkm::registry {

// A list request as the client sent it, page size already clamped. The
// store parses filter and order_by (INVALID_ARGUMENT on "filter",
// "order_by") because only it knows which columns back which fields.
struct ListQuery {
  std::string filter;
  std::string order_by;  // empty: "create_time"
  bool show_deleted = false;
  int page_size = 50;
  std::string page_token;  // INVALID_ARGUMENT on "page_token" when bad
  // The personal-data filter fields the caller may use
  // (PersonalFiltersFor); a filter on any other is PERMISSION_DENIED.
  absl::Span<const absl::string_view> personal_filters_allowed;
};

struct ListPage {
  std::vector<v1::Business> businesses;
  std::string next_page_token;
  int64_t total_size = 0;
  // The personal-data fields the filter compared: the call is audited.
  std::vector<std::string> personal_filters_used;
};

struct Stats {
  int64_t total = 0;
  std::vector<std::pair<std::string, int64_t>> per_kecamatan;
  std::vector<std::pair<int, int64_t>> per_scale;  // umkm.common.v1.Scale
  std::vector<std::pair<std::string, int64_t>> per_kbli_section;
  // As ListPage::personal_filters_used.
  std::vector<std::string> personal_filters_used;
};

// Idempotency (AIP-155): a request_id with the request it came with.
using store::RequestKey;

class BusinessStore {
 public:
  virtual ~BusinessStore() = default;

  // Stores a new, already validated business (name, times, state and etag
  // are set by the store) and returns it.
  //   ALREADY_EXISTS       an active business holds the same NIB.
  //   FAILED_PRECONDITION  the request_id was used for a different request.
  // A request_id seen before returns the business that request created.
  virtual absl::StatusOr<v1::Business> Create(const RequestContext& context,
                                              v1::Business business,
                                              const RequestKey& key) = 0;

  // NOT_FOUND when no business has this id (deleted ones are found).
  virtual absl::StatusOr<v1::Business> Get(const RequestContext& context,
                                           absl::string_view id) = 0;

  // The active business holding `nib`; NOT_FOUND when none.
  virtual absl::StatusOr<v1::Business> FindByNib(const RequestContext& context,
                                                 absl::string_view nib) = 0;

  // Every id's business, in order; NOT_FOUND naming the first missing one.
  virtual absl::StatusOr<std::vector<v1::Business>> GetMany(
      const RequestContext& context, absl::Span<const std::string> ids) = 0;

  // One page. INVALID_ARGUMENT ("page_token") for a token that was tampered
  // with or belongs to another filter/order; PERMISSION_DENIED (reason
  // PERSONAL_DATA_FILTER_NOT_ALLOWED) for a filter on a personal-data field
  // not in query.personal_filters_allowed.
  virtual absl::StatusOr<ListPage> List(const RequestContext& context,
                                        const ListQuery& query) = 0;

  // Reads the business, checks `etag` (when not empty; ABORTED if stale),
  // lets `mutate` change it, and stores the result under a new etag, all in
  // one transaction. `mutate` returning an error changes nothing.
  // `changed_fields` (the applied update mask) go into the BusinessUpdated
  // event recorded with the change.
  //   NOT_FOUND            no such business, or it is deleted.
  //   ALREADY_EXISTS       the new NIB is held by another active business.
  virtual absl::StatusOr<v1::Business> Update(
      const RequestContext& context, absl::string_view id,
      absl::string_view etag, const std::vector<std::string>& changed_fields,
      absl::FunctionRef<absl::Status(v1::Business&)> mutate) = 0;

  // Marks the business deleted. NOT_FOUND when it does not exist or is
  // already deleted, unless `key` repeats the request that deleted it.
  virtual absl::StatusOr<v1::Business> Delete(const RequestContext& context,
                                              absl::string_view id,
                                              absl::string_view etag,
                                              const RequestKey& key) = 0;

  // Counts of active businesses matching `filter`; personal-data fields in
  // it as for List.
  virtual absl::StatusOr<Stats> CountActive(
      const RequestContext& context, absl::string_view filter,
      absl::Span<const absl::string_view> personal_filters_allowed) = 0;

  // What other services' events say about business `id`: the fields they
  // own the facts for. Each runs inside the event consumer's transaction
  // on `conn` (the connection EventConsumer hands its handlers, with the
  // event's dedupe record in the same transaction), stores the business
  // under a new etag and publishes nothing: changes fed by events are not
  // news. Each gives the same result whatever order events arrive in.
  // `context` is the handler's (BackgroundContext with the incoming
  // event's correlation id), for whatever such an effect may come to cause.
  //   NOT_FOUND  no such business (deleted ones are updated too).

  // last_visit_time becomes `visit_time` unless a later one is recorded.
  virtual absl::Status RecordVisit(
      store::Connection& conn, const RequestContext& context,
      absl::string_view id, const google::protobuf::Timestamp& visit_time) = 0;

  // Records whether complaint `complaint` (a resource name) is open as of
  // `state_time`, unless a newer state is recorded, and sets
  // open_complaint_count from all the business's complaints.
  virtual absl::Status RecordComplaintState(
      store::Connection& conn, const RequestContext& context,
      absl::string_view id, absl::string_view complaint, bool open,
      const google::protobuf::Timestamp& state_time) = 0;

  // Records referral `referral`'s state and disbursed total as of
  // `state_time`, unless newer ones are recorded (an unspecified state
  // never replaces a known one; the disbursed total never goes down), and
  // recomputes the business's financing summary (count, total disbursed,
  // newest referral and its state).
  virtual absl::Status RecordReferralState(
      store::Connection& conn, const RequestContext& context,
      absl::string_view id, absl::string_view referral,
      umkm::common::v1::ReferralState state, int64_t total_disbursed_idr,
      const google::protobuf::Timestamp& state_time) = 0;
};

}  // namespace umkm::registry
