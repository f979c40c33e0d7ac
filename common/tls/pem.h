// Loading the PEM files of a TLS identity, checked with OpenSSL when the
// service starts, so that a wrong file fails with a message naming its flag
// instead of a handshake failure on the first call.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace umkm::tls {

// A certificate chain and its private key, both PEM.
struct KeyPair {
  std::string cert_chain;   // leaf first
  std::string private_key;  // never logged
  // Of the leaf: for the start-up log line (no reload: a renewed
  // certificate takes effect on restart).
  std::string subject;
  absl::Time not_after;
};

// Reads --tls_cert_file and --tls_key_file. INVALID_ARGUMENT naming the
// flag when a file holds no certificate or no private key, or when the key
// is not the certificate's; NOT_FOUND / PERMISSION_DENIED when a file
// cannot be read. Messages carry paths, never key material.
absl::StatusOr<KeyPair> LoadKeyPair(const std::string& cert_file,
                                    const std::string& key_file);

// Reads a file of one or more PEM CA certificates given by `flag`
// ("--tls_ca_file"); INVALID_ARGUMENT when it holds none.
absl::StatusOr<std::string> LoadCertificates(const std::string& path,
                                             std::string_view flag);

}  // namespace umkm::tls
