// ServiceHost: the one gRPC server wrapper every umkm-* binary uses.
//
// It adds what every service needs: health (grpc.health.v1; "" is liveness,
// "readiness" is readiness), reflection, message-size and keepalive limits,
// a listening port that fails loudly when taken (no SO_REUSEPORT sharing),
// TLS (or mutual TLS) from PEM files, with plaintext refused on any address
// but loopback (common/tls/credentials.h), an optional port file (for
// --listen=127.0.0.1:0 in tests), and a drain on shutdown: readiness
// NOT_SERVING, a grace period for load balancers to notice, then
// Shutdown(deadline) which lets in-flight calls finish.
//
// Not thread-safe: call Start/Shutdown from one thread (main).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/tls/credentials.h"
#include "grpcpp/server.h"

namespace umkm::server {

struct HostOptions {
  // host:port to listen on; port 0 picks a free port (see port()).
  std::string listen = "0.0.0.0:50051";
  // The listener's certificate, key and client CAs; none: plaintext, which
  // only a loopback `listen` may use.
  tls::ServerTlsFiles tls;
  // When set, the bound port is written here (decimal, newline) after start.
  std::string port_file;
  // In-flight calls get this long to finish on Shutdown().
  absl::Duration drain_timeout = absl::Seconds(10);
  // Time between readiness NOT_SERVING and closing the listener.
  absl::Duration readiness_grace = absl::Seconds(1);
  // Requests over this are refused by gRPC (RESOURCE_EXHAUSTED) before any
  // handler runs. The largest valid request of any method today is a
  // CreateBusiness at every length limit, about 250 KiB; 1 MiB leaves
  // room, and keeps what a caller can make the server parse and hold small.
  int max_receive_message_bytes = 1024 * 1024;
  // What a client accepts by default (gRPC's 4 MiB receive limit).
  int max_send_message_bytes = 4 * 1024 * 1024;
  absl::Duration keepalive_time = absl::Seconds(60);
  absl::Duration keepalive_timeout = absl::Seconds(20);
};

class ServiceHost {
 public:
  explicit ServiceHost(HostOptions options);
  // Shuts down (without grace) if still running.
  ~ServiceHost();

  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  // Registers a service before Start(); the host does not own it, and it
  // must outlive the host.
  void AddService(grpc::Service* service);

  // Binds and starts serving. Readiness starts NOT_SERVING: call
  // SetReady(true) once the service can answer. Errors: FAILED_PRECONDITION
  // for plaintext on a non-loopback address, INVALID_ARGUMENT / NOT_FOUND for
  // TLS files that are wrong or missing (nothing is bound in either case),
  // UNAVAILABLE when the address cannot be bound, INTERNAL when the port
  // file cannot be written.
  absl::Status Start();

  // The bound port; valid after a successful Start().
  int port() const { return port_; }

  // Sets the "readiness" health status.
  void SetReady(bool ready);

  // Drains and stops (see the file comment). Idempotent.
  void Shutdown();

 private:
  HostOptions options_;
  std::vector<grpc::Service*> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool stopped_ = false;
};

// The readiness service name probed by Kubernetes.
inline constexpr char kReadinessService[] = "readiness";

}  // namespace umkm::server
