// The exec probe against a real listener under mutual TLS, with
// certificates the test makes with openssl; and the binary's exit codes.
#include "tools/probe/probe.h"

#include <memory>
#include <string>

#include "common/server/host.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "common/testing/temp_dir.h"
#include "common/testing/test_pki.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::tools {
namespace {

using ::testing::HasSubstr;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;
using ::umkm::testing::Subprocess;
using ::umkm::testing::TestPki;

TEST(ProbeTargetTest, WildcardHostsBecomeLoopback) {
  EXPECT_EQ(ProbeTarget("0.0.0.0:50051"), "127.0.0.1:50051");
  EXPECT_EQ(ProbeTarget(":50051"), "127.0.0.1:50051");
  EXPECT_EQ(ProbeTarget("[::]:50052"), "[::1]:50052");
  EXPECT_EQ(ProbeTarget("127.0.0.1:7"), "127.0.0.1:7");
  EXPECT_EQ(ProbeTarget("10.0.0.3:50051"), "10.0.0.3:50051");
}

class ProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = std::make_unique<server::ServiceHost>(
        server::HostOptions{.listen = "127.0.0.1:0",
                            .tls = {.cert_file = pki_.server().cert_file,
                                    .key_file = pki_.server().key_file,
                                    .client_ca_file = pki_.ca_file()},
                            .readiness_grace = absl::ZeroDuration()});
    ASSERT_THAT(host_->Start(), IsOk());
  }

  // What the manifests give the probe: the container's own identity.
  ProbeOptions Options(const std::string& service) const {
    return {.target = "127.0.0.1:" + std::to_string(host_->port()),
            .service = service,
            .timeout = absl::Seconds(10),
            .tls = {.ca_file = pki_.ca_file(),
                    .cert_file = pki_.server().cert_file,
                    .key_file = pki_.server().key_file}};
  }

  int RunBinary(const std::string& service) {
    auto process = Subprocess::Start(
        {UMKM_PROBE_BINARY, "--listen=0.0.0.0:" + std::to_string(host_->port()),
         "--service=" + service, "--timeout=10s",
         "--tls_ca_file=" + pki_.ca_file(),
         "--tls_cert_file=" + pki_.server().cert_file,
         "--tls_key_file=" + pki_.server().key_file,
         "--tls_server_name=localhost"});
    EXPECT_THAT(process, IsOk());
    if (!process.ok()) return -1;
    return (*process)->Wait(absl::Seconds(60)).value_or(-1);
  }

  const TestPki& pki_ = TestPki::Shared();
  std::unique_ptr<server::ServiceHost> host_;
};

TEST_F(ProbeTest, ReadinessFollowsTheServiceOverMutualTls) {
  EXPECT_THAT(Probe(Options("")), IsOk());
  EXPECT_THAT(
      Probe(Options("readiness")),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("NOT_SERVING")));
  host_->SetReady(true);
  EXPECT_THAT(Probe(Options("readiness")), IsOk());
}

TEST_F(ProbeTest, ChecksTheCertificateAgainstTheGivenName) {
  ProbeOptions options = Options("");
  options.tls_server_name = "localhost";
  EXPECT_THAT(Probe(options), IsOk());
  options.tls_server_name = "umkm-registry";  // not in the certificate
  EXPECT_THAT(Probe(options), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(ProbeTest, FailsWithoutTheClientCertificate) {
  ProbeOptions options = Options("");
  options.tls.cert_file.clear();
  options.tls.key_file.clear();
  EXPECT_THAT(Probe(options), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(ProbeTest, BinaryExitsZeroOnlyWhenServing) {
  EXPECT_EQ(RunBinary(""), 0);
  EXPECT_EQ(RunBinary("readiness"), 1);
  host_->SetReady(true);
  EXPECT_EQ(RunBinary("readiness"), 0);
}

// The certificates the manifests mount, made the documented way or
// committed for the dev overlay, are what the probe and callers expect:
// named umkm-registry, signed by the CA beside them, usable as server and
// client under mutual TLS.
class ManifestCertificatesTest : public ::testing::Test {
 protected:
  absl::Status ServeAndProbe(const std::string& dir) {
    const tls::ServerTlsFiles files{.cert_file = dir + "/tls.crt",
                                    .key_file = dir + "/tls.key",
                                    .client_ca_file = dir + "/ca.crt"};
    server::ServiceHost host(
        server::HostOptions{.listen = "127.0.0.1:0",
                            .tls = files,
                            .readiness_grace = absl::ZeroDuration()});
    if (absl::Status started = host.Start(); !started.ok()) return started;
    host.SetReady(true);
    return Probe({.target = "127.0.0.1:" + std::to_string(host.port()),
                  .service = "readiness",
                  .timeout = absl::Seconds(10),
                  .tls = {.ca_file = files.client_ca_file,
                          .cert_file = files.cert_file,
                          .key_file = files.key_file},
                  .tls_server_name = "umkm-registry"});
  }
};

TEST_F(ManifestCertificatesTest, MakeCertsScriptIssuesWhatTheManifestsExpect) {
  umkm::testing::TempDir dir;
  auto script =
      Subprocess::Start({UMKM_SOURCE_DIR "/deploy/make-certs.sh", "--fake",
                         "--days", "2", dir.File("certs"), "registry"},
                        dir.File("make-certs.log"));
  ASSERT_THAT(script, IsOk());
  ASSERT_EQ((*script)->Wait(absl::Seconds(60)), 0)
      << umkm::testing::FileTail(dir.File("make-certs.log"));
  EXPECT_THAT(ServeAndProbe(dir.File("certs/registry")), IsOk());
}

TEST_F(ManifestCertificatesTest, DevOverlayCertificatesServeAndProbe) {
  EXPECT_THAT(ServeAndProbe(UMKM_SOURCE_DIR "/k8s/overlays/dev/tls/registry"),
              IsOk());
}

}  // namespace
}  // namespace umkm::tools
