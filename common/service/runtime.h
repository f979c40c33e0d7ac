// The service kit: one runtime that assembles every umkm-* service.
//
// A service declares what it is; the runtime wires what every service does
// the same way (userver's components, in small):
//
//   int main(int argc, char** argv) {
//     return service::Main(argc, argv, {
//         .name = "umkm-complaints",
//         .flags = {{"escalation_scan", "5m", "how often deadlines are
//         checked"}}, .migrations = ComplaintMigrations(), .assemble =
//         [](service::Runtime& runtime) -> absl::Status {
//           auto& store = runtime.Own(std::make_unique<SqliteComplaintStore>(
//               &runtime.database()));
//           auto& complaints = runtime.Own(std::make_unique<Complaints>(
//               &store, &runtime.clock(), runtime.events_committed()));
//           runtime.On(events::v1::Event::kVisitCompleted, ...);
//           runtime.AddService(std::make_unique<ComplaintService>(
//               &complaints, &runtime.call_environment()));
//           return absl::OkStatus();
//         }});
//   }
//
// What the runtime owns (flags in kit_flags.h, each with its UMKM_* variable):
//   - configuration: the kit's flags plus the service's own;
//   - the clock: the system clock, or --testing_clock_file's;
//   - SQLite: <data_dir>/<name without "umkm-">.db, synchronous FULL or
//     NORMAL, group commit, the service's migrations plus the events tables;
//   - Redis (--redis_url; optional: without it the service still serves and
//     its events wait in the outbox);
//   - the events topic: the outbox relay, one consumer for every handler
//     registered with On (group = the service's name), the stats line;
//   - authentication (--auth_key_file) and the worker pool every RPC's
//     blocking work runs on; the service's own token for calls to others;
//   - the registry client (--registry_target), when a service asks for it;
//   - health, readiness and reflection (server::ServiceHost);
//   - the audit trail of personal-data disclosures (common/audit): the log
//     in the service's database (its migrations must list
//     audit::kAuditLogSchema; the start fails otherwise) and the admin-only
//     umkm.audit.v1.AuditService on the service's port;
//   - TLS on the listener and on calls to others, plaintext only on
//     loopback; Redis's credentials (kit_transport.h);
//   - periodic maintenance (Every);
//   - the drain order on SIGTERM (Shutdown).
//
// Lifetimes: everything handed out (database, redis, clock, call
// environment, registry client, owned objects) lives until Shutdown() has
// returned; objects given to Own() are destroyed in reverse order after the
// last call and the last event handler finished.
//
// Threading: Create, Start and Shutdown from one thread (main). The
// accessors may be used by the service's objects from any thread once
// assemble returned.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/audit/audit_log.h"
#include "common/audit/audit_service.h"
#include "common/clock/clock.h"
#include "common/config/config.h"
#include "common/events/consumer.h"
#include "common/events/relay.h"
#include "common/events/stats.h"
#include "common/privacy/field_cipher.h"
#include "common/redis/redis_client.h"
#include "common/registry_client/registry_client.h"
#include "common/server/host.h"
#include "common/server/unary_call.h"
#include "common/server/worker_pool.h"
#include "common/service/periodic.h"
#include "common/store/database.h"
#include "common/tls/credentials.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace umkm::service {

class Runtime;

// What a service declares about itself.
struct ServiceSpec {
  // The binary's name, "umkm-<service>": the consumer group, the source of
  // its events, the subject of its service token, its log lines.
  std::string name;
  // The default port of --listen.
  int default_port = 50051;
  // Its own flags, besides the kit's (kit_flags.h). A clash is an error.
  std::vector<config::FlagSpec> flags;
  // Its schema; the runtime applies them before assemble. The events tables
  // (outbox, processed) are the service's to list, with its own versions.
  std::vector<store::Migration> migrations;
  // Builds the service's parts. Runs once, after the kit's parts exist and
  // before anything is served; an error stops the start.
  std::function<absl::Status(Runtime&)> assemble;
};

// The kit's flags followed by the service's own: what Config::Parse takes.
std::vector<config::FlagSpec> AllFlags(const ServiceSpec& spec);

class Runtime : public events::HandlerRegistry {
 public:
  // Wires the kit's parts from `config` (parsed against KitFlags() plus
  // spec.flags), migrates, then runs spec.assemble. Errors name the flag or
  // file at fault.
  static absl::StatusOr<std::unique_ptr<Runtime>> Create(ServiceSpec spec,
                                                         config::Config config);

  // Shuts down if still running.
  ~Runtime() override;
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Binds the listener, starts the relay, the consumer (when handlers were
  // registered and Redis is configured), the periodic tasks, and then
  // reports ready. UNAVAILABLE when the address is taken; FAILED_PRECONDITION
  // for plaintext on a non-loopback --listen.
  absl::Status Start();

  // The drain order: readiness NOT_SERVING, the grace period, in-flight
  // calls finish (up to --drain_timeout), the consumer finishes its batch,
  // the relay publishes what the last calls recorded, periodic tasks stop,
  // the worker pool is joined, then the service's objects are destroyed.
  // Idempotent.
  void Shutdown();

  // The bound gRPC port (after Start).
  int port() const { return host_->port(); }

  // --- for assemble -------------------------------------------------------
  const std::string& name() const { return spec_.name; }
  const config::Config& config() const { return config_; }
  // Domain time: deadlines, TTLs, retention.
  const Clock& clock() const { return *clock_; }
  store::Database& database() { return *database_; }
  // Null when --redis_url is empty.
  redis::RedisClient* redis() { return redis_.get(); }
  // The personal-data cipher from --privacy_key_file (loaded on first use,
  // so services without personal data need no key).
  absl::StatusOr<const privacy::FieldCipher*> privacy();
  // The audit trail: every disclosure of personal data is recorded here
  // before the response that carries it is sent (audit_log.h).
  const audit::AuditLog& audit_log() const { return *audit_log_; }
  // Token verification and the worker pool, for the gRPC adapters.
  const server::CallEnvironment& call_environment() const { return env_; }
  // A bearer token of this service (role service, subject = name()) for
  // calls to other services; refreshed before it expires. Thread-safe.
  std::function<std::string()> service_token() const { return token_; }
  // The registry client over --registry_target, with TLS from
  // --tls_ca_file (kit_transport.h). FAILED_PRECONDITION naming the flag
  // when the target is empty, or not loopback and --tls_ca_file is. Its
  // cache invalidation is registered on this service's consumer.
  absl::StatusOr<RegistryClient*> registry_client();

  // Runs after every commit that recorded events: wakes the outbox relay.
  // Cheap; never blocks. Safe to copy and call from any thread.
  std::function<void()> events_committed();

  // Registers an event handler (see events::EventConsumer::On); the
  // consumer is made at Start when there is at least one. Several handlers
  // may take the same payload. Without Redis nothing is consumed (logged
  // once at start).
  void On(events::v1::Event::PayloadCase payload, events::Handler handler,
          events::PostCommitHook after_commit = nullptr) override;

  // Serves `service` (health and reflection are added by the runtime).
  void AddService(std::unique_ptr<grpc::Service> service);

  // Runs `task` every `interval` on the maintenance thread, first one
  // interval after Start. For pruning and deadline scans; must not block
  // for long.
  void Every(std::string name, absl::Duration interval,
             std::function<void()> task);

  // Keeps `object` alive until Shutdown has drained everything that may
  // use it; returns it.
  template <typename T>
  T& Own(std::unique_ptr<T> object) {
    T& ref = *object;
    owned_.push_back(std::shared_ptr<void>(std::move(object)));
    return ref;
  }

 private:
  Runtime(ServiceSpec spec, config::Config config);
  absl::Status Wire();

  ServiceSpec spec_;
  const config::Config config_;

  std::unique_ptr<const Clock> owned_clock_;
  const Clock* clock_ = &SystemClock();
  std::string privacy_key_file_;
  std::unique_ptr<privacy::FieldCipher> cipher_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::function<std::string()> token_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<audit::AuditLog> audit_log_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::string registry_target_;
  tls::ClientTlsFiles channel_tls_;
  std::unique_ptr<RegistryClient> registry_client_;

  events::ConsumerOptions consumer_options_;
  events::RelayOptions relay_options_;
  absl::Duration stats_interval_;
  bool crash_after_event_commit_ = false;
  struct Registration {
    events::v1::Event::PayloadCase payload;
    events::Handler handler;
    events::PostCommitHook after_commit;
  };
  std::vector<Registration> registrations_;
  std::unique_ptr<events::OutboxRelay> relay_;
  std::unique_ptr<events::EventConsumer> consumer_;
  std::unique_ptr<events::StatsReporter> stats_;
  PeriodicTasks periodic_;

  std::unique_ptr<server::WorkerPool> pool_;
  server::CallEnvironment env_;
  std::vector<std::shared_ptr<void>> owned_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<audit::AuditService> audit_service_;
  std::unique_ptr<server::ServiceHost> host_;
  bool started_ = false;
  bool stopped_ = false;
};

// For a service's main(): parses flags (--help prints them all), sets the
// process up (umask 077, termination signals, Abseil's deadlock detector off
// in release builds), creates and starts the runtime, serves until SIGTERM
// or SIGINT, drains, and returns the exit code (0, or 1 after logging the
// fatal error).
int Main(int argc, char** argv, ServiceSpec spec);

}  // namespace umkm::service
