// Tests for RedisClient against a real redis-server on a loopback port:
// address parsing, typed commands with binary data, generic replies,
// pipelining, Redis going down and coming back, deadlines, and concurrent
// use.
#include "common/redis/redis_client.h"

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/testing/redis_server.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::redis {
namespace {

using ::std::string_literals::operator""s;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;
using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

struct AddressCase {
  std::string label;
  std::string input;
  std::string host;
  int port;
  int db;
  std::string user;
  std::string password;
};

class ParseRedisAddressTest : public ::testing::TestWithParam<AddressCase> {};

TEST_P(ParseRedisAddressTest, Parses) {
  const AddressCase& c = GetParam();
  auto address = ParseRedisAddress(c.input);
  ASSERT_THAT(address, IsOk());
  EXPECT_EQ(address->host, c.host);
  EXPECT_EQ(address->port, c.port);
  EXPECT_EQ(address->db, c.db);
  EXPECT_EQ(address->user, c.user);
  EXPECT_EQ(address->password, c.password);
}

INSTANTIATE_TEST_SUITE_P(
    Valid, ParseRedisAddressTest,
    ::testing::Values(
        AddressCase{"HostPort", "127.0.0.1:6380", "127.0.0.1", 6380, 0, "", ""},
        AddressCase{"HostOnly", "redis", "redis", 6379, 0, "", ""},
        AddressCase{"Url", "redis://cache.umkm:7000", "cache.umkm", 7000, 0, "",
                    ""},
        AddressCase{"UrlWithDb", "redis://localhost:6379/3", "localhost", 6379,
                    3, "", ""},
        AddressCase{"UrlNoPort", "redis://localhost/2", "localhost", 6379, 2,
                    "", ""},
        AddressCase{"Password", "redis://:s3cret@h:1/0", "h", 1, 0, "",
                    "s3cret"},
        AddressCase{"UserPassword", "redis://svc:p@ss@h:2", "h", 2, 0, "svc",
                    "p@ss"},
        AddressCase{"Ipv6", "redis://[::1]:6390", "::1", 6390, 0, "", ""}),
    [](const auto& info) { return info.param.label; });

class BadRedisAddressTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadRedisAddressTest, IsInvalidArgument) {
  EXPECT_THAT(ParseRedisAddress(GetParam()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

INSTANTIATE_TEST_SUITE_P(Invalid, BadRedisAddressTest,
                         ::testing::Values("", "redis://", "http://h:1", "h:0",
                                           "h:65536", "h:", "h:12x",
                                           "redis://h:1/x", "redis://[::1",
                                           ":6379"));

struct ErrorCase {
  std::string message;
  absl::StatusCode code;
};

class ErrorReplyStatusTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorReplyStatusTest, Maps) {
  absl::Status status = ErrorReplyStatus(GetParam().message);
  EXPECT_EQ(status.code(), GetParam().code);
  EXPECT_THAT(std::string(status.message()), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Replies, ErrorReplyStatusTest,
    ::testing::Values(
        ErrorCase{"LOADING Redis is loading", absl::StatusCode::kUnavailable},
        ErrorCase{"OOM command not allowed",
                  absl::StatusCode::kResourceExhausted},
        ErrorCase{"WRONGTYPE Operation against a key",
                  absl::StatusCode::kFailedPrecondition},
        ErrorCase{"NOGROUP No such key", absl::StatusCode::kNotFound},
        ErrorCase{"BUSYGROUP Consumer Group name already exists",
                  absl::StatusCode::kInternal},
        ErrorCase{"NOAUTH Authentication required.",
                  absl::StatusCode::kUnauthenticated},
        ErrorCase{"WRONGPASS invalid username-password pair",
                  absl::StatusCode::kUnauthenticated},
        ErrorCase{"NOPERM this user has no permissions to run the 'get' "
                  "command",
                  absl::StatusCode::kPermissionDenied},
        ErrorCase{"ERR unknown command", absl::StatusCode::kInternal}));

// A clock the test moves by hand, for the reconnect backoff.
class FakeClock {
 public:
  absl::Time Now() {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Advance(absl::Duration by) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += by;
  }

 private:
  std::mutex mu_;
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
};

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = umkm::testing::RedisServer::Create();
    ASSERT_THAT(server, IsOk());
    server_ = *std::move(server);
    client_ = MakeClient(RedisOptions());
  }

  std::unique_ptr<RedisClient> MakeClient(RedisOptions options) {
    auto client = RedisClient::Create(server_->url(), std::move(options));
    EXPECT_THAT(client, IsOk());
    return client.ok() ? *std::move(client) : nullptr;
  }

  std::unique_ptr<umkm::testing::RedisServer> server_;
  std::unique_ptr<RedisClient> client_;
};

TEST_F(RedisClientTest, BinaryValuesRoundTrip) {
  const std::string key = "umkm:test:\0key"s;
  const std::string value = "\0\r\n$3\r\nGET\xff\xfe end"s;
  ASSERT_EQ(value.size(), 16u);
  ASSERT_THAT(client_->Set(key, value, absl::ZeroDuration()), IsOk());
  EXPECT_THAT(client_->Get(key), IsOkAndHolds(Optional(value)));
  ASSERT_THAT(client_->Set("empty", "", absl::ZeroDuration()), IsOk());
  EXPECT_THAT(client_->Get("empty"), IsOkAndHolds(Optional(std::string())));
  EXPECT_THAT(client_->Get("missing"), IsOkAndHolds(std::nullopt));
}

TEST_F(RedisClientTest, MGetAndDel) {
  ASSERT_THAT(client_->Set("a", "1", absl::ZeroDuration()), IsOk());
  ASSERT_THAT(client_->Set("c", "3", absl::ZeroDuration()), IsOk());
  EXPECT_THAT(client_->MGet({"a", "b", "c"}),
              IsOkAndHolds(ElementsAre(Optional(std::string("1")), std::nullopt,
                                       Optional(std::string("3")))));
  EXPECT_THAT(client_->Del({"a", "b", "c"}), IsOkAndHolds(2));
  EXPECT_THAT(client_->Get("a"), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(client_->Del({}), IsOkAndHolds(0));
}

TEST_F(RedisClientTest, SetAppliesTtl) {
  ASSERT_THAT(client_->Set("ttl", "v", absl::Seconds(60)), IsOk());
  auto pttl = client_->Command({"PTTL", "ttl"});
  ASSERT_THAT(pttl, IsOk());
  EXPECT_EQ(pttl->type, Reply::Type::kInteger);
  EXPECT_GT(pttl->integer, 0);
  EXPECT_LE(pttl->integer, 60'000);

  ASSERT_THAT(client_->Set("forever", "v", absl::ZeroDuration()), IsOk());
  pttl = client_->Command({"PTTL", "forever"});
  ASSERT_THAT(pttl, IsOk());
  EXPECT_EQ(pttl->integer, -1);
}

TEST_F(RedisClientTest, CommandReturnsReplyTree) {
  auto id = client_->Command({"XADD", "umkm:events", "*", "event", "\0bytes"s});
  ASSERT_THAT(id, IsOk());
  ASSERT_EQ(id->type, Reply::Type::kString);

  auto range = client_->Command({"XRANGE", "umkm:events", "-", "+"});
  ASSERT_THAT(range, IsOk());
  ASSERT_EQ(range->type, Reply::Type::kArray);
  ASSERT_EQ(range->elements.size(), 1u);
  const Reply& entry = range->elements[0];
  ASSERT_EQ(entry.elements.size(), 2u);
  EXPECT_EQ(entry.elements[0].str, id->str);
  ASSERT_EQ(entry.elements[1].elements.size(), 2u);
  EXPECT_EQ(entry.elements[1].elements[0].str, "event");
  EXPECT_EQ(entry.elements[1].elements[1].str, "\0bytes"s);

  auto created =
      client_->Command({"XGROUP", "CREATE", "umkm:events", "registry", "0"});
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->type, Reply::Type::kStatus);
  EXPECT_EQ(created->str, "OK");
  // An expected Redis error comes back as a reply, not a failed status.
  auto again =
      client_->Command({"XGROUP", "CREATE", "umkm:events", "registry", "0"});
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->is_error());
  EXPECT_TRUE(absl::StartsWith(again->str, "BUSYGROUP"));

  auto nil = client_->Command({"GET", "nothing"});
  ASSERT_THAT(nil, IsOk());
  EXPECT_TRUE(nil->is_nil());
  // Typed helpers turn error replies into statuses.
  EXPECT_THAT(client_->Get("umkm:events"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(client_->Command({}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RedisClientTest, PipelineReturnsRepliesInOrder) {
  auto replies = client_->Pipeline(
      {{"INCR", "n"}, {"INCR", "n"}, {"LPUSH", "n", "x"}, {"INCR", "n"}});
  ASSERT_THAT(replies, IsOk());
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[0].integer, 1);
  EXPECT_EQ((*replies)[1].integer, 2);
  EXPECT_TRUE((*replies)[2].is_error());  // WRONGTYPE
  EXPECT_EQ((*replies)[3].integer, 3);
  // The connection is still in step after the pipeline.
  EXPECT_THAT(client_->Get("n"), IsOkAndHolds(Optional(std::string("3"))));
}

TEST_F(RedisClientTest, PerCallTimeoutOutlastsBlockingCommand) {
  RedisOptions options;
  options.command_timeout = absl::Milliseconds(50);
  auto client = MakeClient(options);
  // BLPOP waits 200 ms on an empty list: longer than the command timeout.
  EXPECT_THAT(client->Command({"BLPOP", "empty", "0.2"}),
              StatusIs(absl::StatusCode::kUnavailable));
  auto reply = client->Command({"BLPOP", "empty", "0.2"}, absl::Seconds(10));
  ASSERT_THAT(reply, IsOk());
  EXPECT_TRUE(reply->is_nil());
  EXPECT_THAT(client->Get("x"), IsOkAndHolds(std::nullopt));
}

TEST_F(RedisClientTest, UnavailableWhenServerIsDown) {
  ASSERT_THAT(client_->Set("k", "v", absl::ZeroDuration()), IsOk());
  server_->Stop();
  // First the pooled connection fails, then connecting fails, then calls
  // fail without trying during the backoff.
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(client_->Get("k"), StatusIs(absl::StatusCode::kUnavailable))
        << "call " << i;
  }
  EXPECT_THAT(client_->Set("k", "v", absl::Seconds(1)),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(client_->Command({"PING"}),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(RedisClientTest, FailsFastDuringBackoffThenReconnects) {
  FakeClock clock;
  RedisOptions options;
  options.pool_size = 1;
  options.initial_backoff = absl::Seconds(1);
  options.max_backoff = absl::Seconds(4);
  options.clock = [&clock] { return clock.Now(); };
  auto client = MakeClient(options);
  ASSERT_THAT(client->Set("k", "v", absl::ZeroDuration()), IsOk());

  server_->Stop();
  auto stale = client->Get("k");  // the pooled connection finds EOF
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kUnavailable));
  auto refused = client->Get("k");  // connect refused: backoff starts
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("next connect in 1s"));

  ASSERT_THAT(server_->Start(), IsOk());
  // Redis is back, but the client does not try before the backoff ends.
  auto waiting = client->Get("k");
  EXPECT_THAT(waiting, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(waiting.status().message()),
              HasSubstr("next connect in"));

  clock.Advance(absl::Seconds(1));
  // The restarted server has no persistence: the key is gone.
  EXPECT_THAT(client->Get("k"), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(client->Set("k", "again", absl::ZeroDuration()), IsOk());
  EXPECT_THAT(client->Get("k"), IsOkAndHolds(Optional(std::string("again"))));
}

TEST_F(RedisClientTest, BackoffDoublesUpToCap) {
  FakeClock clock;
  RedisOptions options;
  options.initial_backoff = absl::Seconds(1);
  options.max_backoff = absl::Seconds(3);
  options.clock = [&clock] { return clock.Now(); };
  auto client = MakeClient(options);
  server_->Stop();
  for (const char* expected : {"1s", "2s", "3s", "3s"}) {
    auto result = client->Get("k");
    EXPECT_THAT(std::string(result.status().message()),
                HasSubstr(absl::StrCat("next connect in ", expected)));
    clock.Advance(absl::Seconds(10));
  }
}

// The integer `field` of `INFO section` ("field:value" lines); -1 when
// missing.
int64_t InfoInt(RedisClient& client, const std::string& section,
                absl::string_view field) {
  auto info = client.Command({"INFO", section});
  EXPECT_THAT(info, IsOk());
  if (!info.ok()) return -1;
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    std::pair<absl::string_view, absl::string_view> entry =
        absl::StrSplit(line, absl::MaxSplits(':', 1));
    int64_t value = 0;
    if (entry.first == field && absl::SimpleAtoi(entry.second, &value)) {
      return value;
    }
  }
  return -1;
}

TEST_F(RedisClientTest, PassedDeadlineSendsNothing) {
  auto client = MakeClient(RedisOptions());
  ASSERT_THAT(client->Set("k", "v", absl::ZeroDuration()), IsOk());
  auto fresh = MakeClient(RedisOptions());  // no connection yet
  const int64_t connections =
      InfoInt(*client_, "stats", "total_connections_received");
  // Read last, so that only this INFO runs before the next reading.
  const int64_t commands =
      InfoInt(*client_, "stats", "total_commands_processed");

  const absl::Time passed = absl::Now() - absl::Seconds(1);
  constexpr auto kDeadlineExceeded = absl::StatusCode::kDeadlineExceeded;
  EXPECT_THAT(client->Get("k", passed), StatusIs(kDeadlineExceeded));
  EXPECT_THAT(client->MGet({"k"}, passed), StatusIs(kDeadlineExceeded));
  EXPECT_THAT(client->Set("k", "w", absl::ZeroDuration(), passed),
              StatusIs(kDeadlineExceeded));
  EXPECT_THAT(client->Del({"k"}, passed), StatusIs(kDeadlineExceeded));
  EXPECT_THAT(client->Command({"PING"}, std::nullopt, passed),
              StatusIs(kDeadlineExceeded));
  EXPECT_THAT(client->Command({"PING"}, absl::Seconds(5), passed),
              StatusIs(kDeadlineExceeded));
  EXPECT_THAT(client->Pipeline({{"PING"}}, passed),
              StatusIs(kDeadlineExceeded));
  EXPECT_THAT(fresh->Get("k", absl::InfinitePast()),
              StatusIs(kDeadlineExceeded));

  // Only the INFO that read `commands` ran in between; nobody connected.
  EXPECT_EQ(InfoInt(*client_, "stats", "total_commands_processed"),
            commands + 1);
  EXPECT_EQ(InfoInt(*client_, "stats", "total_connections_received"),
            connections);
  // The pooled connection was kept and is still in step.
  EXPECT_THAT(client->Get("k", absl::Now() + absl::Minutes(1)),
              IsOkAndHolds(Optional(std::string("v"))));
}

TEST_F(RedisClientTest, DeadlineCutsSlowCallShort) {
  RedisOptions options;
  // Were the deadline not obeyed, the calls below would wait for the pause
  // to end and succeed.
  options.command_timeout = absl::Seconds(30);
  options.pool_size = 1;
  auto client = MakeClient(options);
  ASSERT_THAT(client->Set("a", "A", absl::ZeroDuration()), IsOk());
  ASSERT_THAT(client->Set("b", "B", absl::ZeroDuration()), IsOk());

  // Redis takes every client's commands but runs none for two seconds.
  auto paused = client_->Command({"CLIENT", "PAUSE", "2000", "ALL"});
  ASSERT_THAT(paused, IsOk());
  ASSERT_EQ(paused->str, "OK");
  constexpr auto kDeadlineExceeded = absl::StatusCode::kDeadlineExceeded;
  auto soon = [] { return absl::Now() + absl::Milliseconds(100); };
  EXPECT_THAT(client->Get("a", soon()), StatusIs(kDeadlineExceeded));
  // The deadline cuts a per-call timeout override short too.
  EXPECT_THAT(client->Command({"GET", "a"}, absl::Seconds(30), soon()),
              StatusIs(kDeadlineExceeded));
  EXPECT_THAT(client->Pipeline({{"GET", "a"}, {"GET", "a"}}, soon()),
              StatusIs(kDeadlineExceeded));

  // Each of those connections may still receive its "A"; none is reused, so
  // this call (which waits out the pause) gets its own reply.
  EXPECT_THAT(client->Get("b"), IsOkAndHolds(Optional(std::string("B"))));
  EXPECT_THAT(client->Get("a"), IsOkAndHolds(Optional(std::string("A"))));
}

TEST_F(RedisClientTest, PoolWaitEndsAtDeadline) {
  RedisOptions options;
  options.command_timeout = absl::Seconds(30);
  options.pool_size = 1;
  auto client = MakeClient(options);
  // The only connection is taken by a BLPOP that waits for a push.
  absl::StatusOr<Reply> popped;
  std::thread holder([&] {
    popped = client->Command({"BLPOP", "queue", "0"}, absl::Seconds(60));
  });
  // Polls a condition, not a clock: the BLPOP is on its way.
  while (InfoInt(*client_, "clients", "blocked_clients") < 1) {
    std::this_thread::yield();
  }
  EXPECT_THAT(client->Get("k", absl::Now() + absl::Milliseconds(100)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  ASSERT_THAT(client_->Command({"LPUSH", "queue", "x"}), IsOk());
  holder.join();
  ASSERT_THAT(popped, IsOk());
  ASSERT_EQ(popped->elements.size(), 2u);
  EXPECT_EQ(popped->elements[1].str, "x");
  EXPECT_THAT(client->Get("k"), IsOkAndHolds(std::nullopt));
}

TEST_F(RedisClientTest, ConfiguredTimeoutIsStillUnavailable) {
  RedisOptions options;
  options.command_timeout = absl::Milliseconds(50);
  auto client = MakeClient(options);
  // BLPOP waits 200 ms on an empty list: command_timeout runs out first,
  // long before the deadline.
  EXPECT_THAT(client->Command({"BLPOP", "empty", "0.2"}, std::nullopt,
                              absl::Now() + absl::Minutes(1)),
              StatusIs(absl::StatusCode::kUnavailable));
  // Here the override outlasts the BLPOP and the deadline is further still.
  auto reply = client->Command({"BLPOP", "empty", "0.2"}, absl::Seconds(10),
                               absl::Now() + absl::Minutes(1));
  ASSERT_THAT(reply, IsOk());
  EXPECT_TRUE(reply->is_nil());
}

TEST_F(RedisClientTest, PoolServesConcurrentCallers) {
  RedisOptions options;
  options.pool_size = 3;
  auto client = MakeClient(options);
  constexpr int kThreads = 8;
  constexpr int kCalls = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string key = absl::StrCat("thread:", t);
      for (int i = 0; i < kCalls; ++i) {
        if (!client->Command({"INCR", "shared"}).ok()) ++failures;
        const std::string value = absl::StrCat(t, "-", i);
        if (!client->Set(key, value, absl::Seconds(30)).ok()) ++failures;
        auto read = client->Get(key);
        if (!read.ok() || *read != value) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_THAT(client->Get("shared"),
              IsOkAndHolds(Optional(std::to_string(kThreads * kCalls))));
}

constexpr char kPassword[] = "test-redis-password-5d1e";

// A redis-server that requires a password, with the manifests' ACL rules.
class RedisAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = umkm::testing::RedisServer::Create(
        umkm::testing::RedisServer::WithPassword("umkm", kPassword));
    ASSERT_THAT(server, IsOk());
    server_ = *std::move(server);
  }

  std::unique_ptr<RedisClient> Client(std::optional<RedisCredentials> creds,
                                      RedisOptions options = {}) {
    options.credentials = std::move(creds);
    auto client = RedisClient::Create(server_->url(), std::move(options));
    EXPECT_THAT(client, IsOk());
    return client.ok() ? *std::move(client) : nullptr;
  }

  std::unique_ptr<umkm::testing::RedisServer> server_;
};

TEST_F(RedisAuthTest, TheAclUserWithItsPasswordMayDoEverything) {
  auto client = Client(RedisCredentials{.user = "umkm", .password = kPassword});
  ASSERT_THAT(client->Set("umkm:k", "v", absl::ZeroDuration()), IsOk());
  EXPECT_THAT(client->Get("umkm:k"), IsOkAndHolds(Optional(std::string("v"))));
  auto added = client->Command({"XADD", "umkm:events", "*", "event", "x"});
  ASSERT_THAT(added, IsOk());
  EXPECT_FALSE(added->is_error()) << added->str;
}

TEST_F(RedisAuthTest, WithoutCredentialsOnlyPingIsAllowed) {
  auto client = Client(std::nullopt);
  auto pong = client->Command({"PING"});
  ASSERT_THAT(pong, IsOk());
  EXPECT_EQ(pong->str, "PONG");
  EXPECT_THAT(
      client->Get("umkm:k"),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("NOPERM")));
  EXPECT_THAT(client->Set("umkm:k", "v", absl::ZeroDuration()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(RedisAuthTest, WrongPasswordIsUnauthenticatedAndNeverShown) {
  FakeClock clock;
  RedisOptions options;
  options.clock = [&clock] { return clock.Now(); };
  auto client =
      Client(RedisCredentials{.user = "umkm", .password = "wrong-password-7"},
             options);
  auto refused = client->Get("umkm:k");
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kUnauthenticated,
                                AllOf(HasSubstr("refused AUTH as user umkm"),
                                      HasSubstr("WRONGPASS"),
                                      Not(HasSubstr("wrong-password-7")))));
  // During the backoff the calls still say why.
  auto waiting = client->Get("umkm:k");
  EXPECT_THAT(waiting, StatusIs(absl::StatusCode::kUnauthenticated,
                                AllOf(HasSubstr("WRONGPASS"),
                                      HasSubstr("next connect in"))));
}

TEST_F(RedisAuthTest, EveryNewConnectionAuthenticatesAgain) {
  FakeClock clock;
  RedisOptions options;
  options.pool_size = 2;
  options.clock = [&clock] { return clock.Now(); };
  auto client =
      Client(RedisCredentials{.user = "umkm", .password = kPassword}, options);
  ASSERT_THAT(client->Set("umkm:k", "v", absl::ZeroDuration()), IsOk());

  server_->Stop();
  EXPECT_THAT(client->Get("umkm:k"), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(server_->Start(), IsOk());
  clock.Advance(absl::Minutes(1));  // past any backoff

  // New connections after the restart: authenticated, or these would be
  // NOPERM.
  EXPECT_THAT(client->Set("umkm:k", "again", absl::ZeroDuration()), IsOk());
  EXPECT_THAT(client->Get("umkm:k"),
              IsOkAndHolds(Optional(std::string("again"))));
}

TEST_F(RedisAuthTest, CredentialsInTheAddressAndTheFileAreRefused) {
  EXPECT_THAT(RedisClient::Create(
                  "redis://umkm:other@127.0.0.1:6379",
                  {.credentials = RedisCredentials{.user = "umkm",
                                                   .password = kPassword}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("both")));
}

}  // namespace
}  // namespace umkm::redis
