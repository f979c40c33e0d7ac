// Redis with a password (the manifests' ACL: the default user may only
// PING), against the real umkm-registry binary: with --redis_password_file
// the shared cache and the events topic work, also after Redis restarts;
// without it, or with a wrong password, they fail as if Redis were down
// while every RPC still succeeds, and the log says why without the secret.
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/testing/eventually.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_fixture.h"

namespace umkm {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::umkm::testing::Eventually;
using ::umkm::testing::IsOk;
using ::umkm::testing::RedisServer;
using ::umkm::testing::ServiceProcess;

constexpr char kPassword[] = "redis-pass-for-the-test-8c2f41";
constexpr char kWrongPassword[] = "not-the-redis-pass-93e0aa";

class RegistryRedisAuthTest : public umkm::testing::RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    if (HasFatalFailure()) return;
    // This test's Redis requires a password; the test's own client has it.
    redis_client_.reset();
    auto redis =
        RedisServer::Create(RedisServer::WithPassword("umkm", kPassword));
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    auto client = redis::RedisClient::Create(
        redis_->url(), {.credentials = redis::RedisCredentials{
                            .user = "umkm", .password = kPassword}});
    ASSERT_THAT(client, IsOk());
    redis_client_ = *std::move(client);
    std::ofstream(dir_.File("redis.password")) << "umkm " << kPassword << "\n";
    std::ofstream(dir_.File("wrong.password"))
        << "umkm " << kWrongPassword << "\n";
  }

  int64_t StreamLength() {
    auto reply = redis_client_->Command({"XLEN", "umkm:events"});
    return reply.ok() && !reply->is_error() ? reply->integer : -1;
  }

  // Creates business `n` and reads it back (filling the shared cache when
  // Redis lets the registry in); both calls must succeed regardless.
  std::string CreateAndRead(Stub& stub, int n) {
    Business created, read;
    grpc::Status status = Create(stub, n, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    status = Get(stub, created.name(), &read);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created.name();
  }

  static bool Logged(ServiceProcess& registry, const std::string& text) {
    return Eventually(
        [&] { return registry.Log().find(text) != std::string::npos; });
  }
};

TEST_F(RegistryRedisAuthTest, WithThePasswordCacheAndEventsWork) {
  std::unique_ptr<ServiceProcess> registry =
      StartRegistry({"--redis_password_file=" + dir_.File("redis.password")});
  ASSERT_NE(registry, nullptr);
  EXPECT_TRUE(Logged(*registry, "\"msg\":\"redis connected\""))
      << registry->Log();
  auto stub = StubFor(*registry);
  const std::string name = CreateAndRead(*stub, 1);
  EXPECT_TRUE(Cached(name));
  EXPECT_TRUE(Eventually([&] { return StreamLength() >= 1; }))
      << registry->Log();
}

TEST_F(RegistryRedisAuthTest, WithoutThePasswordRedisFeaturesFailAndRpcsDoNot) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  EXPECT_TRUE(Logged(*registry, "redis refused this service"))
      << registry->Log();
  auto stub = StubFor(*registry);
  const std::string name = CreateAndRead(*stub, 1);
  EXPECT_FALSE(Cached(name));
  // The relay tried and failed: the event waits in the outbox.
  ASSERT_TRUE(Logged(*registry, "events relay: publishing failed"));
  EXPECT_THAT(registry->Log(), HasSubstr("NOPERM"));
  EXPECT_EQ(StreamLength(), 0);
}

TEST_F(RegistryRedisAuthTest, WrongPasswordIsReportedAndNeverLogged) {
  std::unique_ptr<ServiceProcess> registry =
      StartRegistry({"--redis_password_file=" + dir_.File("wrong.password")});
  ASSERT_NE(registry, nullptr);
  ASSERT_TRUE(Logged(*registry, "redis refused this service"))
      << registry->Log();
  auto stub = StubFor(*registry);
  const std::string name = CreateAndRead(*stub, 1);
  EXPECT_FALSE(Cached(name));
  ASSERT_TRUE(Logged(*registry, "events relay: publishing failed"));
  EXPECT_EQ(StreamLength(), 0);

  EXPECT_EQ(registry->Terminate(), 0);
  const std::string log = registry->Log();
  EXPECT_THAT(log, HasSubstr("refused AUTH as user umkm"));
  EXPECT_THAT(log, HasSubstr("WRONGPASS"));
  EXPECT_THAT(log, HasSubstr("--redis_password_file"));
  EXPECT_THAT(log, Not(HasSubstr(kWrongPassword)));
  EXPECT_THAT(log, Not(HasSubstr(kPassword)));
}

TEST_F(RegistryRedisAuthTest, AfterARedisRestartTheRegistryAuthenticatesAgain) {
  std::unique_ptr<ServiceProcess> registry =
      StartRegistry({"--redis_password_file=" + dir_.File("redis.password")});
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  CreateAndRead(*stub, 1);
  ASSERT_TRUE(Eventually([&] { return StreamLength() >= 1; }));

  redis_->Stop();
  ASSERT_THAT(redis_->Start(), IsOk());  // empty: no persistence
  // The relay reconnects: without AUTH it would get NOPERM and never
  // publish this event.
  CreateAndRead(*stub, 2);
  EXPECT_TRUE(Eventually([&] { return StreamLength() >= 1; }))
      << registry->Log();
  EXPECT_EQ(registry->Terminate(), 0);
  EXPECT_THAT(registry->Log(), Not(HasSubstr(kPassword)));
}

}  // namespace
}  // namespace umkm
