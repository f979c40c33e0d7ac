#include "common/events/dead_letters.h"

#include <atomic>
#include <string>

#include "common/events/consumer.h"
#include "common/events/testing/fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::events {
namespace {

using ::umkm::events::testing::Eventually;
using ::umkm::events::testing::VisitCompletedEvent;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

class DeadLettersTest : public testing::EventsTest {};

TEST_F(DeadLettersTest, SendAndListKeepFieldsAndMetadata) {
  v1::Event event = VisitCompletedEvent("businesses/1");
  ASSERT_THAT(SendToDeadLetters(*redis_, kDefaultDeadLetterStream,
                                {{std::string(kEventField), Serialize(event)}},
                                {.error = "INTERNAL: boom",
                                 .original_id = "1-0",
                                 .stream = "umkm:events",
                                 .group = "umkm-registry",
                                 .consumer = "pod-a",
                                 .deliveries = 5}),
              IsOk());
  auto letters = ListDeadLetters(*redis_, 10);
  ASSERT_THAT(letters, IsOk());
  ASSERT_EQ(letters->size(), 1u);
  const DeadLetter& letter = (*letters)[0];
  EXPECT_EQ(letter.info.error, "INTERNAL: boom");
  EXPECT_EQ(letter.info.original_id, "1-0");
  EXPECT_EQ(letter.info.group, "umkm-registry");
  EXPECT_EQ(letter.info.consumer, "pod-a");
  EXPECT_EQ(letter.info.deliveries, 5);
  EXPECT_LT(absl::Now() - letter.dead_time, absl::Hours(1));
  ASSERT_EQ(letter.original_fields.size(), 1u);
  ASSERT_TRUE(letter.event.has_value());
  EXPECT_EQ(letter.event->id(), event.id());
}

TEST_F(DeadLettersTest, ReplayedEventIsAppliedByTheConsumer) {
  std::atomic<bool> broken{true};
  EventConsumer consumer(*db_, *redis_,
                         {.group = "umkm-test",
                          .consumer = "replica-1",
                          .block = absl::Milliseconds(50),
                          .max_deliveries = 1,
                          .claim_interval = absl::Milliseconds(20)});
  consumer.On(v1::Event::kVisitCompleted, [&](store::Connection& conn,
                                              const v1::Event& event) {
    if (broken) return absl::UnavailableError("dependency down");
    return conn.Execute("INSERT INTO effects(event_id, business) VALUES (?, ?)",
                        event.id(), event.visit_completed().business());
  });
  ASSERT_THAT(consumer.Start(), IsOk());
  v1::Event event = VisitCompletedEvent("businesses/1");
  Publish(event);
  ASSERT_TRUE(Eventually(
      [&] { return Length(std::string(kDefaultDeadLetterStream)) == 1; }));

  broken = false;  // ops fixed the cause
  auto letters = ListDeadLetters(*redis_, 10);
  ASSERT_THAT(letters, IsOk());
  ASSERT_EQ(letters->size(), 1u);
  ASSERT_THAT(ReplayDeadLetter(*redis_, (*letters)[0].id), IsOk());
  EXPECT_EQ(Length(std::string(kDefaultDeadLetterStream)), 0);
  ASSERT_TRUE(Eventually([&] { return Effects(*db_, event.id()) == 1; }));
  consumer.Stop();
}

TEST_F(DeadLettersTest, ReplayRefusesUnknownAndMalformedLetters) {
  EXPECT_THAT(ReplayDeadLetter(*redis_, "12345-0"),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_THAT(SendToDeadLetters(*redis_, kDefaultDeadLetterStream,
                                {{"foo", "bar"}}, {.error = "no event field"}),
              IsOk());
  auto letters = ListDeadLetters(*redis_, 10);
  ASSERT_THAT(letters, IsOk());
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_THAT(ReplayDeadLetter(*redis_, (*letters)[0].id),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(Length(std::string(kDefaultDeadLetterStream)), 1);
  EXPECT_EQ(Length(), 0);
}

}  // namespace
}  // namespace umkm::events
