// The TLS rule and the PEM checks, with certificates the test makes with
// openssl. The handshakes themselves are tested on a real listener
// (common/server/host_tls_test.cc).
#include "common/tls/credentials.h"

#include <fstream>
#include <sstream>

#include "absl/time/clock.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "common/testing/temp_dir.h"
#include "common/testing/test_pki.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::tls {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;
using ::umkm::testing::TestPki;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

class CredentialsTest : public ::testing::Test {
 protected:
  ServerTlsFiles Server() const {
    return {.cert_file = pki_.server().cert_file,
            .key_file = pki_.server().key_file};
  }

  const TestPki& pki_ = TestPki::Shared();
  umkm::testing::TempDir dir_;  // for the test's own files
};

TEST_F(CredentialsTest, PlaintextListenerOnlyOnLoopback) {
  auto local = ListenerCredentials("127.0.0.1:0", {});
  ASSERT_THAT(local, IsOk());
  EXPECT_EQ(local->mode, "plaintext");

  for (const char* listen :
       {"0.0.0.0:50051", "[::]:50051", "10.1.2.3:50051", "umkm:50051"}) {
    auto refused = ListenerCredentials(listen, {});
    EXPECT_THAT(refused,
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr(listen), HasSubstr("without TLS"),
                               HasSubstr("--tls_cert_file"))))
        << listen;
  }
}

TEST_F(CredentialsTest, TlsListenerReportsModeAndCertificate) {
  auto tls = ListenerCredentials("0.0.0.0:50051", Server());
  ASSERT_THAT(tls, IsOk());
  EXPECT_EQ(tls->mode, "tls");
  EXPECT_THAT(tls->subject, HasSubstr("CN=server"));
  EXPECT_GT(tls->not_after, absl::Now());

  ServerTlsFiles mutual = Server();
  mutual.client_ca_file = pki_.ca_file();
  auto mtls = ListenerCredentials("0.0.0.0:50051", mutual);
  ASSERT_THAT(mtls, IsOk());
  EXPECT_EQ(mtls->mode, "mutual-tls");
}

TEST_F(CredentialsTest, IncompleteFlagsAreRefused) {
  EXPECT_THAT(
      ListenerCredentials("127.0.0.1:0",
                          {.cert_file = pki_.server().cert_file}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("go together")));
  EXPECT_THAT(
      ListenerCredentials("127.0.0.1:0", {.client_ca_file = pki_.ca_file()}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("--tls_client_ca_file needs")));
  EXPECT_THAT(
      ChannelCredentials("127.0.0.1:1", {.ca_file = pki_.ca_file(),
                                         .key_file = pki_.client().key_file}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("go together")));
}

TEST_F(CredentialsTest, WrongFilesNameTheirFlag) {
  const std::string garbage = dir_.File("garbage.pem");
  Write(garbage, "not a certificate\n");

  ServerTlsFiles bad_cert = Server();
  bad_cert.cert_file = garbage;
  EXPECT_THAT(ListenerCredentials("127.0.0.1:0", bad_cert),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("--tls_cert_file"),
                             HasSubstr("no PEM certificate"))));

  ServerTlsFiles bad_key = Server();
  bad_key.key_file = garbage;
  EXPECT_THAT(ListenerCredentials("127.0.0.1:0", bad_key),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("--tls_key_file"),
                             HasSubstr("no unencrypted PEM private key"))));

  ServerTlsFiles bad_ca = Server();
  bad_ca.client_ca_file = garbage;
  EXPECT_THAT(ListenerCredentials("127.0.0.1:0", bad_ca),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--tls_client_ca_file")));

  ServerTlsFiles missing = Server();
  missing.cert_file = dir_.File("absent.crt");
  EXPECT_THAT(
      ListenerCredentials("127.0.0.1:0", missing),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("--tls_cert_file")));

  EXPECT_THAT(
      ChannelCredentials("127.0.0.1:1", {.ca_file = garbage}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--tls_ca_file")));
}

TEST_F(CredentialsTest, EncryptedKeyIsRefusedWithoutAskingForAPassphrase) {
  // stdin is a terminal when a developer runs this; OpenSSL's default would
  // wait there for a passphrase.
  const std::string encrypted = dir_.File("encrypted.key");
  auto openssl = umkm::testing::Subprocess::Start(
      {"openssl", "pkey", "-in", pki_.server().key_file, "-aes256", "-passout",
       "pass:umkm-test", "-out", encrypted});
  ASSERT_THAT(openssl, IsOk());
  ASSERT_EQ((*openssl)->Wait(absl::Seconds(60)), 0);
  ServerTlsFiles files = Server();
  files.key_file = encrypted;
  EXPECT_THAT(ListenerCredentials("127.0.0.1:0", files),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no unencrypted PEM private key")));
}

TEST_F(CredentialsTest, KeyOfAnotherCertificateIsRefusedWithoutShowingIt) {
  ServerTlsFiles swapped = Server();
  swapped.key_file = pki_.client().key_file;
  auto refused = ListenerCredentials("127.0.0.1:0", swapped);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("is not the private key")));
  // No line of the key reaches the message.
  std::istringstream key(Read(pki_.client().key_file));
  for (std::string line; std::getline(key, line);) {
    if (line.starts_with("-----")) continue;
    EXPECT_THAT(std::string(refused.status().message()), Not(HasSubstr(line)));
  }
}

TEST_F(CredentialsTest, TextAroundPemBlocksIsAllowed) {
  // As in the dev overlay's files, which say FAKE above the PEM block.
  ServerTlsFiles annotated = {.cert_file = dir_.File("annotated.crt"),
                              .key_file = dir_.File("annotated.key")};
  Write(annotated.cert_file,
        "FAKE dev-only certificate\n" + Read(pki_.server().cert_file));
  Write(annotated.key_file,
        "FAKE dev-only key\n" + Read(pki_.server().key_file));
  EXPECT_THAT(ListenerCredentials("127.0.0.1:0", annotated), IsOk());
}

TEST_F(CredentialsTest, PlaintextChannelOnlyToLoopback) {
  EXPECT_THAT(ChannelCredentials("127.0.0.1:50051", {}), IsOk());
  EXPECT_THAT(ChannelCredentials("dns:///localhost:50051", {}), IsOk());
  EXPECT_THAT(ChannelCredentials("umkm-registry:50051", {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("umkm-registry:50051"),
                             HasSubstr("--tls_ca_file"))));
  // With a CA every target may be called, presenting a certificate or not.
  EXPECT_THAT(
      ChannelCredentials("umkm-registry:50051", {.ca_file = pki_.ca_file()}),
      IsOk());
  EXPECT_THAT(ChannelCredentials("umkm-registry:50051",
                                 {.ca_file = pki_.ca_file(),
                                  .cert_file = pki_.client().cert_file,
                                  .key_file = pki_.client().key_file}),
              IsOk());
}

}  // namespace
}  // namespace umkm::tls
