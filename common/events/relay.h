// The outbox relay: a background thread that publishes a service's outbox
// rows (outbox.h) to the events stream in commit order.
//
// Each round reads up to batch_size unpublished rows in sequence order,
// sends one pipelined `XADD <stream> MAXLEN ~ <max_len> * event <bytes>` per
// row, and marks the rows that Redis accepted as published. It then sleeps
// until Notify(), the poll interval, or Stop(). With Redis down the round
// fails and the relay backs off (doubling up to max_backoff, no busy loop)
// while the outbox grows; when Redis returns the backlog drains, oldest
// first.
//
// At-least-once: a crash (or a lost connection) after XADD but before the
// mark publishes those rows again on the next round. Consumers deduplicate
// on the envelope id (consumer.h), so that is harmless.
//
// One relay per Database (two would publish every row twice). Thread safety:
// Notify() may be called from any thread at any time; Start() and Stop() by
// the owner only.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/events/envelope.h"
#include "common/redis/redis_client.h"
#include "common/store/database.h"

namespace umkm::events {

struct RelayOptions {
  std::string stream = std::string(kDefaultStream);
  // Approximate stream length kept by XADD MAXLEN ~. Must stay well above
  // what the slowest consumer group can fall behind by: entries trimmed
  // before a group read them are lost to that group.
  int64_t max_len = 1'000'000;
  // Rows per round (one pipeline, one mark transaction).
  int batch_size = 256;
  // Round interval when nobody calls Notify(); bounds the latency of an
  // event whose Notify() was lost (e.g. appended by another process).
  absl::Duration poll_interval = absl::Seconds(1);
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // Published rows are kept this long (for debugging), then deleted.
  absl::Duration published_retention = absl::Hours(1);
  // Stamps published_time and decides what the retention has passed; must
  // outlive the relay.
  const Clock* clock = &SystemClock();
};

class OutboxRelay {
 public:
  // `db` and `redis` must outlive the relay. Nothing runs until Start().
  OutboxRelay(store::Database& db, redis::RedisClient& redis,
              RelayOptions options = {});
  // Calls Stop().
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Starts the background thread. Call at most once.
  void Start();

  // Wakes the relay for a round now: call after a Write that appended events
  // has committed. Cheap; any thread.
  void Notify();

  // Finishes the current round (its XADDs and their mark), runs one last
  // round when Redis was reachable (so events of the last requests before
  // shutdown go out now), then joins the thread. Rows not yet published stay
  // in the outbox for the next start. Idempotent.
  void Stop();

  // One round, synchronously: publishes up to batch_size pending rows and
  // marks them. Returns how many were published; UNAVAILABLE and the like
  // when Redis or the store failed (rows published before the failure are
  // marked). Used by the thread; tests and tools may call it directly when
  // the thread is not running.
  absl::StatusOr<int> PublishBatch();

  // Rows published (XADD accepted) since construction.
  int64_t published() const;

 private:
  void Run();
  // Sleeps up to `timeout`; returns early on Stop(), and on Notify() when
  // `wake_on_notify`.
  void Wait(absl::Duration timeout, bool wake_on_notify);

  store::Database& db_;
  redis::RedisClient& redis_;
  const RelayOptions options_;
  std::thread thread_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t published_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace umkm::events
