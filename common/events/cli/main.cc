// umkm-events: the ops tool for the events topic.
//
//   umkm-events [flags] dead list [N]      oldest N dead letters (default 20)
//   umkm-events [flags] dead replay <id>   put a dead letter's event back
//   umkm-events [flags] stats              stream, group and dead-letter
//                                          counts (+ outbox with --db)
//
// Flags (or UMKM_* variables): --redis, --redis_password_file, --stream,
// --dead_letter_stream, --group, --db. Output is plain text for a
// terminal.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/config/config.h"
#include "common/events/dead_letters.h"
#include "common/events/stats.h"
#include "common/redis/redis_client.h"
#include "common/status/macros.h"
#include "common/store/database.h"

namespace umkm::events {
namespace {

constexpr char kUsage[] =
    "usage: umkm-events [flags] dead list [N] | dead replay <id> | stats\n";

std::string Known(int64_t value) {
  return value < 0 ? "unknown" : absl::StrCat(value);
}

absl::Status ListDead(redis::RedisClient& redis, const std::string& stream,
                      int count) {
  UMKM_ASSIGN_OR_RETURN(std::vector<DeadLetter> letters,
                        ListDeadLetters(redis, count, stream));
  if (letters.empty()) std::printf("no dead letters in %s\n", stream.c_str());
  for (const DeadLetter& letter : letters) {
    std::printf("%s  %s  group=%s consumer=%s deliveries=%lld original=%s\n",
                letter.id.c_str(),
                absl::FormatTime(absl::RFC3339_sec, letter.dead_time,
                                 absl::UTCTimeZone())
                    .c_str(),
                letter.info.group.c_str(), letter.info.consumer.c_str(),
                static_cast<long long>(letter.info.deliveries),
                letter.info.original_id.c_str());
    if (letter.event.has_value()) {
      std::printf("    event %s %s subject=%s source=%s\n",
                  letter.event->id().c_str(), letter.event->type().c_str(),
                  letter.event->subject().c_str(),
                  letter.event->source().c_str());
    } else {
      std::vector<std::string> names;
      for (const auto& [field, value] : letter.original_fields) {
        names.push_back(absl::StrFormat("%s(%d bytes)", field, value.size()));
      }
      std::printf("    unparseable entry: %s\n",
                  absl::StrJoin(names, " ").c_str());
    }
    std::printf("    error: %s\n", letter.info.error.c_str());
  }
  return absl::OkStatus();
}

absl::Status Run(const config::Config& config,
                 const std::vector<std::string>& args) {
  UMKM_ASSIGN_OR_RETURN(std::string url, config.GetString("redis"));
  UMKM_ASSIGN_OR_RETURN(std::string stream, config.GetString("stream"));
  UMKM_ASSIGN_OR_RETURN(std::string dead,
                        config.GetString("dead_letter_stream"));
  UMKM_ASSIGN_OR_RETURN(std::string group, config.GetString("group"));
  UMKM_ASSIGN_OR_RETURN(std::string db_path, config.GetString("db"));
  UMKM_ASSIGN_OR_RETURN(std::string password_file,
                        config.GetString("redis_password_file"));
  redis::RedisOptions options;
  if (!password_file.empty()) {
    UMKM_ASSIGN_OR_RETURN(options.credentials,
                          redis::ReadRedisPasswordFile(password_file));
  }
  UMKM_ASSIGN_OR_RETURN(std::unique_ptr<redis::RedisClient> redis,
                        redis::RedisClient::Create(url, options));

  if (args.size() >= 2 && args[0] == "dead" && args[1] == "list") {
    int count = 20;
    if (args.size() == 3 && !absl::SimpleAtoi(args[2], &count)) {
      return absl::InvalidArgumentError("N must be a number");
    }
    return ListDead(*redis, dead, count);
  }
  if (args.size() == 3 && args[0] == "dead" && args[1] == "replay") {
    UMKM_ASSIGN_OR_RETURN(std::string id, ReplayDeadLetter(*redis, args[2],
                                                           {.dead_stream = dead,
                                                            .stream = stream}));
    std::printf("replayed %s to %s as %s\n", args[2].c_str(), stream.c_str(),
                id.c_str());
    return absl::OkStatus();
  }
  if (args.size() == 1 && args[0] == "stats") {
    std::unique_ptr<store::Database> db;
    if (!db_path.empty()) {
      UMKM_ASSIGN_OR_RETURN(db, store::Database::Open(db_path));
    }
    const Stats stats = ComputeStats(
        db.get(), redis.get(),
        {.stream = stream, .dead_letter_stream = dead, .group = group});
    std::printf("stream %s: %s entries\n", stream.c_str(),
                Known(stats.stream_length).c_str());
    if (!group.empty()) {
      std::printf("group %s: lag %s, pending %s\n", group.c_str(),
                  Known(stats.consumer_lag).c_str(),
                  Known(stats.consumer_pending).c_str());
    }
    std::printf("dead letters %s: %s\n", dead.c_str(),
                Known(stats.dead_letters).c_str());
    if (db != nullptr) {
      std::printf("outbox: %s pending, oldest %s old; processed: %s\n",
                  Known(stats.outbox_pending).c_str(),
                  absl::FormatDuration(stats.outbox_oldest_age).c_str(),
                  Known(stats.processed).c_str());
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(kUsage);
}

}  // namespace
}  // namespace umkm::events

int main(int argc, char** argv) {
  // Flags first (--name=value), then the command words.
  std::vector<const char*> flag_argv = {argv[0]};
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]).rfind("-", 0) == 0 && args.empty()) {
      flag_argv.push_back(argv[i]);
    } else {
      args.push_back(argv[i]);
    }
  }
  const std::vector<umkm::config::FlagSpec> kFlags = {
      {"redis", "redis://127.0.0.1:6379", "Redis address"},
      {"redis_password_file", "",
       "file with \"user password\" or a password (as the services')"},
      {"stream", "umkm:events", "the events stream"},
      {"dead_letter_stream", "umkm:events:dead", "the dead-letter stream"},
      {"group", "", "consumer group for lag and pending (stats)"},
      {"db", "", "a service's SQLite file, for outbox stats (stats)"},
  };
  umkm::config::Config config = umkm::config::Config::ParseOrExit(
      static_cast<int>(flag_argv.size()), flag_argv.data(), kFlags,
      "umkm-events");
  absl::Status status = umkm::events::Run(config, args);
  if (!status.ok()) {
    std::fprintf(stderr, "umkm-events: %s\n", status.ToString().c_str());
    return status.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  return 0;
}
