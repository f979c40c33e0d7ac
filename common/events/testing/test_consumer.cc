// events_test_consumer: an EventConsumer in its own process, so tests can
// kill a consumer at a precise point (after its effect committed, before
// XACK) and restart it, as a crashed pod would be.
//
// Handles VisitCompleted by inserting (event id, business) into `effects`
// (testing/test_schema.h). With --exit_after_commit the process exits with
// code 3 after its first batch committed and before the XACK
// (ConsumerOptions::testing_exit_after_commit). Otherwise it runs until
// SIGTERM/SIGINT and exits 0 after a clean Stop().
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "common/config/config.h"
#include "common/events/consumer.h"
#include "common/events/testing/test_schema.h"
#include "common/log/json_log.h"
#include "common/redis/redis_client.h"
#include "common/status/macros.h"

namespace umkm::events {
namespace {

absl::Status Main(const config::Config& config, const sigset_t& signals) {
  UMKM_ASSIGN_OR_RETURN(std::string db_path, config.GetString("db"));
  UMKM_ASSIGN_OR_RETURN(std::string redis_url, config.GetString("redis"));
  UMKM_ASSIGN_OR_RETURN(bool exit_after_commit,
                        config.GetBool("exit_after_commit"));
  ConsumerOptions options;
  UMKM_ASSIGN_OR_RETURN(options.group, config.GetString("group"));
  UMKM_ASSIGN_OR_RETURN(options.consumer, config.GetString("consumer"));
  UMKM_ASSIGN_OR_RETURN(options.claim_idle, config.GetDuration("claim_idle"));
  options.block = absl::Milliseconds(100);
  options.claim_interval = absl::Milliseconds(50);
  // crash: committed, not acked
  if (exit_after_commit) options.testing_exit_after_commit = 3;

  UMKM_ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db,
                        store::Database::Open(db_path));
  UMKM_RETURN_IF_ERROR(db->Migrate(testing::kTestMigrations));
  UMKM_ASSIGN_OR_RETURN(
      std::unique_ptr<redis::RedisClient> redis,
      redis::RedisClient::Create(redis_url,
                                 {.initial_backoff = absl::Milliseconds(10),
                                  .max_backoff = absl::Milliseconds(100)}));

  EventConsumer consumer(*db, *redis, options);
  consumer.On(v1::Event::kVisitCompleted, [](store::Connection& conn,
                                             const v1::Event& event) {
    return conn.Execute("INSERT INTO effects(event_id, business) VALUES (?, ?)",
                        event.id(), event.visit_completed().business());
  });
  UMKM_RETURN_IF_ERROR(consumer.Start());
  log::Info("test consumer ready", {{"consumer", options.consumer}});
  int signal = 0;
  sigwait(&signals, &signal);
  consumer.Stop();
  return absl::OkStatus();
}

}  // namespace
}  // namespace umkm::events

int main(int argc, char** argv) {
  // Block before any thread starts so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::vector<umkm::config::FlagSpec> kFlags = {
      {"db", "", "SQLite file"},
      {"redis", "", "redis://host:port"},
      {"group", "test-group", "consumer group"},
      {"consumer", "replica-1", "consumer name"},
      {"claim_idle", "1h", "XAUTOCLAIM idle threshold"},
      {"exit_after_commit", "false", "_exit(3) after the first commit"},
  };
  umkm::config::Config config = umkm::config::Config::ParseOrExit(
      argc, argv, kFlags, "events_test_consumer");
  absl::Status status = umkm::events::Main(config, signals);
  umkm::log::Flush();
  if (!status.ok()) {
    std::fprintf(stderr, "events_test_consumer: %s\n",
                 status.ToString().c_str());
    return 1;
  }
  return 0;
}
