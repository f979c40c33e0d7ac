#include "services/registry/sqlite_business_store.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/aip/resource_name.h"
#include "common/events/envelope.h"
#include "common/events/outbox.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/registry/business_rules.h"
#include "services/registry/testing/fixtures.h"

namespace umkm::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ValidBusiness;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

constexpr char kSecret[] = "privacy-master-secret-for-tests-only-0123456789";

class SqliteBusinessStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cipher = privacy::FieldCipher::FromSecret(kSecret);
    ASSERT_THAT(cipher, IsOk());
    cipher_ = std::make_unique<privacy::FieldCipher>(*std::move(cipher));
    auto database = store::Database::Open(dir_.File("registry.db"));
    ASSERT_THAT(database, IsOk());
    database_ = *std::move(database);
    auto store = SqliteBusinessStore::Create(
        database_.get(), cipher_.get(), "page-token-key-for-tests-0123456789",
        clock_);
    ASSERT_THAT(store, IsOk());
    store_ = *std::move(store);
  }

  // A normalised business with a distinct NIB and name.
  v1::Business Business(int n) {
    v1::Business business = ValidBusiness();
    business.set_display_name(absl::StrCat("Usaha ", 1000 + n));
    business.set_nib(absl::StrCat(9120000000000 + n));
    EXPECT_THAT(NormalizeBusiness(business), IsOk());
    return business;
  }

  v1::Business MustCreate(v1::Business business, RequestKey key = {}) {
    absl::StatusOr<v1::Business> created =
        store_->Create(context_, business, key);
    EXPECT_THAT(created, IsOk());
    return created.ok() ? *created : v1::Business();
  }

  static std::string IdOf(const v1::Business& business) {
    absl::StatusOr<std::string> id =
        aip::ParseResourceId(business.name(), kBusinessCollection);
    EXPECT_THAT(id, IsOk());
    return id.ok() ? *id : "";
  }

  // The events of this work carry "corr-7".
  RequestContext context_{.request_id = "corr-7", .correlation_id = "corr-7"};
  FakeClock clock_{absl::FromUnixSeconds(1'767'225'600)};  // 2026-01-01
  umkm::testing::TempDir dir_;
  std::unique_ptr<privacy::FieldCipher> cipher_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<SqliteBusinessStore> store_;
};

TEST_F(SqliteBusinessStoreTest, CreateThenGetRoundTrips) {
  v1::Business created = MustCreate(Business(1));
  EXPECT_THAT(created.name(), HasSubstr("businesses/"));
  EXPECT_EQ(created.state(), v1::Business::STATE_ACTIVE);
  EXPECT_EQ(created.etag(), "W/\"1\"");
  EXPECT_TRUE(created.has_create_time());
  absl::StatusOr<v1::Business> got = store_->Get(context_, IdOf(created));
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(got->owner().nik(), "3573021508900001");
}

TEST_F(SqliteBusinessStoreTest, NikIsNeverWrittenInClear) {
  MustCreate(Business(1));
  database_.reset();  // checkpoint and close, so everything is in the file
  std::ifstream file(dir_.File("registry.db"), std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  EXPECT_THAT(bytes.str(), Not(HasSubstr("3573021508900001")));
  EXPECT_THAT(bytes.str(),
              HasSubstr("Keripik tempe"));  // sanity: data is there
}

TEST_F(SqliteBusinessStoreTest,
       WorkWhoseDeadlinePassedIsRefusedAndWritesNothing) {
  v1::Business kept = MustCreate(Business(1));
  RequestContext late = context_;
  late.deadline = absl::Now() - absl::Seconds(1);
  const auto deadline_exceeded = StatusIs(absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(store_->Create(late, Business(2), {}), deadline_exceeded);
  EXPECT_THAT(store_->Get(late, IdOf(kept)), deadline_exceeded);
  EXPECT_THAT(store_->FindByNib(late, kept.nib()), deadline_exceeded);
  EXPECT_THAT(store_->GetMany(late, {IdOf(kept)}), deadline_exceeded);
  EXPECT_THAT(store_->List(late, {.page_size = 10}), deadline_exceeded);
  EXPECT_THAT(store_->CountActive(late, "", {}), deadline_exceeded);
  EXPECT_EQ(store_->List(context_, {.page_size = 10})->total_size, 1);
}

TEST_F(SqliteBusinessStoreTest, UnknownIdIsNotFound) {
  EXPECT_THAT(store_->Get(context_, "nosuchid"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SqliteBusinessStoreTest, SecondActiveBusinessWithSameNibIsRejected) {
  v1::Business first = MustCreate(Business(1));
  v1::Business twin = Business(2);
  twin.set_nib(first.nib());
  absl::StatusOr<v1::Business> second = store_->Create(context_, twin, {});
  EXPECT_THAT(second, StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(ReasonOf(second.status()), "NIB_TAKEN");
  // Once the first is deleted its NIB is free again.
  ASSERT_THAT(store_->Delete(context_, IdOf(first), "", {}), IsOk());
  EXPECT_THAT(store_->Create(context_, twin, {}), IsOk());
}

TEST_F(SqliteBusinessStoreTest, RepeatedRequestIdReturnsFirstResult) {
  RequestKey key{"req-1", "fingerprint-a"};
  v1::Business first = MustCreate(Business(1), key);
  v1::Business again = MustCreate(Business(1), key);
  EXPECT_EQ(again.name(), first.name());
  absl::StatusOr<ListPage> page = store_->List(context_, {.page_size = 10});
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->total_size, 1);
}

TEST_F(SqliteBusinessStoreTest, RequestIdReusedForOtherDataIsRefused) {
  MustCreate(Business(1), {"req-1", "fingerprint-a"});
  absl::StatusOr<v1::Business> other =
      store_->Create(context_, Business(2), {"req-1", "fingerprint-b"});
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(SqliteBusinessStoreUpgradeTest, UnkeyedRequestFingerprintsAreDropped) {
  umkm::testing::TempDir dir;
  auto database = store::Database::Open(dir.File("registry.db"));
  ASSERT_THAT(database, IsOk());
  // A file as versions 1-4 left it, with an unkeyed digest in request_log.
  ASSERT_THAT(
      (*database)->Migrate(SqliteBusinessStore::Migrations().subspan(0, 4)),
      IsOk());
  auto count = [&](const char* sql) {
    int64_t n = -1;
    EXPECT_THAT((*database)->Read([&](store::Connection& conn) -> absl::Status {
      UMKM_ASSIGN_OR_RETURN(store::Statement stmt, conn.Prepare(sql));
      UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (row) n = stmt.ColumnInt64(0);
      return absl::OkStatus();
    }),
                IsOk());
    return n;
  };
  ASSERT_THAT((*database)->Write([&](store::Connection& conn) -> absl::Status {
    UMKM_RETURN_IF_ERROR(conn.Execute(
        "INSERT INTO business VALUES ('b1', 1, 1, NULL, 'x', '35.73.01', "
        "'35.73.01.1007', 1, NULL, NULL, 'i', x'00', 0, 0, x'')"));
    return conn.Execute(
        "INSERT INTO request_log VALUES ('req-1', 'CreateBusiness', "
        "'sha256-of-the-request-with-its-nik', 'b1', 0)");
  }),
              IsOk());
  ASSERT_EQ(count("SELECT COUNT(*) FROM request_log"), 1);

  auto cipher = privacy::FieldCipher::FromSecret(kSecret);
  ASSERT_THAT(cipher, IsOk());
  auto store = SqliteBusinessStore::Create(
      database->get(), &*cipher, "page-token-key-for-tests-0123456789");
  ASSERT_THAT(store, IsOk());
  EXPECT_EQ(count("SELECT COUNT(*) FROM request_log"), 0);
  // The new log works: a retry is recognised again.
  v1::Business business = ValidBusiness();
  ASSERT_THAT(NormalizeBusiness(business), IsOk());
  absl::StatusOr<v1::Business> first =
      (*store)->Create({}, business, {"req-1", "request"});
  ASSERT_THAT(first, IsOk());
  absl::StatusOr<v1::Business> again =
      (*store)->Create({}, business, {"req-1", "request"});
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->name(), first->name());
}

TEST_F(SqliteBusinessStoreTest, ChangesTakeTheirTimeAndCorrelationFromTheCall) {
  v1::Business created = MustCreate(Business(1));
  EXPECT_EQ(created.create_time().seconds(), 1'767'225'600);
  clock_.Advance(absl::Minutes(5));
  RequestContext update = context_;
  update.correlation_id = "corr-8";
  absl::StatusOr<v1::Business> updated = store_->Update(
      update, IdOf(created), "", {"display_name"}, [](v1::Business& b) {
        b.set_display_name("Nama Baru");
        return absl::OkStatus();
      });
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->update_time().seconds(), 1'767'225'900);
  EXPECT_EQ(updated->create_time().seconds(), 1'767'225'600);
  clock_.Advance(absl::Minutes(5));
  RequestContext remove = context_;
  remove.correlation_id = "corr-9";
  absl::StatusOr<v1::Business> deleted =
      store_->Delete(remove, IdOf(created), "", {});
  ASSERT_THAT(deleted, IsOk());
  EXPECT_EQ(deleted->delete_time().seconds(), 1'767'226'200);

  std::vector<std::pair<std::string, int64_t>> events;
  ASSERT_THAT(database_->Read([&](store::Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(std::vector<events::OutboxRow> rows,
                          events::ReadPendingOutbox(conn, 10));
    for (const events::OutboxRow& row : rows) {
      UMKM_ASSIGN_OR_RETURN(events::v1::Event event,
                            events::Parse(row.payload));
      events.emplace_back(event.correlation_id(),
                          event.occurred_time().seconds());
    }
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_THAT(
      events,
      ElementsAre(std::pair<std::string, int64_t>{"corr-7", 1'767'225'600},
                  std::pair<std::string, int64_t>{"corr-8", 1'767'225'900},
                  std::pair<std::string, int64_t>{"corr-9", 1'767'226'200}));
}

TEST_F(SqliteBusinessStoreTest, UpdateChecksEtagAndBumpsIt) {
  v1::Business created = MustCreate(Business(1));
  auto rename = [](v1::Business& b) {
    b.set_display_name("Nama Baru");
    return absl::OkStatus();
  };
  absl::StatusOr<v1::Business> updated = store_->Update(
      context_, IdOf(created), created.etag(), {"display_name"}, rename);
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->display_name(), "Nama Baru");
  EXPECT_EQ(updated->etag(), "W/\"2\"");
  // The first etag is stale now.
  EXPECT_THAT(store_->Update(context_, IdOf(created), created.etag(),
                             {"display_name"}, rename),
              StatusIs(absl::StatusCode::kAborted));
}

TEST_F(SqliteBusinessStoreTest, FailedMutationChangesNothing) {
  v1::Business created = MustCreate(Business(1));
  absl::StatusOr<v1::Business> result = store_->Update(
      context_, IdOf(created), "", {"display_name"}, [](v1::Business& b) {
        b.set_display_name("half written");
        return InvalidField("business.owner.nik", "bad");
      });
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<v1::Business> after = store_->Get(context_, IdOf(created));
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->display_name(), created.display_name());
  EXPECT_EQ(after->etag(), created.etag());
}

TEST_F(SqliteBusinessStoreTest, DeleteIsSoftAndIdempotentByRequestId) {
  v1::Business created = MustCreate(Business(1));
  RequestKey key{"del-1", "f"};
  absl::StatusOr<v1::Business> deleted =
      store_->Delete(context_, IdOf(created), created.etag(), key);
  ASSERT_THAT(deleted, IsOk());
  EXPECT_EQ(deleted->state(), v1::Business::STATE_DELETED);
  EXPECT_TRUE(deleted->has_delete_time());
  EXPECT_THAT(store_->Delete(context_, IdOf(created), "", {}),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->Delete(context_, IdOf(created), "", key), IsOk());
  // Still readable by name, gone from lists unless asked for.
  EXPECT_THAT(store_->Get(context_, IdOf(created)), IsOk());
  EXPECT_EQ(store_->List(context_, {.page_size = 10})->total_size, 0);
  EXPECT_EQ(store_->List(context_, {.show_deleted = true, .page_size = 10})
                ->total_size,
            1);
  EXPECT_THAT(store_->FindByNib(context_, created.nib()),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SqliteBusinessStoreTest, PagesCoverEveryRowOnceInOrder) {
  for (int i = 0; i < 25; ++i) MustCreate(Business(i));
  std::vector<std::string> names;
  ListQuery query{.order_by = "display_name desc", .page_size = 10};
  int pages = 0;
  do {
    absl::StatusOr<ListPage> page = store_->List(context_, query);
    ASSERT_THAT(page, IsOk());
    EXPECT_EQ(page->total_size, 25);
    for (const auto& b : page->businesses) names.push_back(b.display_name());
    query.page_token = page->next_page_token;
    ++pages;
  } while (!query.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(names.size(), 25u);
  EXPECT_EQ(names.front(), "Usaha 1024");
  EXPECT_EQ(names.back(), "Usaha 1000");
  EXPECT_TRUE(std::is_sorted(names.rbegin(), names.rend()));
}

TEST_F(SqliteBusinessStoreTest, TamperedOrReusedPageTokenIsRejected) {
  for (int i = 0; i < 3; ++i) MustCreate(Business(i));
  absl::StatusOr<ListPage> page = store_->List(context_, {.page_size = 1});
  ASSERT_THAT(page, IsOk());
  std::string token = page->next_page_token;
  ASSERT_FALSE(token.empty());
  std::string tampered = token;
  tampered[tampered.size() / 2] ^= 1;
  auto bad_token = [](const absl::StatusOr<ListPage>& result) {
    std::vector<FieldViolation> v = FieldViolationsOf(result.status());
    return !v.empty() && v[0].field == "page_token";
  };
  EXPECT_TRUE(bad_token(
      store_->List(context_, {.page_size = 1, .page_token = tampered})));
  EXPECT_TRUE(bad_token(store_->List(
      context_,
      {.filter = "scale = SCALE_MIKRO", .page_size = 1, .page_token = token})));
  EXPECT_THAT(store_->List(context_, {.page_size = 1, .page_token = token}),
              IsOk());
}

TEST_F(SqliteBusinessStoreTest, FiltersOnIndexedFieldsIncludingOwnerNik) {
  v1::Business a = Business(1);
  v1::Business b = Business(2);
  b.mutable_address()->set_kelurahan_code("35.73.02.1004");
  b.mutable_address()->clear_postal_code();  // the new kelurahan's
  b.mutable_owner()->set_nik("3573055508900002");
  b.set_capital_idr(2'000'000'000);
  ASSERT_THAT(NormalizeBusiness(b), IsOk());
  MustCreate(a);
  MustCreate(b);
  const absl::string_view nik_allowed[] = {kOwnerNikFilter};
  auto names = [&](const std::string& filter) {
    std::vector<std::string> out;
    absl::StatusOr<ListPage> page =
        store_->List(context_, {.filter = filter,
                                .page_size = 10,
                                .personal_filters_allowed = nik_allowed});
    EXPECT_THAT(page, IsOk()) << filter;
    if (page.ok()) {
      for (const auto& x : page->businesses) out.push_back(x.display_name());
    }
    return out;
  };
  EXPECT_THAT(names("kecamatan_code = \"35.73.02\""),
              ElementsAre("Usaha 1002"));
  EXPECT_THAT(names("scale = SCALE_KECIL"), ElementsAre("Usaha 1002"));
  EXPECT_THAT(names("owner_nik = \"3573021508900001\""),
              ElementsAre("Usaha 1001"));
  EXPECT_THAT(names("kecamatan_code = \"35.73.01\" AND scale = SCALE_MIKRO"),
              ElementsAre("Usaha 1001"));
  EXPECT_THAT(names("kbli_code = \"x' OR '1'='1\""), ElementsAre());
  EXPECT_THAT(store_->List(context_, {.filter = "owner_nik = \"12\"",
                                      .personal_filters_allowed = nik_allowed}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // The store reports the personal field used, and refuses it unless the
  // caller may use it.
  absl::StatusOr<ListPage> by_nik =
      store_->List(context_, {.filter = "owner_nik = \"3573021508900001\"",
                              .personal_filters_allowed = nik_allowed});
  ASSERT_THAT(by_nik, IsOk());
  EXPECT_THAT(by_nik->personal_filters_used, ElementsAre("owner_nik"));
  EXPECT_THAT(
      store_->List(context_, {.filter = "owner_nik = \"3573021508900001\""}),
      StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(
      store_->CountActive(context_, "owner_nik = \"3573021508900001\"", {}),
      StatusIs(absl::StatusCode::kPermissionDenied));
  absl::StatusOr<Stats> counted = store_->CountActive(
      context_, "owner_nik = \"3573021508900001\"", nik_allowed);
  ASSERT_THAT(counted, IsOk());
  EXPECT_EQ(counted->total, 1);
  EXPECT_THAT(counted->personal_filters_used, ElementsAre("owner_nik"));
  EXPECT_THAT(store_->List(context_, {.filter = "colour = \"red\""}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SqliteBusinessStoreTest, GetManyKeepsOrderAndNamesMissing) {
  v1::Business a = MustCreate(Business(1));
  v1::Business b = MustCreate(Business(2));
  absl::StatusOr<std::vector<v1::Business>> many =
      store_->GetMany(context_, {IdOf(b), IdOf(a), IdOf(b)});
  ASSERT_THAT(many, IsOk());
  ASSERT_EQ(many->size(), 3u);
  EXPECT_EQ((*many)[0].name(), b.name());
  EXPECT_EQ((*many)[1].name(), a.name());
  absl::StatusOr<std::vector<v1::Business>> missing =
      store_->GetMany(context_, {IdOf(a), "nosuchid"});
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("nosuchid"));
}

TEST_F(SqliteBusinessStoreTest, CountsActiveBusinessesPerGroup) {
  MustCreate(Business(1));
  v1::Business other = Business(2);
  other.mutable_address()->set_kelurahan_code("35.73.05.1001");
  other.mutable_address()->clear_postal_code();  // the new kelurahan's
  other.set_kbli_code("56101");
  other.clear_capital_idr();
  ASSERT_THAT(NormalizeBusiness(other), IsOk());
  MustCreate(other);
  v1::Business gone = MustCreate(Business(3));
  ASSERT_THAT(store_->Delete(context_, IdOf(gone), "", {}), IsOk());

  absl::StatusOr<Stats> stats = store_->CountActive(context_, "", {});
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->total, 2);
  EXPECT_THAT(stats->per_kecamatan,
              ElementsAre(std::pair<std::string, int64_t>{"35.73.01", 1},
                          std::pair<std::string, int64_t>{"35.73.05", 1}));
  EXPECT_THAT(stats->per_scale, ElementsAre(std::pair<int, int64_t>{0, 1},
                                            std::pair<int, int64_t>{1, 1}));
  EXPECT_THAT(stats->per_kbli_section,
              ElementsAre(std::pair<std::string, int64_t>{"C", 1},
                          std::pair<std::string, int64_t>{"I", 1}));
  EXPECT_EQ(
      store_->CountActive(context_, "kecamatan_code = \"35.73.05\"", {})->total,
      1);
}

TEST_F(SqliteBusinessStoreTest, EventFedFieldsDoNotDependOnArrivalOrder) {
  const std::string id = IdOf(MustCreate(Business(1)));
  using google::protobuf::util::TimeUtil;
  auto at = [](int64_t seconds) {
    return TimeUtil::SecondsToTimestamp(seconds);
  };
  auto in_consumer = [&](auto&& effect) {
    return database_->Write(
        [&](store::Connection& conn) { return effect(conn); });
  };
  // Newer facts first, older ones after: the newer ones stay.
  ASSERT_THAT(
      in_consumer([&](store::Connection& conn) {
        UMKM_RETURN_IF_ERROR(store_->RecordVisit(conn, context_, id, at(200)));
        UMKM_RETURN_IF_ERROR(store_->RecordVisit(conn, context_, id, at(100)));
        UMKM_RETURN_IF_ERROR(store_->RecordComplaintState(
            conn, context_, id, "complaints/c1", false, at(20)));
        UMKM_RETURN_IF_ERROR(store_->RecordComplaintState(
            conn, context_, id, "complaints/c1", true, at(10)));
        UMKM_RETURN_IF_ERROR(store_->RecordComplaintState(
            conn, context_, id, "complaints/c2", true, at(10)));
        UMKM_RETURN_IF_ERROR(store_->RecordReferralState(
            conn, context_, id, "referrals/r1",
            umkm::common::v1::REFERRAL_STATE_DISBURSED, 5'000'000, at(30)));
        return store_->RecordReferralState(
            conn, context_, id, "referrals/r1",
            umkm::common::v1::REFERRAL_STATE_DRAFT, 0, at(5));
      }),
      IsOk());
  absl::StatusOr<v1::Business> after = store_->Get(context_, id);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->last_visit_time().seconds(), 200);
  EXPECT_EQ(after->open_complaint_count(), 1);  // c2; c1 was closed later
  EXPECT_EQ(after->financing().referral_count(), 1);
  EXPECT_EQ(after->financing().last_referral(), "referrals/r1");
  EXPECT_EQ(after->financing().last_referral_state(),
            umkm::common::v1::REFERRAL_STATE_DISBURSED);
  EXPECT_EQ(after->financing().total_disbursed_idr(), 5'000'000);
  EXPECT_EQ(after->etag(), "W/\"8\"");  // one version per effect

  EXPECT_THAT(in_consumer([&](store::Connection& conn) {
                return store_->RecordVisit(conn, context_, "nosuchbusiness",
                                           at(1));
              }),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace umkm::registry
