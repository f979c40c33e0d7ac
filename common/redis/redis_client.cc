// Redis client over hiredis: address parsing, connection pool with backoff,
// reply conversion; see redis_client.h.
#include "common/redis/redis_client.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/string_view.h"
#include "common/status/macros.h"

namespace umkm::redis {
namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

bool ParsePort(std::string_view text, int* port) {
  return AllDigits(text) && absl::SimpleAtoi(ToAbsl(text), port) && *port > 0 &&
         *port <= 65535;
}

Reply ConvertReply(const redisReply& raw) {
  Reply reply;
  switch (raw.type) {
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::kString;
      reply.str.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::kStatus;
      reply.str.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_ERROR:
      reply.type = Reply::Type::kError;
      reply.str.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::kInteger;
      reply.integer = raw.integer;
      break;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::kArray;
      reply.elements.reserve(raw.elements);
      for (size_t i = 0; i < raw.elements; ++i) {
        reply.elements.push_back(ConvertReply(*raw.element[i]));
      }
      break;
    default:  // REDIS_REPLY_NIL
      reply.type = Reply::Type::kNil;
      break;
  }
  return reply;
}

absl::Status DeadlinePassed(std::string_view what) {
  return absl::DeadlineExceededError(
      absl::StrCat("redis: deadline passed ", ToAbsl(what)));
}

absl::Status UnexpectedReply(std::string_view command, const Reply& reply) {
  if (reply.is_error()) return ErrorReplyStatus(reply.str);
  return absl::InternalError(absl::StrCat("redis ", ToAbsl(command),
                                          ": unexpected reply type ",
                                          static_cast<int>(reply.type)));
}

}  // namespace

std::string RedisAddress::ToString() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return absl::StrCat(ipv6 ? "[" : "", host, ipv6 ? "]" : "", ":", port, "/",
                      db);
}

absl::StatusOr<RedisAddress> ParseRedisAddress(std::string_view address) {
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "redis address \"", ToAbsl(address), "\": ", ToAbsl(why),
        "; expected redis://[[user]:password@]host[:port][/db] or host:port"));
  };
  RedisAddress result;
  std::string_view rest = address;
  const bool url = rest.starts_with("redis://");
  if (url) {
    rest.remove_prefix(8);
  } else if (rest.find("://") != std::string_view::npos) {
    return invalid("only the redis:// scheme is supported");
  }
  if (url) {
    const size_t at = rest.rfind('@');
    if (at != std::string_view::npos) {
      const std::string_view credentials = rest.substr(0, at);
      rest.remove_prefix(at + 1);
      const size_t colon = credentials.find(':');
      if (colon == std::string_view::npos) {
        result.password = std::string(credentials);
      } else {
        result.user = std::string(credentials.substr(0, colon));
        result.password = std::string(credentials.substr(colon + 1));
      }
    }
    const size_t slash = rest.find('/');
    if (slash != std::string_view::npos) {
      const std::string_view db = rest.substr(slash + 1);
      rest = rest.substr(0, slash);
      if (!db.empty()) {
        if (!AllDigits(db) || !absl::SimpleAtoi(ToAbsl(db), &result.db)) {
          return invalid("database must be a number");
        }
      }
    }
  }
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with("[")) {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return invalid("unclosed '['");
    host = rest.substr(1, close - 1);
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(":")) return invalid("junk after ']'");
      port = after.substr(1);
      if (port.empty()) return invalid("empty port");
    }
  } else {
    const size_t colon = rest.rfind(':');
    if (colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (port.empty()) return invalid("empty port");
    }
  }
  if (host.empty()) return invalid("missing host");
  if (host.find_first_of("/@ ") != std::string_view::npos) {
    return invalid("bad host");
  }
  result.host = std::string(host);
  if (!port.empty() && !ParsePort(port, &result.port)) {
    return invalid("port must be 1..65535");
  }
  return result;
}

absl::Status ErrorReplyStatus(std::string_view message) {
  const std::string_view word = message.substr(0, message.find(' '));
  const std::string text = absl::StrCat("redis: ", ToAbsl(message));
  if (word == "LOADING" || word == "BUSY" || word == "MASTERDOWN" ||
      word == "TRYAGAIN" || word == "CLUSTERDOWN") {
    return absl::UnavailableError(text);
  }
  if (word == "OOM") return absl::ResourceExhaustedError(text);
  if (word == "WRONGTYPE") return absl::FailedPreconditionError(text);
  if (word == "NOSCRIPT" || word == "NOGROUP") {
    return absl::NotFoundError(text);
  }
  if (word == "NOAUTH" || word == "WRONGPASS") {
    return absl::UnauthenticatedError(text);
  }
  if (word == "NOPERM") return absl::PermissionDeniedError(text);
  return absl::InternalError(text);
}

// One pooled connection lent to a single call; returns it on destruction.
class RedisClient::Lease {
 public:
  Lease(RedisClient* client, redisContext* context)
      : client_(client), context_(context) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() { client_->Release(context_, fate_); }

  redisContext* get() const { return context_; }
  // The connection failed and must not be reused; the server looks gone, so
  // the idle connections go too.
  void MarkBroken() { fate_ = Fate::kDropAll; }
  // The connection must not be reused (its state is unknown), but nothing
  // suggests the others are stale.
  void Drop() {
    if (fate_ == Fate::kKeep) fate_ = Fate::kDrop;
  }

 private:
  RedisClient* client_;
  redisContext* context_;
  Fate fate_ = Fate::kKeep;
};

RedisClient::RedisClient(RedisAddress address, RedisOptions options)
    : address_(std::move(address)), options_(std::move(options)) {}

RedisClient::~RedisClient() {
  std::lock_guard<std::mutex> lock(mu_);
  for (redisContext* context : idle_) redisFree(context);
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Create(
    std::string_view address, RedisOptions options) {
  UMKM_ASSIGN_OR_RETURN(RedisAddress parsed, ParseRedisAddress(address));
  if (options.credentials.has_value()) {
    if (!parsed.user.empty() || !parsed.password.empty()) {
      return absl::InvalidArgumentError(
          "redis: credentials both in the address and in a password file; "
          "keep them in the file");
    }
    parsed.user = options.credentials->user;
    parsed.password = options.credentials->password;
  }
  if (options.pool_size < 1 ||
      options.connect_timeout <= absl::ZeroDuration() ||
      options.command_timeout <= absl::ZeroDuration() ||
      options.initial_backoff <= absl::ZeroDuration() ||
      options.max_backoff < options.initial_backoff) {
    return absl::InvalidArgumentError(
        "redis options: pool_size must be at least 1, timeouts and backoffs "
        "positive, max_backoff >= initial_backoff");
  }
  return std::unique_ptr<RedisClient>(
      new RedisClient(std::move(parsed), std::move(options)));
}

absl::Time RedisClient::Now() const {
  return options_.clock ? options_.clock() : absl::Now();
}

absl::Status RedisClient::ConnectionError(const redisContext* context,
                                          std::string_view what) const {
  return absl::UnavailableError(
      absl::StrCat("redis ", address_.ToString(), " ", ToAbsl(what), ": ",
                   context != nullptr ? context->errstr : "no context"));
}

absl::StatusOr<redisContext*> RedisClient::Connect() {
  redisContext* context =
      redisConnectWithTimeout(address_.host.c_str(), address_.port,
                              absl::ToTimeval(options_.connect_timeout));
  if (context == nullptr) {
    return absl::UnavailableError("redis: cannot allocate a connection");
  }
  if (context->err != 0) {
    absl::Status status = ConnectionError(context, "connect");
    redisFree(context);
    return status;
  }
  if (redisSetTimeout(context, absl::ToTimeval(options_.command_timeout)) !=
      REDIS_OK) {
    absl::Status status = ConnectionError(context, "set timeout");
    redisFree(context);
    return status;
  }
  // AUTH and SELECT on the new connection before anyone else sees it.
  std::vector<std::vector<std::string>> setup;
  if (!address_.password.empty()) {
    setup.push_back(address_.user.empty()
                        ? std::vector<std::string>{"AUTH", address_.password}
                        : std::vector<std::string>{"AUTH", address_.user,
                                                   address_.password});
  }
  if (address_.db != 0) {
    setup.push_back({"SELECT", std::to_string(address_.db)});
  }
  for (const auto& argv : setup) {
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    for (const std::string& arg : argv) {
      args.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    auto* raw = static_cast<redisReply*>(redisCommandArgv(
        context, static_cast<int>(args.size()), args.data(), lengths.data()));
    if (raw == nullptr) {
      absl::Status status = ConnectionError(context, argv[0]);
      redisFree(context);
      return status;
    }
    const bool ok = raw->type == REDIS_REPLY_STATUS;
    const std::string error = raw->type == REDIS_REPLY_ERROR
                                  ? std::string(raw->str, raw->len)
                                  : "unexpected reply";
    freeReplyObject(raw);
    if (!ok) {
      redisFree(context);
      // Redis's reply names no secret ("WRONGPASS invalid username-password
      // pair ..."), and neither does this message.
      if (argv[0] == "AUTH") {
        return absl::UnauthenticatedError(absl::StrCat(
            "redis ", address_.ToString(), " refused AUTH as ",
            address_.user.empty() ? "the default user"
                                  : absl::StrCat("user ", address_.user),
            ": ", error));
      }
      // A wrong database: Redis is unusable with this configuration, so
      // callers see it as unavailable.
      return absl::UnavailableError(absl::StrCat(
          "redis ", address_.ToString(), " ", argv[0], " failed: ", error));
    }
  }
  return context;
}

absl::StatusOr<redisContext*> RedisClient::Acquire(absl::Time deadline) {
  {
    const absl::Duration remaining = deadline - absl::Now();
    if (remaining <= absl::ZeroDuration()) {
      return DeadlinePassed("before the call");
    }
    const bool by_deadline = remaining < options_.command_timeout;
    const absl::Duration wait =
        by_deadline ? remaining : options_.command_timeout;
    std::unique_lock<std::mutex> lock(mu_);
    if (!released_.wait_for(lock, absl::ToChronoNanoseconds(wait),
                            [this] { return in_use_ < options_.pool_size; })) {
      if (by_deadline) {
        return DeadlinePassed(absl::StrCat("waiting for one of ",
                                           options_.pool_size,
                                           " connections, all busy"));
      }
      return absl::UnavailableError(absl::StrCat("redis ", address_.ToString(),
                                                 ": all ", options_.pool_size,
                                                 " connections busy"));
    }
    if (!idle_.empty()) {
      redisContext* context = idle_.back();
      idle_.pop_back();
      ++in_use_;
      return context;
    }
    const absl::Time now = Now();
    if (now < next_connect_) {
      // The last connect's failure, so a refused AUTH still reads as one.
      return absl::Status(
          last_connect_error_.code(),
          absl::StrCat(last_connect_error_.message(), "; next connect in ",
                       absl::FormatDuration(next_connect_ - now)));
    }
    ++in_use_;
  }
  absl::StatusOr<redisContext*> context = Connect();
  std::unique_lock<std::mutex> lock(mu_);
  if (!context.ok()) {
    --in_use_;
    released_.notify_one();
    backoff_ = backoff_ == absl::ZeroDuration()
                   ? options_.initial_backoff
                   : std::min(backoff_ * 2, options_.max_backoff);
    next_connect_ = Now() + backoff_;
    last_connect_error_ = context.status();
    return absl::Status(
        context.status().code(),
        absl::StrCat(context.status().message(), "; next connect in ",
                     absl::FormatDuration(backoff_)));
  }
  backoff_ = absl::ZeroDuration();
  next_connect_ = absl::InfinitePast();
  return context;
}

void RedisClient::Release(redisContext* context, Fate fate) {
  std::vector<redisContext*> doomed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    --in_use_;
    switch (fate) {
      case Fate::kKeep:
        idle_.push_back(context);
        break;
      case Fate::kDropAll:
        // A failed connection usually means the server went away: the idle
        // connections are stale too, and dropping them now spares the next
        // callers one failure each.
        doomed.swap(idle_);
        doomed.push_back(context);
        break;
      case Fate::kDrop:
        doomed.push_back(context);
        break;
    }
  }
  released_.notify_one();
  for (redisContext* stale : doomed) redisFree(stale);
}

absl::StatusOr<RedisClient::Timeout> RedisClient::CallTimeout(
    Lease& lease, absl::Duration configured, absl::Time deadline) {
  // Measured after Acquire: time spent waiting for the connection (or
  // connecting) is no longer available.
  const absl::Duration remaining = deadline - absl::Now();
  if (remaining <= absl::ZeroDuration()) {
    return DeadlinePassed("before the command was sent");
  }
  Timeout timeout{configured, false};
  if (remaining < configured) timeout = {remaining, true};
  if (timeout.duration != options_.command_timeout) {
    // At least a millisecond: a zero timeval would mean no timeout at all.
    const timeval tv =
        absl::ToTimeval(std::max(timeout.duration, absl::Milliseconds(1)));
    if (redisSetTimeout(lease.get(), tv) != REDIS_OK) {
      lease.MarkBroken();
      return ConnectionError(lease.get(), "set timeout");
    }
  }
  return timeout;
}

void RedisClient::RestoreTimeout(Lease& lease, const Timeout& timeout) {
  if (timeout.duration == options_.command_timeout) return;
  if (redisSetTimeout(lease.get(), absl::ToTimeval(options_.command_timeout)) !=
      REDIS_OK) {
    lease.Drop();  // the reply is good; only the connection is not
  }
}

absl::Status RedisClient::CallError(Lease& lease, const Timeout& timeout,
                                    int error_number, std::string_view what) {
  // hiredis 0.14 reports a socket timeout as REDIS_ERR_IO with errno EAGAIN
  // (SO_RCVTIMEO / SO_SNDTIMEO ran out); EOF and resets look different.
  const bool timed_out =
      lease.get()->err == REDIS_ERR_IO &&
      (error_number == EAGAIN || error_number == EWOULDBLOCK);
  if (timed_out && timeout.by_deadline) {
    // Redis may still send the reply, so this connection cannot be reused;
    // the server is merely slower than this caller could wait.
    lease.Drop();
    return DeadlinePassed(absl::StrCat(
        "waiting ", absl::FormatDuration(timeout.duration), " for ",
        address_.ToString(), " to answer ", ToAbsl(what)));
  }
  // I/O error, EOF, or command_timeout: the connection's state is unknown.
  lease.MarkBroken();
  return ConnectionError(lease.get(), what);
}

absl::StatusOr<Reply> RedisClient::Execute(
    absl::Span<const std::string_view> argv,
    std::optional<absl::Duration> timeout, absl::Time deadline) {
  if (argv.empty()) return absl::InvalidArgumentError("redis: empty command");
  UMKM_ASSIGN_OR_RETURN(redisContext * context, Acquire(deadline));
  Lease lease(this, context);
  UMKM_ASSIGN_OR_RETURN(
      const Timeout call,
      CallTimeout(lease, timeout.value_or(options_.command_timeout), deadline));
  std::vector<const char*> args;
  std::vector<size_t> lengths;
  args.reserve(argv.size());
  lengths.reserve(argv.size());
  for (std::string_view arg : argv) {
    args.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* raw = static_cast<redisReply*>(redisCommandArgv(
      context, static_cast<int>(args.size()), args.data(), lengths.data()));
  if (raw == nullptr) {
    const int error_number = errno;  // before anything can change it
    return CallError(lease, call, error_number, argv[0]);
  }
  Reply reply = ConvertReply(*raw);
  freeReplyObject(raw);
  RestoreTimeout(lease, call);
  return reply;
}

absl::StatusOr<Reply> RedisClient::Command(
    std::vector<std::string> argv, std::optional<absl::Duration> timeout,
    absl::Time deadline) {
  std::vector<std::string_view> views(argv.begin(), argv.end());
  return Execute(views, timeout, deadline);
}

absl::StatusOr<std::optional<std::string>> RedisClient::Get(
    std::string_view key, absl::Time deadline) {
  const std::string_view argv[] = {"GET", key};
  UMKM_ASSIGN_OR_RETURN(Reply reply, Execute(argv, std::nullopt, deadline));
  if (reply.is_nil()) return std::nullopt;
  if (reply.type != Reply::Type::kString) return UnexpectedReply("GET", reply);
  return std::move(reply.str);
}

absl::StatusOr<std::vector<std::optional<std::string>>> RedisClient::MGet(
    absl::Span<const std::string> keys, absl::Time deadline) {
  std::vector<std::optional<std::string>> values;
  if (keys.empty()) return values;
  std::vector<std::string_view> argv = {"MGET"};
  argv.insert(argv.end(), keys.begin(), keys.end());
  UMKM_ASSIGN_OR_RETURN(Reply reply, Execute(argv, std::nullopt, deadline));
  if (reply.type != Reply::Type::kArray ||
      reply.elements.size() != keys.size()) {
    return UnexpectedReply("MGET", reply);
  }
  values.reserve(keys.size());
  for (Reply& element : reply.elements) {
    if (element.type == Reply::Type::kString) {
      values.emplace_back(std::move(element.str));
    } else {
      values.emplace_back(std::nullopt);
    }
  }
  return values;
}

absl::Status RedisClient::Set(std::string_view key, std::string_view value,
                              absl::Duration ttl, absl::Time deadline) {
  std::string millis;
  std::vector<std::string_view> argv = {"SET", key, value};
  if (ttl > absl::ZeroDuration() && ttl != absl::InfiniteDuration()) {
    millis = std::to_string(std::max<int64_t>(
        1, absl::ToInt64Milliseconds(absl::Ceil(ttl, absl::Milliseconds(1)))));
    argv.push_back("PX");
    argv.push_back(millis);
  }
  UMKM_ASSIGN_OR_RETURN(Reply reply, Execute(argv, std::nullopt, deadline));
  if (reply.type != Reply::Type::kStatus) return UnexpectedReply("SET", reply);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> RedisClient::Del(absl::Span<const std::string> keys,
                                         absl::Time deadline) {
  if (keys.empty()) return 0;
  std::vector<std::string_view> argv = {"DEL"};
  argv.insert(argv.end(), keys.begin(), keys.end());
  UMKM_ASSIGN_OR_RETURN(Reply reply, Execute(argv, std::nullopt, deadline));
  if (reply.type != Reply::Type::kInteger) return UnexpectedReply("DEL", reply);
  return reply.integer;
}

absl::StatusOr<std::vector<Reply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands,
    absl::Time deadline) {
  std::vector<Reply> replies;
  if (commands.empty()) return replies;
  UMKM_ASSIGN_OR_RETURN(redisContext * context, Acquire(deadline));
  Lease lease(this, context);
  UMKM_ASSIGN_OR_RETURN(const Timeout call,
                        CallTimeout(lease, options_.command_timeout, deadline));
  for (const auto& argv : commands) {
    if (argv.empty()) {
      lease.MarkBroken();  // earlier commands are buffered but unsent
      return absl::InvalidArgumentError("redis: empty command in pipeline");
    }
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    for (const std::string& arg : argv) {
      args.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context, static_cast<int>(args.size()),
                               args.data(), lengths.data()) != REDIS_OK) {
      lease.MarkBroken();
      return ConnectionError(context, "pipeline append");
    }
  }
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context, &raw) != REDIS_OK || raw == nullptr) {
      const int error_number = errno;
      return CallError(lease, call, error_number, "pipeline");
    }
    replies.push_back(ConvertReply(*static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  RestoreTimeout(lease, call);
  return replies;
}

}  // namespace umkm::redis
