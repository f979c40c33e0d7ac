#include "services/registry/sqlite_business_store.h"

#include <openssl/rand.h>

#include <array>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/aip/list_query.h"
#include "common/aip/resource_name.h"
#include "common/audit/audit_log.h"
#include "common/base/string_view.h"
#include "common/events/outbox.h"
#include "common/events/schema.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/list_page.h"
#include "common/store/row_codec.h"
#include "common/store/sql_values.h"
#include "common/validate/nik.h"
#include "google/protobuf/util/time_util.h"
#include "services/registry/business_events.h"
#include "services/registry/business_rules.h"

namespace umkm::registry {
namespace {

using ::google::protobuf::Timestamp;
using ::google::protobuf::util::TimeUtil;
using store::Blob;
using store::Connection;
using store::Statement;

constexpr store::Migration kMigrations[] = {
    {1, "business", R"sql(
CREATE TABLE business (
  id               TEXT PRIMARY KEY,
  version          INTEGER NOT NULL,
  state            INTEGER NOT NULL,
  nib              TEXT,
  display_name     TEXT NOT NULL,
  kecamatan_code   TEXT NOT NULL,
  kelurahan_code   TEXT NOT NULL,
  scale            INTEGER NOT NULL,
  kbli_code        TEXT,
  kbli_section     TEXT,
  owner_nik_index  TEXT NOT NULL,
  owner_nik_cipher BLOB NOT NULL,
  create_time      INTEGER NOT NULL,
  update_time      INTEGER NOT NULL,
  record           BLOB NOT NULL
) STRICT;
CREATE UNIQUE INDEX business_active_nib ON business(nib)
  WHERE nib IS NOT NULL AND state = 1;
CREATE INDEX business_kecamatan ON business(kecamatan_code, state);
CREATE INDEX business_kelurahan ON business(kelurahan_code, state);
CREATE INDEX business_owner ON business(owner_nik_index);
CREATE INDEX business_created ON business(create_time, id);
CREATE INDEX business_updated ON business(update_time, id);
CREATE INDEX business_display_name ON business(display_name, id);
CREATE TABLE request_log (
  request_id  TEXT PRIMARY KEY,
  method      TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  business_id TEXT NOT NULL REFERENCES business(id),
  create_time INTEGER NOT NULL
) STRICT;
)sql"},
    {2, "events_outbox", events::kOutboxSchema},
    {3, "events_processed", events::kProcessedSchema},
    {4, "business_links", R"sql(
CREATE TABLE business_complaint (
  complaint   TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES business(id),
  open        INTEGER NOT NULL,
  state_time  INTEGER NOT NULL
) STRICT;
CREATE INDEX business_complaint_business ON business_complaint(business_id);
CREATE TABLE business_referral (
  referral            TEXT PRIMARY KEY,
  business_id         TEXT NOT NULL REFERENCES business(id),
  state               INTEGER NOT NULL,
  total_disbursed_idr INTEGER NOT NULL,
  first_seen_time     INTEGER NOT NULL,
  state_time          INTEGER NOT NULL
) STRICT;
CREATE INDEX business_referral_business ON business_referral(business_id);
)sql"},
    // Versions 1-4 kept an unkeyed SHA-256 of each CreateBusiness request in
    // request_log, NIK included: with the database file alone, a NIK (16
    // digits, most of them guessable from region and birth date) can be
    // recovered offline by hashing candidates. The table goes, digests and
    // all; its successor (common/store/request_log.h) keeps HMAC
    // fingerprints under a key derived from the privacy master secret. The
    // cost: a retry of a request made before the upgrade is no longer
    // recognised and would create a second business.
    {5, "request_log_unkeyed_dropped", "DROP TABLE request_log;"},
    {6, "request_log", store::kRequestLogSchema},
    {7, "audit_log", audit::kAuditLogSchema},
};

// What ListBusinesses and GetBusinessStats offer: the fields they filter
// on, the orders List allows, and the columns behind them. owner_nik is
// compared through its blind index, so the filter matches without the NIK
// ever being stored or compared in clear.
aip::ListSchema BusinessListSchema(const privacy::FieldCipher& cipher) {
  return aip::ListSchema{
      .collection = std::string(kBusinessCollection),
      .table = "business",
      .columns = {"id", "version", "record", "owner_nik_cipher"},
      .filter = aip::FilterSchema({
          {"kecamatan_code", "kecamatan_code", aip::FieldKind::kString, {}},
          {"kelurahan_code", "kelurahan_code", aip::FieldKind::kString, {}},
          {"kbli_code", "kbli_code", aip::FieldKind::kString, {}},
          {"kbli_section", "kbli_section", aip::FieldKind::kString, {}},
          {"nib", "nib", aip::FieldKind::kString, {}},
          {.name = std::string(kOwnerNikFilter),
           .column = "owner_nik_index",
           .kind = aip::FieldKind::kString,
           .operators = {aip::CompareOp::kEq, aip::CompareOp::kNe},
           .rewrite = [&cipher](aip::Literal& value) -> absl::Status {
             if (value.kind != aip::Literal::Kind::kString ||
                 !validate::ParseNik(value.text).ok()) {
               return InvalidField("filter",
                                   "owner_nik must be a quoted 16-digit NIK");
             }
             value.text = cipher.BlindIndex(value.text);
             return absl::OkStatus();
           },
           .personal = true},
          {"scale",
           "scale",
           aip::FieldKind::kEnum,
           {{"SCALE_UNSPECIFIED", int64_t{0}},
            {"SCALE_MIKRO", int64_t{1}},
            {"SCALE_KECIL", int64_t{2}},
            {"SCALE_MENENGAH", int64_t{3}},
            {"SCALE_BESAR", int64_t{4}}}},
      }),
      .order_by = {{"create_time", "create_time", aip::SqlType::kInt64},
                   {"update_time", "update_time", aip::SqlType::kInt64},
                   {"display_name", "display_name", aip::SqlType::kText},
                   {"name", "id", aip::SqlType::kText}},
      .default_order_by = "create_time",
      .unique_key = {"name", "id", aip::SqlType::kText},
  };
}

// Active businesses only, unless deleted ones are asked for.
constexpr absl::string_view kActiveOnly = "state = 1";

// The clock's time to the microsecond, what the time columns hold, so that
// a record's times and its columns agree.
absl::Time Now(const Clock& clock) {
  return absl::FromUnixMicros(absl::ToUnixMicros(clock.Now()));
}

Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// 80 random bits as 16 characters of lower-case base32: short, opaque,
// unguessable, and valid in a resource name.
std::string NewBusinessId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::array<unsigned char, 10> bytes;
  if (RAND_bytes(bytes.data(), bytes.size()) != 1) {
    // The CSPRNG failing means the process cannot be trusted with secrets.
    std::abort();
  }
  std::string id;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      id.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return id;
}

std::string BusinessName(absl::string_view id) {
  return aip::ResourceName(kBusinessCollection, id);
}

absl::Status NotFound(absl::string_view id) {
  return WithReason(
      absl::NotFoundError(absl::StrCat(BusinessName(id), " not found")),
      "BUSINESS_NOT_FOUND");
}

// A business as read from its row: the record (name and etag set, full
// NIK) and the row's version.
using Row = store::Versioned<v1::Business>;

class Codec {
 public:
  explicit Codec(const privacy::FieldCipher& cipher) : cipher_(cipher) {}

  // Reads a business from columns (id, version, record, owner_nik_cipher).
  absl::StatusOr<Row> Decode(const Statement& stmt) const {
    const absl::string_view id = ToAbsl(stmt.ColumnText(0));
    const std::string name = BusinessName(id);
    UMKM_ASSIGN_OR_RETURN(
        Row row, store::DecodeRecord<v1::Business>(stmt.ColumnBlob(2),
                                                   stmt.ColumnInt64(1), name));
    const std::string_view cipher = stmt.ColumnBlob(3);
    absl::StatusOr<std::string> nik = cipher_.Decrypt(ToAbsl(cipher), id);
    if (!nik.ok()) {
      return absl::DataLossError(
          absl::StrCat("cannot decrypt owner NIK of ", name));
    }
    row.record.mutable_owner()->set_nik(*std::move(nik));
    row.record.set_name(name);
    return row;
  }

  // Writes every column of business `id` (state and times already set)
  // with `version`, inserting or replacing the row.
  absl::Status Put(Connection& conn, absl::string_view id,
                   const v1::Business& business, int64_t version) const {
    UMKM_ASSIGN_OR_RETURN(std::string nik_cipher,
                          cipher_.Encrypt(business.owner().nik(), id));
    v1::Business record = business;
    record.clear_name();
    record.mutable_owner()->clear_nik();
    const std::string bytes = store::EncodeRecord(std::move(record));
    const std::string section = KbliSectionOf(business);
    UMKM_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(R"sql(
INSERT INTO business (id, version, state, nib, display_name, kecamatan_code,
  kelurahan_code, scale, kbli_code, kbli_section, owner_nik_index,
  owner_nik_cipher, create_time, update_time, record)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
ON CONFLICT (id) DO UPDATE SET version = ?2, state = ?3, nib = ?4,
  display_name = ?5, kecamatan_code = ?6, kelurahan_code = ?7, scale = ?8,
  kbli_code = ?9, kbli_section = ?10, owner_nik_index = ?11,
  owner_nik_cipher = ?12, update_time = ?14, record = ?15)sql"));
    auto optional_text = [](const std::string& s) {
      return s.empty() ? std::nullopt : std::optional<std::string>(s);
    };
    stmt.Bind(1, ToStd(id))
        .Bind(2, version)
        .Bind(3, static_cast<int>(business.state()))
        .Bind(4, optional_text(business.nib()))
        .Bind(5, business.display_name())
        .Bind(6, business.address().kecamatan_code())
        .Bind(7, business.address().kelurahan_code())
        .Bind(8, static_cast<int>(business.scale()))
        .Bind(9, optional_text(business.kbli_code()))
        .Bind(10, optional_text(section))
        .Bind(11, cipher_.BlindIndex(business.owner().nik()))
        .Bind(12, Blob{nik_cipher})
        .Bind(13, TimeUtil::TimestampToMicroseconds(business.create_time()))
        .Bind(14, TimeUtil::TimestampToMicroseconds(business.update_time()))
        .Bind(15, Blob{bytes});
    absl::Status status = stmt.Run();
    if (status.code() == absl::StatusCode::kAlreadyExists) {
      return WithReason(
          absl::AlreadyExistsError(absl::StrCat(
              "an active business already holds NIB ", business.nib())),
          "NIB_TAKEN");
    }
    return status;
  }

 private:
  const privacy::FieldCipher& cipher_;
};

constexpr std::string_view kSelectById =
    "SELECT id, version, record, owner_nik_cipher FROM business WHERE id = ?";

absl::StatusOr<Row> ReadById(Connection& conn, const Codec& codec,
                             absl::string_view id) {
  UMKM_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(kSelectById));
  stmt.Bind(1, ToStd(id));
  UMKM_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return NotFound(id);
  return codec.Decode(stmt);
}

// The request log's fingerprint key, derived from the privacy master
// secret (HMAC under the blind-index key is a PRF, like the page-token key
// in main.cc), so no extra secret is needed and retries are recognised
// across restarts.
std::string RequestFingerprintKey(const privacy::FieldCipher& cipher) {
  return cipher.BlindIndex("umkm-registry request-fingerprint key v1");
}

}  // namespace

absl::Span<const store::Migration> SqliteBusinessStore::Migrations() {
  return kMigrations;
}

absl::StatusOr<std::unique_ptr<SqliteBusinessStore>>
SqliteBusinessStore::Create(store::Database* database,
                            const privacy::FieldCipher* cipher,
                            std::string page_token_key, const Clock& clock) {
  UMKM_RETURN_IF_ERROR(database->Migrate(Migrations()));
  return std::unique_ptr<SqliteBusinessStore>(new SqliteBusinessStore(
      database, cipher, std::move(page_token_key), clock));
}

SqliteBusinessStore::SqliteBusinessStore(store::Database* database,
                                         const privacy::FieldCipher* cipher,
                                         std::string page_token_key,
                                         const Clock& clock)
    : database_(database),
      cipher_(cipher),
      clock_(clock),
      page_token_key_(std::move(page_token_key)),
      list_schema_(BusinessListSchema(*cipher)),
      request_log_(RequestFingerprintKey(*cipher), clock) {}

absl::Status SqliteBusinessStore::Write(
    const RequestContext& context,
    absl::FunctionRef<absl::Status(Connection&)> fn) {
  // Every write of a call comes through here: its wait for the writer (and
  // for a lock another process holds) never outlasts the caller.
  return database_->Write(fn, context.deadline);
}

absl::Status SqliteBusinessStore::Read(
    const RequestContext& context,
    absl::FunctionRef<absl::Status(Connection&)> fn) {
  return database_->Read(fn, context.deadline);
}

absl::StatusOr<v1::Business> SqliteBusinessStore::Create(
    const RequestContext& context, v1::Business business,
    const RequestKey& key) {
  const Codec codec(*cipher_);
  v1::Business result;
  UMKM_RETURN_IF_ERROR(Write(context, [&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(std::optional<std::string> prior,
                          request_log_.Find(conn, "CreateBusiness", key));
    if (prior) {
      UMKM_ASSIGN_OR_RETURN(Row row, ReadById(conn, codec, *prior));
      result = std::move(row.record);
      return absl::OkStatus();
    }
    const std::string id = NewBusinessId();
    const absl::Time now = Now(clock_);
    v1::Business row = business;
    row.set_name(BusinessName(id));
    row.set_state(v1::Business::STATE_ACTIVE);
    *row.mutable_create_time() = ToTimestamp(now);
    *row.mutable_update_time() = ToTimestamp(now);
    UMKM_RETURN_IF_ERROR(codec.Put(conn, id, row, 1));
    UMKM_RETURN_IF_ERROR(request_log_.Record(conn, "CreateBusiness", key, id));
    UMKM_RETURN_IF_ERROR(events::AppendToOutbox(
        conn, RegisteredEvent(row, context.correlation_id, now)));
    store::SetEtag(row, 1);
    result = std::move(row);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<v1::Business> SqliteBusinessStore::Get(
    const RequestContext& context, absl::string_view id) {
  const Codec codec(*cipher_);
  v1::Business result;
  UMKM_RETURN_IF_ERROR(Read(context, [&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(Row row, ReadById(conn, codec, id));
    result = std::move(row.record);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<v1::Business> SqliteBusinessStore::FindByNib(
    const RequestContext& context, absl::string_view nib) {
  const Codec codec(*cipher_);
  v1::Business result;
  UMKM_RETURN_IF_ERROR(Read(context, [&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(
        Statement stmt,
        conn.Prepare("SELECT id, version, record, owner_nik_cipher FROM "
                     "business WHERE nib = ? AND state = 1"));
    stmt.Bind(1, ToStd(nib));
    UMKM_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) {
      return WithReason(absl::NotFoundError(
                            absl::StrCat("no active business holds NIB ", nib)),
                        "BUSINESS_NOT_FOUND");
    }
    UMKM_ASSIGN_OR_RETURN(Row row, codec.Decode(stmt));
    result = std::move(row.record);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::vector<v1::Business>> SqliteBusinessStore::GetMany(
    const RequestContext& context, absl::Span<const std::string> ids) {
  const Codec codec(*cipher_);
  std::vector<v1::Business> result;
  UMKM_RETURN_IF_ERROR(Read(context, [&](Connection& conn) -> absl::Status {
    result.clear();
    result.reserve(ids.size());
    for (const std::string& id : ids) {
      UMKM_ASSIGN_OR_RETURN(Row row, ReadById(conn, codec, id));
      result.push_back(std::move(row.record));
    }
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<ListPage> SqliteBusinessStore::List(
    const RequestContext& context, const ListQuery& query) {
  std::vector<absl::string_view> conditions;
  if (!query.show_deleted) conditions.push_back(kActiveOnly);
  std::vector<absl::string_view> personal_allowed(
      query.personal_filters_allowed.begin(),
      query.personal_filters_allowed.end());
  UMKM_ASSIGN_OR_RETURN(aip::ListQuery list,
                        aip::ListQuery::Compile(
                            list_schema_,
                            {.filter = query.filter,
                             .order_by = query.order_by,
                             .page_size = query.page_size,
                             .page_token = query.page_token,
                             .conditions = std::move(conditions),
                             .token_binding = {query.show_deleted ? "1" : "0"},
                             .personal_allowed = std::move(personal_allowed)},
                            page_token_key_));
  const Codec codec(*cipher_);
  ListPage page;
  UMKM_RETURN_IF_ERROR(Read(context, [&](Connection& conn) -> absl::Status {
    page = ListPage();
    UMKM_ASSIGN_OR_RETURN(
        store::PageEnd end,
        store::ReadPage(conn, list, [&](const Statement& row) -> absl::Status {
          UMKM_ASSIGN_OR_RETURN(Row business, codec.Decode(row));
          page.businesses.push_back(std::move(business.record));
          return absl::OkStatus();
        }));
    page.next_page_token = std::move(end.next_page_token);
    page.total_size = end.total_size;
    return absl::OkStatus();
  }));
  page.personal_filters_used = list.where().personal_fields;
  return page;
}

absl::StatusOr<v1::Business> SqliteBusinessStore::Update(
    const RequestContext& context, absl::string_view id, absl::string_view etag,
    const std::vector<std::string>& changed_fields,
    absl::FunctionRef<absl::Status(v1::Business&)> mutate) {
  const Codec codec(*cipher_);
  v1::Business result;
  UMKM_RETURN_IF_ERROR(Write(context, [&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(Row row, ReadById(conn, codec, id));
    v1::Business& business = row.record;
    if (business.state() != v1::Business::STATE_ACTIVE) return NotFound(id);
    UMKM_RETURN_IF_ERROR(row.CheckEtag(etag));
    const int64_t version = row.version;
    UMKM_RETURN_IF_ERROR(mutate(business));
    business.set_name(BusinessName(id));
    const absl::Time now = Now(clock_);
    *business.mutable_update_time() = ToTimestamp(now);
    UMKM_RETURN_IF_ERROR(codec.Put(conn, id, business, version + 1));
    UMKM_RETURN_IF_ERROR(events::AppendToOutbox(
        conn,
        UpdatedEvent(business, changed_fields, context.correlation_id, now)));
    store::SetEtag(business, version + 1);
    result = std::move(business);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<v1::Business> SqliteBusinessStore::Delete(
    const RequestContext& context, absl::string_view id, absl::string_view etag,
    const RequestKey& key) {
  const Codec codec(*cipher_);
  v1::Business result;
  UMKM_RETURN_IF_ERROR(Write(context, [&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(std::optional<std::string> prior,
                          request_log_.Find(conn, "DeleteBusiness", key));
    if (prior) {
      UMKM_ASSIGN_OR_RETURN(Row row, ReadById(conn, codec, *prior));
      result = std::move(row.record);
      return absl::OkStatus();
    }
    UMKM_ASSIGN_OR_RETURN(Row row, ReadById(conn, codec, id));
    v1::Business& business = row.record;
    if (business.state() != v1::Business::STATE_ACTIVE) return NotFound(id);
    UMKM_RETURN_IF_ERROR(row.CheckEtag(etag));
    const int64_t version = row.version;
    const absl::Time now = Now(clock_);
    business.set_state(v1::Business::STATE_DELETED);
    *business.mutable_update_time() = ToTimestamp(now);
    *business.mutable_delete_time() = ToTimestamp(now);
    UMKM_RETURN_IF_ERROR(codec.Put(conn, id, business, version + 1));
    UMKM_RETURN_IF_ERROR(request_log_.Record(conn, "DeleteBusiness", key, id));
    UMKM_RETURN_IF_ERROR(events::AppendToOutbox(
        conn, DeactivatedEvent(business, context.correlation_id, now)));
    store::SetEtag(business, version + 1);
    result = std::move(business);
    return absl::OkStatus();
  }));
  return result;
}

absl::Status SqliteBusinessStore::ApplyEventEffect(
    store::Connection& conn, const RequestContext& /*context*/,
    absl::string_view id,
    absl::FunctionRef<absl::Status(v1::Business&)> mutate) const {
  const Codec codec(*cipher_);
  UMKM_ASSIGN_OR_RETURN(Row row, ReadById(conn, codec, id));
  UMKM_RETURN_IF_ERROR(mutate(row.record));
  *row.record.mutable_update_time() = ToTimestamp(Now(clock_));
  return codec.Put(conn, id, row.record, row.version + 1);
}

absl::Status SqliteBusinessStore::RecordVisit(
    store::Connection& conn, const RequestContext& context,
    absl::string_view id, const google::protobuf::Timestamp& visit_time) {
  return ApplyEventEffect(conn, context, id, [&](v1::Business& business) {
    if (!business.has_last_visit_time() ||
        business.last_visit_time() < visit_time) {
      *business.mutable_last_visit_time() = visit_time;
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteBusinessStore::RecordComplaintState(
    store::Connection& conn, const RequestContext& context,
    absl::string_view id, absl::string_view complaint, bool open,
    const google::protobuf::Timestamp& state_time) {
  return ApplyEventEffect(conn, context, id, [&](v1::Business& business) {
    // One row per complaint; the newest state (by event time) wins.
    UMKM_RETURN_IF_ERROR(conn.Execute(
        "INSERT INTO business_complaint (complaint, business_id, open, "
        "state_time) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (complaint) DO "
        "UPDATE SET open = ?3, state_time = ?4 WHERE state_time <= ?4",
        ToStd(complaint), ToStd(id), open ? 1 : 0,
        TimeUtil::TimestampToMicroseconds(state_time)));
    UMKM_ASSIGN_OR_RETURN(
        Statement count,
        conn.Prepare("SELECT COUNT(*) FROM business_complaint WHERE "
                     "business_id = ? AND open = 1"));
    count.BindAll(ToStd(id));
    UMKM_ASSIGN_OR_RETURN(bool row, count.Step());
    business.set_open_complaint_count(
        row ? static_cast<int32_t>(count.ColumnInt64(0)) : 0);
    return absl::OkStatus();
  });
}

absl::Status SqliteBusinessStore::RecordReferralState(
    store::Connection& conn, const RequestContext& context,
    absl::string_view id, absl::string_view referral,
    umkm::common::v1::ReferralState state, int64_t total_disbursed_idr,
    const google::protobuf::Timestamp& state_time) {
  return ApplyEventEffect(conn, context, id, [&](v1::Business& business) {
    // One row per referral; the newest known state (by event time) wins.
    UMKM_RETURN_IF_ERROR(conn.Execute(
        "INSERT INTO business_referral (referral, business_id, state, "
        "total_disbursed_idr, first_seen_time, state_time) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (referral) DO UPDATE "
        "SET state = ?3, total_disbursed_idr = MAX(total_disbursed_idr, ?4), "
        "state_time = ?5 WHERE state_time <= ?5 AND ?3 <> 0",
        ToStd(referral), ToStd(id), static_cast<int>(state),
        total_disbursed_idr, TimeUtil::TimestampToMicroseconds(state_time)));
    UMKM_ASSIGN_OR_RETURN(
        Statement summary,
        conn.Prepare("SELECT COUNT(*), COALESCE(SUM(total_disbursed_idr), 0) "
                     "FROM business_referral WHERE business_id = ?"));
    summary.BindAll(ToStd(id));
    UMKM_ASSIGN_OR_RETURN(bool row, summary.Step());
    v1::FinancingSummary* financing = business.mutable_financing();
    if (row) {
      financing->set_referral_count(
          static_cast<int32_t>(summary.ColumnInt64(0)));
      financing->set_total_disbursed_idr(summary.ColumnInt64(1));
    }
    UMKM_ASSIGN_OR_RETURN(
        Statement last,
        conn.Prepare("SELECT referral, state FROM business_referral WHERE "
                     "business_id = ? ORDER BY first_seen_time DESC, "
                     "referral DESC LIMIT 1"));
    last.BindAll(ToStd(id));
    UMKM_ASSIGN_OR_RETURN(bool found, last.Step());
    if (found) {
      financing->set_last_referral(std::string(last.ColumnText(0)));
      financing->set_last_referral_state(
          static_cast<umkm::common::v1::ReferralState>(last.ColumnInt64(1)));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Stats> SqliteBusinessStore::CountActive(
    const RequestContext& context, absl::string_view filter_text,
    absl::Span<const absl::string_view> personal_filters_allowed) {
  const absl::string_view conditions[] = {kActiveOnly};
  UMKM_ASSIGN_OR_RETURN(
      const aip::SqlWhere where,
      aip::CompileWhere(list_schema_.filter, filter_text, conditions,
                        personal_filters_allowed));
  Stats stats;
  UMKM_RETURN_IF_ERROR(Read(context, [&](Connection& conn) -> absl::Status {
    stats = Stats();
    // One pass per grouping; each is an index-assisted scan of the
    // matching rows, all inside one snapshot so the totals agree.
    auto group = [&](absl::string_view column, auto&& add) -> absl::Status {
      UMKM_ASSIGN_OR_RETURN(
          Statement stmt,
          conn.PrepareUncached(
              absl::StrCat("SELECT ", column, ", COUNT(*) FROM business WHERE ",
                           where.sql, " GROUP BY 1 ORDER BY 1")));
      store::BindValues(stmt, where.params);
      for (;;) {
        UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) return absl::OkStatus();
        add(stmt);
      }
    };
    UMKM_RETURN_IF_ERROR(group("kecamatan_code", [&](const Statement& s) {
      stats.per_kecamatan.emplace_back(std::string(s.ColumnText(0)),
                                       s.ColumnInt64(1));
      stats.total += s.ColumnInt64(1);
    }));
    UMKM_RETURN_IF_ERROR(group("scale", [&](const Statement& s) {
      stats.per_scale.emplace_back(static_cast<int>(s.ColumnInt64(0)),
                                   s.ColumnInt64(1));
    }));
    UMKM_RETURN_IF_ERROR(
        group("COALESCE(kbli_section, '')", [&](const Statement& s) {
          stats.per_kbli_section.emplace_back(std::string(s.ColumnText(0)),
                                              s.ColumnInt64(1));
        }));
    return absl::OkStatus();
  }));
  stats.personal_filters_used = where.personal_fields;
  return stats;
}

}  // namespace umkm::registry
