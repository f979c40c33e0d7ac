// Stats from the outbox, events_processed, XINFO GROUPS and XLEN.
#include "common/events/stats.h"

#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "common/base/string_view.h"
#include "common/events/outbox.h"
#include "common/events/stream_entry.h"
#include "common/log/json_log.h"
#include "common/status/macros.h"

namespace umkm::events {
namespace {

void ReadStoreParts(store::Database& db, Stats& stats) {
  // A missing table is not an error here: a producer-only service has no
  // events_processed, a consumer-only one no events_outbox.
  absl::Status status = db.Read([&](store::Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(
        store::Statement tables,
        conn.Prepare("SELECT name FROM sqlite_master WHERE type = 'table' "
                     "AND name IN ('events_outbox', 'events_processed')"));
    bool has_outbox = false, has_processed = false;
    while (true) {
      UMKM_ASSIGN_OR_RETURN(bool row, tables.Step());
      if (!row) break;
      if (tables.ColumnText(0) == "events_outbox") has_outbox = true;
      if (tables.ColumnText(0) == "events_processed") has_processed = true;
    }
    if (has_outbox) {
      UMKM_ASSIGN_OR_RETURN(OutboxBacklog backlog, ReadOutboxBacklog(conn));
      stats.outbox_pending = backlog.pending;
      if (backlog.pending > 0) {
        stats.outbox_oldest_age = absl::Now() - backlog.oldest_created;
      }
    }
    if (has_processed) {
      UMKM_ASSIGN_OR_RETURN(
          store::Statement count,
          conn.Prepare("SELECT count(*) FROM events_processed"));
      UMKM_ASSIGN_OR_RETURN(bool row, count.Step());
      if (row) stats.processed = count.ColumnInt64(0);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) {
    log::Warning("events stats: store unreadable",
                 {{"error", status.ToString()}});
  }
}

std::optional<int64_t> Integer(redis::RedisClient& redis,
                               std::vector<std::string> argv) {
  absl::StatusOr<redis::Reply> reply = redis.Command(std::move(argv));
  if (!reply.ok() || reply->type != redis::Reply::Type::kInteger) {
    return std::nullopt;
  }
  return reply->integer;
}

void ReadRedisParts(redis::RedisClient& redis, const StatsOptions& options,
                    Stats& stats) {
  if (auto length = Integer(redis, {"XLEN", options.stream})) {
    stats.stream_length = *length;
  }
  if (auto dead = Integer(redis, {"XLEN", options.dead_letter_stream})) {
    stats.dead_letters = *dead;
  }
  if (options.group.empty()) return;
  absl::StatusOr<redis::Reply> groups =
      redis.Command({"XINFO", "GROUPS", options.stream});
  if (!groups.ok() || groups->is_error()) return;
  for (const redis::Reply& group : groups->elements) {
    const Fields fields = ParseFlatMap(group);
    if (FindField(fields, "name") != options.group) continue;
    int64_t value = 0;
    if (auto pending = FindField(fields, "pending");
        pending && absl::SimpleAtoi(ToAbsl(*pending), &value)) {
      stats.consumer_pending = value;
    }
    // `lag` is nil when Redis cannot tell (after some deletions).
    if (auto lag = FindField(fields, "lag");
        lag && absl::SimpleAtoi(ToAbsl(*lag), &value)) {
      stats.consumer_lag = value;
    }
  }
}

}  // namespace

Stats ComputeStats(store::Database* db, redis::RedisClient* redis,
                   const StatsOptions& options) {
  Stats stats;
  if (db != nullptr) ReadStoreParts(*db, stats);
  if (redis != nullptr) ReadRedisParts(*redis, options, stats);
  return stats;
}

void LogStats(const Stats& stats, const StatsOptions& options) {
  log::Info("events stats",
            {{"stream", options.stream},
             {"group", options.group},
             {"outbox_pending", stats.outbox_pending},
             {"outbox_oldest_age_ms",
              absl::ToInt64Milliseconds(stats.outbox_oldest_age)},
             {"consumer_lag", stats.consumer_lag},
             {"consumer_pending", stats.consumer_pending},
             {"processed", stats.processed},
             {"stream_length", stats.stream_length},
             {"dead_letters", stats.dead_letters}});
}

StatsReporter::StatsReporter(store::Database* db, redis::RedisClient* redis,
                             StatsOptions options, absl::Duration interval) {
  thread_ =
      std::thread([this, db, redis, options = std::move(options), interval] {
        std::unique_lock<std::mutex> lock(mu_);
        while (!cv_.wait_for(lock, absl::ToChronoMilliseconds(interval),
                             [&] { return stopping_; })) {
          lock.unlock();
          LogStats(ComputeStats(db, redis, options), options);
          lock.lock();
        }
      });
}

StatsReporter::~StatsReporter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace umkm::events
