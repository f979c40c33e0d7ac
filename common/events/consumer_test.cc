#include "common/events/consumer.h"

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "common/events/dead_letters.h"
#include "common/events/testing/fixture.h"
#include "common/testing/subprocess.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::events {
namespace {

using ::testing::HasSubstr;
using ::umkm::events::testing::Eventually;
using ::umkm::events::testing::VisitCompletedEvent;
using ::umkm::testing::IsOk;

constexpr char kGroup[] = "umkm-test";

class ConsumerTest : public testing::EventsTest {
 protected:
  ConsumerOptions Options() {
    return {.group = kGroup,
            .consumer = "replica-1",
            .block = absl::Milliseconds(50),
            .max_deliveries = 3,
            .claim_idle = absl::Milliseconds(50),
            .claim_interval = absl::Milliseconds(20),
            .initial_backoff = absl::Milliseconds(10),
            .max_backoff = absl::Milliseconds(100)};
  }

  // A consumer whose VisitCompleted handler logs one effect row, after
  // `failures` failing calls.
  std::unique_ptr<EventConsumer> NewConsumer(ConsumerOptions options,
                                             int failures = 0) {
    auto consumer = std::make_unique<EventConsumer>(*db_, *redis_, options);
    consumer->On(
        v1::Event::kVisitCompleted,
        [this, failures](store::Connection& conn, const v1::Event& event) {
          if (handler_calls_.fetch_add(1) < failures) {
            return absl::InternalError("boom: the handler failed");
          }
          return conn.Execute(
              "INSERT INTO effects(event_id, business) VALUES (?, ?)",
              event.id(), event.visit_completed().business());
        },
        [this](const v1::Event&) { hook_calls_.fetch_add(1); });
    return consumer;
  }

  void CreateGroup() {
    auto reply =
        redis_->Command({"XGROUP", "CREATE", std::string(kDefaultStream),
                         kGroup, "0", "MKSTREAM"});
    ASSERT_TRUE(reply.ok() && !reply->is_error());
  }

  // Reads everything as `consumer` and never acknowledges: a replica that
  // died after reading.
  void ReadAndDie(const std::string& consumer) {
    auto reply = redis_->Command({"XREADGROUP", "GROUP", kGroup, consumer,
                                  "STREAMS", std::string(kDefaultStream), ">"});
    ASSERT_TRUE(reply.ok() && !reply->is_error());
  }

  std::atomic<int> handler_calls_{0};
  std::atomic<int> hook_calls_{0};
};

TEST_F(ConsumerTest, DuplicateDeliveryAppliesTheEffectOnce) {
  v1::Event event = VisitCompletedEvent("businesses/1");
  v1::Event later = VisitCompletedEvent("businesses/2");
  Publish(event);
  Publish(event);  // the relay republished it (crash before mark)
  Publish(later);
  auto consumer = NewConsumer(Options());
  ASSERT_THAT(consumer->Start(), IsOk());
  ASSERT_TRUE(Eventually(
      [&] { return Pending(kGroup) == 0 && Effects(*db_, later.id()) == 1; }));
  consumer->Stop();
  EXPECT_EQ(Effects(*db_, event.id()), 1);
  EXPECT_EQ(consumer->counters().applied, 2);
  EXPECT_EQ(consumer->counters().duplicates, 1);
  // The hook runs for the duplicate too (it must be idempotent).
  EXPECT_EQ(hook_calls_.load(), 3);
}

TEST_F(ConsumerTest, MalformedEntriesGoToDeadLettersAndLaterEventsProceed) {
  const std::string no_event = AddEntry({{"foo", "bar"}});
  const std::string bad_bytes =
      AddEntry({{std::string(kEventField), "\xff\xfe not an event"}});
  v1::Event later = VisitCompletedEvent("businesses/2");
  Publish(later);
  auto consumer = NewConsumer(Options());
  ASSERT_THAT(consumer->Start(), IsOk());
  ASSERT_TRUE(Eventually([&] { return Effects(*db_, later.id()) == 1; }));
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  consumer->Stop();

  auto letters = ListDeadLetters(*redis_, 10);
  ASSERT_THAT(letters, IsOk());
  ASSERT_EQ(letters->size(), 2u);
  EXPECT_EQ((*letters)[0].info.original_id, no_event);
  EXPECT_THAT((*letters)[0].info.error, HasSubstr("no \"event\" field"));
  EXPECT_EQ(FindField((*letters)[0].original_fields, "foo"), "bar");
  EXPECT_EQ((*letters)[1].info.original_id, bad_bytes);
  EXPECT_THAT((*letters)[1].info.error, HasSubstr("do not parse"));
  EXPECT_EQ((*letters)[1].info.group, kGroup);
  EXPECT_EQ((*letters)[1].info.deliveries, 1);
  EXPECT_EQ(consumer->counters().dead_lettered, 2);
}

TEST_F(ConsumerTest, FailingHandlerGoesToDeadLettersAfterMaxDeliveries) {
  v1::Event event = VisitCompletedEvent("businesses/1");
  const std::string entry = Publish(event);
  auto consumer = NewConsumer(Options(), /*failures=*/1000);
  ASSERT_THAT(consumer->Start(), IsOk());
  ASSERT_TRUE(Eventually(
      [&] { return Length(std::string(kDefaultDeadLetterStream)) == 1; }));
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  consumer->Stop();

  EXPECT_EQ(handler_calls_.load(), 3);  // max_deliveries
  EXPECT_EQ(Effects(*db_, event.id()), 0);
  EXPECT_EQ(Count(*db_, "SELECT count(*) FROM events_processed"), 0);
  auto letters = ListDeadLetters(*redis_, 10);
  ASSERT_THAT(letters, IsOk());
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].info.original_id, entry);
  EXPECT_EQ((*letters)[0].info.deliveries, 3);
  EXPECT_THAT((*letters)[0].info.error, HasSubstr("boom"));
  ASSERT_TRUE((*letters)[0].event.has_value());
  EXPECT_EQ((*letters)[0].event->id(), event.id());
}

TEST_F(ConsumerTest, FailingEventInABatchRollsBackOnlyItsOwnEffect) {
  v1::Event bad = VisitCompletedEvent("businesses/bad");
  v1::Event good1 = VisitCompletedEvent("businesses/1");
  v1::Event good2 = VisitCompletedEvent("businesses/2");
  Publish(good1);
  Publish(bad);
  Publish(good2);  // all three in one read, one transaction
  EventConsumer consumer(*db_, *redis_, Options());
  consumer.On(v1::Event::kVisitCompleted,
              [](store::Connection& conn, const v1::Event& event) {
                // Writes its effect, then fails for the bad one.
                absl::Status status = conn.Execute(
                    "INSERT INTO effects(event_id, business) VALUES (?, ?)",
                    event.id(), event.visit_completed().business());
                if (!status.ok()) return status;
                if (event.visit_completed().business() == "businesses/bad") {
                  return absl::InternalError("boom");
                }
                return absl::OkStatus();
              });
  ASSERT_THAT(consumer.Start(), IsOk());
  ASSERT_TRUE(Eventually(
      [&] { return Length(std::string(kDefaultDeadLetterStream)) == 1; }));
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  consumer.Stop();
  EXPECT_EQ(Effects(*db_, good1.id()), 1);
  EXPECT_EQ(Effects(*db_, good2.id()), 1);
  EXPECT_EQ(Effects(*db_, bad.id()), 0);
  EXPECT_EQ(Count(*db_, "SELECT count(*) FROM events_processed"), 2);
  EXPECT_EQ(consumer.counters().failed, 3);
}

TEST_F(ConsumerTest, HandlerThatRecoversIsRetriedAndAppliedOnce) {
  v1::Event event = VisitCompletedEvent("businesses/1");
  Publish(event);
  auto consumer = NewConsumer(Options(), /*failures=*/2);
  ASSERT_THAT(consumer->Start(), IsOk());
  ASSERT_TRUE(Eventually([&] { return Effects(*db_, event.id()) == 1; }));
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  consumer->Stop();
  EXPECT_EQ(handler_calls_.load(), 3);
  EXPECT_EQ(Length(std::string(kDefaultDeadLetterStream)), 0);
}

TEST_F(ConsumerTest, PendingEntriesOfADeadConsumerAreReclaimed) {
  CreateGroup();
  v1::Event event = VisitCompletedEvent("businesses/1");
  Publish(event);
  ReadAndDie("replica-0");
  ASSERT_EQ(Pending(kGroup), 1);
  auto consumer = NewConsumer(Options());  // replica-1
  ASSERT_THAT(consumer->Start(), IsOk());
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  consumer->Stop();
  EXPECT_EQ(Effects(*db_, event.id()), 1);
}

TEST_F(ConsumerTest, RestartedConsumerDrainsItsOwnPendingFirst) {
  CreateGroup();
  v1::Event event = VisitCompletedEvent("businesses/1");
  Publish(event);
  ReadAndDie("replica-1");
  ConsumerOptions options = Options();
  options.claim_idle = absl::Hours(1);  // only the own-pending drain helps
  auto consumer = NewConsumer(options);
  ASSERT_THAT(consumer->Start(), IsOk());
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  consumer->Stop();
  EXPECT_EQ(Effects(*db_, event.id()), 1);
}

// A service's own handler and a second subscriber (the registry client's
// cache invalidation, say) on one payload: both effects commit with the
// event, both hooks run after the commit.
TEST_F(ConsumerTest, EveryHandlerOfAPayloadRunsInOneSavepoint) {
  v1::Event event = VisitCompletedEvent("businesses/1");
  Publish(event);
  auto consumer = NewConsumer(Options());
  std::atomic<int> second_hook_calls{0};
  consumer->On(
      v1::Event::kVisitCompleted,
      [](store::Connection& conn, const v1::Event& event) {
        return conn.Execute(
            "INSERT INTO effects(event_id, business) VALUES (?, 'second')",
            event.id());
      },
      [&](const v1::Event&) { second_hook_calls.fetch_add(1); });
  ASSERT_THAT(consumer->Start(), IsOk());
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  consumer->Stop();
  EXPECT_EQ(Effects(*db_, event.id()), 2);
  EXPECT_EQ(
      Count(*db_, "SELECT count(*) FROM effects WHERE business = ?", "second"),
      1);
  EXPECT_EQ(hook_calls_.load(), 1);
  EXPECT_EQ(second_hook_calls.load(), 1);
  EXPECT_EQ(consumer->counters().applied, 1);
}

TEST_F(ConsumerTest, OneFailingHandlerRollsBackEveryHandlerOfItsPayload) {
  v1::Event event = VisitCompletedEvent("businesses/1");
  Publish(event);
  auto consumer = NewConsumer(Options());  // the first handler succeeds
  std::atomic<int> failures{0};
  std::atomic<int> second_hook_calls{0};
  consumer->On(
      v1::Event::kVisitCompleted,
      [&](store::Connection&, const v1::Event&) {
        failures.fetch_add(1);
        return absl::InternalError("boom: the second handler failed");
      },
      [&](const v1::Event&) { second_hook_calls.fetch_add(1); });
  ASSERT_THAT(consumer->Start(), IsOk());
  ASSERT_TRUE(Eventually(
      [&] { return Length(std::string(kDefaultDeadLetterStream)) == 1; }));
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  consumer->Stop();
  EXPECT_EQ(handler_calls_.load(), 3);  // the first ran on every delivery
  EXPECT_EQ(failures.load(), 3);
  EXPECT_EQ(Effects(*db_, event.id()), 0);  // and none of its effects stayed
  EXPECT_EQ(Count(*db_, "SELECT count(*) FROM events_processed"), 0);
  EXPECT_EQ(hook_calls_.load(), 0);
  EXPECT_EQ(second_hook_calls.load(), 0);
}

TEST_F(ConsumerTest, EventsWithoutHandlerAreAcknowledged) {
  v1::BusinessRegistered payload;
  payload.set_business("businesses/1");
  Publish(NewEvent(payload, "umkm-registry", "businesses/1", "r"));
  auto consumer = NewConsumer(Options());
  ASSERT_THAT(consumer->Start(), IsOk());
  ASSERT_TRUE(Eventually([&] { return consumer->counters().unhandled == 1; }));
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  consumer->Stop();
  EXPECT_EQ(Count(*db_, "SELECT count(*) FROM events_processed"), 0);
}

TEST_F(ConsumerTest, KeepsConsumingAcrossARedisRestart) {
  auto consumer = NewConsumer(Options());
  ASSERT_THAT(consumer->Start(), IsOk());
  v1::Event before = VisitCompletedEvent("businesses/1");
  Publish(before);
  ASSERT_TRUE(Eventually([&] { return Effects(*db_, before.id()) == 1; }));

  // Redis comes back empty: the stream and the group are gone.
  redis_server_->Stop();
  ASSERT_THAT(redis_server_->Start(), IsOk());
  v1::Event after = VisitCompletedEvent("businesses/2");
  ASSERT_TRUE(Eventually([&] {
    auto reply =
        redis_->Command({"XINFO", "GROUPS", std::string(kDefaultStream)});
    return reply.ok() && !reply->is_error() && !reply->elements.empty();
  }));
  Publish(after);
  ASSERT_TRUE(Eventually([&] { return Effects(*db_, after.id()) == 1; }));
  consumer->Stop();
}

// The crash the issue names: the effect committed, then the process died
// before XACK. A real child process, killed at that point by _exit.
TEST_F(ConsumerTest, CrashAfterCommitBeforeAckAppliesTheEffectOnce) {
  v1::Event event = VisitCompletedEvent("businesses/1");
  Publish(event);
  const std::vector<std::string> argv = {
      UMKM_EVENTS_TEST_CONSUMER, "--db=" + dir_.File("service.db"),
      "--redis=" + redis_server_->url(), std::string("--group=") + kGroup,
      "--consumer=replica-1"};
  const std::string log = dir_.File("consumer.log");

  std::vector<std::string> crashing = argv;
  crashing.push_back("--exit_after_commit");
  auto child = umkm::testing::Subprocess::Start(crashing, log);
  ASSERT_THAT(child, IsOk());
  ASSERT_TRUE(Eventually([&] { return !(*child)->Running(); }))
      << umkm::testing::FileTail(log);
  ASSERT_EQ((*child)->exit_code(), 3) << umkm::testing::FileTail(log);
  EXPECT_EQ(Effects(*db_, event.id()), 1);  // committed...
  EXPECT_EQ(Pending(kGroup), 1);            // ...not acknowledged

  auto restarted = umkm::testing::Subprocess::Start(argv, log);
  ASSERT_THAT(restarted, IsOk());
  v1::Event later = VisitCompletedEvent("businesses/2");
  Publish(later);
  ASSERT_TRUE(Eventually([&] { return Effects(*db_, later.id()) == 1; }))
      << umkm::testing::FileTail(log);
  ASSERT_TRUE(Eventually([&] { return Pending(kGroup) == 0; }));
  EXPECT_EQ((*restarted)->Stop(SIGTERM, absl::Seconds(10)), 0)
      << umkm::testing::FileTail(log);
  EXPECT_EQ(Effects(*db_, event.id()), 1);
}

TEST_F(ConsumerTest, StartRejectsOptionsWithoutGroup) {
  EventConsumer consumer(*db_, *redis_, {});
  EXPECT_THAT(consumer.Start(),
              umkm::testing::StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace umkm::events
