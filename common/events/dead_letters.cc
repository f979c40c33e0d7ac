// Writing, listing and replaying dead letters.
#include "common/events/dead_letters.h"

#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/string_view.h"
#include "common/status/macros.h"

namespace umkm::events {
namespace {

constexpr absl::string_view kMetaPrefix = "dead.";

DeadLetter ToDeadLetter(StreamEntry entry) {
  DeadLetter letter{.id = std::move(entry.id)};
  for (auto& [field, value] : entry.fields) {
    if (!absl::StartsWith(field, kMetaPrefix)) {
      letter.original_fields.emplace_back(std::move(field), std::move(value));
      continue;
    }
    const std::string key = field.substr(kMetaPrefix.size());
    if (key == "error") letter.info.error = value;
    if (key == "original_id") letter.info.original_id = value;
    if (key == "stream") letter.info.stream = value;
    if (key == "group") letter.info.group = value;
    if (key == "consumer") letter.info.consumer = value;
    if (key == "deliveries") {
      (void)absl::SimpleAtoi(value, &letter.info.deliveries);
    }
    if (key == "time") {
      std::string error;
      (void)absl::ParseTime(absl::RFC3339_full, value, &letter.dead_time,
                            &error);
    }
  }
  if (auto bytes = FindField(letter.original_fields, kEventField)) {
    absl::StatusOr<v1::Event> event = Parse(*bytes);
    if (event.ok()) letter.event = *std::move(event);
  }
  return letter;
}

}  // namespace

absl::Status SendToDeadLetters(redis::RedisClient& redis,
                               std::string_view dead_stream,
                               const Fields& original_fields,
                               const DeadLetterInfo& info, int64_t max_len) {
  std::vector<std::string> argv = {"XADD", std::string(dead_stream), "MAXLEN",
                                   "~",    absl::StrCat(max_len),    "*"};
  for (const auto& [field, value] : original_fields) {
    argv.push_back(field);
    argv.push_back(value);
  }
  const std::pair<absl::string_view, std::string> meta[] = {
      {"error", info.error},
      {"original_id", info.original_id},
      {"stream", info.stream},
      {"group", info.group},
      {"consumer", info.consumer},
      {"deliveries", absl::StrCat(info.deliveries)},
      {"time",
       absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone())},
  };
  for (const auto& [key, value] : meta) {
    argv.push_back(absl::StrCat(kMetaPrefix, key));
    argv.push_back(value);
  }
  UMKM_ASSIGN_OR_RETURN(redis::Reply reply, redis.Command(std::move(argv)));
  return ReplyStatus(reply);
}

absl::StatusOr<std::vector<DeadLetter>> ListDeadLetters(
    redis::RedisClient& redis, int count, std::string_view dead_stream) {
  UMKM_ASSIGN_OR_RETURN(redis::Reply reply,
                        redis.Command({"XRANGE", std::string(dead_stream), "-",
                                       "+", "COUNT", absl::StrCat(count)}));
  UMKM_RETURN_IF_ERROR(ReplyStatus(reply));
  UMKM_ASSIGN_OR_RETURN(std::vector<StreamEntry> entries, ParseEntries(reply));
  std::vector<DeadLetter> letters;
  letters.reserve(entries.size());
  for (StreamEntry& entry : entries) {
    letters.push_back(ToDeadLetter(std::move(entry)));
  }
  return letters;
}

absl::StatusOr<std::string> ReplayDeadLetter(redis::RedisClient& redis,
                                             std::string_view id,
                                             const ReplayOptions& options) {
  UMKM_ASSIGN_OR_RETURN(redis::Reply reply,
                        redis.Command({"XRANGE", options.dead_stream,
                                       std::string(id), std::string(id)}));
  UMKM_RETURN_IF_ERROR(ReplyStatus(reply));
  UMKM_ASSIGN_OR_RETURN(std::vector<StreamEntry> entries, ParseEntries(reply));
  if (entries.empty()) {
    return absl::NotFoundError(absl::StrCat("no dead letter ", ToAbsl(id),
                                            " in ", options.dead_stream));
  }
  DeadLetter letter = ToDeadLetter(std::move(entries.front()));
  const std::optional<std::string_view> bytes =
      FindField(letter.original_fields, kEventField);
  if (!letter.event.has_value() || !bytes.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("dead letter ", ToAbsl(id),
                     " holds no parseable event; nothing to replay (error "
                     "was: ",
                     letter.info.error, ")"));
  }
  UMKM_ASSIGN_OR_RETURN(
      std::vector<redis::Reply> replies,
      redis.Pipeline({{"MULTI"},
                      {"XADD", options.stream, "MAXLEN", "~",
                       absl::StrCat(options.max_len), "*",
                       std::string(kEventField), std::string(*bytes)},
                      {"XDEL", options.dead_stream, std::string(id)},
                      {"EXEC"}}));
  const redis::Reply& exec = replies.back();
  UMKM_RETURN_IF_ERROR(ReplyStatus(exec));
  if (exec.type != redis::Reply::Type::kArray || exec.elements.size() != 2) {
    return absl::InternalError("replay transaction was not executed");
  }
  UMKM_RETURN_IF_ERROR(ReplyStatus(exec.elements[0]));
  return exec.elements[0].str;
}

}  // namespace umkm::events
