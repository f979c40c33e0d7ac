// ServiceFixture: a service assembled by the kit and served in this test
// process, the way its main() would, against real parts: a real gRPC
// channel on 127.0.0.1, a temporary SQLite file, generated keys, and
// (unless turned off) a real redis-server on a free loopback port.
//
//   auto fixture = ServiceFixture::Start(ComplaintsSpec());
//   ASSERT_THAT(fixture, IsOk());
//   auto stub = v1::ComplaintService::NewStub((*fixture)->channel());
//   grpc::ClientContext context;
//   (*fixture)->Authorize(context, auth::Role::kOfficial);
//   (*fixture)->SetTime(*ParseRfc3339("2027-01-11T08:00:00+07:00"));
//
// The environment is not read (UMKM_* variables of the machine running the
// tests do not leak in). Not thread-safe; the channel is.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/role.h"
#include "common/service/runtime.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"

namespace umkm::service::testing {

struct FixtureOptions {
  // Start a redis-server and pass --redis_url.
  bool with_redis = true;
  // Extra "--name=value" flags; they replace the fixture's own values.
  std::vector<std::string> flags;
  // The instant the service's clock starts at (--testing_clock_file).
  absl::Time start_time = absl::FromUnixSeconds(1799049600);  // 2027-01-04
  // What channel() uses; null: plaintext (for a service given --tls_* flags,
  // pass TLS credentials).
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials;
};

class ServiceFixture {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceFixture>> Start(
      ServiceSpec spec, FixtureOptions options = {});
  // Drains and stops the service, then Redis.
  ~ServiceFixture();

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  std::string target() const;
  Runtime& runtime() { return *runtime_; }
  // Null when started without Redis.
  umkm::testing::RedisServer* redis() { return redis_.get(); }
  const std::string& data_dir() const { return dir_.path(); }
  // The key the service verifies tokens with.
  const std::string& auth_key() const { return auth_key_; }

  // A token for `role` (officials get agency DISKOPINDAG, banks partner
  // BANK_JATIM), valid for an hour of real time.
  std::string Token(auth::Role role, const std::string& subject = "tester");
  // Adds the token's header and a 20 s deadline to `context`.
  void Authorize(grpc::ClientContext& context, auth::Role role);

  // Moves the service's clock (it sees the change within a second; the
  // call returns once the file is written).
  void SetTime(absl::Time now);

  // Shuts the service down now (idempotent; the destructor does it too).
  void Stop();

 private:
  ServiceFixture() = default;

  umkm::testing::TempDir dir_;
  std::string auth_key_;
  std::string clock_file_;
  std::unique_ptr<umkm::testing::RedisServer> redis_;
  std::unique_ptr<Runtime> runtime_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace umkm::service::testing
