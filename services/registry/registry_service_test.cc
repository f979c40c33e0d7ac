// RegistryService through a real gRPC channel with real tokens, a real
// SQLite file and a real redis-server: every listed bad input, the caching
// rules, and Redis going away.
#include "services/registry/registry_service.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/aip/resource_name.h"
#include "common/audit/audit_log.h"
#include "common/auth/token.h"
#include "common/clock/clock.h"
#include "common/context/request_context.h"
#include "common/events/envelope.h"
#include "common/events/outbox.h"
#include "common/redis/redis_client.h"
#include "common/server/host.h"
#include "common/server/testing/raw_calls.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/macros.h"
#include "common/testing/redis_server.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/registry/business_rules.h"
#include "services/registry/sqlite_business_store.h"
#include "services/registry/testing/fixtures.h"

namespace umkm::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ValidBusiness;
using ::umkm::testing::IsOk;

constexpr char kAuthKey[] = "auth-key-for-registry-tests-0123456789abcdef";
constexpr char kPrivacySecret[] = "privacy-secret-for-registry-tests-012345678";
constexpr char kCreateMethod[] =
    "/umkm.registry.v1.RegistryService/CreateBusiness";

class RegistryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = umkm::testing::RedisServer::Create();
    ASSERT_THAT(redis, IsOk());
    redis_server_ = *std::move(redis);
    auto redis_client = redis::RedisClient::Create(redis_server_->url());
    ASSERT_THAT(redis_client, IsOk());
    redis_ = *std::move(redis_client);

    auto verifier = auth::TokenVerifier::FromKey(kAuthKey);
    ASSERT_THAT(verifier, IsOk());
    verifier_ = std::make_unique<auth::TokenVerifier>(*std::move(verifier));
    auto cipher = privacy::FieldCipher::FromSecret(kPrivacySecret);
    ASSERT_THAT(cipher, IsOk());
    cipher_ = std::make_unique<privacy::FieldCipher>(*std::move(cipher));
    auto database = store::Database::Open(dir_.File("registry.db"));
    ASSERT_THAT(database, IsOk());
    database_ = *std::move(database);
    auto store = SqliteBusinessStore::Create(
        database_.get(), cipher_.get(), "page-token-key-0123456789abcdef0123",
        clock_);
    ASSERT_THAT(store, IsOk());
    store_ = *std::move(store);
    cache_ = std::make_unique<BusinessCache>(redis_.get(),
                                             BusinessCacheOptions{}, clock_);
    audit_ = std::make_unique<audit::AuditLog>(
        database_.get(), clock_, "audit-page-token-key-0123456789abcdef");
    registry_ =
        std::make_unique<Registry>(store_.get(), cache_.get(), audit_.get());
    env_ = {.verifier = verifier_.get(), .pool = &pool_};
    service_ = std::make_unique<RegistryService>(registry_.get(), &env_);
    host_ = std::make_unique<server::ServiceHost>(server::HostOptions{
        .listen = "127.0.0.1:0", .readiness_grace = absl::ZeroDuration()});
    host_->AddService(service_.get());
    ASSERT_THAT(host_->Start(), IsOk());
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::RegistryService::NewStub(channel_);
  }

  void TearDown() override {
    host_.reset();  // drains calls before the pool and stores go
  }

  static std::string Token(auth::Role role) {
    auth::Claims claims{
        .sub = "tester-1", .role = role, .exp = absl::Now() + absl::Hours(1)};
    if (role == auth::Role::kOfficial) claims.agency = "DISKOPINDAG";
    if (role == auth::Role::kBank) claims.partner = "BANK_JATIM";
    return auth::MintToken(kAuthKey, claims);
  }

  std::unique_ptr<grpc::ClientContext> Context(
      auth::Role role = auth::Role::kOfficial,
      const std::string& request_id = "", const std::string& purpose = "") {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!request_id.empty()) context->AddMetadata(kRequestIdHeader, request_id);
    if (!purpose.empty()) context->AddMetadata(kPurposeHeader, purpose);
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(20));
    context->AddMetadata("authorization", "Bearer " + Token(role));
    return context;
  }

  grpc::Status Create(const v1::Business& business, v1::Business* out,
                      const std::string& request_id = "",
                      auth::Role role = auth::Role::kOfficial) {
    v1::CreateBusinessRequest request;
    *request.mutable_business() = business;
    request.set_request_id(request_id);
    return stub_->CreateBusiness(Context(role).get(), request, out);
  }

  v1::Business MustCreate(v1::Business business) {
    v1::Business out;
    grpc::Status status = Create(business, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  grpc::Status Get(const std::string& name, v1::Business* out,
                   auth::Role role = auth::Role::kOfficial,
                   v1::BusinessView view = v1::BUSINESS_VIEW_UNSPECIFIED,
                   const std::string& purpose = "") {
    v1::GetBusinessRequest request;
    request.set_name(name);
    request.set_view(view);
    return stub_->GetBusiness(Context(role, "", purpose).get(), request, out);
  }

  // Every audit record, newest first.
  std::vector<umkm::audit::v1::AuditRecord> AuditRecords() {
    RequestContext admin;
    admin.caller.role = auth::Role::kAdmin;
    absl::StatusOr<umkm::audit::v1::ListAuditRecordsResponse> records =
        audit_->List(admin, {});
    EXPECT_THAT(records, IsOk());
    if (!records.ok()) return {};
    return {records->audit_records().begin(), records->audit_records().end()};
  }

  grpc::Status List(v1::ListBusinessesRequest request,
                    v1::ListBusinessesResponse* out) {
    return stub_->ListBusinesses(Context().get(), request, out);
  }

  grpc::Status Update(const v1::Business& business,
                      std::vector<std::string> paths, v1::Business* out,
                      const std::string& request_id = "") {
    v1::UpdateBusinessRequest request;
    *request.mutable_business() = business;
    for (auto& path : paths) request.mutable_update_mask()->add_paths(path);
    return stub_->UpdateBusiness(
        Context(auth::Role::kOfficial, request_id).get(), request, out);
  }

  // The envelopes waiting in the outbox, oldest first.
  std::vector<events::v1::Event> Outbox() {
    std::vector<events::v1::Event> out;
    EXPECT_THAT(database_->Read([&](store::Connection& conn) -> absl::Status {
      UMKM_ASSIGN_OR_RETURN(std::vector<events::OutboxRow> rows,
                            events::ReadPendingOutbox(conn, 100));
      for (const events::OutboxRow& row : rows) {
        UMKM_ASSIGN_OR_RETURN(events::v1::Event event,
                              events::Parse(row.payload));
        out.push_back(std::move(event));
      }
      return absl::OkStatus();
    }),
                IsOk());
    return out;
  }

  static std::vector<std::string> BadFields(const grpc::Status& status) {
    std::vector<std::string> fields;
    for (const FieldViolation& v : FieldViolationsOf(FromGrpcStatus(status))) {
      fields.push_back(v.field);
    }
    return fields;
  }

  umkm::testing::TempDir dir_;
  std::unique_ptr<umkm::testing::RedisServer> redis_server_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::unique_ptr<privacy::FieldCipher> cipher_;
  std::unique_ptr<store::Database> database_;
  FakeClock clock_{absl::FromUnixSeconds(1'767'225'600)};  // 2026-01-01
  std::unique_ptr<SqliteBusinessStore> store_;
  std::unique_ptr<BusinessCache> cache_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<Registry> registry_;
  server::WorkerPool pool_{4};
  server::CallEnvironment env_;
  std::unique_ptr<RegistryService> service_;
  std::unique_ptr<server::ServiceHost> host_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
};

TEST_F(RegistryServiceTest, CreateDerivesFieldsAndMasksTheNikForEveryone) {
  v1::Business business = ValidBusiness();
  business.set_scale(umkm::common::v1::SCALE_BESAR);  // ignored
  business.set_name("businesses/chosen-by-client");   // ignored
  for (auth::Role role : {auth::Role::kOfficial, auth::Role::kAdmin}) {
    if (role == auth::Role::kAdmin) business.set_nib("9000000000001");
    v1::Business created;
    ASSERT_TRUE(Create(business, &created, "", role).ok());
    EXPECT_NE(created.name(), "businesses/chosen-by-client");
    EXPECT_EQ(created.scale(), umkm::common::v1::SCALE_MIKRO);
    EXPECT_EQ(created.address().kecamatan_code(), "35.73.01");
    EXPECT_EQ(created.owner().phone(), "+6281234567890");
    // The writer sent the NIK; answering it back would be a disclosure.
    EXPECT_EQ(created.owner().nik(), "3573**********01");
  }
  EXPECT_TRUE(AuditRecords().empty());
}

TEST_F(RegistryServiceTest, ViewsShapeReadsAndOnlyFullNikReadsAreAudited) {
  const v1::Business created = MustCreate(ValidBusiness());
  // BASIC, asked or by default: no owner at all, whoever asks.
  for (auth::Role role :
       {auth::Role::kOfficial, auth::Role::kAdmin, auth::Role::kService}) {
    for (v1::BusinessView view :
         {v1::BUSINESS_VIEW_UNSPECIFIED, v1::BUSINESS_VIEW_BASIC}) {
      v1::Business basic;
      ASSERT_TRUE(Get(created.name(), &basic, role, view).ok());
      EXPECT_EQ(basic.display_name(), "Keripik Tempe Bu Sri");
      EXPECT_FALSE(basic.has_owner());
    }
  }
  // FULL for an official: the owner, NIK masked.
  v1::Business as_official;
  ASSERT_TRUE(Get(created.name(), &as_official, auth::Role::kOfficial,
                  v1::BUSINESS_VIEW_FULL)
                  .ok());
  EXPECT_EQ(as_official.owner().nik(), "3573**********01");
  EXPECT_EQ(as_official.owner().full_name(), "Sri Wahyuni");
  EXPECT_TRUE(AuditRecords().empty());

  // FULL for an admin: the full NIK, only with a purpose, and audited.
  v1::Business as_admin;
  grpc::Status no_purpose = Get(created.name(), &as_admin, auth::Role::kAdmin,
                                v1::BUSINESS_VIEW_FULL);
  EXPECT_EQ(no_purpose.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(no_purpose)), "PURPOSE_REQUIRED");
  EXPECT_EQ(Get(created.name(), &as_admin, auth::Role::kAdmin,
                v1::BUSINESS_VIEW_FULL, "because")
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(AuditRecords().empty());
  ASSERT_TRUE(Get(created.name(), &as_admin, auth::Role::kAdmin,
                  v1::BUSINESS_VIEW_FULL, "identity_verification:KTP-17")
                  .ok());
  EXPECT_EQ(as_admin.owner().nik(), "3573021508900001");

  std::vector<umkm::audit::v1::AuditRecord> records = AuditRecords();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].subject(), "tester-1");
  EXPECT_EQ(records[0].role(), "admin");
  EXPECT_EQ(records[0].method(),
            "/umkm.registry.v1.RegistryService/GetBusiness");
  EXPECT_EQ(records[0].action(),
            umkm::audit::v1::AUDIT_ACTION_READ_PERSONAL_DATA);
  EXPECT_THAT(records[0].personal_fields(), ElementsAre("owner.nik"));
  EXPECT_THAT(records[0].resources(), ElementsAre(created.name()));
  EXPECT_EQ(records[0].purpose(), "identity_verification:KTP-17");
  EXPECT_FALSE(records[0].request_id().empty());
  // The record holds no personal data.
  EXPECT_EQ(records[0].SerializeAsString().find("3573021508900001"),
            std::string::npos);

  v1::GetBusinessRequest bad;
  bad.set_name(created.name());
  bad.set_view(static_cast<v1::BusinessView>(7));
  v1::Business out;
  EXPECT_THAT(BadFields(stub_->GetBusiness(Context().get(), bad, &out)),
              ElementsAre("view"));
}

TEST_F(RegistryServiceTest,
       CachedReadsAreShapedPerViewAndEveryFullReadAudited) {
  const v1::Business created = MustCreate(ValidBusiness());
  v1::Business got;
  ASSERT_TRUE(Get(created.name(), &got).ok());  // fills both levels
  absl::StatusOr<std::string> id =
      aip::ParseResourceId(created.name(), kBusinessCollection);
  ASSERT_THAT(id, IsOk());
  ASSERT_NE(cache_->GetLocal(*id), nullptr);

  // Local hits, each view its own shape; a full-NIK hit still writes its
  // record (it is answered on the pool, after the commit).
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Get(created.name(), &got, auth::Role::kAdmin,
                    v1::BUSINESS_VIEW_FULL, "duplicate_check")
                    .ok());
    EXPECT_EQ(got.owner().nik(), "3573021508900001");
    ASSERT_TRUE(
        Get(created.name(), &got, auth::Role::kOfficial, v1::BUSINESS_VIEW_FULL)
            .ok());
    EXPECT_EQ(got.owner().nik(), "3573**********01");
    ASSERT_TRUE(Get(created.name(), &got, auth::Role::kService).ok());
    EXPECT_FALSE(got.has_owner());
  }
  EXPECT_EQ(AuditRecords().size(), 3u);

  // The local entry expired: the shared one (masked) serves BASIC and an
  // official's FULL, never an admin's FULL.
  clock_.Advance(BusinessCacheOptions{}.local_ttl);
  ASSERT_EQ(cache_->GetLocal(*id), nullptr);
  ASSERT_TRUE(
      Get(created.name(), &got, auth::Role::kOfficial, v1::BUSINESS_VIEW_FULL)
          .ok());
  EXPECT_EQ(got.owner().nik(), "3573**********01");
  clock_.Advance(BusinessCacheOptions{}.local_ttl);
  ASSERT_TRUE(Get(created.name(), &got, auth::Role::kAdmin,
                  v1::BUSINESS_VIEW_FULL, "duplicate_check")
                  .ok());
  EXPECT_EQ(got.owner().nik(), "3573021508900001");
  EXPECT_EQ(AuditRecords().size(), 4u);
}

TEST_F(RegistryServiceTest, PersonalDataFiltersNeedARoleThatSeesThemInFull) {
  const v1::Business created = MustCreate(ValidBusiness());
  v1::Business other = ValidBusiness();
  other.set_nib("9000000000009");
  other.mutable_owner()->set_nik("3573055508900002");
  MustCreate(other);
  const std::string by_nik = R"(owner_nik = "3573021508900001")";

  // An official (who sees NIKs masked) may not use the filter as an
  // oracle: not in List, not in Stats, not inside an OR.
  for (const std::string& filter :
       {by_nik, std::string(R"(kecamatan_code = "35.73.01" AND (owner_nik = )"
                            R"("3573021508900001" OR scale = SCALE_MIKRO))")}) {
    v1::ListBusinessesRequest list;
    list.set_filter(filter);
    v1::ListBusinessesResponse listed;
    grpc::Status status = stub_->ListBusinesses(Context().get(), list, &listed);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(ReasonOf(FromGrpcStatus(status)),
              "PERSONAL_DATA_FILTER_NOT_ALLOWED");
    EXPECT_THAT(status.error_message(), HasSubstr("owner_nik"));
    v1::GetBusinessStatsRequest stats;
    stats.set_filter(filter);
    v1::GetBusinessStatsResponse counted;
    EXPECT_EQ(
        stub_->GetBusinessStats(Context().get(), stats, &counted).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  // An admin may, with a purpose; each use is audited with what it found.
  v1::ListBusinessesRequest list;
  list.set_filter(by_nik);
  v1::ListBusinessesResponse listed;
  EXPECT_EQ(
      stub_->ListBusinesses(Context(auth::Role::kAdmin).get(), list, &listed)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);  // no purpose
  EXPECT_TRUE(AuditRecords().empty());
  ASSERT_TRUE(stub_
                  ->ListBusinesses(Context(auth::Role::kAdmin, "nik-search-1",
                                           "duplicate_check")
                                       .get(),
                                   list, &listed)
                  .ok());
  ASSERT_EQ(listed.businesses_size(), 1);
  EXPECT_EQ(listed.businesses(0).name(), created.name());
  EXPECT_FALSE(listed.businesses(0).has_owner());  // BASIC: no read record
  v1::GetBusinessStatsRequest stats;
  stats.set_filter(by_nik);
  v1::GetBusinessStatsResponse counted;
  ASSERT_TRUE(stub_
                  ->GetBusinessStats(Context(auth::Role::kAdmin, "nik-count-2",
                                             "duplicate_check")
                                         .get(),
                                     stats, &counted)
                  .ok());
  EXPECT_EQ(counted.total_count(), 1);

  std::vector<umkm::audit::v1::AuditRecord> records = AuditRecords();
  ASSERT_EQ(records.size(), 2u);
  for (const auto& record : records) {
    EXPECT_EQ(record.action(),
              umkm::audit::v1::AUDIT_ACTION_FILTER_BY_PERSONAL_DATA);
    EXPECT_THAT(record.personal_fields(), ElementsAre("owner_nik"));
    EXPECT_EQ(record.SerializeAsString().find("3573021508900001"),
              std::string::npos);
  }
  EXPECT_EQ(records[0].request_id(), "nik-count-2");
  EXPECT_TRUE(records[0].resources().empty());
  EXPECT_EQ(records[1].request_id(), "nik-search-1");
  EXPECT_THAT(records[1].resources(), ElementsAre(created.name()));

  // Filtering by NIK and reading FULL: two records of one call.
  list.set_view(v1::BUSINESS_VIEW_FULL);
  ASSERT_TRUE(stub_
                  ->ListBusinesses(Context(auth::Role::kAdmin, "nik-search-3",
                                           "duplicate_check")
                                       .get(),
                                   list, &listed)
                  .ok());
  EXPECT_EQ(listed.businesses(0).owner().nik(), "3573021508900001");
  records = AuditRecords();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].request_id(), "nik-search-3");
  EXPECT_EQ(records[1].request_id(), "nik-search-3");
}

TEST_F(RegistryServiceTest, CallersWithoutAValidTokenAreUnauthenticated) {
  v1::GetBusinessRequest request;
  request.set_name("businesses/abc");
  v1::Business out;
  grpc::ClientContext no_token;
  EXPECT_EQ(stub_->GetBusiness(&no_token, request, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext expired;
  expired.AddMetadata(
      "authorization",
      "Bearer " +
          auth::MintToken(kAuthKey, {.sub = "x",
                                     .role = auth::Role::kAdmin,
                                     .exp = absl::Now() - absl::Minutes(1)}));
  EXPECT_EQ(stub_->GetBusiness(&expired, request, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RegistryServiceTest, BanksHaveNoAccessToTheRegistry) {
  v1::Business created = MustCreate(ValidBusiness());
  v1::Business out;
  EXPECT_EQ(Get(created.name(), &out, auth::Role::kBank).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create(ValidBusiness(), &out, "", auth::Role::kBank).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListBusinessesResponse list;
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + Token(auth::Role::kBank));
  EXPECT_EQ(stub_->ListBusinesses(&context, {}, &list).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Services read but do not write.
  EXPECT_EQ(
      Create(ValidBusiness(), &out, "", auth::Role::kService).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RegistryServiceTest, InvalidFieldsAreNamedInBadRequest) {
  v1::Business business = ValidBusiness();
  business.mutable_owner()->set_nik("3573023208900001");
  business.mutable_location()->set_latitude(-6.2);  // Jakarta
  v1::Business out;
  grpc::Status status = Create(business, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              ElementsAre("business.owner.nik", "business.location"));
  v1::ListBusinessesResponse list;
  ASSERT_TRUE(List({}, &list).ok());
  EXPECT_EQ(list.total_size(), 0);  // nothing half-written
}

TEST_F(RegistryServiceTest, SecondBusinessWithSameNibAlreadyExists) {
  MustCreate(ValidBusiness());
  v1::Business twin = ValidBusiness();
  twin.set_display_name("Another name");
  v1::Business out;
  EXPECT_EQ(Create(twin, &out).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(RegistryServiceTest, RepeatedRequestIdCreatesOnce) {
  v1::Business first, second;
  ASSERT_TRUE(Create(ValidBusiness(), &first, "5f0c6a1e-req").ok());
  ASSERT_TRUE(Create(ValidBusiness(), &second, "5f0c6a1e-req").ok());
  EXPECT_EQ(first.name(), second.name());
  v1::ListBusinessesResponse list;
  ASSERT_TRUE(List({}, &list).ok());
  EXPECT_EQ(list.total_size(), 1);
}

TEST_F(RegistryServiceTest, StaleEtagIsAbortedAndChangesNothing) {
  v1::Business created = MustCreate(ValidBusiness());
  v1::Business patch;
  patch.set_name(created.name());
  patch.set_etag(created.etag());
  patch.set_display_name("Keripik Tempe Sanan Jaya");
  v1::Business updated;
  ASSERT_TRUE(Update(patch, {"display_name"}, &updated).ok());
  EXPECT_NE(updated.etag(), created.etag());

  patch.set_display_name("Lost update");
  v1::Business out;
  EXPECT_EQ(Update(patch, {"display_name"}, &out).error_code(),
            grpc::StatusCode::ABORTED);
  v1::Business now;
  ASSERT_TRUE(Get(created.name(), &now).ok());
  EXPECT_EQ(now.display_name(), "Keripik Tempe Sanan Jaya");
}

TEST_F(RegistryServiceTest, InvalidUpdateLeavesRecordUntouched) {
  v1::Business created = MustCreate(ValidBusiness());
  v1::Business patch;
  patch.set_name(created.name());
  patch.mutable_owner()->set_phone("12345");
  patch.set_display_name("Should not land");
  v1::Business out;
  grpc::Status status = Update(patch, {"display_name", "owner.phone"}, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("business.owner.phone"));
  EXPECT_THAT(BadFields(Update(patch, {"scale"}, &out)),
              ElementsAre("update_mask"));
  v1::Business now;
  ASSERT_TRUE(Get(created.name(), &now).ok());
  EXPECT_EQ(now.etag(), created.etag());
  EXPECT_EQ(now.display_name(), created.display_name());
}

TEST_F(RegistryServiceTest, NamesAreCheckedBeforeLookup) {
  v1::Business out;
  EXPECT_EQ(Get("businesses/zzzzzzzzzzzzzzzz", &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  for (const char* bad : {"", "bisnis/abc", "businesses/", "businesses/a/b",
                          "businesses/ABC", "businesses/' OR 1=1 --"}) {
    grpc::Status status = Get(bad, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(BadFields(status), ElementsAre("name")) << bad;
  }
}

TEST_F(RegistryServiceTest, PageSizeAndTokenAreChecked) {
  for (int i = 0; i < 3; ++i) {
    v1::Business business = ValidBusiness();
    business.set_nib(absl::StrCat(9000000000000 + i));
    MustCreate(business);
  }
  v1::ListBusinessesRequest request;
  v1::ListBusinessesResponse out;
  request.set_page_size(-1);
  EXPECT_THAT(BadFields(List(request, &out)), ElementsAre("page_size"));
  request.set_page_size(1'000'000);  // clamped, not refused
  ASSERT_TRUE(List(request, &out).ok());
  EXPECT_EQ(out.businesses_size(), 3);

  request.set_page_size(2);
  out.Clear();
  ASSERT_TRUE(List(request, &out).ok());
  ASSERT_FALSE(out.next_page_token().empty());
  request.set_page_token(out.next_page_token() + "x");
  EXPECT_THAT(BadFields(List(request, &out)), ElementsAre("page_token"));
  request.set_page_token("not-a-token");
  EXPECT_THAT(BadFields(List(request, &out)), ElementsAre("page_token"));
}

TEST_F(RegistryServiceTest, FiltersInAip160Form) {
  v1::Business klojen = ValidBusiness();
  klojen.set_nib("9000000000001");
  klojen.mutable_address()->set_kelurahan_code("35.73.02.1004");
  klojen.clear_location();
  MustCreate(ValidBusiness());
  MustCreate(klojen);
  v1::ListBusinessesRequest request;
  request.set_filter("kecamatan_code = \"35.73.02\" AND scale = SCALE_MIKRO");
  v1::ListBusinessesResponse out;
  ASSERT_TRUE(List(request, &out).ok());
  ASSERT_EQ(out.businesses_size(), 1);
  EXPECT_EQ(out.businesses(0).address().kelurahan_code(), "35.73.02.1004");
  request.set_filter("kecamatan_code = ");
  EXPECT_THAT(BadFields(List(request, &out)), ElementsAre("filter"));
}

TEST_F(RegistryServiceTest, StringsAreStoredExactlyAsSent) {
  v1::Business business = ValidBusiness();
  const std::string name =
      "Warung \"Mbok Darmi\" 'Asli'; DELETE FROM business; -- ☕ Ngalam";
  business.set_display_name(name);
  business.mutable_address()->set_street("Jl. Bulu Tangkis, RT 01/RW 02");
  v1::Business created = MustCreate(business);
  v1::Business got;
  ASSERT_TRUE(Get(created.name(), &got).ok());
  EXPECT_EQ(got.display_name(), name);
  EXPECT_EQ(got.address().street(), "Jl. Bulu Tangkis, RT 01/RW 02");
}

TEST_F(RegistryServiceTest, CacheIsInvalidatedOnEveryChange) {
  v1::Business created = MustCreate(ValidBusiness());
  v1::Business got;
  ASSERT_TRUE(Get(created.name(), &got).ok());  // fills both levels
  absl::StatusOr<std::string> id =
      aip::ParseResourceId(created.name(), kBusinessCollection);
  ASSERT_THAT(id, IsOk());
  const std::string key = SharedBusinessKey(*id);
  auto shared = redis_->Get(key);
  ASSERT_THAT(shared, IsOk());
  ASSERT_TRUE(shared->has_value());
  v1::Business cached;
  ASSERT_TRUE(cached.ParseFromString(**shared));
  EXPECT_EQ(cached.owner().nik(), "3573**********01");  // no NIK in Redis

  v1::Business patch;
  patch.set_name(created.name());
  patch.set_display_name("Nama Baru");
  v1::Business updated;
  ASSERT_TRUE(Update(patch, {"display_name"}, &updated).ok());
  EXPECT_FALSE(redis_->Get(key)->has_value());
  ASSERT_TRUE(Get(created.name(), &got).ok());
  EXPECT_EQ(got.display_name(), "Nama Baru");

  v1::DeleteBusinessRequest remove;
  remove.set_name(created.name());
  v1::Business deleted;
  ASSERT_TRUE(stub_->DeleteBusiness(Context().get(), remove, &deleted).ok());
  ASSERT_TRUE(Get(created.name(), &got).ok());
  EXPECT_EQ(got.state(), v1::Business::STATE_DELETED);
}

TEST_F(RegistryServiceTest, EventsCarryTheCallsRequestIdAsCorrelationId) {
  v1::Business created;
  v1::CreateBusinessRequest create;
  *create.mutable_business() = ValidBusiness();
  create.set_request_id("aip-request-id-1");  // idempotency key, not this
  ASSERT_TRUE(stub_
                  ->CreateBusiness(
                      Context(auth::Role::kOfficial, "call-create-1").get(),
                      create, &created)
                  .ok());
  v1::Business patch;
  patch.set_name(created.name());
  patch.set_display_name("Nama Baru");
  v1::Business updated;
  ASSERT_TRUE(Update(patch, {"display_name"}, &updated, "call-update-2").ok());
  // Without a header the edge makes a request id; the event carries it.
  ASSERT_TRUE(Update(patch, {"display_name"}, &updated).ok());

  std::vector<events::v1::Event> events = Outbox();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(events[0].has_business_registered());
  EXPECT_EQ(events[0].correlation_id(), "call-create-1");
  EXPECT_TRUE(events[1].has_business_updated());
  EXPECT_EQ(events[1].correlation_id(), "call-update-2");
  EXPECT_FALSE(events[2].correlation_id().empty());
  EXPECT_NE(events[2].correlation_id(), "call-update-2");
}

TEST_F(RegistryServiceTest, DomainTimesComeFromTheInjectedClock) {
  v1::Business created = MustCreate(ValidBusiness());
  EXPECT_EQ(created.create_time().seconds(), 1'767'225'600);
  v1::Business got;
  ASSERT_TRUE(Get(created.name(), &got).ok());  // fills the local cache
  absl::StatusOr<std::string> id =
      aip::ParseResourceId(created.name(), kBusinessCollection);
  ASSERT_THAT(id, IsOk());
  EXPECT_NE(cache_->GetLocal(*id), nullptr);
  clock_.Advance(BusinessCacheOptions{}.local_ttl);
  EXPECT_EQ(cache_->GetLocal(*id), nullptr);  // expired by the clock

  clock_.Advance(absl::Hours(1));
  v1::Business patch;
  patch.set_name(created.name());
  patch.set_display_name("Nama Baru");
  v1::Business updated;
  ASSERT_TRUE(Update(patch, {"display_name"}, &updated).ok());
  EXPECT_EQ(updated.update_time().seconds(), absl::ToUnixSeconds(clock_.Now()));
}

TEST_F(RegistryServiceTest, EveryRpcWorksWithRedisDown) {
  redis_server_->Stop();
  v1::Business created = MustCreate(ValidBusiness());
  v1::Business got;
  ASSERT_TRUE(Get(created.name(), &got).ok());
  v1::Business patch;
  patch.set_name(created.name());
  patch.set_display_name("Tetap jalan");
  v1::Business updated;
  ASSERT_TRUE(Update(patch, {"display_name"}, &updated).ok());
  ASSERT_TRUE(Get(created.name(), &got).ok());
  EXPECT_EQ(got.display_name(), "Tetap jalan");
  v1::ListBusinessesResponse list;
  ASSERT_TRUE(List({}, &list).ok());
  EXPECT_EQ(list.total_size(), 1);
  v1::LookupBusinessRequest lookup;
  lookup.set_nib(created.nib());
  ASSERT_TRUE(stub_->LookupBusiness(Context().get(), lookup, &got).ok());
  EXPECT_EQ(got.name(), created.name());
  // Back up: the cache works again, and holds no stale entry.
  ASSERT_THAT(redis_server_->Start(), IsOk());
  ASSERT_TRUE(Get(created.name(), &got).ok());
  EXPECT_EQ(got.display_name(), "Tetap jalan");
}

TEST_F(RegistryServiceTest, LookupBatchGetAndStats) {
  v1::Business a = MustCreate(ValidBusiness());
  v1::Business other = ValidBusiness();
  other.set_nib("9000000000009");
  other.set_kbli_code("56101");
  v1::Business b = MustCreate(other);

  v1::LookupBusinessRequest lookup;
  lookup.set_nib("9000000000009");
  v1::Business found;
  ASSERT_TRUE(stub_->LookupBusiness(Context().get(), lookup, &found).ok());
  EXPECT_EQ(found.name(), b.name());
  lookup.set_nib("12");
  EXPECT_THAT(BadFields(stub_->LookupBusiness(Context().get(), lookup, &found)),
              ElementsAre("nib"));

  v1::BatchGetBusinessesRequest batch;
  batch.set_view(v1::BUSINESS_VIEW_FULL);
  batch.add_names(b.name());
  batch.add_names(a.name());
  v1::BatchGetBusinessesResponse many;
  ASSERT_TRUE(stub_->BatchGetBusinesses(Context().get(), batch, &many).ok());
  ASSERT_EQ(many.businesses_size(), 2);
  EXPECT_EQ(many.businesses(0).name(), b.name());
  EXPECT_EQ(many.businesses(1).owner().nik(), "3573**********01");
  batch.add_names("businesses/nosuchbusiness");
  EXPECT_EQ(
      stub_->BatchGetBusinesses(Context().get(), batch, &many).error_code(),
      grpc::StatusCode::NOT_FOUND);

  v1::GetBusinessStatsResponse stats;
  ASSERT_TRUE(stub_->GetBusinessStats(Context().get(), {}, &stats).ok());
  EXPECT_EQ(stats.total_count(), 2);
  ASSERT_EQ(stats.kbli_section_counts_size(), 2);
  EXPECT_EQ(stats.kbli_section_counts(0).section(), "C");
  EXPECT_EQ(stats.kbli_section_counts(1).section(), "I");
}

// A NIK nobody may learn, hidden where the contract has no field.
constexpr char kSmuggledNik[] = "3573056012850007";

// `message` with an unknown length-delimited field 999 holding `bytes`.
template <typename Message>
void AddUnknownField(Message& message, const std::string& bytes) {
  message.GetReflection()->MutableUnknownFields(&message)->AddLengthDelimited(
      999, bytes);
}

// The bytes of a file, "" when it does not exist.
std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST_F(RegistryServiceTest, EveryMethodRefusesMalformedBytes) {
  server::testing::ExpectEveryMethodRefusesMalformedBytes(
      channel_, v1::RegistryService::service_full_name(),
      Token(auth::Role::kAdmin));
}

TEST_F(RegistryServiceTest, UnknownFieldsReachNoFileNoCacheAndNoReply) {
  v1::CreateBusinessRequest request;
  *request.mutable_business() = ValidBusiness();
  AddUnknownField(request, kSmuggledNik);
  AddUnknownField(*request.mutable_business(), kSmuggledNik);
  AddUnknownField(*request.mutable_business()->mutable_owner(), kSmuggledNik);
  AddUnknownField(*request.mutable_business()->mutable_address(), kSmuggledNik);
  grpc::ClientContext context;
  context.AddMetadata("authorization",
                      "Bearer " + Token(auth::Role::kOfficial));
  std::string reply;
  ASSERT_TRUE(server::testing::CallWithBytes(channel_, context, kCreateMethod,
                                             request.SerializeAsString(),
                                             &reply)
                  .ok());
  EXPECT_THAT(reply, Not(HasSubstr(kSmuggledNik)));
  v1::Business created;
  ASSERT_TRUE(created.ParseFromString(reply));

  // Every way back out, for every kind of reader; the official's Get
  // fills the shared cache, the admin's the local one.
  std::vector<std::string> replies;
  for (auth::Role role : {auth::Role::kOfficial, auth::Role::kAdmin,
                          auth::Role::kOfficial, auth::Role::kAdmin}) {
    v1::Business got;
    ASSERT_TRUE(Get(created.name(), &got, role).ok());
    replies.push_back(got.SerializeAsString());
  }
  v1::ListBusinessesResponse list;
  ASSERT_TRUE(List({}, &list).ok());
  replies.push_back(list.SerializeAsString());
  v1::BatchGetBusinessesRequest batch;
  batch.add_names(created.name());
  v1::BatchGetBusinessesResponse many;
  ASSERT_TRUE(stub_->BatchGetBusinesses(Context().get(), batch, &many).ok());
  replies.push_back(many.SerializeAsString());
  for (const std::string& bytes : replies) {
    EXPECT_THAT(bytes, Not(HasSubstr(kSmuggledNik)));
  }

  // Redis: every key's value as DUMP serializes it (what a dump file holds).
  auto keys = redis_->Command({"KEYS", "*"});
  ASSERT_THAT(keys, IsOk());
  EXPECT_FALSE(keys->elements.empty());
  for (const redis::Reply& key : keys->elements) {
    auto dump = redis_->Command({"DUMP", key.str});
    ASSERT_THAT(dump, IsOk());
    EXPECT_THAT(dump->str, Not(HasSubstr(kSmuggledNik))) << key.str;
  }
  // SQLite: the database file and its write-ahead log, byte for byte.
  const std::string file = dir_.File("registry.db");
  EXPECT_THAT(FileBytes(file) + FileBytes(file + "-wal"),
              Not(HasSubstr(kSmuggledNik)));
}

TEST_F(RegistryServiceTest, UnknownFieldsAlreadyStoredAreNotServedBack) {
  v1::Business created = MustCreate(ValidBusiness());
  absl::StatusOr<std::string> id =
      aip::ParseResourceId(created.name(), kBusinessCollection);
  ASSERT_THAT(id, IsOk());
  // As a binary from before the fix left the row: its record with an
  // unknown field in it.
  ASSERT_THAT(database_->Write([&](store::Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(
        store::Statement select,
        conn.Prepare("SELECT record FROM business WHERE id = ?"));
    select.Bind(1, *id);
    UMKM_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return absl::NotFoundError(*id);
    v1::Business record;
    if (!record.ParseFromString(std::string(select.ColumnBlob(0)))) {
      return absl::DataLossError("record");
    }
    AddUnknownField(*record.mutable_owner(), kSmuggledNik);
    return conn.Execute("UPDATE business SET record = ? WHERE id = ?",
                        store::Blob{record.SerializeAsString()}, *id);
  }),
              IsOk());
  v1::Business got;
  ASSERT_TRUE(Get(created.name(), &got, auth::Role::kAdmin).ok());
  EXPECT_THAT(got.SerializeAsString(), Not(HasSubstr(kSmuggledNik)));
  v1::ListBusinessesResponse list;
  ASSERT_TRUE(List({}, &list).ok());
  EXPECT_THAT(list.SerializeAsString(), Not(HasSubstr(kSmuggledNik)));

  // And a shared cache entry an older binary filled.
  cache_->Invalidate(*id);
  v1::Business shared = created;
  AddUnknownField(shared, kSmuggledNik);
  ASSERT_THAT(redis_->Set(SharedBusinessKey(*id), shared.SerializeAsString(),
                          absl::Minutes(5)),
              IsOk());
  ASSERT_TRUE(Get(created.name(), &got, auth::Role::kOfficial).ok());
  EXPECT_EQ(got.display_name(), created.display_name());
  EXPECT_THAT(got.SerializeAsString(), Not(HasSubstr(kSmuggledNik)));
}

TEST_F(RegistryServiceTest, LargeUnknownFieldsBreakNoList) {
  // Under the 1 MiB request limit, each dropped at the door: five of them
  // kept would make a 4.5 MB page, over what a reply may carry.
  for (int i = 0; i < 5; ++i) {
    v1::CreateBusinessRequest request;
    *request.mutable_business() = ValidBusiness();
    request.mutable_business()->set_nib(absl::StrCat(9100000000000 + i));
    AddUnknownField(*request.mutable_business(), std::string(900'000, 'x'));
    grpc::ClientContext context;
    context.AddMetadata("authorization",
                        "Bearer " + Token(auth::Role::kOfficial));
    grpc::Status status = server::testing::CallWithBytes(
        channel_, context, kCreateMethod, request.SerializeAsString());
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  // Over it: refused before anything runs.
  v1::CreateBusinessRequest huge;
  *huge.mutable_business() = ValidBusiness();
  AddUnknownField(*huge.mutable_business(), std::string(3'000'000, 'x'));
  v1::Business out;
  EXPECT_EQ(stub_->CreateBusiness(Context().get(), huge, &out).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  v1::ListBusinessesResponse list;
  grpc::Status listed = List({}, &list);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  EXPECT_EQ(list.businesses_size(), 5);
  EXPECT_LT(list.ByteSizeLong(), 100'000u);
}

TEST_F(RegistryServiceTest, ControlCharactersInNamesAreRefused) {
  v1::Business business = ValidBusiness();
  business.set_display_name("Keripik Tempe\u202e irS uB");
  business.mutable_owner()->set_full_name("Sri\x1b[2J Wahyuni");
  v1::Business out;
  grpc::Status status = Create(business, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              ElementsAre("business.display_name", "business.owner.full_name"));
}

}  // namespace
}  // namespace umkm::registry
