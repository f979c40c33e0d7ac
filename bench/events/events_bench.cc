// umkm-events-bench: end-to-end latency of the events backbone, from the
// commit of a state change with its outbox row in a producer's SQLite file
// to the commit of the effect in a consumer's SQLite file, through a real
// redis-server, beside redis-benchmark's XADD on the same server as the
// ceiling.
//
// Producer and consumer are threads of this process with their own
// Database, RedisClient, OutboxRelay and EventConsumer, so both timestamps
// come from one clock. Phases:
//   idle      one event at a time: commit, wait for its effect, repeat
//   load      open loop at --rate events/s from --producers threads
//   saturate  closed loop, producers as fast as they can (sustained max)
// A benchmark program: prints figures, asserts nothing.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/config/config.h"
#include "common/events/consumer.h"
#include "common/events/outbox.h"
#include "common/events/relay.h"
#include "common/events/schema.h"
#include "common/log/json_log.h"
#include "common/redis/redis_client.h"
#include "common/status/macros.h"
#include "common/store/database.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"

namespace umkm::events {
namespace {

using Clock = std::chrono::steady_clock;

constexpr store::Migration kProducerMigrations[] = {
    {1, "state", "CREATE TABLE state (id INTEGER PRIMARY KEY, v TEXT)"},
    {2, "events_outbox", kOutboxSchema},
};
constexpr store::Migration kConsumerMigrations[] = {
    {1, "effects", "CREATE TABLE effects (event_id TEXT, business TEXT)"},
    {2, "events_processed", kProcessedSchema},
};

// Commit and effect times by event id, filled from several threads.
class Timeline {
 public:
  void Committed(const std::string& id, Clock::time_point t) {
    std::lock_guard<std::mutex> lock(mu_);
    committed_[id] = t;
  }
  void Applied(const std::string& id, Clock::time_point t) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      applied_[id] = t;
    }
    cv_.notify_all();
  }
  // Waits until `count` effects were recorded or `timeout` passed.
  bool WaitApplied(size_t count, absl::Duration timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout),
                        [&] { return applied_.size() >= count; });
  }
  // Latencies in microseconds, sorted; and the span from first commit to
  // last effect.
  std::vector<double> Latencies(double* span_seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<double> micros;
    Clock::time_point first = Clock::time_point::max(), last = {};
    for (const auto& [id, applied] : applied_) {
      auto it = committed_.find(id);
      if (it == committed_.end()) continue;
      micros.push_back(
          std::chrono::duration<double, std::micro>(applied - it->second)
              .count());
      first = std::min(first, it->second);
      last = std::max(last, applied);
    }
    std::sort(micros.begin(), micros.end());
    *span_seconds = micros.empty()
                        ? 0
                        : std::chrono::duration<double>(last - first).count();
    return micros;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    committed_.clear();
    applied_.clear();
  }
  size_t applied() {
    std::lock_guard<std::mutex> lock(mu_);
    return applied_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, Clock::time_point> committed_;
  std::unordered_map<std::string, Clock::time_point> applied_;
};

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t index = static_cast<size_t>(p * static_cast<double>(sorted.size()));
  return sorted[std::min(index, sorted.size() - 1)];
}

void Report(const std::string& phase, Timeline& timeline, size_t sent) {
  double span = 0;
  std::vector<double> micros = timeline.Latencies(&span);
  std::printf(
      "%-10s events %6zu/%-6zu  p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  "
      "%8.0f events/s\n",
      phase.c_str(), micros.size(), sent, Percentile(micros, 0.5) / 1000,
      Percentile(micros, 0.99) / 1000,
      micros.empty() ? 0.0 : micros.back() / 1000,
      span > 0 ? static_cast<double>(micros.size()) / span : 0.0);
}

// One producer write: a state row and its event in one transaction.
absl::Status Produce(store::Database& db, OutboxRelay& relay,
                     Timeline& timeline, int64_t n) {
  v1::BusinessUpdated payload;
  payload.set_business(absl::StrCat("businesses/", n));
  payload.add_changed_fields("display_name");
  payload.set_display_name("Warung Bakso Pak Kumis");
  v1::Event event = NewEvent(payload, "umkm-registry", payload.business(),
                             absl::StrCat("req-", n));
  UMKM_RETURN_IF_ERROR(db.Write([&](store::Connection& conn) -> absl::Status {
    UMKM_RETURN_IF_ERROR(
        conn.Execute("INSERT INTO state(v) VALUES (?)", payload.business()));
    return AppendToOutbox(conn, event);
  }));
  timeline.Committed(event.id(), Clock::now());
  relay.Notify();
  return absl::OkStatus();
}

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "(could not run redis-benchmark)\n";
  char buffer[512];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) out += buffer;
  pclose(pipe);
  return out;
}

absl::Status Main(const config::Config& config) {
  UMKM_ASSIGN_OR_RETURN(int64_t idle_events, config.GetInt("idle_events"));
  UMKM_ASSIGN_OR_RETURN(int64_t rate, config.GetInt("rate"));
  UMKM_ASSIGN_OR_RETURN(int64_t producers, config.GetInt("producers"));
  UMKM_ASSIGN_OR_RETURN(absl::Duration duration,
                        config.GetDuration("duration"));
  UMKM_ASSIGN_OR_RETURN(std::string sync, config.GetString("synchronous"));
  log::SetMinLevel(log::Level::kWarning);

  UMKM_ASSIGN_OR_RETURN(auto server, testing::RedisServer::Create());
  testing::TempDir dir;
  const store::Options db_options{
      .synchronous = sync == "normal" ? store::Synchronous::kNormal
                                      : store::Synchronous::kFull};
  UMKM_ASSIGN_OR_RETURN(
      auto producer_db,
      store::Database::Open(dir.File("producer.db"), db_options));
  UMKM_RETURN_IF_ERROR(producer_db->Migrate(kProducerMigrations));
  UMKM_ASSIGN_OR_RETURN(
      auto consumer_db,
      store::Database::Open(dir.File("consumer.db"), db_options));
  UMKM_RETURN_IF_ERROR(consumer_db->Migrate(kConsumerMigrations));
  UMKM_ASSIGN_OR_RETURN(auto producer_redis,
                        redis::RedisClient::Create(server->url()));
  UMKM_ASSIGN_OR_RETURN(auto consumer_redis,
                        redis::RedisClient::Create(server->url()));

  std::printf(
      "umkm-events-bench: redis-server on %s, SQLite synchronous=%s, "
      "%ld CPUs\n",
      server->host_port().c_str(), sync.c_str(), sysconf(_SC_NPROCESSORS_ONLN));
  Timeline timeline;
  OutboxRelay relay(*producer_db, *producer_redis);
  EventConsumer consumer(
      *consumer_db, *consumer_redis,
      {.group = "bench", .consumer = "bench-1", .batch_size = 64});
  consumer.On(
      v1::Event::kBusinessUpdated,
      [](store::Connection& conn, const v1::Event& event) {
        return conn.Execute(
            "INSERT INTO effects(event_id, business) VALUES (?, ?)", event.id(),
            event.business_updated().business());
      },
      [&](const v1::Event& event) {
        timeline.Applied(event.id(), Clock::now());
      });
  relay.Start();
  UMKM_RETURN_IF_ERROR(consumer.Start());

  // Idle: one at a time.
  int64_t n = 0;
  for (int64_t i = 0; i < idle_events; ++i) {
    UMKM_RETURN_IF_ERROR(Produce(*producer_db, relay, timeline, n++));
    if (!timeline.WaitApplied(i + 1, absl::Seconds(10))) {
      return absl::DeadlineExceededError("idle event not applied in 10 s");
    }
  }
  Report("idle", timeline, idle_events);

  // Load: open loop at `rate`, split over the producers.
  auto run_producers = [&](bool paced) -> size_t {
    std::atomic<int64_t> next{n};
    std::atomic<size_t> sent{0};
    const auto start = Clock::now();
    const auto end = start + absl::ToChronoNanoseconds(duration);
    const auto interval = std::chrono::nanoseconds(
        static_cast<int64_t>(1e9 * static_cast<double>(producers) /
                             static_cast<double>(std::max<int64_t>(rate, 1))));
    std::vector<std::thread> threads;
    for (int64_t p = 0; p < producers; ++p) {
      threads.emplace_back([&, p] {
        auto due = start + interval * p / producers;
        while (Clock::now() < end) {
          if (paced) std::this_thread::sleep_until(due);
          if (!Produce(*producer_db, relay, timeline, next++).ok()) return;
          ++sent;
          due += interval;
        }
      });
    }
    for (std::thread& t : threads) t.join();
    n = next;
    timeline.WaitApplied(sent, absl::Seconds(60));
    return sent;
  };
  timeline.Reset();
  size_t sent = run_producers(/*paced=*/true);
  Report(absl::StrCat("load@", rate), timeline, sent);
  timeline.Reset();
  sent = run_producers(/*paced=*/false);
  Report("saturate", timeline, sent);

  consumer.Stop();
  relay.Stop();

  std::printf("\nceiling: redis-benchmark XADD on the same server\n");
  for (int clients : {1, 50}) {
    const std::string command = absl::StrFormat(
        "redis-benchmark -p %d -n 100000 -c %d -P 1 -q XADD bench '*' event "
        "%s 2>&1",
        server->port(), clients, std::string(96, 'x'));
    std::string out = RunCommand(command);
    // -q prints progress lines separated by \r; keep the final one.
    out = out.substr(out.find_last_of('\r') == std::string::npos
                         ? 0
                         : out.find_last_of('\r') + 1);
    // "XADD bench * event xxx...: 46189.38 requests per second, p50=..."
    const size_t colon = out.find(": ");
    if (colon != std::string::npos) out = out.substr(colon + 2);
    std::printf("  XADD (96-byte value) -c %-3d -P 1: %s", clients,
                out.c_str());
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace umkm::events

int main(int argc, char** argv) {
  const std::vector<umkm::config::FlagSpec> kFlags = {
      {"idle_events", "300", "events sent one at a time"},
      {"rate", "1000", "events/s offered in the load phase"},
      {"producers", "4", "producer threads in the load phases"},
      {"duration", "5s", "length of the load and saturate phases"},
      {"synchronous", "full", "SQLite synchronous: full or normal"},
  };
  umkm::config::Config config = umkm::config::Config::ParseOrExit(
      argc, argv, kFlags, "umkm-events-bench");
  absl::Status status = umkm::events::Main(config);
  umkm::log::Flush();
  if (!status.ok()) {
    std::fprintf(stderr, "umkm-events-bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
