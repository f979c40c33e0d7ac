// A consumer of the events stream: one consumer group per service, one
// consumer per replica, handlers by payload type, effects applied exactly
// once.
//
//   EventConsumer consumer(db, redis, {.group = "umkm-registry"});
//   consumer.On(v1::Event::kVisitCompleted,
//               [&](store::Connection& conn, const v1::Event& event) {
//                 return RecordVisit(conn, event.visit_completed());
//               },
//               [&](const v1::Event& event) { InvalidateCache(event); });
//   consumer.Start();
//   ...
//   consumer.Stop();  // on SIGTERM
//
// Several handlers may subscribe to one payload type (a service's own, and
// the registry client's cache invalidation, say): they run in the order of
// their On() calls, all inside the event's savepoint, so that their effects
// commit together or not at all; a failing one stops the rest and rolls
// back the others' effects too. After the commit every hook runs, in the
// same order.
//
// Exactly-once effects: a handler runs inside Database::Write together with
// the insert of the event id into events_processed (schema.h). If the id is
// already there the handler is skipped (a redelivery or a republished
// event) and the entry is only acknowledged. XACK is sent only after the
// commit, so a crash between commit and XACK leads to a redelivery that is
// absorbed by that record. The entries of one read (up to batch_size) are
// applied in one transaction, one fsync, each event inside its own
// SAVEPOINT so a failing handler rolls back only its own effect and record.
// Handlers must not issue BEGIN/COMMIT/ROLLBACK (their own SAVEPOINTs are
// fine).
//
// Delivery:
//  - The group is created on first use with XGROUP CREATE <stream> <group>
//    0 MKSTREAM (new_group_from_start): a service whose group is new reads
//    every event still in the stream rather than only those published after
//    it first started, so an event published before a consumer's first
//    start is not lost to it. Dedupe makes the overlap harmless; set it to
//    false for `$`. If the group vanishes (Redis restarted without
//    persistence), it is created again.
//  - On start the consumer first re-reads its own pending entries (what it
//    had read but not acknowledged before a restart under the same name),
//    then reads new entries with BLOCK.
//  - Every claim_interval it XAUTOCLAIMs entries idle for claim_idle or
//    more, from any consumer of the group (a dead replica, or itself: that
//    is how a failed event is retried).
//  - An entry without an `event` field or whose bytes do not parse goes to
//    the dead-letter stream at once and is acknowledged. A handler failure
//    leaves the entry pending (retried after claim_idle); at the delivery
//    that reaches max_deliveries a failure sends it to the dead-letter
//    stream with the error, then acknowledges it.
//  - An event whose payload has no handler is acknowledged and not
//    recorded (nothing was applied; recording would cost a write per
//    foreign event).
//  - Handlers run in stream order (per consumer); a failing event does not
//    hold back the ones behind it.
//  - Redis errors back off (doubling to max_backoff), never a busy loop.
//
// Post-commit hooks run after the handler's transaction committed, before
// XACK, and also when a duplicate is acknowledged: a crash between commit
// and hook then still gets the hook on redelivery. Hooks must therefore be
// idempotent (a cache delete is).
//
// Thread safety: On() only before Start(); Start() and Stop() from the
// owner; counters() from any thread. Handlers and hooks run on the
// consumer's thread (Write may run a handler on another writer's thread
// under group commit, but always before Write returns).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/events/envelope.h"
#include "common/events/handler_registry.h"
#include "common/events/stream_entry.h"
#include "common/redis/redis_client.h"
#include "common/store/database.h"

namespace umkm::events {

struct ConsumerOptions {
  // The consumer group: the service's name, e.g. "umkm-registry". Required.
  std::string group;
  // This replica's name in the group. Empty: DefaultConsumerName(). A
  // replica restarted under the same name drains what it left pending at
  // once; under a new name its old entries are reclaimed after claim_idle.
  std::string consumer;
  std::string stream = std::string(kDefaultStream);
  std::string dead_letter_stream = std::string(kDefaultDeadLetterStream);
  // Entries per XREADGROUP / XAUTOCLAIM.
  int batch_size = 16;
  // XREADGROUP BLOCK; also how long Stop() may wait for a read to return.
  absl::Duration block = absl::Seconds(1);
  // Deliveries after which a failing event goes to the dead-letter stream.
  int max_deliveries = 5;
  // Pending entries idle this long are reclaimed (and failed ones retried).
  // Must exceed the longest handler run.
  absl::Duration claim_idle = absl::Seconds(30);
  // How often to look for idle pending entries.
  absl::Duration claim_interval = absl::Seconds(5);
  // A new group starts at the beginning of the stream (0) rather than at
  // its end ($). See above.
  bool new_group_from_start = true;
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // Rows of events_processed older than this are deleted (hourly). Must
  // exceed how long a duplicate can arrive (stream retention).
  absl::Duration processed_retention = absl::Hours(24 * 30);
  // Stamps processed_time and decides what the retention has passed (claim
  // and backoff timing stay on real time: they follow Redis's idle times);
  // must outlive the consumer.
  const Clock* clock = &SystemClock();
  // Fault injection for crash tests, never in production: when not 0, the
  // process exits with this code once a batch's effects committed and its
  // hooks ran, before the XACK (as a pod killed at that moment would).
  int testing_exit_after_commit = 0;
};

// The host name (the pod name in Kubernetes), or "consumer-<pid>" when it
// cannot be read.
std::string DefaultConsumerName();

class EventConsumer : public HandlerRegistry {
 public:
  // `db` (with the events_processed table) and `redis` must outlive the
  // consumer. Its RedisClient needs a pool connection for the blocking read
  // besides what other users take. Nothing runs until Start().
  EventConsumer(store::Database& db, redis::RedisClient& redis,
                ConsumerOptions options);
  // Calls Stop().
  ~EventConsumer();
  EventConsumer(const EventConsumer&) = delete;
  EventConsumer& operator=(const EventConsumer&) = delete;

  // Adds a handler (and its optional hook) for one payload type, after any
  // registered before for that type (see above). Only before Start().
  void On(v1::Event::PayloadCase payload, Handler handler,
          PostCommitHook after_commit = nullptr) override;

  // Starts the background thread. INVALID_ARGUMENT for bad options (no
  // group, batch_size or max_deliveries below 1). Call at most once.
  absl::Status Start();

  // Finishes the batch in hand (its one transaction, hooks, XACK), stops
  // reading and joins the thread; entries read but not started stay
  // pending, unacknowledged.
  // Waits at most about `block` for a blocking read to return. Idempotent.
  void Stop();

  // What happened to the entries this consumer handled since construction.
  struct Counters {
    int64_t applied = 0;        // handler committed
    int64_t duplicates = 0;     // already processed; acknowledged only
    int64_t unhandled = 0;      // no handler; acknowledged
    int64_t failed = 0;         // handler or store failed; left pending
    int64_t dead_lettered = 0;  // sent to the dead-letter stream
  };
  Counters counters() const;

  const ConsumerOptions& options() const { return options_; }

 private:
  struct Registration {
    Handler handler;
    PostCommitHook after_commit;
  };
  // One event of a batch on its way through the transaction.
  struct Item {
    const StreamEntry* entry;
    int64_t deliveries;
    v1::Event event;
    const std::vector<Registration>* registrations;  // at least one
    absl::Status status;     // the handler's (or the commit's) outcome
    bool duplicate = false;  // already in events_processed
  };

  void Run();
  // One step of the loop: create the group if needed, reclaim idle entries
  // when due, then read and handle one batch.
  absl::Status Step();
  absl::Status EnsureGroup();
  absl::Status ClaimIdle();
  // Delivery counts of our own pending `entries` (XPENDING over their range).
  absl::StatusOr<std::map<std::string, int64_t>> DeliveryCounts(
      const std::vector<StreamEntry>& entries);
  // Handles a batch: dead-letters what does not parse, applies the rest in
  // one transaction (ApplyInOneTransaction), runs hooks, dead-letters what
  // failed its last delivery, then acknowledges all that is done with one
  // XACK. `counts` null means first delivery for all.
  absl::Status HandleAll(const std::vector<StreamEntry>& entries,
                         const std::map<std::string, int64_t>* counts);
  // Sets each item's status and duplicate flag.
  void ApplyInOneTransaction(std::vector<Item>& items);
  absl::Status DeadLetter(const StreamEntry& entry, int64_t deliveries,
                          const absl::Status& error);
  absl::Status Ack(const std::vector<std::string>& ids);
  // A Redis error reply as a status; NOGROUP also forgets the group.
  absl::Status CheckReply(const redis::Reply& reply);
  void PruneProcessed();
  bool stopping() const;
  void Count(int64_t Counters::*counter);
  // Sleeps up to `timeout`, returning early on Stop().
  void Wait(absl::Duration timeout);

  store::Database& db_;
  redis::RedisClient& redis_;
  ConsumerOptions options_;
  std::map<v1::Event::PayloadCase, std::vector<Registration>> handlers_;
  std::thread thread_;

  // Loop state, used only by the consumer thread.
  bool group_ready_ = false;
  bool draining_own_ = true;
  std::string own_cursor_ = "0";
  absl::Time next_claim_ = absl::InfinitePast();
  absl::Time next_prune_ = absl::InfinitePast();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  Counters counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace umkm::events
