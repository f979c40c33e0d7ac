// The audit trail of the real umkm-registry binary, on a real SQLite file:
// every full-NIK read is on disk before its answer (kill -9 right after the
// replies loses none), and the NIK filter is refused to officials and
// audited for admins.
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_fixture.h"

namespace umkm {
namespace {

using ::testing::ElementsAre;
using ::umkm::testing::IsOk;
using ::umkm::testing::ServiceProcess;

using RegistryAuditTest = umkm::testing::RegistryFixture;

constexpr char kNik[] = "3573055508900002";  // NewBusiness's owner

registry::v1::GetBusinessRequest FullRead(const std::string& name) {
  registry::v1::GetBusinessRequest request;
  request.set_name(name);
  request.set_view(registry::v1::BUSINESS_VIEW_FULL);
  return request;
}

TEST_F(RegistryAuditTest, FullNikReadsAcknowledgedBeforeKillNineAreAllOnDisk) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());

  // 4 readers x 10 full-NIK reads, concurrent so that records share
  // commits; each answer arrived before the kill.
  constexpr int kReaders = 4, kReads = 10;
  std::atomic<int> answered{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      for (int i = 0; i < kReads; ++i) {
        Business got;
        grpc::Status status = stub->GetBusiness(
            AdminContext("identity_verification",
                         absl::StrCat("kill-read-", r, "-", i))
                .get(),
            FullRead(created.name()), &got);
        EXPECT_TRUE(status.ok()) << status.error_message();
        EXPECT_EQ(got.owner().nik(), kNik);
        if (status.ok()) ++answered;
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  ASSERT_EQ(answered.load(), kReaders * kReads);
  registry->Kill();

  ASSERT_THAT(registry->Restart(), IsOk());
  auto audit = AuditStubFor(*registry);
  audit::v1::ListAuditRecordsResponse records = AuditRecords(
      *audit, "action = AUDIT_ACTION_READ_PERSONAL_DATA AND resource = \"" +
                  created.name() + "\"");
  EXPECT_EQ(records.total_size(), kReaders * kReads);
  std::set<std::string> request_ids;
  for (const audit::v1::AuditRecord& record : records.audit_records()) {
    EXPECT_EQ(record.subject(), "ops-1");
    EXPECT_EQ(record.role(), "admin");
    EXPECT_EQ(record.method(), "/umkm.registry.v1.RegistryService/GetBusiness");
    EXPECT_EQ(record.purpose(), "identity_verification");
    EXPECT_THAT(record.personal_fields(), ElementsAre("owner.nik"));
    EXPECT_THAT(record.resources(), ElementsAre(created.name()));
    request_ids.insert(record.request_id());
  }
  EXPECT_EQ(request_ids.size(), static_cast<size_t>(kReaders * kReads));
  EXPECT_EQ(request_ids.count("kill-read-3-9"), 1u);
}

TEST_F(RegistryAuditTest, NikFilterIsRefusedToOfficialsAndAuditedForAdmins) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  auto audit = AuditStubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  const std::string filter = absl::StrCat("owner_nik = \"", kNik, "\"");

  // An official: PERMISSION_DENIED naming the field, nothing recorded.
  registry::v1::ListBusinessesRequest list;
  list.set_filter(filter);
  registry::v1::ListBusinessesResponse listed;
  grpc::Status denied = stub->ListBusinesses(Context().get(), list, &listed);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const absl::Status detail = FromGrpcStatus(denied);
  EXPECT_EQ(ReasonOf(detail), "PERSONAL_DATA_FILTER_NOT_ALLOWED");
  EXPECT_THAT(denied.error_message(), ::testing::HasSubstr("owner_nik"));
  registry::v1::GetBusinessStatsRequest stats;
  stats.set_filter(filter);
  registry::v1::GetBusinessStatsResponse counted;
  EXPECT_EQ(
      stub->GetBusinessStats(Context().get(), stats, &counted).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  // Officials cannot read the trail either.
  audit::v1::ListAuditRecordsResponse records;
  EXPECT_EQ(audit->ListAuditRecords(Context().get(), {}, &records).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(AuditRecords(*audit).total_size(), 0);

  // An admin with a purpose: answered, and each call recorded.
  ASSERT_TRUE(
      stub->ListBusinesses(AdminContext("duplicate_check", "nik-list-1").get(),
                           list, &listed)
          .ok());
  ASSERT_EQ(listed.businesses_size(), 1);
  EXPECT_EQ(listed.businesses(0).name(), created.name());
  ASSERT_TRUE(stub->GetBusinessStats(
                      AdminContext("duplicate_check", "nik-stats-2").get(),
                      stats, &counted)
                  .ok());
  EXPECT_EQ(counted.total_count(), 1);

  records =
      AuditRecords(*audit, "action = AUDIT_ACTION_FILTER_BY_PERSONAL_DATA");
  ASSERT_EQ(records.audit_records_size(), 2);
  EXPECT_EQ(records.audit_records(0).request_id(), "nik-stats-2");
  EXPECT_EQ(records.audit_records(0).method(),
            "/umkm.registry.v1.RegistryService/GetBusinessStats");
  EXPECT_TRUE(records.audit_records(0).resources().empty());
  EXPECT_EQ(records.audit_records(1).request_id(), "nik-list-1");
  EXPECT_THAT(records.audit_records(1).resources(),
              ElementsAre(created.name()));
  for (const audit::v1::AuditRecord& record : records.audit_records()) {
    EXPECT_THAT(record.personal_fields(), ElementsAre("owner_nik"));
    EXPECT_EQ(record.purpose(), "duplicate_check");
    EXPECT_EQ(record.SerializeAsString().find(kNik), std::string::npos);
  }
  // The filter by request id finds one call's records.
  EXPECT_EQ(AuditRecords(*audit, "request_id = \"nik-list-1\"").total_size(),
            1);
}

}  // namespace
}  // namespace umkm
