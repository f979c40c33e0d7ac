// BusinessStore over the embedded SQLite store (common/store).
//
// A business is one row: the record as a serialized
// umkm.registry.v1.Business (without the owner's NIK) plus the columns that
// lists filter and sort on. The NIK is kept apart, encrypted with AES-256-GCM
// bound to the business id, with an HMAC blind index for exact-match filters
// (UU 27/2022: encrypted at rest; the index reveals nothing without the key).
// request_id idempotency lives in the request log (common/store), written
// in the same transaction as the change it names, with HMAC fingerprints of
// the requests under a key derived from the privacy master secret; so do the
// change's events (the outbox of common/events) and, for event handlers, the
// links to complaints and referrals that the event-fed summary fields are
// computed from.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/aip/list_query.h"
#include "common/clock/clock.h"
#include "common/privacy/field_cipher.h"
#include "common/store/database.h"
#include "common/store/request_log.h"
#include "services/registry/business_store.h"

namespace umkm::registry {

class SqliteBusinessStore : public BusinessStore {
 public:
  // Applies the registry's migrations to `database`. No pointee is owned;
  // all must outlive the store. `page_token_key` signs page tokens.
  // `clock` gives create/update/delete times, event times and request-log
  // times.
  static absl::StatusOr<std::unique_ptr<SqliteBusinessStore>> Create(
      store::Database* database, const privacy::FieldCipher* cipher,
      std::string page_token_key, const Clock& clock = SystemClock());

  // The registry's schema migrations, oldest first (Create applies them;
  // tests of upgrades apply a prefix).
  static absl::Span<const store::Migration> Migrations();

  absl::StatusOr<v1::Business> Create(const RequestContext& context,
                                      v1::Business business,
                                      const RequestKey& key) override;
  absl::StatusOr<v1::Business> Get(const RequestContext& context,
                                   absl::string_view id) override;
  absl::StatusOr<v1::Business> FindByNib(const RequestContext& context,
                                         absl::string_view nib) override;
  absl::StatusOr<std::vector<v1::Business>> GetMany(
      const RequestContext& context,
      absl::Span<const std::string> ids) override;
  absl::StatusOr<ListPage> List(const RequestContext& context,
                                const ListQuery& query) override;
  absl::StatusOr<v1::Business> Update(
      const RequestContext& context, absl::string_view id,
      absl::string_view etag, const std::vector<std::string>& changed_fields,
      absl::FunctionRef<absl::Status(v1::Business&)> mutate) override;
  absl::StatusOr<v1::Business> Delete(const RequestContext& context,
                                      absl::string_view id,
                                      absl::string_view etag,
                                      const RequestKey& key) override;
  absl::StatusOr<Stats> CountActive(
      const RequestContext& context, absl::string_view filter,
      absl::Span<const absl::string_view> personal_filters_allowed) override;
  absl::Status RecordVisit(
      store::Connection& conn, const RequestContext& context,
      absl::string_view id,
      const google::protobuf::Timestamp& visit_time) override;
  absl::Status RecordComplaintState(
      store::Connection& conn, const RequestContext& context,
      absl::string_view id, absl::string_view complaint, bool open,
      const google::protobuf::Timestamp& state_time) override;
  absl::Status RecordReferralState(
      store::Connection& conn, const RequestContext& context,
      absl::string_view id, absl::string_view referral,
      umkm::common::v1::ReferralState state, int64_t total_disbursed_idr,
      const google::protobuf::Timestamp& state_time) override;

  store::Database* database() const { return database_; }

 private:
  SqliteBusinessStore(store::Database* database,
                      const privacy::FieldCipher* cipher,
                      std::string page_token_key, const Clock& clock);

  // Runs `fn` in a write transaction for the work `context` describes. The
  // one place where a call's deadline reaches the database.
  absl::Status Write(const RequestContext& context,
                     absl::FunctionRef<absl::Status(store::Connection&)> fn);
  // Runs `fn` in a read transaction, waiting no longer than the caller.
  absl::Status Read(const RequestContext& context,
                    absl::FunctionRef<absl::Status(store::Connection&)> fn);

  // Inside the consumer's transaction on `conn`: reads business `id`, lets
  // `mutate` change the fields events feed and stores it under a new etag.
  // Effects publish nothing, so `context` has nothing to carry yet; an
  // event an effect came to cause would carry its correlation_id.
  absl::Status ApplyEventEffect(
      store::Connection& conn, const RequestContext& context,
      absl::string_view id,
      absl::FunctionRef<absl::Status(v1::Business&)> mutate) const;

  store::Database* database_;
  const privacy::FieldCipher* cipher_;
  const Clock& clock_;
  const std::string page_token_key_;
  // Filters (owner_nik through the cipher's blind index) and orders.
  const aip::ListSchema list_schema_;
  // request_id idempotency, fingerprints keyed from the cipher's secret.
  const store::RequestLog request_log_;
};

}  // namespace umkm::registry
