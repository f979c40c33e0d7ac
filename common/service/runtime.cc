#include "common/service/runtime.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <cstdlib>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/token.h"
#include "common/events/relay.h"
#include "common/events/stats.h"
#include "common/log/json_log.h"
#include "common/server/signals.h"
#include "common/service/kit_flags.h"
#include "common/service/kit_transport.h"
#include "common/status/macros.h"
#include "grpcpp/create_channel.h"

namespace umkm::service {
namespace {

// A fresh random key, hex: signs what needs no secret beyond this process
// (ListAuditRecords page tokens).
std::string RandomKey() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();  // no CSPRNG
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

// "umkm-registry" -> "registry.db".
std::string DatabaseFileName(const std::string& name) {
  absl::string_view base = name;
  absl::ConsumePrefix(&base, "umkm-");
  return absl::StrCat(base, ".db");
}

}  // namespace

std::vector<config::FlagSpec> AllFlags(const ServiceSpec& spec) {
  std::vector<config::FlagSpec> flags = KitFlags(spec.default_port);
  flags.insert(flags.end(), spec.flags.begin(), spec.flags.end());
  return flags;
}

Runtime::Runtime(ServiceSpec spec, config::Config config)
    : spec_(std::move(spec)), config_(std::move(config)) {}

absl::StatusOr<std::unique_ptr<Runtime>> Runtime::Create(
    ServiceSpec spec, config::Config config) {
  if (!absl::StartsWith(spec.name, "umkm-")) {
    return absl::InvalidArgumentError(
        absl::StrCat("service name \"", spec.name, "\" must start umkm-"));
  }
  std::unique_ptr<Runtime> runtime(
      new Runtime(std::move(spec), std::move(config)));
  UMKM_RETURN_IF_ERROR(runtime->Wire());
  return runtime;
}

absl::Status Runtime::Wire() {
  auto get = [this](absl::string_view name) { return config_.GetString(name); };

  // The clock first: everything after it may read the time.
  UMKM_ASSIGN_OR_RETURN(std::string clock_file, get("testing_clock_file"));
  if (!clock_file.empty()) {
    UMKM_ASSIGN_OR_RETURN(owned_clock_, FileClock::Open(clock_file));
    clock_ = owned_clock_.get();
    log::Warning("testing clock in use: the service's time comes from a file",
                 {{"path", clock_file}});
  }

  // Authentication, and this service's own token for calls to others.
  UMKM_ASSIGN_OR_RETURN(std::string auth_key_file, get("auth_key_file"));
  UMKM_ASSIGN_OR_RETURN(std::string auth_key,
                        auth::ReadAuthKeyFile(auth_key_file));
  UMKM_ASSIGN_OR_RETURN(auth::TokenVerifier verifier,
                        auth::TokenVerifier::FromKey(auth_key));
  verifier_ = std::make_unique<auth::TokenVerifier>(std::move(verifier));
  token_ = ServiceToken(std::move(auth_key), spec_.name);
  UMKM_ASSIGN_OR_RETURN(privacy_key_file_, get("privacy_key_file"));

  // SQLite.
  UMKM_ASSIGN_OR_RETURN(std::string data_dir, get("data_dir"));
  UMKM_ASSIGN_OR_RETURN(std::string synchronous, get("sqlite_synchronous"));
  if (synchronous != "full" && synchronous != "normal") {
    return absl::InvalidArgumentError(
        "--sqlite_synchronous must be full or normal");
  }
  store::Options store_options;
  store_options.synchronous = synchronous == "full"
                                  ? store::Synchronous::kFull
                                  : store::Synchronous::kNormal;
  UMKM_ASSIGN_OR_RETURN(
      database_, store::Database::Open(
                     absl::StrCat(data_dir, "/", DatabaseFileName(spec_.name)),
                     store_options));
  UMKM_RETURN_IF_ERROR(database_->Migrate(spec_.migrations));
  UMKM_RETURN_IF_ERROR(audit::CheckSchema(*database_));
  audit_log_ =
      std::make_unique<audit::AuditLog>(database_.get(), *clock_, RandomKey());

  // Redis: optional. One connection more than the default pool, for the
  // consumer's blocking read.
  UMKM_ASSIGN_OR_RETURN(std::string redis_url, get("redis_url"));
  if (!redis_url.empty()) {
    UMKM_ASSIGN_OR_RETURN(std::optional<redis::RedisCredentials> credentials,
                          RedisCredentialsOf(config_));
    UMKM_ASSIGN_OR_RETURN(
        redis_, redis::RedisClient::Create(
                    redis_url,
                    {.pool_size = 8, .credentials = std::move(credentials)}));
  }

  // The events topic.
  UMKM_ASSIGN_OR_RETURN(std::string stream, get("events_stream"));
  UMKM_ASSIGN_OR_RETURN(std::string dead_letters,
                        get("events_dead_letter_stream"));
  UMKM_ASSIGN_OR_RETURN(int64_t max_len, config_.GetInt("events_max_len"));
  UMKM_ASSIGN_OR_RETURN(std::string consumer_name, get("consumer_name"));
  UMKM_ASSIGN_OR_RETURN(absl::Duration claim_idle,
                        config_.GetDuration("events_claim_idle"));
  UMKM_ASSIGN_OR_RETURN(int64_t max_deliveries,
                        config_.GetInt("events_max_deliveries"));
  UMKM_ASSIGN_OR_RETURN(stats_interval_,
                        config_.GetDuration("events_stats_interval"));
  UMKM_ASSIGN_OR_RETURN(crash_after_event_commit_,
                        config_.GetBool("testing_crash_after_event_commit"));
  relay_options_ = {.stream = stream, .max_len = max_len, .clock = clock_};
  consumer_options_ = {
      .group = spec_.name,
      .consumer = consumer_name,
      .stream = stream,
      .dead_letter_stream = dead_letters,
      .max_deliveries = static_cast<int>(max_deliveries),
      .claim_idle = claim_idle,
      .claim_interval = std::min(claim_idle, absl::Seconds(5)),
      .clock = clock_,
      // The exit code the crash tests expect.
      .testing_exit_after_commit = crash_after_event_commit_ ? 86 : 0};
  if (redis_ != nullptr) {
    relay_ = std::make_unique<events::OutboxRelay>(*database_, *redis_,
                                                   relay_options_);
  }

  UMKM_ASSIGN_OR_RETURN(registry_target_, get("registry_target"));
  UMKM_ASSIGN_OR_RETURN(channel_tls_, ChannelTlsFiles(config_));

  // RPCs: the worker pool and the host.
  UMKM_ASSIGN_OR_RETURN(int64_t worker_threads,
                        config_.GetInt("worker_threads"));
  if (worker_threads < 1) {
    return absl::InvalidArgumentError("--worker_threads must be at least 1");
  }
  pool_ =
      std::make_unique<server::WorkerPool>(static_cast<int>(worker_threads));
  env_ = {.verifier = verifier_.get(), .pool = pool_.get()};
  UMKM_ASSIGN_OR_RETURN(std::string listen, get("listen"));
  UMKM_ASSIGN_OR_RETURN(std::string port_file, get("port_file"));
  UMKM_ASSIGN_OR_RETURN(absl::Duration drain_timeout,
                        config_.GetDuration("drain_timeout"));
  UMKM_ASSIGN_OR_RETURN(absl::Duration readiness_grace,
                        config_.GetDuration("readiness_grace"));
  UMKM_ASSIGN_OR_RETURN(tls::ServerTlsFiles listener_tls,
                        ListenerTlsFiles(config_));
  host_ = std::make_unique<server::ServiceHost>(
      server::HostOptions{.listen = listen,
                          .tls = std::move(listener_tls),
                          .port_file = port_file,
                          .drain_timeout = drain_timeout,
                          .readiness_grace = readiness_grace});
  audit_service_ =
      std::make_unique<audit::AuditService>(audit_log_.get(), &env_);
  host_->AddService(audit_service_.get());

  if (!spec_.assemble) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec_.name, " declares no assemble function"));
  }
  return spec_.assemble(*this);
}

Runtime::~Runtime() { Shutdown(); }

absl::StatusOr<const privacy::FieldCipher*> Runtime::privacy() {
  if (cipher_ == nullptr) {
    UMKM_ASSIGN_OR_RETURN(privacy::FieldCipher cipher,
                          privacy::FieldCipher::FromKeyFile(privacy_key_file_));
    cipher_ = std::make_unique<privacy::FieldCipher>(std::move(cipher));
  }
  return cipher_.get();
}

absl::StatusOr<RegistryClient*> Runtime::registry_client() {
  if (registry_client_ != nullptr) return registry_client_.get();
  if (registry_target_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(spec_.name,
                     " reads businesses: set --registry_target "
                     "(UMKM_REGISTRY_TARGET)"));
  }
  UMKM_ASSIGN_OR_RETURN(absl::Duration deadline,
                        config_.GetDuration("registry_deadline"));
  UMKM_ASSIGN_OR_RETURN(
      std::shared_ptr<grpc::ChannelCredentials> credentials,
      tls::ChannelCredentials(registry_target_, channel_tls_));
  registry_client_ = std::make_unique<RegistryClient>(
      grpc::CreateChannel(registry_target_, std::move(credentials)),
      redis_.get(), token_, RegistryClientOptions{.deadline = deadline});
  return registry_client_.get();
}

std::function<void()> Runtime::events_committed() {
  events::OutboxRelay* relay = relay_.get();
  return [relay] {
    if (relay != nullptr) relay->Notify();
  };
}

void Runtime::On(events::v1::Event::PayloadCase payload,
                 events::Handler handler, events::PostCommitHook after_commit) {
  registrations_.push_back(
      {payload, std::move(handler), std::move(after_commit)});
}

void Runtime::AddService(std::unique_ptr<grpc::Service> service) {
  host_->AddService(service.get());
  services_.push_back(std::move(service));
}

void Runtime::Every(std::string name, absl::Duration interval,
                    std::function<void()> task) {
  periodic_.Add(std::move(name), interval, std::move(task));
}

absl::Status Runtime::Start() {
  if (started_) return absl::FailedPreconditionError("already started");
  started_ = true;
  UMKM_RETURN_IF_ERROR(host_->Start());
  if (redis_ != nullptr) LogRedisAccess(*redis_, relay_options_.stream);
  if (relay_ != nullptr) relay_->Start();

  const bool consumes = !registrations_.empty() || registry_client_ != nullptr;
  if (consumes && redis_ == nullptr) {
    log::Warning("no --redis_url: events stay in the outbox, none consumed");
  } else if (consumes) {
    consumer_ = std::make_unique<events::EventConsumer>(*database_, *redis_,
                                                        consumer_options_);
    for (Registration& registration : registrations_) {
      consumer_->On(registration.payload, std::move(registration.handler),
                    std::move(registration.after_commit));
    }
    // A safety net for a shared-cache delete the registry could not make.
    if (registry_client_ != nullptr) registry_client_->InvalidateOn(*consumer_);
    UMKM_RETURN_IF_ERROR(consumer_->Start());
  } else if (redis_ == nullptr) {
    log::Warning(
        "no --redis_url: events stay in the outbox until a run "
        "with Redis publishes them");
  }
  stats_ = std::make_unique<events::StatsReporter>(
      database_.get(), redis_.get(),
      events::StatsOptions{
          .stream = relay_options_.stream,
          .dead_letter_stream = consumer_options_.dead_letter_stream,
          .group = consumer_ != nullptr ? spec_.name : ""},
      stats_interval_);
  periodic_.Start();
  host_->SetReady(true);
  log::Info("started", {{"service", spec_.name}, {"port", host_->port()}});
  return absl::OkStatus();
}

void Runtime::Shutdown() {
  if (stopped_) return;
  stopped_ = true;
  // The calls first: readiness off, grace, drain.
  if (host_ != nullptr) host_->Shutdown();
  // After the last call: the consumer finishes its batch, the relay
  // publishes what the last calls recorded (if Redis is there).
  if (consumer_ != nullptr) consumer_->Stop();
  if (relay_ != nullptr) relay_->Stop();
  periodic_.Stop();
  stats_.reset();
  // The host before the services it serves; the pool (joined) before what
  // its work uses; then the service's objects, newest first.
  host_.reset();
  services_.clear();
  audit_service_.reset();
  pool_.reset();
  consumer_.reset();
  while (!owned_.empty()) owned_.pop_back();
  relay_.reset();
  registry_client_.reset();
}

int Main(int argc, char** argv, ServiceSpec spec) {
  // Files this process creates (the SQLite database, its WAL) are its own:
  // personal data must not be world-readable.
  ::umask(077);
  server::BlockTerminationSignals();
#ifdef NDEBUG
  // Debian's Abseil is built without NDEBUG, so every absl::Mutex runs the
  // deadlock detector; it costs ~20% of throughput in release builds.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  const std::string name = spec.name;
  config::Config config =
      config::Config::ParseOrExit(argc, argv, AllFlags(spec), name);

  absl::Status status = [&]() -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(std::unique_ptr<Runtime> runtime,
                          Runtime::Create(std::move(spec), std::move(config)));
    UMKM_RETURN_IF_ERROR(runtime->Start());
    const int signal_number = server::WaitForTerminationSignal();
    log::Info("stopping", {{"signal", signal_number}});
    runtime->Shutdown();
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    log::Error("fatal", {{"service", name},
                         {"error", status.message()},
                         {"code", absl::StatusCodeToString(status.code())}});
  }
  log::Flush();
  return status.ok() ? 0 : 1;
}

}  // namespace umkm::service
