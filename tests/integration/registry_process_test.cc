// The umkm-registry binary as ops run it: a crash loses no acknowledged
// write, SIGTERM drains and exits cleanly, Redis down changes nothing but
// speed, and bad configuration stops it with a clear message.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/token.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_fixture.h"
#include "umkm/registry/v1/registry.grpc.pb.h"

namespace umkm {
namespace {

using ::testing::HasSubstr;
using ::umkm::registry::v1::Business;
using ::umkm::registry::v1::RegistryService;
using ::umkm::testing::IsOk;
using ::umkm::testing::ServiceProcess;

using RegistryProcessTest = umkm::testing::RegistryFixture;

TEST_F(RegistryProcessTest, KillNineLosesNoAcknowledgedWrite) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);

  // Four writers keep creating; the kill lands while writes are in flight.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop.load(); ++i) {
        Business created;
        if (!Create(*stub, w * 100000 + i, &created).ok()) return;
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.push_back(created.name());
      }
    });
  }
  for (;;) {  // until enough writes were acknowledged
    {
      std::lock_guard<std::mutex> lock(mu);
      if (acknowledged.size() >= 40) break;
    }
    std::this_thread::yield();
  }
  registry->Kill();
  stop = true;
  for (auto& writer : writers) writer.join();

  ASSERT_THAT(registry->Restart(), IsOk());
  stub = StubFor(*registry);
  EXPECT_GE(Count(*stub), static_cast<int32_t>(acknowledged.size()));
  for (const std::string& name : acknowledged) {
    Business got;
    EXPECT_TRUE(Get(*stub, name, &got).ok()) << name;
  }
}

TEST_F(RegistryProcessTest, SigtermDrainsAndExitsCleanly) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  EXPECT_EQ(registry->Terminate(), 0);
  EXPECT_THAT(registry->Log(), HasSubstr("\"msg\":\"draining\""));
  EXPECT_THAT(registry->Log(), HasSubstr("\"msg\":\"stopped\""));
  ASSERT_THAT(registry->Restart(), IsOk());
  stub = StubFor(*registry);
  EXPECT_EQ(Count(*stub), 1);
}

TEST_F(RegistryProcessTest, ServesFromSqliteWhileRedisIsDown) {
  redis_->Stop();
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  Business got;
  ASSERT_TRUE(Get(*stub, created.name(), &got).ok());
  EXPECT_EQ(got.display_name(), "Bolen Mojolangu 1");
}

TEST_F(RegistryProcessTest, RequestLogsAreJsonWithoutPersonalData) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  registry->Terminate();
  const std::string log = registry->Log();
  EXPECT_THAT(log, HasSubstr("\"method\":\"/umkm.registry.v1.RegistryService/"
                             "CreateBusiness\""));
  EXPECT_THAT(log, HasSubstr("\"caller\":\"officer-7\""));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("3573055508900002")));
}

TEST_F(RegistryProcessTest, DataFilesAreReadableByTheServiceOnly) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  // The database and its WAL hold personal data (encrypted or not, the
  // file is nobody else's): umask 077 at start.
  for (const char* name : {"registry.db", "registry.db-wal"}) {
    const auto perms =
        std::filesystem::status(dir_.File(std::string("data/") + name))
            .permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all,
              std::filesystem::perms::owner_read |
                  std::filesystem::perms::owner_write)
        << name;
  }
}

TEST_F(RegistryProcessTest, RequestIdIsReturnedAndLogged) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  auto context = Context();
  context->AddMetadata("x-request-id", "ngombe-session-42");
  registry::v1::ListBusinessesRequest request;
  registry::v1::ListBusinessesResponse response;
  ASSERT_TRUE(stub->ListBusinesses(context.get(), request, &response).ok());
  const auto& metadata = context->GetServerInitialMetadata();
  auto it = metadata.find("x-request-id");
  ASSERT_NE(it, metadata.end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()),
            "ngombe-session-42");
  registry->Terminate();
  EXPECT_THAT(registry->Log(),
              HasSubstr("\"request_id\":\"ngombe-session-42\""));
}

TEST_F(RegistryProcessTest, ShortAuthKeyStopsStartWithClearMessage) {
  std::ofstream(dir_.File("auth.key")) << "too-short\n";
  auto registry = ServiceProcess::Start(RegistryOptions());
  ASSERT_FALSE(registry.ok());
  EXPECT_THAT(std::string(registry.status().message()), HasSubstr("auth"));
}

}  // namespace
}  // namespace umkm
