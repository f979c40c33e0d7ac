// The dead-letter stream: entries a consumer gave up on, for ops to look at
// and replay.
//
// A dead letter keeps the original entry's fields verbatim (normally the one
// `event` field) plus metadata fields prefixed "dead.": dead.error,
// dead.original_id, dead.stream, dead.group, dead.consumer, dead.deliveries,
// dead.time (RFC 3339). Replaying re-adds the original `event` to the main
// stream (same envelope id, so groups that already applied it skip it) and
// deletes the dead letter, atomically (MULTI/EXEC).
//
// All functions are thread-safe (RedisClient is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/events/envelope.h"
#include "common/events/stream_entry.h"
#include "common/redis/redis_client.h"

namespace umkm::events {

// Why and where an entry died.
struct DeadLetterInfo {
  std::string error;
  std::string original_id;  // entry id in the source stream
  std::string stream;       // the source stream
  std::string group;
  std::string consumer;
  int64_t deliveries = 0;
};

// One dead letter as listed.
struct DeadLetter {
  std::string id;  // entry id in the dead-letter stream
  DeadLetterInfo info;
  absl::Time dead_time = absl::InfinitePast();
  Fields original_fields;
  // The envelope, when the `event` field is present and parses.
  std::optional<v1::Event> event;
};

// XADDs a dead letter for an entry with `original_fields` (MAXLEN ~
// `max_len`). Redis errors as statuses.
absl::Status SendToDeadLetters(redis::RedisClient& redis,
                               std::string_view dead_stream,
                               const Fields& original_fields,
                               const DeadLetterInfo& info,
                               int64_t max_len = 100'000);

// The oldest `count` dead letters (XRANGE - + COUNT), oldest first.
absl::StatusOr<std::vector<DeadLetter>> ListDeadLetters(
    redis::RedisClient& redis, int count,
    std::string_view dead_stream = kDefaultDeadLetterStream);

struct ReplayOptions {
  std::string dead_stream = std::string(kDefaultDeadLetterStream);
  std::string stream = std::string(kDefaultStream);
  int64_t max_len = 1'000'000;
};

// Re-adds dead letter `id`'s event to the main stream and deletes the dead
// letter, in one MULTI/EXEC. Returns the new entry id in the main stream.
//   NOT_FOUND            no dead letter `id`.
//   FAILED_PRECONDITION  it has no parseable `event` (a malformed entry:
//                        nothing to replay; look at it and delete it).
absl::StatusOr<std::string> ReplayDeadLetter(redis::RedisClient& redis,
                                             std::string_view id,
                                             const ReplayOptions& options = {});

}  // namespace umkm::events
