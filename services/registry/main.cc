// umkm-registry: the business registry service. Wiring only; see
// registry.h for what it does.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/token.h"
#include "common/config/config.h"
#include "common/events/consumer.h"
#include "common/events/relay.h"
#include "common/events/stats.h"
#include "common/log/json_log.h"
#include "common/privacy/field_cipher.h"
#include "common/redis/redis_client.h"
#include "common/server/host.h"
#include "common/server/signals.h"
#include "common/server/unary_call.h"
#include "common/server/worker_pool.h"
#include "common/status/macros.h"
#include "common/store/database.h"
#include "services/registry/business_cache.h"
#include "services/registry/registry.h"
#include "services/registry/registry_events.h"
#include "services/registry/registry_service.h"
#include "services/registry/sqlite_business_store.h"

namespace umkm::registry {
namespace {

const std::vector<config::FlagSpec> kFlags = {
    {"listen", "0.0.0.0:50051", "address to serve gRPC on (port 0: any)"},
    {"port_file", "", "write the bound port to this file after start"},
    {"data_dir", "/var/lib/umkm", "directory of the SQLite file"},
    {"redis_url", "", "shared cache, redis://host:port[/db]; empty: none"},
    {"auth_key_file", "/etc/umkm/auth.key",
     "file holding the HS256 token key (>= 32 characters)"},
    {"privacy_key_file", "/etc/umkm/privacy.key",
     "file holding the master secret that encrypts NIKs at rest"},
    {"sqlite_synchronous", "full",
     "full (survives power loss) or normal (survives process crash)"},
    {"worker_threads", "32", "threads for blocking store and cache work"},
    {"cache_entries", "50000", "businesses kept in the in-process cache"},
    {"events_stream", "umkm:events", "Redis stream of the events topic"},
    {"events_dead_letter_stream", "umkm:events:dead",
     "where events that cannot be handled go"},
    {"events_max_len", "1000000", "approximate length the stream is kept at"},
    {"events_claim_idle", "30s",
     "pending events idle this long are reclaimed and retried"},
    {"events_max_deliveries", "5",
     "deliveries after which a failing event goes to the dead letters"},
    {"consumer_name", "",
     "this replica's name in the consumer group (default: host name)"},
    {"testing_crash_after_event_commit", "false",
     "fault injection for crash tests: exit after an event's effect "
     "committed, before it is acknowledged; never in production"},
    {"events_stats_interval", "60s",
     "how often the outbox backlog, consumer lag and dead letters are logged"},
    {"drain_timeout", "10s", "time in-flight calls get on SIGTERM"},
    {"readiness_grace", "2s",
     "time between readiness NOT_SERVING and closing the listener"},
};

// Page tokens are signed with a key derived from the privacy master secret
// (HMAC under the blind-index key is a PRF), so no extra secret is needed
// and tokens survive restarts.
std::string PageTokenKey(const privacy::FieldCipher& cipher) {
  return cipher.BlindIndex("umkm-registry page-token key v1");
}

absl::Status Run(const config::Config& config) {
  auto get = [&](absl::string_view name) { return config.GetString(name); };
  UMKM_ASSIGN_OR_RETURN(std::string listen, get("listen"));
  UMKM_ASSIGN_OR_RETURN(std::string port_file, get("port_file"));
  UMKM_ASSIGN_OR_RETURN(std::string data_dir, get("data_dir"));
  UMKM_ASSIGN_OR_RETURN(std::string redis_url, get("redis_url"));
  UMKM_ASSIGN_OR_RETURN(std::string auth_key_file, get("auth_key_file"));
  UMKM_ASSIGN_OR_RETURN(std::string privacy_key_file, get("privacy_key_file"));
  UMKM_ASSIGN_OR_RETURN(std::string synchronous, get("sqlite_synchronous"));
  UMKM_ASSIGN_OR_RETURN(int64_t worker_threads,
                        config.GetInt("worker_threads"));
  UMKM_ASSIGN_OR_RETURN(int64_t cache_entries, config.GetInt("cache_entries"));
  UMKM_ASSIGN_OR_RETURN(absl::Duration drain_timeout,
                        config.GetDuration("drain_timeout"));
  UMKM_ASSIGN_OR_RETURN(absl::Duration readiness_grace,
                        config.GetDuration("readiness_grace"));
  UMKM_ASSIGN_OR_RETURN(std::string events_stream, get("events_stream"));
  UMKM_ASSIGN_OR_RETURN(std::string dead_letter_stream,
                        get("events_dead_letter_stream"));
  UMKM_ASSIGN_OR_RETURN(int64_t events_max_len,
                        config.GetInt("events_max_len"));
  UMKM_ASSIGN_OR_RETURN(std::string consumer_name, get("consumer_name"));
  UMKM_ASSIGN_OR_RETURN(absl::Duration claim_idle,
                        config.GetDuration("events_claim_idle"));
  UMKM_ASSIGN_OR_RETURN(int64_t max_deliveries,
                        config.GetInt("events_max_deliveries"));
  UMKM_ASSIGN_OR_RETURN(absl::Duration stats_interval,
                        config.GetDuration("events_stats_interval"));
  UMKM_ASSIGN_OR_RETURN(bool crash_after_commit,
                        config.GetBool("testing_crash_after_event_commit"));
  if (synchronous != "full" && synchronous != "normal") {
    return absl::InvalidArgumentError(
        "--sqlite_synchronous must be full or normal");
  }

  UMKM_ASSIGN_OR_RETURN(auth::TokenVerifier verifier,
                        auth::TokenVerifier::FromKeyFile(auth_key_file));
  UMKM_ASSIGN_OR_RETURN(privacy::FieldCipher cipher,
                        privacy::FieldCipher::FromKeyFile(privacy_key_file));

  store::Options store_options;
  store_options.synchronous = synchronous == "full"
                                  ? store::Synchronous::kFull
                                  : store::Synchronous::kNormal;
  UMKM_ASSIGN_OR_RETURN(
      std::unique_ptr<store::Database> database,
      store::Database::Open(absl::StrCat(data_dir, "/registry.db"),
                            store_options));
  UMKM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteBusinessStore> store,
                        SqliteBusinessStore::Create(database.get(), &cipher,
                                                    PageTokenKey(cipher)));

  std::unique_ptr<redis::RedisClient> redis;
  if (!redis_url.empty()) {
    // One more connection than default: the consumer's blocking read
    // holds one.
    UMKM_ASSIGN_OR_RETURN(
        redis, redis::RedisClient::Create(redis_url, {.pool_size = 8}));
  }
  BusinessCache cache(redis.get(),
                      {.local_capacity = static_cast<size_t>(cache_entries)});

  // Events: the relay publishes the outbox, the consumer applies other
  // services' events. Without Redis the outbox keeps the events until a
  // run with Redis publishes them.
  std::unique_ptr<events::OutboxRelay> relay;
  std::unique_ptr<events::EventConsumer> consumer;
  if (redis != nullptr) {
    relay = std::make_unique<events::OutboxRelay>(
        *database, *redis,
        events::RelayOptions{.stream = events_stream,
                             .max_len = events_max_len});
    consumer = std::make_unique<events::EventConsumer>(
        *database, *redis,
        events::ConsumerOptions{
            .group = "umkm-registry",
            .consumer = consumer_name,
            .stream = events_stream,
            .dead_letter_stream = dead_letter_stream,
            .max_deliveries = static_cast<int>(max_deliveries),
            .claim_idle = claim_idle,
            .claim_interval = std::min(claim_idle, absl::Seconds(5))});
    RegisterEventHandlers(*consumer, *store, cache,
                          {.crash_after_commit = crash_after_commit});
  } else {
    log::Warning("no --redis_url: events stay in the outbox, none consumed");
  }
  // Visibility for ops: one "events stats" log line per interval (outbox
  // backlog, group lag and pending, dead letters); `umkm-events stats` on
  // demand.
  events::StatsReporter stats_reporter(
      database.get(), redis.get(),
      {.stream = events_stream,
       .dead_letter_stream = dead_letter_stream,
       .group = "umkm-registry"},
      stats_interval);
  Registry registry(store.get(), &cache, [&relay] {
    if (relay != nullptr) relay->Notify();
  });

  // Destroyed in reverse order: the host (and its in-flight calls) first,
  // then the pool that runs their blocking work, then what that work uses.
  server::WorkerPool pool(static_cast<int>(worker_threads));
  server::CallEnvironment env{.verifier = &verifier, .pool = &pool};
  RegistryService service(&registry, &env);
  server::ServiceHost host({.listen = listen,
                            .port_file = port_file,
                            .drain_timeout = drain_timeout,
                            .readiness_grace = readiness_grace});
  host.AddService(&service);
  UMKM_RETURN_IF_ERROR(host.Start());
  if (relay != nullptr) relay->Start();
  if (consumer != nullptr) UMKM_RETURN_IF_ERROR(consumer->Start());
  host.SetReady(true);
  log::Info("started", {{"service", "umkm-registry"}, {"port", host.port()}});

  const int signal_number = server::WaitForTerminationSignal();
  log::Info("stopping", {{"signal", signal_number}});
  host.Shutdown();
  // After the last call: the consumer finishes its batch, the relay
  // publishes what the last calls recorded (if Redis is there).
  if (consumer != nullptr) consumer->Stop();
  if (relay != nullptr) relay->Stop();
  return absl::OkStatus();
}

}  // namespace
}  // namespace umkm::registry

int main(int argc, char** argv) {
  umkm::server::BlockTerminationSignals();
#ifdef NDEBUG
  // Debian's Abseil is built without NDEBUG, so every absl::Mutex runs the
  // deadlock detector; it costs ~20% of throughput in release builds.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  const umkm::config::Config config = umkm::config::Config::ParseOrExit(
      argc, argv, umkm::registry::kFlags, "umkm-registry");
  absl::Status status = umkm::registry::Run(config);
  if (!status.ok()) {
    umkm::log::Error("fatal",
                     {{"error", std::string(status.message())},
                      {"code", absl::StatusCodeToString(status.code())}});
  }
  umkm::log::Flush();
  return status.ok() ? 0 : 1;
}
