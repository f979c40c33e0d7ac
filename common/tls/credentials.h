// gRPC credentials for every listener and every outgoing channel of a
// service, from the kit's TLS flags (PEM files):
//
//   --tls_cert_file, --tls_key_file  this service's certificate and key:
//                                    TLS on its listeners, and its client
//                                    certificate on outgoing calls;
//   --tls_client_ca_file             callers must present a certificate
//                                    signed by one of these CAs (mTLS);
//   --tls_ca_file                    the CAs that sign the certificates of
//                                    the servers this service calls.
//
// The rule: plaintext only where nothing leaves the machine (IsLoopback).
// A listener on any other address without a certificate, or a channel to
// any other target without --tls_ca_file, is refused: a bearer token must
// never cross the network in clear. Files are read once; a renewed
// certificate takes effect when the process restarts.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace umkm::tls {

// A listener's TLS files; all empty: plaintext.
struct ServerTlsFiles {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // set: client certificates required
};

// An outgoing channel's TLS files; ca_file empty: plaintext.
struct ClientTlsFiles {
  std::string ca_file;
  // This service's identity, presented when set (both or neither).
  std::string cert_file;
  std::string key_file;
};

// What a listener runs with.
struct ListenerSecurity {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // "plaintext", "tls" or "mutual-tls", for the "listening" log line.
  std::string mode;
  // The certificate's subject and expiry (TLS only).
  std::string subject;
  absl::Time not_after = absl::InfinitePast();
};

// The credentials for a listener on `listen`. Errors:
//   FAILED_PRECONDITION  no certificate and `listen` is not loopback;
//   INVALID_ARGUMENT     only one of cert and key, a client CA without
//                        them, or a file that is not what its flag needs
//                        (see pem.h); NOT_FOUND / PERMISSION_DENIED for
//                        unreadable files.
absl::StatusOr<ListenerSecurity> ListenerCredentials(
    std::string_view listen, const ServerTlsFiles& files);

// The credentials for a channel to `target`: TLS verifying the server
// against ca_file (and its name against the target's host) when ca_file is
// set, presenting cert_file when set; plaintext otherwise, which only a
// loopback target may use. Errors as ListenerCredentials, naming
// --tls_ca_file when a non-loopback target has none.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    std::string_view target, const ClientTlsFiles& files);

}  // namespace umkm::tls
