// Stream entries as Redis returns them (XRANGE, XREADGROUP, XAUTOCLAIM), and
// the reply shapes the events library reads. Internal to common/events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"

namespace umkm::events {

using Fields = std::vector<std::pair<std::string, std::string>>;

// One entry: its id and field/value pairs. `deleted` marks a pending entry
// whose data was trimmed from the stream (XREADGROUP history returns it with
// nil fields).
struct StreamEntry {
  std::string id;
  Fields fields;
  bool deleted = false;
};

// The value of `name` in `fields`, nullopt when absent.
std::optional<std::string_view> FindField(const Fields& fields,
                                          std::string_view name);

// An array of [id, [field, value, ...]] entries (XRANGE, and the inner
// arrays of XREADGROUP and XAUTOCLAIM). INTERNAL on any other shape.
absl::StatusOr<std::vector<StreamEntry>> ParseEntries(
    const redis::Reply& reply);

// XREADGROUP/XREAD for a single stream: nil (timeout) or
// [[stream, entries]].
absl::StatusOr<std::vector<StreamEntry>> ParseReadReply(
    const redis::Reply& reply);

// A flat [key, value, key, value, ...] array (XINFO GROUPS elements) as
// pairs; non-string values are rendered as text (integers) or "" (nil).
Fields ParseFlatMap(const redis::Reply& reply);

// A Redis error reply as a status (see redis::ErrorReplyStatus); OK for any
// other reply. For Command() results, whose error replies are not statuses.
absl::Status ReplyStatus(const redis::Reply& reply);

}  // namespace umkm::events
