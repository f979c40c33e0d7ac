#include "common/events/envelope.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"

namespace umkm::events {
namespace {

using ::testing::MatchesRegex;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

TEST(NewEventTest, FillsTheEnvelope) {
  v1::BusinessRegistered payload;
  payload.set_business("businesses/42");
  const absl::Time now = absl::FromUnixSeconds(1'790'000'000);
  v1::Event event =
      NewEvent(payload, "umkm-registry", "businesses/42", "req-7", now);
  EXPECT_THAT(event.id(),
              MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]"
                           "{3}-[0-9a-f]{12}"));
  EXPECT_EQ(event.type(), "umkm.events.v1.BusinessRegistered");
  EXPECT_EQ(event.source(), "umkm-registry");
  EXPECT_EQ(event.subject(), "businesses/42");
  EXPECT_EQ(event.correlation_id(), "req-7");
  EXPECT_EQ(event.occurred_time().seconds(), 1'790'000'000);
  EXPECT_EQ(event.payload_case(), v1::Event::kBusinessRegistered);
  EXPECT_EQ(event.business_registered().business(), "businesses/42");
}

TEST(NewEventIdTest, UniqueAndOrderedByMillisecond) {
  std::set<std::string> ids;
  std::string previous_time_part;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewEventId();
    // The first 13 hex digits (with the dash) are the millisecond clock.
    std::string time_part = id.substr(0, 13);
    EXPECT_GE(time_part, previous_time_part);
    previous_time_part = time_part;
    ids.insert(std::move(id));
  }
  EXPECT_EQ(ids.size(), 10000u);
}

struct TypeCase {
  v1::Event event;
  std::string type;
};

TEST(TypeOfTest, NamesThePayloadSet) {
  v1::Event none;
  v1::Event visit;
  visit.mutable_visit_completed();
  v1::Event referral;
  referral.mutable_referral_status_changed();
  v1::Event overdue;
  overdue.mutable_complaint_overdue();
  const TypeCase cases[] = {
      {none, ""},
      {visit, "umkm.events.v1.VisitCompleted"},
      {referral, "umkm.events.v1.ReferralStatusChanged"},
      {overdue, "umkm.events.v1.ComplaintOverdue"},
  };
  for (const TypeCase& c : cases) EXPECT_EQ(TypeOf(c.event), c.type);
}

TEST(ParseTest, RoundTrips) {
  v1::BusinessDeactivated payload;
  payload.set_business("businesses/9");
  v1::Event event = NewEvent(payload, "umkm-registry", "businesses/9", "r");
  absl::StatusOr<v1::Event> parsed = Parse(Serialize(event));
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->SerializeAsString(), event.SerializeAsString());
}

TEST(ParseTest, AcceptsAPayloadThisBinaryDoesNotKnow) {
  // A newer producer's payload: type set, oneof field unknown here.
  v1::Event event;
  event.set_id("e1");
  event.set_type("umkm.events.v1.SomethingNew");
  EXPECT_THAT(Parse(Serialize(event)), IsOk());
}

TEST(ParseTest, DropsUnknownFieldsAtEveryDepth) {
  v1::BusinessUpdated payload;
  payload.set_business("businesses/9");
  payload.GetReflection()->MutableUnknownFields(&payload)->AddLengthDelimited(
      999, "3573021508900009");
  v1::Event event = NewEvent(payload, "umkm-registry", "businesses/9", "r");
  event.GetReflection()->MutableUnknownFields(&event)->AddVarint(998, 1);
  absl::StatusOr<v1::Event> parsed = Parse(Serialize(event));
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->business_updated().business(), "businesses/9");
  EXPECT_EQ(parsed->SerializeAsString().find("3573021508900009"),
            std::string::npos);
  EXPECT_EQ(parsed->GetReflection()->GetUnknownFields(*parsed).field_count(),
            0);
}

TEST(ParseTest, RejectsMalformedEvents) {
  v1::Event no_id;
  no_id.mutable_visit_completed();
  no_id.set_type("umkm.events.v1.VisitCompleted");
  v1::Event no_payload;
  no_payload.set_id("e1");
  v1::Event wrong_type;
  wrong_type.set_id("e1");
  wrong_type.set_type("umkm.events.v1.BusinessRegistered");
  wrong_type.mutable_visit_completed();
  const std::string cases[] = {
      "\xff\xff\xff not a protobuf",
      Serialize(no_id),
      Serialize(no_payload),
      Serialize(wrong_type),
  };
  for (const std::string& bytes : cases) {
    EXPECT_THAT(Parse(bytes), StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

}  // namespace
}  // namespace umkm::events
