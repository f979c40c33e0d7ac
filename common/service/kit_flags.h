// The flags every umkm-* service shares, declared once. Each has its
// UMKM_* environment variable (config.h), which is how the Kubernetes
// manifests set them.
#pragma once

#include <vector>

#include "common/config/config.h"

namespace umkm::service {

// listen, port_file, data_dir, sqlite_synchronous, worker_threads,
// redis_url, auth_key_file, privacy_key_file, registry_target,
// registry_deadline, events_*, consumer_name, drain_timeout,
// readiness_grace, testing_clock_file, testing_crash_after_event_commit;
// tls_cert_file, tls_key_file, tls_client_ca_file, tls_ca_file and
// redis_password_file (kit_transport.h).
// `default_port` is the service's conventional gRPC port.
std::vector<config::FlagSpec> KitFlags(int default_port = 50051);

}  // namespace umkm::service
