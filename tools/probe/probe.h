// umkm-health-probe: the Kubernetes probe of a umkm-* container.
//
// The kubelet's native gRPC probe speaks plaintext only, and a service
// listening on the pod's address speaks TLS only (common/tls). So the
// manifests run this program as an exec probe inside the container: it
// calls grpc.health.v1.Health/Check on the service's own listener over
// loopback, through the same TLS (and, under mutual TLS, with the same
// client certificate) as any caller, configured by the container's own
// UMKM_* variables. A plaintext health port would have been a listener
// outside the rule "TLS everywhere but loopback", and a loopback-only one
// is out of the kubelet's reach anyway.
//
// Exit status 0 when the service answers SERVING, 1 otherwise (the reason
// on stderr, which the kubelet records in the pod's events), 2 for bad
// flags.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/config/config.h"
#include "common/tls/credentials.h"

namespace umkm::tools {

struct ProbeOptions {
  std::string target;   // host:port
  std::string service;  // "" liveness, "readiness"
  absl::Duration timeout = absl::Seconds(2);
  tls::ClientTlsFiles tls;
  // The name the server's certificate is checked against instead of the
  // target's host (the Service's DNS name, e.g. umkm-registry); empty: the
  // target's host.
  std::string tls_server_name;
};

// OK when `service` is SERVING. UNAVAILABLE "NOT_SERVING ..." when it
// answers otherwise; the call's status when it fails (TLS refused,
// timeout, unknown service); the TLS files' errors.
absl::Status Probe(const ProbeOptions& options);

// The address to probe for a service listening on `listen`: a wildcard host
// (0.0.0.0, [::], none) becomes the loopback address of its family; any
// other host is kept.
std::string ProbeTarget(std::string_view listen);

// --listen, --service, --timeout, --tls_ca_file, --tls_cert_file,
// --tls_key_file (the service's own variables: UMKM_LISTEN, UMKM_TLS_*),
// and --tls_server_name.
std::vector<config::FlagSpec> ProbeFlags();

// The options from flags parsed against ProbeFlags().
absl::StatusOr<ProbeOptions> ProbeOptionsFrom(const config::Config& config);

}  // namespace umkm::tools
