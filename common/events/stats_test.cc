#include "common/events/stats.h"

#include <string>

#include "common/events/dead_letters.h"
#include "common/events/outbox.h"
#include "common/events/testing/fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::events {
namespace {

using ::umkm::events::testing::VisitCompletedEvent;
using ::umkm::testing::IsOk;

class StatsTest : public testing::EventsTest {
 protected:
  void SetUp() override {
    testing::EventsTest::SetUp();
    // Two unpublished outbox rows.
    for (int i = 0; i < 2; ++i) {
      ASSERT_THAT(db_->Write([&](store::Connection& conn) {
        return AppendToOutbox(conn, VisitCompletedEvent("businesses/1"));
      }),
                  IsOk());
    }
  }
  StatsOptions Options() { return {.group = "umkm-test"}; }
};

TEST_F(StatsTest, ReportsBacklogLagPendingAndDeadLetters) {
  ASSERT_TRUE(redis_
                  ->Command({"XGROUP", "CREATE", "umkm:events", "umkm-test",
                             "0", "MKSTREAM"})
                  .ok());
  for (int i = 0; i < 3; ++i) Publish(VisitCompletedEvent("businesses/1"));
  // One delivered and not acknowledged: pending 1, lag 2.
  ASSERT_TRUE(redis_
                  ->Command({"XREADGROUP", "GROUP", "umkm-test", "c", "COUNT",
                             "1", "STREAMS", "umkm:events", ">"})
                  .ok());
  ASSERT_THAT(SendToDeadLetters(*redis_, kDefaultDeadLetterStream,
                                {{"foo", "bar"}}, {.error = "x"}),
              IsOk());

  Stats stats = ComputeStats(db_.get(), redis_.get(), Options());
  EXPECT_EQ(stats.outbox_pending, 2);
  EXPECT_GE(stats.outbox_oldest_age, absl::ZeroDuration());
  EXPECT_EQ(stats.processed, 0);
  EXPECT_EQ(stats.stream_length, 3);
  EXPECT_EQ(stats.consumer_pending, 1);
  EXPECT_EQ(stats.consumer_lag, 2);
  EXPECT_EQ(stats.dead_letters, 1);
  LogStats(stats, Options());
}

TEST_F(StatsTest, RedisDownLeavesRedisPartsUnknown) {
  redis_server_->Stop();
  Stats stats = ComputeStats(db_.get(), redis_.get(), Options());
  EXPECT_EQ(stats.outbox_pending, 2);
  EXPECT_EQ(stats.processed, 0);
  EXPECT_EQ(stats.stream_length, -1);
  EXPECT_EQ(stats.consumer_lag, -1);
  EXPECT_EQ(stats.consumer_pending, -1);
  EXPECT_EQ(stats.dead_letters, -1);
}

}  // namespace
}  // namespace umkm::events
