// The relay thread: outbox rows to XADD, in order, with backoff.
#include "common/events/relay.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/events/outbox.h"
#include "common/log/json_log.h"
#include "common/status/macros.h"

namespace umkm::events {

OutboxRelay::OutboxRelay(store::Database& db, redis::RedisClient& redis,
                         RelayOptions options)
    : db_(db), redis_(redis), options_(std::move(options)) {}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    notified_ = true;
  }
  cv_.notify_one();
}

void OutboxRelay::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

int64_t OutboxRelay::published() const {
  std::lock_guard<std::mutex> lock(mu_);
  return published_;
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  std::vector<OutboxRow> rows;
  UMKM_RETURN_IF_ERROR(db_.Read([&](store::Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(rows, ReadPendingOutbox(conn, options_.batch_size));
    return absl::OkStatus();
  }));
  if (rows.empty()) return 0;

  std::vector<std::vector<std::string>> commands;
  commands.reserve(rows.size());
  const std::string max_len = absl::StrCat(options_.max_len);
  for (OutboxRow& row : rows) {
    commands.push_back({"XADD", options_.stream, "MAXLEN", "~", max_len, "*",
                        std::string(kEventField), std::move(row.payload)});
  }
  UMKM_ASSIGN_OR_RETURN(std::vector<redis::Reply> replies,
                        redis_.Pipeline(commands));

  // Redis applies a pipeline in order: everything before the first error
  // reply was added, so that prefix is marked and the rest retried later.
  size_t accepted = 0;
  absl::Status reply_error;
  for (; accepted < replies.size(); ++accepted) {
    if (replies[accepted].is_error()) {
      reply_error = redis::ErrorReplyStatus(replies[accepted].str);
      break;
    }
  }
  if (accepted > 0) {
    UMKM_RETURN_IF_ERROR(db_.Write([&](store::Connection& conn) {
      return MarkOutboxPublished(conn, rows.front().sequence,
                                 rows[accepted - 1].sequence,
                                 options_.clock->Now());
    }));
    std::lock_guard<std::mutex> lock(mu_);
    published_ += static_cast<int64_t>(accepted);
  }
  UMKM_RETURN_IF_ERROR(reply_error);
  return static_cast<int>(accepted);
}

void OutboxRelay::Run() {
  absl::Duration backoff = options_.initial_backoff;
  bool failing = false;
  absl::Time next_prune = absl::Now();
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) break;
      notified_ = false;  // this round sees everything committed so far
    }
    absl::StatusOr<int> published = PublishBatch();
    if (!published.ok()) {
      if (!failing) {
        log::Warning("events relay: publishing failed; retrying with backoff",
                     {{"stream", options_.stream},
                      {"error", published.status().ToString()}});
      }
      failing = true;
      Wait(backoff, /*wake_on_notify=*/false);
      backoff = std::min(backoff * 2, options_.max_backoff);
      continue;
    }
    if (failing) {
      log::Info("events relay: publishing again",
                {{"stream", options_.stream}});
      failing = false;
    }
    backoff = options_.initial_backoff;
    if (*published == options_.batch_size) continue;  // more may be waiting

    if (absl::Now() >= next_prune) {
      next_prune = absl::Now() + absl::Minutes(1);
      absl::Status pruned = db_.Write([&](store::Connection& conn) {
        return PruneOutbox(conn,
                           options_.clock->Now() - options_.published_retention)
            .status();
      });
      if (!pruned.ok()) {
        log::Warning("events relay: pruning the outbox failed",
                     {{"error", pruned.ToString()}});
      }
    }
    Wait(options_.poll_interval, /*wake_on_notify=*/true);
  }
  // Best effort, once: what the last requests before shutdown recorded goes
  // out now rather than at the next start. Failure is fine: the rows stay.
  if (!failing) (void)PublishBatch();
}

void OutboxRelay::Wait(absl::Duration timeout, bool wake_on_notify) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout),
               [&] { return stopping_ || (wake_on_notify && notified_); });
}

}  // namespace umkm::events
