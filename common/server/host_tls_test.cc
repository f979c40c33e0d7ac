// TLS on the real listener: a ServiceHost on 127.0.0.1 with certificates the
// test makes with openssl, called over real gRPC channels (the health
// service stands for any method: the handshake comes before it).
#include <memory>
#include <string>

#include "common/server/host.h"
#include "common/testing/status_matchers.h"
#include "common/testing/test_pki.h"
#include "common/tls/credentials.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "health/v1/health.grpc.pb.h"

namespace umkm::server {
namespace {

using ::testing::HasSubstr;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;
using ::umkm::testing::TestPki;

class HostTlsTest : public ::testing::Test {
 protected:
  // Starts a host on 127.0.0.1 with the server certificate; `mutual` also
  // requires client certificates signed by the test CA.
  void StartHost(bool mutual) {
    HostOptions options{.listen = "127.0.0.1:0",
                        .tls = {.cert_file = pki_.server().cert_file,
                                .key_file = pki_.server().key_file},
                        .readiness_grace = absl::ZeroDuration()};
    if (mutual) options.tls.client_ca_file = pki_.ca_file();
    host_ = std::make_unique<ServiceHost>(options);
    ASSERT_THAT(host_->Start(), IsOk());
  }

  std::string Target() const {
    return "127.0.0.1:" + std::to_string(host_->port());
  }

  // A liveness check over a channel with `credentials`.
  grpc::Status Check(std::shared_ptr<grpc::ChannelCredentials> credentials) {
    auto stub = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(Target(), std::move(credentials)));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    return stub->Check(&context, request, &response);
  }

  grpc::Status CheckWith(const tls::ClientTlsFiles& files) {
    auto credentials = tls::ChannelCredentials(Target(), files);
    EXPECT_THAT(credentials, IsOk());
    if (!credentials.ok()) return grpc::Status::CANCELLED;
    return Check(*credentials);
  }

  const TestPki& pki_ = TestPki::Shared();
  std::unique_ptr<ServiceHost> host_;
};

TEST_F(HostTlsTest, TlsClientTrustingTheCaIsServed) {
  StartHost(/*mutual=*/false);
  // Verified against the CA and the certificate's IP:127.0.0.1 name.
  grpc::Status status = CheckWith({.ca_file = pki_.ca_file()});
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(HostTlsTest, PlaintextClientIsRefused) {
  StartHost(/*mutual=*/false);
  EXPECT_EQ(Check(grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(HostTlsTest, ClientTrustingAnotherCaIsRefused) {
  StartHost(/*mutual=*/false);
  EXPECT_EQ(CheckWith({.ca_file = pki_.other_ca_file()}).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(HostTlsTest, MutualTlsRequiresAClientCertificateOfTheCa) {
  StartHost(/*mutual=*/true);
  EXPECT_EQ(CheckWith({.ca_file = pki_.ca_file()}).error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "no client certificate";
  EXPECT_EQ(CheckWith({.ca_file = pki_.ca_file(),
                       .cert_file = pki_.other_client().cert_file,
                       .key_file = pki_.other_client().key_file})
                .error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "client certificate of another CA";
  grpc::Status served = CheckWith({.ca_file = pki_.ca_file(),
                                   .cert_file = pki_.client().cert_file,
                                   .key_file = pki_.client().key_file});
  EXPECT_TRUE(served.ok()) << served.error_message();
}

TEST_F(HostTlsTest, PlaintextOnANonLoopbackAddressIsRefusedBeforeBinding) {
  ServiceHost host(HostOptions{.listen = "0.0.0.0:0",
                               .readiness_grace = absl::ZeroDuration()});
  EXPECT_THAT(host.Start(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                     HasSubstr("without TLS")));
  EXPECT_EQ(host.port(), 0);
}

TEST_F(HostTlsTest, PlaintextStaysAvailableOnLoopback) {
  ServiceHost host(HostOptions{.listen = "127.0.0.1:0",
                               .readiness_grace = absl::ZeroDuration()});
  ASSERT_THAT(host.Start(), IsOk());
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(host.port()),
                          grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_TRUE(stub->Check(&context, {}, &response).ok());
}

}  // namespace
}  // namespace umkm::server
