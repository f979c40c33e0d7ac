#include "common/tls/credentials.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/string_view.h"
#include "common/status/macros.h"
#include "common/tls/loopback.h"
#include "common/tls/pem.h"

namespace umkm::tls {

absl::StatusOr<ListenerSecurity> ListenerCredentials(
    std::string_view listen, const ServerTlsFiles& files) {
  if (files.cert_file.empty() != files.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert_file and --tls_key_file go together: set both or neither");
  }
  if (files.cert_file.empty()) {
    if (!files.client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca_file needs --tls_cert_file and --tls_key_file");
    }
    if (!IsLoopback(listen)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to listen on ", ToAbsl(listen),
          " without TLS: set --tls_cert_file and --tls_key_file (PEM), or "
          "listen on a loopback address (127.0.0.1, ::1, localhost) for "
          "development"));
    }
    return ListenerSecurity{.credentials = grpc::InsecureServerCredentials(),
                            .mode = "plaintext"};
  }
  UMKM_ASSIGN_OR_RETURN(KeyPair pair,
                        LoadKeyPair(files.cert_file, files.key_file));
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  if (!files.client_ca_file.empty()) {
    UMKM_ASSIGN_OR_RETURN(
        options.pem_root_certs,
        LoadCertificates(files.client_ca_file, "--tls_client_ca_file"));
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  options.pem_key_cert_pairs.push_back(
      {std::move(pair.private_key), std::move(pair.cert_chain)});
  return ListenerSecurity{
      .credentials = grpc::SslServerCredentials(options),
      .mode = files.client_ca_file.empty() ? "tls" : "mutual-tls",
      .subject = std::move(pair.subject),
      .not_after = pair.not_after};
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    std::string_view target, const ClientTlsFiles& files) {
  if (files.cert_file.empty() != files.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert_file and --tls_key_file go together: set both or neither");
  }
  if (files.ca_file.empty()) {
    if (!IsLoopback(target)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to call ", ToAbsl(target),
          " without TLS: set --tls_ca_file to the CA certificates (PEM) that "
          "sign its certificate"));
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions options;
  UMKM_ASSIGN_OR_RETURN(options.pem_root_certs,
                        LoadCertificates(files.ca_file, "--tls_ca_file"));
  if (!files.cert_file.empty()) {
    UMKM_ASSIGN_OR_RETURN(KeyPair pair,
                          LoadKeyPair(files.cert_file, files.key_file));
    options.pem_cert_chain = std::move(pair.cert_chain);
    options.pem_private_key = std::move(pair.private_key);
  }
  return grpc::SslCredentials(options);
}

}  // namespace umkm::tls
