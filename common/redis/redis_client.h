// A small, thread-safe Redis client over hiredis 0.14 for the cache and the
// events stream.
//
// The client keeps a pool of blocking connections (connect and command
// timeouts set on each). Every hiredis call is checked where it is made and
// turned into an absl::Status:
//   connection refused / reset / EOF / timeout -> UNAVAILABLE; the connection
//       is dropped (with every idle one, as they are likely stale too) and a
//       new one is made on next use;
//   AUTH refused on a new connection (wrong user or password) ->
//       UNAUTHENTICATED, backed off like a failed connect;
//   timeout the caller's deadline caused -> DEADLINE_EXCEEDED; only that
//       connection is dropped (see Deadlines);
//   Redis error reply in a typed helper (Get, Set, ...) -> see
//       ErrorReplyStatus();
//   Redis error reply through Command() -> returned as a Reply of kError,
//       since callers such as XGROUP CREATE expect some errors (BUSYGROUP).
// Fail fast: after a failed connect no new connect is tried until a backoff
// has passed (doubling from initial_backoff up to max_backoff, reset by a
// successful connect); calls meanwhile return UNAVAILABLE at once, so request
// paths with Redis down cost microseconds, not a connect timeout each.
//
// Deadlines: every call takes the caller's deadline as its last parameter
// (real time, as in RequestContext; absl::InfiniteFuture(), the default, for
// none). A call whose deadline already passed is DEADLINE_EXCEEDED with
// nothing sent. Otherwise the wait for a free pooled connection and the
// call's socket timeout (which bounds each read and write on the socket, as
// command_timeout does) are the configured timeout cut to what remains of
// the deadline; when it was the deadline that ran out, the call is
// DEADLINE_EXCEEDED rather than UNAVAILABLE. A connection whose read timed
// out is dropped, never reused: Redis may still send the late reply, which
// the next caller would then read as its own. After a deadline timeout only
// that connection goes (the server is not suspect: it was just slower than
// this caller could wait). Opening a new connection for a call (connect
// under connect_timeout, then AUTH and SELECT) is not cut short by the
// deadline, since a connect cut short would start the backoff against a
// healthy server; the deadline is checked again before the command is sent.
//
// Nothing connects in Create(): a service starts and serves from its store
// while Redis is down.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/redis/password_file.h"

struct redisContext;

namespace umkm::redis {

// Where to connect. Parsed from "redis://[[user]:password@]host[:port][/db]"
// or "host[:port]"; the port defaults to 6379, the database to 0. IPv6 hosts
// go in brackets: "redis://[::1]:6379".
struct RedisAddress {
  std::string host;
  int port = 6379;
  int db = 0;
  std::string user;      // empty: AUTH with password only
  std::string password;  // empty: no AUTH

  // "host:port/db" without credentials, for messages and logs.
  std::string ToString() const;
};

// INVALID_ARGUMENT naming the problem for a malformed address.
absl::StatusOr<RedisAddress> ParseRedisAddress(std::string_view address);

// One RESP2 reply. `str` holds the bytes of a kString, kStatus or kError
// reply; `integer` a kInteger; `elements` a kArray.
struct Reply {
  enum class Type { kNil, kInteger, kString, kStatus, kArray, kError };

  Type type = Type::kNil;
  int64_t integer = 0;
  std::string str;
  std::vector<Reply> elements;

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
};

// Maps a Redis error reply ("WRONGTYPE ...", "LOADING ...") to a status:
// LOADING, BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN -> UNAVAILABLE;
// OOM -> RESOURCE_EXHAUSTED; WRONGTYPE -> FAILED_PRECONDITION; NOSCRIPT,
// NOGROUP -> NOT_FOUND; NOAUTH, WRONGPASS -> UNAUTHENTICATED; NOPERM (the
// ACL user may not run the command or touch the key) -> PERMISSION_DENIED;
// anything else -> INTERNAL.
absl::Status ErrorReplyStatus(std::string_view message);

struct RedisOptions {
  absl::Duration connect_timeout = absl::Milliseconds(250);
  // Per-command socket timeout; Command() can override it per call (for
  // blocking reads such as XREADGROUP BLOCK). A call's deadline can cut it
  // shorter.
  absl::Duration command_timeout = absl::Milliseconds(500);
  // Connections kept open; also the most commands in flight at once. A call
  // waits up to command_timeout for a free connection, then UNAVAILABLE; or
  // until its deadline if that comes first, then DEADLINE_EXCEEDED.
  int pool_size = 4;
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // Clock for the backoff; tests inject a fake one. Null means absl::Now.
  std::function<absl::Time()> clock;
  // Sent with AUTH on every new connection (password_file.h). Set here or in
  // the address, not both.
  std::optional<RedisCredentials> credentials;
};

// Thread-safe: any number of threads may call any method concurrently.
class RedisClient {
 public:
  // Validates `address` (see ParseRedisAddress) and options; connects lazily.
  // INVALID_ARGUMENT for credentials both in `address` and in options.
  static absl::StatusOr<std::unique_ptr<RedisClient>> Create(
      std::string_view address, RedisOptions options = {});

  // Closes all connections. No call may be in flight.
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Every call below: DEADLINE_EXCEEDED when `deadline` passed before the
  // command was sent or ended a wait (see Deadlines above), UNAVAILABLE for
  // transport failures and configured timeouts.

  // The value at `key`, std::nullopt when absent. Binary-safe.
  absl::StatusOr<std::optional<std::string>> Get(
      std::string_view key, absl::Time deadline = absl::InfiniteFuture());
  // Values for `keys` in order, std::nullopt for absent ones (or non-strings).
  // No keys: empty, no round trip.
  absl::StatusOr<std::vector<std::optional<std::string>>> MGet(
      absl::Span<const std::string> keys,
      absl::Time deadline = absl::InfiniteFuture());
  // SET key value, with PX `ttl` when ttl is positive and finite (a TTL below
  // one millisecond is rounded up to one); no expiry otherwise.
  absl::Status Set(std::string_view key, std::string_view value,
                   absl::Duration ttl,
                   absl::Time deadline = absl::InfiniteFuture());
  // Deletes `keys`; returns how many existed. No keys: 0, no round trip.
  absl::StatusOr<int64_t> Del(absl::Span<const std::string> keys,
                              absl::Time deadline = absl::InfiniteFuture());

  // Runs any command given as arguments (binary-safe, via redisCommandArgv).
  // A Redis error reply is returned as a Reply of kError, not as a status;
  // the status is for transport failures and timeouts. `timeout` replaces
  // command_timeout as this call's socket timeout (not as its wait for a
  // free connection); `deadline` cuts either shorter.
  absl::StatusOr<Reply> Command(std::vector<std::string> argv,
                                std::optional<absl::Duration> timeout = {},
                                absl::Time deadline = absl::InfiniteFuture());

  // Sends `commands` in one pipeline (one round trip) on one connection and
  // returns their replies in order; error replies are kError entries.
  absl::StatusOr<std::vector<Reply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands,
      absl::Time deadline = absl::InfiniteFuture());

  const RedisAddress& address() const { return address_; }

 private:
  class Lease;
  // What becomes of a connection after a call.
  enum class Fate {
    kKeep,     // back to the pool
    kDrop,     // closed: its state is unknown (e.g. a late reply may come)
    kDropAll,  // closed with every idle one: the server looks gone
  };
  // The socket timeout of one call (see CallTimeout).
  struct Timeout {
    absl::Duration duration;
    bool by_deadline;  // the deadline, not the configured timeout, set it
  };

  RedisClient(RedisAddress address, RedisOptions options);
  // For the connect backoff only (the injectable clock); deadlines are
  // always compared with absl::Now().
  absl::Time Now() const;
  // A connection for one call: an idle one, or a new one unless in backoff.
  // Waits for a free one until command_timeout or `deadline`.
  absl::StatusOr<redisContext*> Acquire(absl::Time deadline);
  // Returns `context` to the pool or drops it, as `fate` says.
  void Release(redisContext* context, Fate fate);
  // Sets the socket timeout of the leased connection for one call:
  // `configured` cut to what remains before `deadline`. DEADLINE_EXCEEDED,
  // with nothing sent and the connection kept, when nothing remains.
  absl::StatusOr<Timeout> CallTimeout(Lease& lease, absl::Duration configured,
                                      absl::Time deadline);
  // Puts command_timeout back after CallTimeout changed it.
  void RestoreTimeout(Lease& lease, const Timeout& timeout);
  // The status for a hiredis call on the leased connection that failed with
  // `error_number` in errno, deciding the connection's fate.
  absl::Status CallError(Lease& lease, const Timeout& timeout, int error_number,
                         std::string_view what);
  // Runs one command on a pooled connection.
  absl::StatusOr<Reply> Execute(absl::Span<const std::string_view> argv,
                                std::optional<absl::Duration> timeout,
                                absl::Time deadline);
  // Opens, authenticates and selects the database.
  absl::StatusOr<redisContext*> Connect();
  // UNAVAILABLE describing the failure on `context` during `what`.
  absl::Status ConnectionError(const redisContext* context,
                               std::string_view what) const;

  const RedisAddress address_;
  const RedisOptions options_;

  // std::mutex rather than absl::Mutex so TSan can check this class (Debian's
  // Abseil is built without TSan annotations).
  std::mutex mu_;
  std::condition_variable released_;  // a connection went back to the pool
  std::vector<redisContext*> idle_ ABSL_GUARDED_BY(mu_);
  int in_use_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Duration backoff_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
  absl::Time next_connect_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  // Why the last connect failed, for calls refused during the backoff.
  absl::Status last_connect_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace umkm::redis
