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
#include "umkm/registry/v1/registry.grpc.pb.h"

namespace umkm {
namespace {

using ::testing::HasSubstr;
using ::umkm::registry::v1::Business;
using ::umkm::registry::v1::RegistryService;
using ::umkm::testing::IsOk;
using ::umkm::testing::ServiceProcess;

constexpr char kAuthKey[] = "integration-auth-key-0123456789-abcdefghij";
constexpr char kPrivacySecret[] = "integration-privacy-secret-0123456789-xyz";

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text << "\n";
}

Business NewBusiness(int n) {
  Business business;
  business.set_display_name(absl::StrCat("Bolen Mojolangu ", n));
  business.mutable_owner()->set_nik("3573055508900002");
  business.mutable_owner()->set_full_name("Siti Aminah");
  business.mutable_address()->set_kelurahan_code("35.73.05.1011");
  business.set_capital_idr(15'000'000);
  return business;
}

class RegistryProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = umkm::testing::RedisServer::Create();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    WriteFile(dir_.File("auth.key"), kAuthKey);
    WriteFile(dir_.File("privacy.key"), kPrivacySecret);
    std::filesystem::create_directories(dir_.File("data"));
  }

  ServiceProcess::Options Options() {
    return {.binary = UMKM_REGISTRY_BINARY,
            .flags = {"--data_dir=" + dir_.File("data"),
                      "--redis_url=" + redis_->url(),
                      "--auth_key_file=" + dir_.File("auth.key"),
                      "--privacy_key_file=" + dir_.File("privacy.key"),
                      "--readiness_grace=0s"}};
  }

  std::unique_ptr<ServiceProcess> MustStart() {
    auto registry = ServiceProcess::Start(Options());
    EXPECT_THAT(registry, IsOk());
    return registry.ok() ? *std::move(registry) : nullptr;
  }

  static std::unique_ptr<RegistryService::Stub> Stub(
      const ServiceProcess& registry) {
    return RegistryService::NewStub(grpc::CreateChannel(
        registry.target(), grpc::InsecureChannelCredentials()));
  }

  static void Authorize(grpc::ClientContext& context) {
    context.AddMetadata(
        "authorization",
        "Bearer " +
            auth::MintToken(kAuthKey, {.sub = "officer-7",
                                       .role = auth::Role::kOfficial,
                                       .agency = "DISKOPINDAG",
                                       .exp = absl::Now() + absl::Hours(1)}));
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
  }

  static grpc::Status Create(RegistryService::Stub& stub, int n,
                             Business* out) {
    grpc::ClientContext context;
    Authorize(context);
    registry::v1::CreateBusinessRequest request;
    *request.mutable_business() = NewBusiness(n);
    return stub.CreateBusiness(&context, request, out);
  }

  static int32_t Count(RegistryService::Stub& stub) {
    grpc::ClientContext context;
    Authorize(context);
    registry::v1::ListBusinessesResponse response;
    grpc::Status status = stub.ListBusinesses(&context, {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.total_size();
  }

  umkm::testing::TempDir dir_;
  std::unique_ptr<umkm::testing::RedisServer> redis_;
};

TEST_F(RegistryProcessTest, KillNineLosesNoAcknowledgedWrite) {
  std::unique_ptr<ServiceProcess> registry = MustStart();
  ASSERT_NE(registry, nullptr);
  auto stub = Stub(*registry);

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
  stub = Stub(*registry);
  EXPECT_GE(Count(*stub), static_cast<int32_t>(acknowledged.size()));
  for (const std::string& name : acknowledged) {
    grpc::ClientContext context;
    Authorize(context);
    registry::v1::GetBusinessRequest request;
    request.set_name(name);
    Business got;
    EXPECT_TRUE(stub->GetBusiness(&context, request, &got).ok()) << name;
  }
}

TEST_F(RegistryProcessTest, SigtermDrainsAndExitsCleanly) {
  std::unique_ptr<ServiceProcess> registry = MustStart();
  ASSERT_NE(registry, nullptr);
  auto stub = Stub(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  EXPECT_EQ(registry->Terminate(), 0);
  EXPECT_THAT(registry->Log(), HasSubstr("\"msg\":\"draining\""));
  EXPECT_THAT(registry->Log(), HasSubstr("\"msg\":\"stopped\""));
  ASSERT_THAT(registry->Restart(), IsOk());
  stub = Stub(*registry);
  EXPECT_EQ(Count(*stub), 1);
}

TEST_F(RegistryProcessTest, ServesFromSqliteWhileRedisIsDown) {
  redis_->Stop();
  std::unique_ptr<ServiceProcess> registry = MustStart();
  ASSERT_NE(registry, nullptr);
  auto stub = Stub(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  grpc::ClientContext context;
  Authorize(context);
  registry::v1::GetBusinessRequest request;
  request.set_name(created.name());
  Business got;
  ASSERT_TRUE(stub->GetBusiness(&context, request, &got).ok());
  EXPECT_EQ(got.display_name(), "Bolen Mojolangu 1");
}

TEST_F(RegistryProcessTest, RequestLogsAreJsonWithoutPersonalData) {
  std::unique_ptr<ServiceProcess> registry = MustStart();
  ASSERT_NE(registry, nullptr);
  auto stub = Stub(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  registry->Terminate();
  const std::string log = registry->Log();
  EXPECT_THAT(log, HasSubstr("\"method\":\"/umkm.registry.v1.RegistryService/"
                             "CreateBusiness\""));
  EXPECT_THAT(log, HasSubstr("\"caller\":\"officer-7\""));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("3573055508900002")));
}

TEST_F(RegistryProcessTest, ShortAuthKeyStopsStartWithClearMessage) {
  WriteFile(dir_.File("auth.key"), "too-short");
  auto registry = ServiceProcess::Start(Options());
  ASSERT_FALSE(registry.ok());
  EXPECT_THAT(std::string(registry.status().message()), HasSubstr("auth"));
}

}  // namespace
}  // namespace umkm
