#include "common/events/outbox.h"

#include <string>
#include <vector>

#include "common/events/relay.h"
#include "common/events/testing/fixture.h"
#include "common/status/macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::events {
namespace {

using ::testing::ElementsAreArray;
using ::umkm::events::testing::Eventually;
using ::umkm::events::testing::VisitCompletedEvent;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

class OutboxTest : public testing::EventsTest {
 protected:
  // Commits a state row and its event together, as a service would.
  absl::Status CreateWithEvent(const std::string& name,
                               const v1::Event& event) {
    return db_->Write([&](store::Connection& conn) -> absl::Status {
      UMKM_RETURN_IF_ERROR(
          conn.Execute("INSERT INTO state(name) VALUES (?)", name));
      return AppendToOutbox(conn, event);
    });
  }

  int64_t OutboxRows() {
    return Count(*db_, "SELECT count(*) FROM events_outbox");
  }

  // Event ids on the stream, in stream order.
  std::vector<std::string> PublishedIds() {
    std::vector<std::string> ids;
    for (const StreamEntry& entry : Range()) {
      auto bytes = FindField(entry.fields, kEventField);
      if (!bytes) continue;
      auto event = Parse(*bytes);
      if (event.ok()) ids.push_back(event->id());
    }
    return ids;
  }

  RelayOptions FastRelay() {
    return {.batch_size = 7,  // several rounds for the larger tests
            .poll_interval = absl::Milliseconds(20),
            .initial_backoff = absl::Milliseconds(10),
            .max_backoff = absl::Milliseconds(100)};
  }
};

TEST_F(OutboxTest, EventCommitsWithTheStateChange) {
  v1::Event event = VisitCompletedEvent("businesses/1");
  ASSERT_THAT(CreateWithEvent("a", event), IsOk());
  EXPECT_EQ(Count(*db_, "SELECT count(*) FROM state"), 1);
  EXPECT_EQ(Count(*db_,
                  "SELECT count(*) FROM events_outbox WHERE "
                  "event_id = ? AND published_time IS NULL",
                  event.id()),
            1);
}

TEST_F(OutboxTest, FailedTransactionLeavesNoEvent) {
  absl::Status status = db_->Write([&](store::Connection& conn) {
    EXPECT_THAT(AppendToOutbox(conn, VisitCompletedEvent("businesses/1")),
                IsOk());
    return absl::AbortedError("the state change failed after the append");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(OutboxRows(), 0);
}

TEST_F(OutboxTest, RejectsDuplicateAndIncompleteEvents) {
  v1::Event event = VisitCompletedEvent("businesses/1");
  ASSERT_THAT(CreateWithEvent("a", event), IsOk());
  EXPECT_THAT(CreateWithEvent("b", event),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(CreateWithEvent("c", v1::Event()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(OutboxRows(), 1);
  EXPECT_EQ(Count(*db_, "SELECT count(*) FROM state"), 1);
}

TEST_F(OutboxTest, RelayPublishesInCommitOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    v1::Event event = VisitCompletedEvent(absl::StrCat("businesses/", i));
    ids.push_back(event.id());
    ASSERT_THAT(CreateWithEvent(absl::StrCat("s", i), event), IsOk());
  }
  OutboxRelay relay(*db_, *redis_, FastRelay());
  relay.Start();
  relay.Notify();
  ASSERT_TRUE(Eventually([&] { return Length() >= 50; }));
  relay.Stop();
  EXPECT_THAT(PublishedIds(), ElementsAreArray(ids));
  EXPECT_EQ(relay.published(), 50);
  auto backlog = [&] {
    OutboxBacklog result;
    EXPECT_THAT(db_->Read([&](store::Connection& conn) -> absl::Status {
      UMKM_ASSIGN_OR_RETURN(result, ReadOutboxBacklog(conn));
      return absl::OkStatus();
    }),
                IsOk());
    return result;
  }();
  EXPECT_EQ(backlog.pending, 0);
  // Published rows are kept (retention) and marked.
  EXPECT_EQ(Count(*db_,
                  "SELECT count(*) FROM events_outbox "
                  "WHERE published_time IS NOT NULL"),
            50);
}

TEST_F(OutboxTest, RedisDownThenBackBacklogDrainsInOrder) {
  OutboxRelay relay(*db_, *redis_, FastRelay());
  relay.Start();
  redis_server_->Stop();

  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    v1::Event event = VisitCompletedEvent(absl::StrCat("businesses/", i));
    ids.push_back(event.id());
    // Writes succeed with Redis down.
    ASSERT_THAT(CreateWithEvent(absl::StrCat("s", i), event), IsOk());
    relay.Notify();
  }
  EXPECT_EQ(relay.published(), 0);
  EXPECT_EQ(Count(*db_,
                  "SELECT count(*) FROM events_outbox "
                  "WHERE published_time IS NULL"),
            30);

  ASSERT_THAT(redis_server_->Start(), IsOk());
  ASSERT_TRUE(Eventually([&] {
    return Count(*db_,
                 "SELECT count(*) FROM events_outbox "
                 "WHERE published_time IS NULL") == 0;
  }));
  relay.Stop();
  EXPECT_THAT(PublishedIds(), ElementsAreArray(ids));
}

TEST_F(OutboxTest, RowsCommittedBeforeACrashArePublishedAfterRestart) {
  // The producer committed and died before its relay ran; the rows are in
  // the file, and the relay of the restarted process publishes them.
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    v1::Event event = VisitCompletedEvent(absl::StrCat("businesses/", i));
    ids.push_back(event.id());
    ASSERT_THAT(CreateWithEvent(absl::StrCat("s", i), event), IsOk());
  }
  db_.reset();
  db_ = OpenDatabase("service.db");
  OutboxRelay relay(*db_, *redis_, FastRelay());
  relay.Start();  // no Notify: the first round runs at start
  ASSERT_TRUE(Eventually([&] { return Length() == 5; }));
  relay.Stop();
  EXPECT_THAT(PublishedIds(), ElementsAreArray(ids));
}

TEST_F(OutboxTest, StopPublishesWhatTheLastRequestsRecorded) {
  RelayOptions options = FastRelay();
  options.poll_interval = absl::Hours(1);  // only Notify or Stop wake it
  ASSERT_THAT(CreateWithEvent("a", VisitCompletedEvent("businesses/1")),
              IsOk());
  OutboxRelay relay(*db_, *redis_, options);
  relay.Start();
  ASSERT_TRUE(Eventually([&] { return Length() == 1; }));
  // Recorded by a last request whose Notify never came.
  ASSERT_THAT(CreateWithEvent("b", VisitCompletedEvent("businesses/2")),
              IsOk());
  relay.Stop();
  EXPECT_EQ(Length(), 2);
}

TEST_F(OutboxTest, PublishedRowsArePruned) {
  ASSERT_THAT(CreateWithEvent("a", VisitCompletedEvent("businesses/1")),
              IsOk());
  OutboxRelay relay(*db_, *redis_, FastRelay());
  ASSERT_THAT(relay.PublishBatch(), IsOk());
  EXPECT_THAT(db_->Write([&](store::Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(int64_t pruned,
                          PruneOutbox(conn, absl::Now() + absl::Seconds(1)));
    EXPECT_EQ(pruned, 1);
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(OutboxRows(), 0);
}

}  // namespace
}  // namespace umkm::events
