// Shared set-up for tests that run the real umkm-registry binary: a real
// redis-server, key files, a data directory, tokens and a stub.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/aip/resource_name.h"
#include "common/auth/token.h"
#include "common/redis/redis_client.h"
#include "common/registry_client/shared_cache.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "umkm/audit/v1/audit.grpc.pb.h"
#include "umkm/registry/v1/registry.grpc.pb.h"

namespace umkm::testing {

inline constexpr char kAuthKey[] = "integration-auth-key-0123456789-abcdefghij";
inline constexpr char kPrivacySecret[] =
    "integration-privacy-secret-0123456789-xyz";

class RegistryFixture : public ::testing::Test {
 protected:
  using Business = registry::v1::Business;
  using Stub = registry::v1::RegistryService::Stub;
  using AuditStub = audit::v1::AuditService::Stub;

  void SetUp() override {
    auto redis = RedisServer::Create();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    auto client = redis::RedisClient::Create(redis_->url());
    ASSERT_THAT(client, IsOk());
    redis_client_ = *std::move(client);
    std::ofstream(dir_.File("auth.key")) << kAuthKey << "\n";
    std::ofstream(dir_.File("privacy.key")) << kPrivacySecret << "\n";
    std::filesystem::create_directories(dir_.File("data"));
  }

  // Flags for a registry on this fixture's Redis, keys and data; `extra`
  // are appended.
  ServiceProcess::Options RegistryOptions(std::vector<std::string> extra = {}) {
    ServiceProcess::Options options{
        .binary = UMKM_REGISTRY_BINARY,
        .flags = {"--data_dir=" + dir_.File("data"),
                  "--redis_url=" + redis_->url(),
                  "--auth_key_file=" + dir_.File("auth.key"),
                  "--privacy_key_file=" + dir_.File("privacy.key"),
                  "--readiness_grace=0s"}};
    options.flags.insert(options.flags.end(), extra.begin(), extra.end());
    return options;
  }

  std::unique_ptr<ServiceProcess> StartRegistry(
      std::vector<std::string> extra = {}) {
    auto registry = ServiceProcess::Start(RegistryOptions(std::move(extra)));
    EXPECT_THAT(registry, IsOk());
    return registry.ok() ? *std::move(registry) : nullptr;
  }

  static std::unique_ptr<Stub> StubFor(const ServiceProcess& registry) {
    return registry::v1::RegistryService::NewStub(grpc::CreateChannel(
        registry.target(), grpc::InsecureChannelCredentials()));
  }

  static std::unique_ptr<AuditStub> AuditStubFor(
      const ServiceProcess& registry) {
    return audit::v1::AuditService::NewStub(grpc::CreateChannel(
        registry.target(), grpc::InsecureChannelCredentials()));
  }

  // An admin's call context with a deadline, stating `purpose` and sending
  // `request_id` as x-request-id when they are not empty.
  static std::unique_ptr<grpc::ClientContext> AdminContext(
      const std::string& purpose = "", const std::string& request_id = "") {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata(
        "authorization",
        "Bearer " +
            auth::MintToken(kAuthKey, {.sub = "ops-1",
                                       .role = auth::Role::kAdmin,
                                       .exp = absl::Now() + absl::Hours(1)}));
    if (!purpose.empty()) context->AddMetadata("x-umkm-purpose", purpose);
    if (!request_id.empty()) context->AddMetadata("x-request-id", request_id);
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(20));
    return context;
  }

  // The registry's audit records matching `filter` (one page of up to
  // 1000), as an admin lists them.
  static audit::v1::ListAuditRecordsResponse AuditRecords(
      AuditStub& stub, const std::string& filter = "") {
    audit::v1::ListAuditRecordsRequest request;
    request.set_filter(filter);
    request.set_page_size(1000);
    audit::v1::ListAuditRecordsResponse response;
    grpc::Status status =
        stub.ListAuditRecords(AdminContext().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // An official's call context with a deadline.
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata(
        "authorization",
        "Bearer " +
            auth::MintToken(kAuthKey, {.sub = "officer-7",
                                       .role = auth::Role::kOfficial,
                                       .agency = "DISKOPINDAG",
                                       .exp = absl::Now() + absl::Hours(1)}));
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(20));
    return context;
  }

  static Business NewBusiness(int n) {
    Business business;
    business.set_display_name(absl::StrCat("Bolen Mojolangu ", n));
    business.mutable_owner()->set_nik("3573055508900002");
    business.mutable_owner()->set_full_name("Siti Aminah");
    business.mutable_address()->set_kelurahan_code("35.73.05.1011");
    business.set_capital_idr(15'000'000);
    return business;
  }

  static grpc::Status Create(Stub& stub, int n, Business* out) {
    registry::v1::CreateBusinessRequest request;
    *request.mutable_business() = NewBusiness(n);
    return stub.CreateBusiness(Context().get(), request, out);
  }

  static grpc::Status Get(Stub& stub, const std::string& name, Business* out) {
    registry::v1::GetBusinessRequest request;
    request.set_name(name);
    return stub.GetBusiness(Context().get(), request, out);
  }

  // ListBusinesses' total_size.
  static int32_t Count(Stub& stub) {
    registry::v1::ListBusinessesResponse response;
    grpc::Status status = stub.ListBusinesses(Context().get(), {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.total_size();
  }

  // Whether Redis holds the registry's shared entry of business `name`.
  bool Cached(const std::string& name) {
    absl::StatusOr<std::string> id = aip::ParseResourceId(name, "businesses");
    if (!id.ok()) return false;
    auto value = redis_client_->Get(SharedBusinessKey(*id));
    return value.ok() && value->has_value();
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<redis::RedisClient> redis_client_;
};

}  // namespace umkm::testing
