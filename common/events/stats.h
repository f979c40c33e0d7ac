// How the events backbone is doing, for a service's health detail, a stats
// RPC, the umkm-events CLI and periodic log lines.
//
// Every part is best effort: with Redis down the store parts are still
// filled and the Redis parts stay -1 (unknown); a database without the
// outbox or processed table leaves those parts -1.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "common/events/envelope.h"
#include "common/redis/redis_client.h"
#include "common/store/database.h"

namespace umkm::events {

struct Stats {
  // Outbox (this service as producer).
  int64_t outbox_pending = -1;  // rows not yet published
  absl::Duration outbox_oldest_age = absl::ZeroDuration();
  // Consumer group (this service as consumer), from XINFO GROUPS.
  int64_t consumer_lag = -1;      // entries not yet delivered to the group
  int64_t consumer_pending = -1;  // delivered, not acknowledged
  int64_t processed = -1;         // rows in events_processed
  // Streams.
  int64_t stream_length = -1;
  int64_t dead_letters = -1;  // entries in the dead-letter stream
};

struct StatsOptions {
  std::string stream = std::string(kDefaultStream);
  std::string dead_letter_stream = std::string(kDefaultDeadLetterStream);
  std::string group;  // empty: no consumer group parts
};

// Computes the stats; `db` and `redis` may each be null (parts skipped).
// Thread-safe.
Stats ComputeStats(store::Database* db, redis::RedisClient* redis,
                   const StatsOptions& options);

// Writes one JSON log line "events stats" with every known part.
void LogStats(const Stats& stats, const StatsOptions& options);

// Logs ComputeStats every `interval` on its own thread until destroyed.
// Construct and destroy from one thread.
class StatsReporter {
 public:
  StatsReporter(store::Database* db, redis::RedisClient* redis,
                StatsOptions options, absl::Duration interval);
  ~StatsReporter();
  StatsReporter(const StatsReporter&) = delete;
  StatsReporter& operator=(const StatsReporter&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace umkm::events
