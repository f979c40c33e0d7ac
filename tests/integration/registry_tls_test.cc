// TLS on the real umkm-registry binary with certificates the test makes
// with openssl: mutual TLS admits only callers with a certificate of the
// CA; the shared registry client and the kit's registry client call over
// TLS; plaintext on a non-loopback address never starts.
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "common/audit/audit_log.h"
#include "common/registry_client/registry_client.h"
#include "common/service/runtime.h"
#include "common/service/testing/service_fixture.h"
#include "common/testing/eventually.h"
#include "common/testing/subprocess.h"
#include "common/testing/test_pki.h"
#include "common/tls/credentials.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_fixture.h"

namespace umkm {
namespace {

using ::testing::HasSubstr;
using ::umkm::testing::IsOk;
using ::umkm::testing::ServiceProcess;
using ::umkm::testing::StatusIs;
using ::umkm::testing::Subprocess;
using ::umkm::testing::TestPki;

class RegistryTlsTest : public umkm::testing::RegistryFixture {
 protected:
  // TLS credentials of a caller: the CA, and `identity` as its client
  // certificate unless null.
  std::shared_ptr<grpc::ChannelCredentials> Caller(
      const TestPki::Identity* identity) const {
    tls::ClientTlsFiles files{.ca_file = pki_.ca_file()};
    if (identity != nullptr) {
      files.cert_file = identity->cert_file;
      files.key_file = identity->key_file;
    }
    auto credentials = tls::ChannelCredentials("127.0.0.1:1", files);
    EXPECT_THAT(credentials, IsOk());
    return credentials.ok() ? *credentials : nullptr;
  }

  // The registry under mutual TLS.
  std::unique_ptr<ServiceProcess> StartTlsRegistry() {
    ServiceProcess::Options options =
        RegistryOptions({"--tls_cert_file=" + pki_.server().cert_file,
                         "--tls_key_file=" + pki_.server().key_file,
                         "--tls_client_ca_file=" + pki_.ca_file()});
    options.channel_credentials = Caller(&pki_.client());
    auto registry = ServiceProcess::Start(options);
    EXPECT_THAT(registry, IsOk());
    return registry.ok() ? *std::move(registry) : nullptr;
  }

  static std::unique_ptr<Stub> TlsStub(
      const ServiceProcess& registry,
      std::shared_ptr<grpc::ChannelCredentials> credentials) {
    return registry::v1::RegistryService::NewStub(
        grpc::CreateChannel(registry.target(), std::move(credentials)));
  }

  static RequestContext Work() {
    RequestContext context;
    context.request_id = context.correlation_id = "tls-test-1";
    context.deadline = absl::Now() + absl::Seconds(20);
    return context;
  }

  const TestPki& pki_ = TestPki::Shared();
};

TEST_F(RegistryTlsTest, OnlyCallersWithACertificateOfTheCaAreServed) {
  std::unique_ptr<ServiceProcess> registry = StartTlsRegistry();
  ASSERT_NE(registry, nullptr);
  Business created;
  grpc::Status status =
      Create(*TlsStub(*registry, Caller(&pki_.client())), 1, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();

  Business business;
  EXPECT_EQ(Get(*StubFor(*registry), created.name(), &business).error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "plaintext";
  EXPECT_EQ(Get(*TlsStub(*registry, Caller(nullptr)), created.name(), &business)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "no client certificate";
  EXPECT_EQ(Get(*TlsStub(*registry, Caller(&pki_.other_client())),
                created.name(), &business)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "client certificate of another CA";
  auto other_ca = tls::ChannelCredentials("127.0.0.1:1",
                                          {.ca_file = pki_.other_ca_file(),
                                           .cert_file = pki_.client().cert_file,
                                           .key_file = pki_.client().key_file});
  ASSERT_THAT(other_ca, IsOk());
  EXPECT_EQ(Get(*TlsStub(*registry, *other_ca), created.name(), &business)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "caller trusting another CA";
  registry->Terminate();
  EXPECT_THAT(registry->Log(), HasSubstr("\"transport\":\"mutual-tls\""));
}

TEST_F(RegistryTlsTest, SharedRegistryClientCallsOverMutualTls) {
  std::unique_ptr<ServiceProcess> registry = StartTlsRegistry();
  ASSERT_NE(registry, nullptr);
  Business created;
  ASSERT_TRUE(
      Create(*TlsStub(*registry, Caller(&pki_.client())), 1, &created).ok());

  RegistryClient client(
      grpc::CreateChannel(registry->target(), Caller(&pki_.client())),
      /*redis=*/nullptr, ServiceToken(umkm::testing::kAuthKey, "umkm-visits"));
  absl::StatusOr<Business> read = client.Get(Work(), created.name());
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->display_name(), "Bolen Mojolangu 1");
}

// A service of the kit that reads businesses: its registry client takes
// --registry_target and the TLS flags.
service::ServiceSpec ReaderSpec() {
  return {.name = "umkm-reader",
          .migrations = {{1, "audit_log", audit::kAuditLogSchema}},
          .assemble = [](service::Runtime&) { return absl::OkStatus(); }};
}

TEST_F(RegistryTlsTest, KitRegistryClientUsesTlsAndItsOwnCertificate) {
  std::unique_ptr<ServiceProcess> registry = StartTlsRegistry();
  ASSERT_NE(registry, nullptr);
  Business created;
  ASSERT_TRUE(
      Create(*TlsStub(*registry, Caller(&pki_.client())), 1, &created).ok());

  auto reader = service::testing::ServiceFixture::Start(
      ReaderSpec(), {.with_redis = false,
                     .flags = {"--auth_key_file=" + dir_.File("auth.key"),
                               "--registry_target=" + registry->target(),
                               "--tls_ca_file=" + pki_.ca_file(),
                               "--tls_cert_file=" + pki_.client().cert_file,
                               "--tls_key_file=" + pki_.client().key_file},
                     .channel_credentials = Caller(&pki_.client())});
  ASSERT_THAT(reader, IsOk());
  absl::StatusOr<RegistryClient*> client =
      (*reader)->runtime().registry_client();
  ASSERT_THAT(client, IsOk());
  absl::StatusOr<Business> read = (*client)->Get(Work(), created.name());
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->display_name(), "Bolen Mojolangu 1");
}

TEST_F(RegistryTlsTest, KitRefusesPlaintextToANonLoopbackRegistry) {
  auto reader = service::testing::ServiceFixture::Start(
      ReaderSpec(), {.with_redis = false,
                     .flags = {"--registry_target=umkm-registry:50051"}});
  ASSERT_THAT(reader, IsOk());
  EXPECT_THAT((*reader)->runtime().registry_client(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("--tls_ca_file")));
}

TEST_F(RegistryTlsTest, PlaintextOnANonLoopbackAddressNeverStarts) {
  const std::string port_file = dir_.File("port");
  const std::string log = dir_.File("refused.log");
  auto process = Subprocess::Start(
      {UMKM_REGISTRY_BINARY, "--listen=0.0.0.0:0", "--port_file=" + port_file,
       "--data_dir=" + dir_.File("data"), "--redis_url=" + redis_->url(),
       "--auth_key_file=" + dir_.File("auth.key"),
       "--privacy_key_file=" + dir_.File("privacy.key")},
      log);
  ASSERT_THAT(process, IsOk());
  EXPECT_EQ((*process)->Wait(absl::Seconds(60)), 1);
  EXPECT_THAT(umkm::testing::FileTail(log),
              HasSubstr("refusing to listen on 0.0.0.0:0 without TLS"));
  EXPECT_FALSE(std::filesystem::exists(port_file)) << "it bound a port";
}

}  // namespace
}  // namespace umkm
