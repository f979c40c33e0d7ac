// The audit trail of personal-data disclosures, kept in the service's own
// SQLite file (UU 27/2022: a record of who read, searched or exported whose
// personal data, when and why).
//
//   // The tables, appended to the service's migrations (like
//   // store::kRequestLogSchema; the text never changes once released):
//   {7, "audit_log", audit::kAuditLogSchema},
//
//   // Domain, after computing an answer that discloses personal data and
//   // before returning it:
//   UMKM_RETURN_IF_ERROR(runtime.audit_log().Record(context, {{
//       .action = audit::v1::AUDIT_ACTION_READ_PERSONAL_DATA,
//       .personal_fields = {"owner.nik"},
//       .resources = {business.name()}}}));
//
// Durability: Record returns only after the transaction holding the records
// committed (store::Database::Write, group-committed with the other writes
// of the moment, synchronous=FULL by default), so a response sent after it
// is on disk: kill -9 right after the reply loses nothing. If the commit
// fails, Record fails and the caller must not answer with the data.
//
// What a record holds: the caller (subject, role, agency or partner), the
// call's full gRPC method and request id, the purpose the caller stated
// (purpose.h; required: Record refuses without one), the action, the
// personal-data fields concerned, the resource names of the records
// disclosed, and the time from the service's clock. No personal data: no
// NIK, phone or name; resources are named, never described.
//
// Retention: records are kept; nothing here prunes them (docs/audit.md:
// at least five years, deleting older ones is a deliberate ops action).
//
// Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/aip/list_query.h"
#include "common/clock/clock.h"
#include "common/context/request_context.h"
#include "common/store/database.h"
#include "umkm/audit/v1/audit.pb.h"

namespace umkm::audit {

// audit_record: one row per disclosure; audit_resource: the resources each
// names, in order, one row each (for `resource = "..."` filters).
inline constexpr std::string_view kAuditLogSchema = R"sql(
CREATE TABLE audit_record (
  id              INTEGER PRIMARY KEY,
  create_time     INTEGER NOT NULL,
  subject         TEXT NOT NULL,
  role            TEXT NOT NULL,
  agency          TEXT NOT NULL,
  partner         TEXT NOT NULL,
  method          TEXT NOT NULL,
  action          INTEGER NOT NULL,
  personal_fields TEXT NOT NULL,
  purpose         TEXT NOT NULL,
  request_id      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_record_created ON audit_record(create_time, id);
CREATE INDEX audit_record_subject ON audit_record(subject, create_time);
CREATE INDEX audit_record_request ON audit_record(request_id);
CREATE TABLE audit_resource (
  record_id INTEGER NOT NULL REFERENCES audit_record(id),
  ordinal   INTEGER NOT NULL,
  resource  TEXT NOT NULL,
  PRIMARY KEY (record_id, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX audit_resource_resource ON audit_resource(resource, record_id);
)sql";

// The collection of audit record names: "auditRecords/{id}".
inline constexpr std::string_view kAuditRecordCollection = "auditRecords";

inline constexpr int kDefaultAuditPageSize = 100;
inline constexpr int kMaxAuditPageSize = 1000;

// One disclosure a call makes.
struct Disclosure {
  v1::AuditAction action = v1::AUDIT_ACTION_UNSPECIFIED;
  // Response paths ("owner.nik") or filter fields ("owner_nik").
  std::vector<std::string> personal_fields;
  // Resource names; duplicates are recorded once, in first-seen order.
  std::vector<std::string> resources;
};

// FAILED_PRECONDITION unless `database` holds the audit tables (a service
// whose migrations do not list kAuditLogSchema): the kit checks it at start.
absl::Status CheckSchema(store::Database& database);

class AuditLog {
 public:
  // Neither `database` nor `clock` is owned; both outlive the log. `clock`
  // gives the records' times. `page_token_key` (at least 32 bytes) signs
  // ListAuditRecords page tokens.
  AuditLog(store::Database* database, const Clock& clock,
           std::string page_token_key);

  // Records `disclosures`, made by the call `context` describes, in one
  // transaction, and returns once it committed. Nothing is written, and the
  // call must not disclose, when it fails:
  //   PERMISSION_DENIED / INVALID_ARGUMENT  no or a malformed purpose
  //                                         (purpose.h)
  //   DEADLINE_EXCEEDED, UNAVAILABLE, ...   the store's (Database::Write)
  // INVALID_ARGUMENT also for a disclosure without an action (a bug in the
  // caller). Nothing to do, OK, for an empty span.
  absl::Status Record(const RequestContext& context,
                      absl::Span<const Disclosure> disclosures) const;

  // One page of records for ListAuditRecords (see audit.proto). Errors:
  // INVALID_ARGUMENT on "page_size", "filter", "order_by" or "page_token".
  absl::StatusOr<v1::ListAuditRecordsResponse> List(
      const RequestContext& context,
      const v1::ListAuditRecordsRequest& request) const;

 private:
  store::Database* database_;
  const Clock& clock_;
  const std::string page_token_key_;
  const aip::ListSchema list_schema_;
};

}  // namespace umkm::audit
