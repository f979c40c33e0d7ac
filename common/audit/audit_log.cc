#include "common/audit/audit_log.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/aip/page_token.h"
#include "common/aip/resource_name.h"
#include "common/audit/purpose.h"
#include "common/base/string_view.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/list_page.h"
#include "google/protobuf/util/time_util.h"

namespace umkm::audit {
namespace {

using store::Connection;
using store::Statement;

constexpr std::string_view kInsertRecord = R"sql(
INSERT INTO audit_record (create_time, subject, role, agency, partner, method,
  action, personal_fields, purpose, request_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql";
constexpr std::string_view kInsertResource =
    "INSERT INTO audit_resource (record_id, ordinal, resource) VALUES (?, ?, "
    "?)";
constexpr std::string_view kSelectResources =
    "SELECT resource FROM audit_resource WHERE record_id = ? ORDER BY ordinal";

// Every AuditAction value but UNSPECIFIED, by name, from the contract.
std::vector<std::pair<std::string, aip::SqlValue>> ActionValues() {
  std::vector<std::pair<std::string, aip::SqlValue>> values;
  const google::protobuf::EnumDescriptor* actions =
      v1::AuditAction_descriptor();
  for (int i = 0; i < actions->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = actions->value(i);
    if (value->number() == v1::AUDIT_ACTION_UNSPECIFIED) continue;
    values.emplace_back(value->name(), int64_t{value->number()});
  }
  return values;
}

// create_time is compared as an RFC 3339 string; the column holds Unix
// microseconds.
absl::Status TimeToMicros(aip::Literal& value) {
  absl::StatusOr<absl::Time> time =
      value.kind == aip::Literal::Kind::kString
          ? ParseRfc3339(value.text)
          : absl::InvalidArgumentError("not a string");
  if (!time.ok()) {
    return InvalidField("filter",
                        "create_time must be a quoted RFC 3339 time, e.g. "
                        "\"2027-01-04T08:00:00+07:00\"");
  }
  value.kind = aip::Literal::Kind::kInteger;
  value.integer = absl::ToUnixMicros(*time);
  return absl::OkStatus();
}

aip::FilterField Text(std::string name) {
  std::string column = name;
  return {.name = std::move(name),
          .column = std::move(column),
          .kind = aip::FieldKind::kString,
          .operators = {aip::CompareOp::kEq, aip::CompareOp::kNe}};
}

aip::ListSchema AuditListSchema() {
  return aip::ListSchema{
      .collection = std::string(kAuditRecordCollection),
      .table = "audit_record",
      .columns = {"id", "create_time", "subject", "role", "agency", "partner",
                  "method", "action", "personal_fields", "purpose",
                  "request_id"},
      .filter = aip::FilterSchema({
          Text("subject"),
          Text("role"),
          Text("agency"),
          Text("partner"),
          Text("method"),
          Text("purpose"),
          Text("request_id"),
          {.name = "action",
           .column = "action",
           .kind = aip::FieldKind::kEnum,
           .enum_values = ActionValues()},
          {.name = "resource",
           .column = "resource",
           .kind = aip::FieldKind::kString,
           .operators = {aip::CompareOp::kEq},
           .values_in = aip::ValuesTable{.table = "audit_resource",
                                         .key = "record_id",
                                         .row = "audit_record.id"}},
          {.name = "create_time",
           .column = "create_time",
           .kind = aip::FieldKind::kInt,
           .rewrite = TimeToMicros},
      }),
      // name orders by id: the order records were committed in.
      .order_by = {{"create_time", "create_time", aip::SqlType::kInt64},
                   {"name", "id", aip::SqlType::kInt64}},
      .default_order_by = "create_time desc, name desc",
      .unique_key = {"id", "id", aip::SqlType::kInt64}};
}

// Reads a record from the listing's columns (see AuditListSchema).
v1::AuditRecord DecodeRecord(const Statement& row) {
  v1::AuditRecord record;
  const int64_t id = row.ColumnInt64(0);
  record.set_name(
      aip::ResourceName(ToAbsl(kAuditRecordCollection), absl::StrCat(id)));
  *record.mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          row.ColumnInt64(1));
  record.set_subject(std::string(row.ColumnText(2)));
  record.set_role(std::string(row.ColumnText(3)));
  record.set_agency(std::string(row.ColumnText(4)));
  record.set_partner(std::string(row.ColumnText(5)));
  record.set_method(std::string(row.ColumnText(6)));
  record.set_action(static_cast<v1::AuditAction>(row.ColumnInt64(7)));
  const std::string_view fields = row.ColumnText(8);
  if (!fields.empty()) {
    for (absl::string_view field : absl::StrSplit(ToAbsl(fields), ',')) {
      record.add_personal_fields(std::string(field));
    }
  }
  record.set_purpose(std::string(row.ColumnText(9)));
  record.set_request_id(std::string(row.ColumnText(10)));
  return record;
}

}  // namespace

absl::Status CheckSchema(store::Database& database) {
  bool present = false;
  UMKM_RETURN_IF_ERROR(database.Read([&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(
        Statement stmt,
        conn.Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                     "AND name IN ('audit_record', 'audit_resource')"));
    UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
    present = row && stmt.ColumnInt64(0) == 2;
    return absl::OkStatus();
  }));
  if (!present) {
    return absl::FailedPreconditionError(
        absl::StrCat(database.path(),
                     " has no audit tables: list {<version>, \"audit_log\", "
                     "audit::kAuditLogSchema} in the service's migrations"));
  }
  return absl::OkStatus();
}

AuditLog::AuditLog(store::Database* database, const Clock& clock,
                   std::string page_token_key)
    : database_(database),
      clock_(clock),
      page_token_key_(std::move(page_token_key)),
      list_schema_(AuditListSchema()) {}

absl::Status AuditLog::Record(const RequestContext& context,
                              absl::Span<const Disclosure> disclosures) const {
  if (disclosures.empty()) return absl::OkStatus();
  UMKM_RETURN_IF_ERROR(RequirePurpose(context));
  for (const Disclosure& disclosure : disclosures) {
    if (disclosure.action == v1::AUDIT_ACTION_UNSPECIFIED) {
      return absl::InvalidArgumentError("audit disclosure without an action");
    }
  }
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  const auth::Caller& caller = context.caller;
  const std::string_view role = auth::RoleName(caller.role);
  return database_->Write(
      [&](Connection& conn) -> absl::Status {
        for (const Disclosure& disclosure : disclosures) {
          {
            UMKM_ASSIGN_OR_RETURN(Statement insert,
                                  conn.Prepare(kInsertRecord));
            insert.BindAll(now, caller.subject, role, caller.agency,
                           caller.partner, ToStd(context.method),
                           static_cast<int64_t>(disclosure.action),
                           absl::StrJoin(disclosure.personal_fields, ","),
                           context.purpose, context.request_id);
            UMKM_RETURN_IF_ERROR(insert.Run());
          }
          const int64_t id = conn.last_insert_rowid();
          UMKM_ASSIGN_OR_RETURN(Statement resource,
                                conn.Prepare(kInsertResource));
          absl::flat_hash_set<absl::string_view> seen;
          int64_t ordinal = 0;
          for (const std::string& name : disclosure.resources) {
            if (!seen.insert(name).second) continue;
            resource.Reset();
            resource.BindAll(id, ordinal++, name);
            UMKM_RETURN_IF_ERROR(resource.Run());
          }
        }
        return absl::OkStatus();
      },
      context.deadline);
}

absl::StatusOr<v1::ListAuditRecordsResponse> AuditLog::List(
    const RequestContext& context,
    const v1::ListAuditRecordsRequest& request) const {
  UMKM_ASSIGN_OR_RETURN(int page_size, aip::ClampPageSize(request.page_size(),
                                                          kDefaultAuditPageSize,
                                                          kMaxAuditPageSize));
  UMKM_ASSIGN_OR_RETURN(
      aip::ListQuery query,
      aip::ListQuery::Compile(list_schema_,
                              {.filter = request.filter(),
                               .order_by = request.order_by(),
                               .page_size = page_size,
                               .page_token = request.page_token()},
                              page_token_key_));
  v1::ListAuditRecordsResponse response;
  UMKM_RETURN_IF_ERROR(database_->Read(
      [&](Connection& conn) -> absl::Status {
        response.Clear();
        std::vector<int64_t> ids;
        UMKM_ASSIGN_OR_RETURN(
            store::PageEnd end,
            store::ReadPage(conn, query, [&](const Statement& row) {
              ids.push_back(row.ColumnInt64(0));
              *response.add_audit_records() = DecodeRecord(row);
              return absl::OkStatus();
            }));
        UMKM_ASSIGN_OR_RETURN(Statement resources,
                              conn.Prepare(kSelectResources));
        for (size_t i = 0; i < ids.size(); ++i) {
          v1::AuditRecord& record =
              *response.mutable_audit_records(static_cast<int>(i));
          resources.Reset();
          resources.BindAll(ids[i]);
          for (;;) {
            UMKM_ASSIGN_OR_RETURN(bool more, resources.Step());
            if (!more) break;
            record.add_resources(std::string(resources.ColumnText(0)));
          }
        }
        response.set_next_page_token(std::move(end.next_page_token));
        response.set_total_size(static_cast<int32_t>(end.total_size));
        return absl::OkStatus();
      },
      context.deadline));
  return response;
}

}  // namespace umkm::audit
