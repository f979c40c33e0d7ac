// Certificates for TLS tests, made with the openssl command line in a
// private temporary directory when the test runs (EC P-256, valid for two
// days): nothing is committed, nothing outlives the object.
//
//   const TestPki& pki = umkm::testing::TestPki::Shared();
//   flags.push_back("--tls_cert_file=" + pki.server().cert_file);
//
// Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/testing/temp_dir.h"

namespace umkm::testing {

class TestPki {
 public:
  // A certificate (chain of one, PEM) and its private key (PKCS#8 PEM).
  struct Identity {
    std::string cert_file;
    std::string key_file;
  };

  // Makes the CA, server() and client() (both signed by it), and an
  // unrelated CA with other_client(). INTERNAL with openssl's output when a
  // command fails (127: openssl not on PATH).
  static absl::StatusOr<std::unique_ptr<TestPki>> Create();

  // One set for the whole test binary, made on first use (tests that only
  // read the files can share it). Failure terminates the binary with
  // openssl's message, as TempDir does: without certificates no TLS test
  // can run.
  static const TestPki& Shared();

  // The CA that signs server() and client().
  const std::string& ca_file() const { return ca_file_; }
  // A service on this machine: subject alternative names DNS:localhost and
  // IP:127.0.0.1, usable as server and as client (like a service's own
  // certificate in the cluster).
  const Identity& server() const { return server_; }
  // Another service as a caller: CN umkm-visits, client and server use.
  const Identity& client() const { return client_; }
  // A CA that signed none of the above.
  const std::string& other_ca_file() const { return other_ca_file_; }
  // A client certificate signed by other_ca_file().
  const Identity& other_client() const { return other_client_; }

 private:
  TestPki() = default;
  // openssl with `args`; INTERNAL with its output unless it exits 0.
  absl::Status OpenSsl(std::vector<std::string> args);
  // A new self-signed CA; returns its certificate's path.
  absl::StatusOr<std::string> MakeCa(const std::string& name);
  // A key and certificate for `name` signed by the CA `ca` (its
  // certificate path; the key is beside it), with `san` as
  // subjectAltName.
  absl::StatusOr<Identity> Issue(const std::string& name, const std::string& ca,
                                 const std::string& san);

  TempDir dir_;
  int serial_ = 1;
  std::string ca_file_;
  Identity server_;
  Identity client_;
  std::string other_ca_file_;
  Identity other_client_;
};

}  // namespace umkm::testing
