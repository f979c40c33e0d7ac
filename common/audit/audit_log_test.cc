// The audit log against a real SQLite file: what a record holds, that it
// needs a purpose, and ListAuditRecords' filters and pages.
#include "common/audit/audit_log.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace umkm::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

constexpr char kPageTokenKey[] = "audit-page-token-key-0123456789abcdef";
constexpr char kGet[] = "/umkm.registry.v1.RegistryService/GetBusiness";
constexpr char kList[] = "/umkm.registry.v1.RegistryService/ListBusinesses";

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    log_.reset();
    database_.reset();
    auto database = store::Database::Open(dir_.File("svc.db"));
    ASSERT_THAT(database, IsOk());
    database_ = *std::move(database);
    const store::Migration migrations[] = {{1, "audit_log", kAuditLogSchema}};
    ASSERT_THAT(database_->Migrate(migrations), IsOk());
    log_ = std::make_unique<AuditLog>(database_.get(), clock_, kPageTokenKey);
  }

  static RequestContext Admin(const std::string& request_id,
                              absl::string_view method = kGet) {
    RequestContext context;
    context.caller = {.subject = "ops-1", .role = auth::Role::kAdmin};
    context.request_id = request_id;
    context.correlation_id = request_id;
    context.method = method;
    context.purpose = "data_correction:TIKET-7";
    return context;
  }

  static Disclosure Read(std::vector<std::string> resources) {
    return {.action = v1::AUDIT_ACTION_READ_PERSONAL_DATA,
            .personal_fields = {"owner.nik"},
            .resources = std::move(resources)};
  }

  v1::ListAuditRecordsResponse List(const std::string& filter,
                                    int page_size = 0,
                                    const std::string& token = "") {
    v1::ListAuditRecordsRequest request;
    request.set_filter(filter);
    request.set_page_size(page_size);
    request.set_page_token(token);
    absl::StatusOr<v1::ListAuditRecordsResponse> response =
        log_->List(Admin("list"), request);
    EXPECT_THAT(response, IsOk());
    return response.ok() ? *std::move(response)
                         : v1::ListAuditRecordsResponse();
  }

  static std::vector<std::string> RequestIds(
      const v1::ListAuditRecordsResponse& response) {
    std::vector<std::string> ids;
    for (const auto& record : response.audit_records()) {
      ids.push_back(record.request_id());
    }
    return ids;
  }

  umkm::testing::TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1799049600)};  // 2027-01-04T08:00Z
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, RecordHoldsWhoWhatWhichWhenWhyAndSurvivesAReopen) {
  RequestContext official = Admin("req-1", kList);
  official.caller = {.subject = "siti",
                     .role = auth::Role::kOfficial,
                     .agency = "DISKOPINDAG"};
  official.purpose = "duplicate_check";
  ASSERT_THAT(
      log_->Record(
          official,
          {{.action = v1::AUDIT_ACTION_FILTER_BY_PERSONAL_DATA,
            .personal_fields = {"owner_nik"},
            .resources = {"businesses/b1", "businesses/b2", "businesses/b1"}}}),
      IsOk());
  Open();  // what Record returned for is on disk

  v1::ListAuditRecordsResponse all = List("");
  ASSERT_EQ(all.audit_records_size(), 1);
  const v1::AuditRecord& record = all.audit_records(0);
  EXPECT_EQ(record.name(), "auditRecords/1");
  EXPECT_EQ(google::protobuf::util::TimeUtil::TimestampToSeconds(
                record.create_time()),
            1799049600);
  EXPECT_EQ(record.subject(), "siti");
  EXPECT_EQ(record.role(), "official");
  EXPECT_EQ(record.agency(), "DISKOPINDAG");
  EXPECT_EQ(record.partner(), "");
  EXPECT_EQ(record.method(), kList);
  EXPECT_EQ(record.action(), v1::AUDIT_ACTION_FILTER_BY_PERSONAL_DATA);
  EXPECT_THAT(record.personal_fields(), ElementsAre("owner_nik"));
  // Each resource once, in the order disclosed.
  EXPECT_THAT(record.resources(),
              ElementsAre("businesses/b1", "businesses/b2"));
  EXPECT_EQ(record.purpose(), "duplicate_check");
  EXPECT_EQ(record.request_id(), "req-1");
  EXPECT_EQ(all.total_size(), 1);
}

TEST_F(AuditLogTest, NoPurposeNoRecordAndTheCallerMustNotDisclose) {
  RequestContext context = Admin("req-1");
  context.purpose = "";
  absl::Status refused = log_->Record(context, {Read({"businesses/b1"})});
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ReasonOf(refused), "PURPOSE_REQUIRED");
  context.purpose = "legal_obligation:3573021508900001";
  EXPECT_THAT(log_->Record(context, {Read({"businesses/b1"})}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(List("").audit_records_size(), 0);
  // Nothing disclosed, nothing needed.
  context.purpose = "";
  EXPECT_THAT(log_->Record(context, {}), IsOk());
}

TEST_F(AuditLogTest, OneCallsDisclosuresCommitTogether) {
  ASSERT_THAT(log_->Record(Admin("req-1", kList),
                           {{.action = v1::AUDIT_ACTION_FILTER_BY_PERSONAL_DATA,
                             .personal_fields = {"owner_nik"},
                             .resources = {"businesses/b1"}},
                            Read({"businesses/b1"})}),
              IsOk());
  v1::ListAuditRecordsResponse all = List("request_id = \"req-1\"");
  EXPECT_EQ(all.audit_records_size(), 2);
  // A deadline already passed: nothing of it is written.
  RequestContext late = Admin("req-2");
  late.deadline = absl::Now() - absl::Seconds(1);
  EXPECT_THAT(log_->Record(late, {Read({"businesses/b2"})}),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_EQ(List("request_id = \"req-2\"").audit_records_size(), 0);
}

TEST_F(AuditLogTest, FiltersBySubjectResourceActionRequestIdAndTime) {
  ASSERT_THAT(log_->Record(Admin("r1"), {Read({"businesses/b1"})}), IsOk());
  clock_.Advance(absl::Hours(1));
  RequestContext service = Admin("r2");
  service.caller = {.subject = "umkm-financing", .role = auth::Role::kService};
  ASSERT_THAT(log_->Record(service, {Read({"businesses/b2", "businesses/b3"})}),
              IsOk());
  clock_.Advance(absl::Hours(1));
  ASSERT_THAT(log_->Record(Admin("r3", kList),
                           {{.action = v1::AUDIT_ACTION_FILTER_BY_PERSONAL_DATA,
                             .personal_fields = {"owner_nik"}}}),
              IsOk());

  // Newest first by default.
  EXPECT_THAT(RequestIds(List("")), ElementsAre("r3", "r2", "r1"));
  EXPECT_THAT(RequestIds(List("subject = \"umkm-financing\"")),
              ElementsAre("r2"));
  EXPECT_THAT(RequestIds(List("role = \"admin\"")), ElementsAre("r3", "r1"));
  EXPECT_THAT(RequestIds(List("resource = \"businesses/b3\"")),
              ElementsAre("r2"));
  EXPECT_THAT(RequestIds(List("resource = \"businesses/b9\"")), IsEmpty());
  EXPECT_THAT(RequestIds(List("action = AUDIT_ACTION_FILTER_BY_PERSONAL_DATA")),
              ElementsAre("r3"));
  EXPECT_THAT(RequestIds(List("method = \"" + std::string(kGet) + "\"")),
              ElementsAre("r2", "r1"));
  // 08:00Z, 09:00Z, 10:00Z.
  EXPECT_THAT(RequestIds(List("create_time >= \"2027-01-04T09:00:00Z\" AND "
                              "create_time < \"2027-01-04T17:00:00+07:00\"")),
              ElementsAre("r2"));
  v1::ListAuditRecordsRequest bad;
  bad.set_filter("create_time >= \"yesterday\"");
  EXPECT_THAT(log_->List(Admin("x"), bad),
              StatusIs(absl::StatusCode::kInvalidArgument));
  bad.set_filter("owner_nik = \"3573021508900001\"");
  EXPECT_THAT(log_->List(Admin("x"), bad),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(AuditLogTest, PagesThroughEveryRecordOnce) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_THAT(log_->Record(Admin(absl::StrCat("r", i)),
                             {Read({absl::StrCat("businesses/b", i)})}),
                IsOk());
  }
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListAuditRecordsResponse page = List("role = \"admin\"", 3, token);
    EXPECT_EQ(page.total_size(), 7);
    for (const std::string& id : RequestIds(page)) seen.push_back(id);
    token = page.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre("r6", "r5", "r4", "r3", "r2", "r1", "r0"));
  // A token is bound to its filter.
  v1::ListAuditRecordsRequest other;
  other.set_page_size(3);
  other.set_page_token(List("", 3).next_page_token());
  other.set_filter("role = \"service\"");
  EXPECT_THAT(log_->List(Admin("x"), other),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AuditSchemaTest, CheckSchemaNamesTheMissingMigration) {
  umkm::testing::TempDir dir;
  auto database = store::Database::Open(dir.File("bare.db"));
  ASSERT_THAT(database, IsOk());
  absl::Status missing = CheckSchema(**database);
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(missing.message(), ::testing::HasSubstr("kAuditLogSchema"));
  const store::Migration migrations[] = {{1, "audit_log", kAuditLogSchema}};
  ASSERT_THAT((*database)->Migrate(migrations), IsOk());
  EXPECT_THAT(CheckSchema(**database), IsOk());
}

}  // namespace
}  // namespace umkm::audit
