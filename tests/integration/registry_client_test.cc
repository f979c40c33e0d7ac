// The shared registry client other services use, against the real
// umkm-registry binary and a real redis-server: summaries come from the
// shared cache when they can, from the registry otherwise, are the BASIC
// view (no owner, nothing audited), and a dead registry costs a deadline,
// not a hang.
#include "common/registry_client/registry_client.h"

#include "absl/time/clock.h"
#include "common/aip/resource_name.h"
#include "common/events/consumer.h"
#include "common/events/envelope.h"
#include "common/events/schema.h"
#include "common/registry_client/shared_cache.h"
#include "common/store/database.h"
#include "gmock/gmock.h"
#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_fixture.h"

namespace umkm {
namespace {

using ::testing::HasSubstr;
using ::umkm::testing::IsOk;
using ::umkm::testing::ServiceProcess;
using ::umkm::testing::StatusIs;

class RegistryClientTest : public umkm::testing::RegistryFixture {
 protected:
  // The work a client call is made for: another service's request.
  static RequestContext Work() {
    RequestContext context;
    context.request_id = "visit-plan-run-7";
    context.correlation_id = "visit-plan-run-7";
    context.deadline = absl::Now() + absl::Seconds(10);
    return context;
  }

  std::unique_ptr<RegistryClient> ClientFor(const ServiceProcess& registry) {
    return std::make_unique<RegistryClient>(
        grpc::CreateChannel(registry.target(),
                            grpc::InsecureChannelCredentials()),
        redis_client_.get(),
        ServiceToken(umkm::testing::kAuthKey, "umkm-visits"),
        RegistryClientOptions{.deadline = absl::Seconds(2)});
  }
};

TEST_F(RegistryClientTest, ReadsThroughTheSharedCacheWithoutTheNik) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  auto client = ClientFor(*registry);

  absl::StatusOr<Business> first = client->Get(Work(), created.name());
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->display_name(), "Bolen Mojolangu 1");
  EXPECT_FALSE(first->has_owner());
  EXPECT_TRUE(Cached(created.name()));  // the registry filled it

  // With the registry gone, the cached summary still answers.
  registry->Kill();
  absl::StatusOr<Business> second = client->Get(Work(), created.name());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->display_name(), "Bolen Mojolangu 1");
  EXPECT_FALSE(second->has_owner());

  // A miss with the registry gone fails within the deadline.
  client->Invalidate(created.name());
  EXPECT_FALSE(Cached(created.name()));
  absl::StatusOr<Business> missing = client->Get(Work(), created.name());
  EXPECT_TRUE(absl::IsUnavailable(missing.status()) ||
              absl::IsDeadlineExceeded(missing.status()))
      << missing.status();
  EXPECT_THAT(client->Get(Work(), "bisnis/1"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RegistryClientTest, ServiceReadsAreBasicAndWriteNoAuditRecord) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  auto audit = AuditStubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  auto client = ClientFor(*registry);

  // Both paths: from the registry (a miss), then from the shared cache.
  client->Invalidate(created.name());
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<Business> got = client->Get(Work(), created.name());
    ASSERT_THAT(got, IsOk());
    EXPECT_EQ(got->display_name(), "Bolen Mojolangu 1");
    EXPECT_FALSE(got->has_owner());  // no NIK, name or phone
    EXPECT_TRUE(Cached(created.name()));
  }
  EXPECT_EQ(AuditRecords(*audit).total_size(), 0);

  // An admin's FULL read discloses the NIK, and is recorded.
  registry::v1::GetBusinessRequest full;
  full.set_name(created.name());
  full.set_view(registry::v1::BUSINESS_VIEW_FULL);
  Business disclosed;
  ASSERT_TRUE(stub->GetBusiness(AdminContext("financing_referral").get(), full,
                                &disclosed)
                  .ok());
  EXPECT_EQ(disclosed.owner().nik(), "3573055508900002");
  audit::v1::ListAuditRecordsResponse records = AuditRecords(*audit);
  ASSERT_EQ(records.total_size(), 1);
  EXPECT_EQ(records.audit_records(0).subject(), "ops-1");
  EXPECT_THAT(records.audit_records(0).resources(),
              ::testing::ElementsAre(created.name()));
}

TEST_F(RegistryClientTest, AnEntryWithUnknownFieldsIsServedWithoutThem) {
  // A shared entry an older registry filled, carrying data no contract
  // names: the client's caller never sees it.
  Business stale;
  stale.set_name("businesses/unknown00000001");
  stale.set_display_name("Bolen Mojolangu");
  stale.GetReflection()->MutableUnknownFields(&stale)->AddLengthDelimited(
      999, "3573021508900009");
  ASSERT_THAT(redis_client_->Set(SharedBusinessKey("unknown00000001"),
                                 stale.SerializeAsString(), absl::Minutes(5)),
              IsOk());
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  absl::StatusOr<Business> got =
      ClientFor(*registry)->Get(Work(), "businesses/unknown00000001");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->display_name(), "Bolen Mojolangu");
  EXPECT_EQ(got->SerializeAsString().find("3573021508900009"),
            std::string::npos);
}

TEST_F(RegistryClientTest, CallsCarryTheCorrelationIdAndHonourTheDeadline) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  auto client = ClientFor(*registry);

  RequestContext late = Work();
  late.deadline = absl::Now() - absl::Seconds(1);
  EXPECT_THAT(client->Get(late, created.name()),
              StatusIs(absl::StatusCode::kDeadlineExceeded));

  // A cache miss, so the call reaches the registry.
  client->Invalidate(created.name());
  ASSERT_FALSE(Cached(created.name()));
  ASSERT_THAT(client->Get(Work(), created.name()), IsOk());
  registry->Terminate();
  EXPECT_THAT(registry->Log(),
              HasSubstr("\"request_id\":\"visit-plan-run-7\""));
}

TEST_F(RegistryClientTest, ChangesReachReadersThroughInvalidation) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  auto client = ClientFor(*registry);
  ASSERT_THAT(client->Get(Work(), created.name()), IsOk());

  registry::v1::UpdateBusinessRequest request;
  request.mutable_business()->set_name(created.name());
  request.mutable_business()->set_display_name("Bolen Mojolangu Baru");
  request.mutable_update_mask()->add_paths("display_name");
  Business updated;
  ASSERT_TRUE(stub->UpdateBusiness(Context().get(), request, &updated).ok());
  absl::StatusOr<Business> after = client->Get(Work(), created.name());
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->display_name(), "Bolen Mojolangu Baru");
}

TEST_F(RegistryClientTest, BusinessUpdatedEventDropsAStaleEntry) {
  // A stale entry the registry could not delete (Redis was down then):
  // the consumer of another service drops it when BusinessUpdated arrives.
  auto db = store::Database::Open(dir_.File("visits.db"));
  ASSERT_THAT(db, IsOk());
  const store::Migration migrations[] = {
      {1, "events_processed", events::kProcessedSchema}};
  ASSERT_THAT((*db)->Migrate(migrations), IsOk());
  ASSERT_THAT(redis_client_->Set(SharedBusinessKey("stale0000000001"),
                                 "old bytes", absl::Minutes(5)),
              IsOk());

  RegistryClient client(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()),
      redis_client_.get(),
      ServiceToken(umkm::testing::kAuthKey, "umkm-visits"));
  events::EventConsumer consumer(**db, *redis_client_,
                                 {.group = "umkm-visits", .consumer = "v-0"});
  client.InvalidateOn(consumer);
  ASSERT_THAT(consumer.Start(), IsOk());

  events::v1::BusinessUpdated payload;
  payload.set_business("businesses/stale0000000001");
  payload.add_changed_fields("display_name");
  auto reply = redis_client_->Command(
      {"XADD", "umkm:events", "*", "event",
       events::Serialize(events::NewEvent(payload, "umkm-registry",
                                          payload.business(), ""))});
  ASSERT_THAT(reply, IsOk());
  bool dropped = false;
  for (int attempt = 0; attempt < 300 && !dropped; ++attempt) {
    auto value = redis_client_->Get(SharedBusinessKey("stale0000000001"));
    dropped = value.ok() && !value->has_value();
    if (!dropped) absl::SleepFor(absl::Milliseconds(100));
  }
  consumer.Stop();
  EXPECT_TRUE(dropped);
}

}  // namespace
}  // namespace umkm
