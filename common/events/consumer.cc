// The consumer loop: read, dedupe-and-apply in one transaction, ack, dead
// letters, reclaim.
#include "common/events/consumer.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/events/dead_letters.h"
#include "common/log/json_log.h"
#include "common/status/macros.h"

namespace umkm::events {
namespace {

std::string Millis(absl::Duration d) {
  return absl::StrCat(absl::ToInt64Milliseconds(d));
}

}  // namespace

std::string DefaultConsumerName() {
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof(host) - 1) == 0 && host[0] != '\0') {
    return host;
  }
  return absl::StrCat("consumer-", getpid());
}

EventConsumer::EventConsumer(store::Database& db, redis::RedisClient& redis,
                             ConsumerOptions options)
    : db_(db), redis_(redis), options_(std::move(options)) {
  if (options_.consumer.empty()) options_.consumer = DefaultConsumerName();
}

EventConsumer::~EventConsumer() { Stop(); }

void EventConsumer::On(v1::Event::PayloadCase payload, Handler handler,
                       PostCommitHook after_commit) {
  handlers_[payload].push_back({std::move(handler), std::move(after_commit)});
}

absl::Status EventConsumer::Start() {
  if (options_.group.empty()) {
    return absl::InvalidArgumentError("consumer options need a group");
  }
  if (options_.batch_size < 1 || options_.max_deliveries < 1) {
    return absl::InvalidArgumentError(
        "batch_size and max_deliveries must be at least 1");
  }
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void EventConsumer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

EventConsumer::Counters EventConsumer::counters() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counters_;
}

bool EventConsumer::stopping() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

void EventConsumer::Count(int64_t Counters::*counter) {
  std::lock_guard<std::mutex> lock(mu_);
  ++(counters_.*counter);
}

void EventConsumer::Wait(absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout),
               [&] { return stopping_; });
}

void EventConsumer::Run() {
  absl::Duration backoff = options_.initial_backoff;
  bool failing = false;
  while (!stopping()) {
    absl::Status status = Step();
    if (status.ok()) {
      if (failing) {
        log::Info("events consumer: reading again",
                  {{"group", options_.group}, {"consumer", options_.consumer}});
      }
      failing = false;
      backoff = options_.initial_backoff;
      continue;
    }
    if (!failing) {
      log::Warning("events consumer: stream unavailable; retrying with backoff",
                   {{"group", options_.group},
                    {"consumer", options_.consumer},
                    {"error", status.ToString()}});
    }
    failing = true;
    Wait(backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

absl::Status EventConsumer::Step() {
  if (!group_ready_) UMKM_RETURN_IF_ERROR(EnsureGroup());
  const absl::Time now = absl::Now();
  if (now >= next_prune_) {
    next_prune_ = now + absl::Hours(1);
    PruneProcessed();
  }
  // Own pending entries first (the restart case), then other consumers'.
  if (!draining_own_ && now >= next_claim_) {
    UMKM_RETURN_IF_ERROR(ClaimIdle());
    next_claim_ = now + options_.claim_interval;
  }
  const std::string count = absl::StrCat(options_.batch_size);
  if (draining_own_) {
    // History of our own pending entries (no BLOCK: it answers at once).
    UMKM_ASSIGN_OR_RETURN(
        redis::Reply reply,
        redis_.Command({"XREADGROUP", "GROUP", options_.group,
                        options_.consumer, "COUNT", count, "STREAMS",
                        options_.stream, own_cursor_}));
    UMKM_RETURN_IF_ERROR(CheckReply(reply));
    UMKM_ASSIGN_OR_RETURN(std::vector<StreamEntry> entries,
                          ParseReadReply(reply));
    if (entries.empty()) {
      draining_own_ = false;
      return absl::OkStatus();
    }
    // Past these whatever happens, so a failing entry is not re-read in a
    // loop; it stays pending and is retried through XAUTOCLAIM.
    own_cursor_ = entries.back().id;
    UMKM_ASSIGN_OR_RETURN(auto counts, DeliveryCounts(entries));
    return HandleAll(entries, &counts);
  }
  UMKM_ASSIGN_OR_RETURN(
      redis::Reply reply,
      redis_.Command({"XREADGROUP", "GROUP", options_.group, options_.consumer,
                      "COUNT", count, "BLOCK", Millis(options_.block),
                      "STREAMS", options_.stream, ">"},
                     options_.block + absl::Seconds(2)));
  UMKM_RETURN_IF_ERROR(CheckReply(reply));
  UMKM_ASSIGN_OR_RETURN(std::vector<StreamEntry> entries,
                        ParseReadReply(reply));
  return HandleAll(entries, nullptr);
}

absl::Status EventConsumer::EnsureGroup() {
  std::vector<std::string> argv = {"XGROUP", "CREATE", options_.stream,
                                   options_.group};
  argv.push_back(options_.new_group_from_start ? "0" : "$");
  argv.push_back("MKSTREAM");
  UMKM_ASSIGN_OR_RETURN(redis::Reply reply, redis_.Command(std::move(argv)));
  if (reply.is_error() && !absl::StartsWith(reply.str, "BUSYGROUP")) {
    return redis::ErrorReplyStatus(reply.str);
  }
  group_ready_ = true;
  draining_own_ = true;
  own_cursor_ = std::string(1, '0');  // not = "0": GCC 12 -Wrestrict bug
  return absl::OkStatus();
}

absl::Status EventConsumer::CheckReply(const redis::Reply& reply) {
  if (reply.is_error() && absl::StartsWith(reply.str, "NOGROUP")) {
    group_ready_ = false;  // Redis lost the stream; create it again
  }
  return ReplyStatus(reply);
}

absl::Status EventConsumer::ClaimIdle() {
  std::string cursor = "0-0";
  // Bounded so a huge backlog of idle entries cannot starve new reads.
  for (int round = 0; round < 8 && !stopping(); ++round) {
    UMKM_ASSIGN_OR_RETURN(
        redis::Reply reply,
        redis_.Command({"XAUTOCLAIM", options_.stream, options_.group,
                        options_.consumer, Millis(options_.claim_idle), cursor,
                        "COUNT", absl::StrCat(options_.batch_size)}));
    UMKM_RETURN_IF_ERROR(CheckReply(reply));
    if (reply.type != redis::Reply::Type::kArray || reply.elements.size() < 2) {
      return absl::InternalError("unexpected XAUTOCLAIM reply");
    }
    cursor = reply.elements[0].str;
    UMKM_ASSIGN_OR_RETURN(std::vector<StreamEntry> entries,
                          ParseEntries(reply.elements[1]));
    if (reply.elements.size() > 2 && !reply.elements[2].elements.empty()) {
      // Redis 7 drops pending entries whose data was trimmed (MAXLEN) and
      // names them here: events this group never handled.
      log::Error(
          "events consumer: pending entries were trimmed from the "
          "stream before being handled; raise the stream max_len",
          {{"group", options_.group},
           {"count", static_cast<int64_t>(reply.elements[2].elements.size())}});
    }
    if (!entries.empty()) {
      UMKM_ASSIGN_OR_RETURN(auto counts, DeliveryCounts(entries));
      UMKM_RETURN_IF_ERROR(HandleAll(entries, &counts));
    }
    if (cursor == "0-0") break;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, int64_t>> EventConsumer::DeliveryCounts(
    const std::vector<StreamEntry>& entries) {
  UMKM_ASSIGN_OR_RETURN(
      redis::Reply reply,
      redis_.Command({"XPENDING", options_.stream, options_.group,
                      entries.front().id, entries.back().id,
                      absl::StrCat(entries.size()), options_.consumer}));
  UMKM_RETURN_IF_ERROR(CheckReply(reply));
  std::map<std::string, int64_t> counts;
  for (const redis::Reply& row : reply.elements) {
    if (row.elements.size() == 4) {
      counts[row.elements[0].str] = row.elements[3].integer;
    }
  }
  return counts;
}

absl::Status EventConsumer::HandleAll(
    const std::vector<StreamEntry>& entries,
    const std::map<std::string, int64_t>* counts) {
  // Stop: finish the batch in hand (one short transaction), start no other;
  // entries not started stay pending, unacknowledged.
  if (entries.empty() || stopping()) return absl::OkStatus();
  std::vector<std::string> acks;
  std::vector<Item> items;
  for (const StreamEntry& entry : entries) {
    int64_t deliveries = 1;
    if (counts != nullptr) {
      auto it = counts->find(entry.id);
      if (it != counts->end()) deliveries = it->second;
    }
    if (entry.deleted) {
      log::Error(
          "events consumer: a pending entry was trimmed from the "
          "stream before being handled; raise the stream max_len",
          {{"group", options_.group}, {"entry", entry.id}});
      acks.push_back(entry.id);
      continue;
    }
    const std::optional<std::string_view> bytes =
        FindField(entry.fields, kEventField);
    absl::StatusOr<v1::Event> event =
        bytes.has_value()
            ? Parse(*bytes)
            : absl::InvalidArgumentError("stream entry has no \"event\" field");
    if (!event.ok()) {
      // Parsing again will not help: dead letter at once.
      UMKM_RETURN_IF_ERROR(DeadLetter(entry, deliveries, event.status()));
      acks.push_back(entry.id);
      continue;
    }
    auto registration = handlers_.find(event->payload_case());
    if (registration == handlers_.end()) {
      Count(&Counters::unhandled);
      acks.push_back(entry.id);
      continue;
    }
    items.push_back({.entry = &entry,
                     .deliveries = deliveries,
                     .event = *std::move(event),
                     .registrations = &registration->second});
  }
  if (!items.empty()) ApplyInOneTransaction(items);
  bool committed = false;  // some handler's effect (or dedupe) is in
  for (Item& item : items) {
    if (item.status.ok()) {
      committed = true;
      Count(item.duplicate ? &Counters::duplicates : &Counters::applied);
      for (const Registration& registration : *item.registrations) {
        if (registration.after_commit) registration.after_commit(item.event);
      }
      acks.push_back(item.entry->id);
      continue;
    }
    Count(&Counters::failed);
    if (item.deliveries >= options_.max_deliveries) {
      UMKM_RETURN_IF_ERROR(
          DeadLetter(*item.entry, item.deliveries, item.status));
      acks.push_back(item.entry->id);
      continue;
    }
    // Stays pending; XAUTOCLAIM retries it after claim_idle.
    log::Warning("events consumer: handler failed; will retry",
                 {{"group", options_.group},
                  {"event_id", item.event.id()},
                  {"type", item.event.type()},
                  {"deliveries", item.deliveries},
                  {"error", item.status.ToString()}});
  }
  if (options_.testing_exit_after_commit != 0 && committed) {
    log::Error("fault injection: exiting after commit, before XACK",
               {{"group", options_.group}});
    log::Flush();
    std::_Exit(options_.testing_exit_after_commit);
  }
  return Ack(acks);
}

void EventConsumer::ApplyInOneTransaction(std::vector<Item>& items) {
  // One commit (one fsync) for the batch; each event in its own savepoint so
  // a failing handler rolls back only its own effect and dedupe record.
  absl::Status committed = db_.Write([&](store::Connection& conn) {
    for (Item& item : items) {
      UMKM_RETURN_IF_ERROR(conn.Execute("SAVEPOINT umkm_event"));
      item.status = conn.Execute(
          "INSERT INTO events_processed(event_id, type, processed_time) "
          "VALUES (?, ?, ?) ON CONFLICT(event_id) DO NOTHING",
          item.event.id(), item.event.type(),
          absl::ToUnixMicros(options_.clock->Now()));
      if (item.status.ok()) {
        item.duplicate = conn.changes() == 0;
        // All the payload's handlers or none: the first failure rolls
        // back the savepoint with whatever the others did.
        for (size_t i = 0; !item.duplicate && item.status.ok() &&
                           i < item.registrations->size();
             ++i) {
          item.status = (*item.registrations)[i].handler(conn, item.event);
        }
      }
      if (!item.status.ok()) {
        UMKM_RETURN_IF_ERROR(conn.Execute("ROLLBACK TO umkm_event"));
      }
      UMKM_RETURN_IF_ERROR(conn.Execute("RELEASE umkm_event"));
    }
    return absl::OkStatus();
  });
  if (!committed.ok()) {
    // Nothing of the batch is there: every item failed.
    for (Item& item : items) item.status = committed;
  }
}

absl::Status EventConsumer::DeadLetter(const StreamEntry& entry,
                                       int64_t deliveries,
                                       const absl::Status& error) {
  log::Error("events consumer: entry sent to dead letters",
             {{"group", options_.group},
              {"entry", entry.id},
              {"deliveries", deliveries},
              {"error", error.ToString()}});
  UMKM_RETURN_IF_ERROR(SendToDeadLetters(redis_, options_.dead_letter_stream,
                                         entry.fields,
                                         {.error = error.ToString(),
                                          .original_id = entry.id,
                                          .stream = options_.stream,
                                          .group = options_.group,
                                          .consumer = options_.consumer,
                                          .deliveries = deliveries}));
  Count(&Counters::dead_lettered);
  return absl::OkStatus();
}

absl::Status EventConsumer::Ack(const std::vector<std::string>& ids) {
  if (ids.empty()) return absl::OkStatus();
  std::vector<std::string> argv = {"XACK", options_.stream, options_.group};
  argv.insert(argv.end(), ids.begin(), ids.end());
  UMKM_ASSIGN_OR_RETURN(redis::Reply reply, redis_.Command(std::move(argv)));
  return CheckReply(reply);
}

void EventConsumer::PruneProcessed() {
  absl::Status status = db_.Write([&](store::Connection& conn) {
    return conn.Execute("DELETE FROM events_processed WHERE processed_time < ?",
                        absl::ToUnixMicros(options_.clock->Now() -
                                           options_.processed_retention));
  });
  if (!status.ok()) {
    log::Warning("events consumer: pruning events_processed failed",
                 {{"error", status.ToString()}});
  }
}

}  // namespace umkm::events
