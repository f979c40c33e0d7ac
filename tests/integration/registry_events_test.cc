// The events backbone with the real umkm-registry binary, a real
// redis-server and real SQLite files (issue 3's fault tests): nothing is
// lost when Redis or the registry dies, nothing is applied twice, and bad
// entries end in the dead letters without stopping the consumer.
#include <signal.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/events/envelope.h"
#include "common/testing/eventually.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_fixture.h"

namespace umkm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::umkm::testing::IsOk;
using ::umkm::testing::ServiceProcess;
namespace ev = ::umkm::events::v1;

// Bounded polling (up to 60 s): events cross processes, and a relay may be
// backing off (up to 5 s) after Redis came back.
using ::umkm::testing::Eventually;

class RegistryEventsTest : public umkm::testing::RegistryFixture {
 protected:
  // Every envelope on the stream, oldest first.
  std::vector<ev::Event> StreamEvents(
      const std::string& stream = "umkm:events") {
    std::vector<ev::Event> out;
    auto reply = redis_client_->Command({"XRANGE", stream, "-", "+"});
    if (!reply.ok()) return out;
    for (const redis::Reply& entry : reply->elements) {
      const redis::Reply& fields = entry.elements[1];
      for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
        if (fields.elements[i].str != "event") continue;
        auto event = events::Parse(fields.elements[i + 1].str);
        if (event.ok()) out.push_back(*std::move(event));
      }
    }
    return out;
  }

  int64_t StreamLength(const std::string& stream) {
    auto reply = redis_client_->Command({"XLEN", stream});
    return reply.ok() ? reply->integer : -1;
  }

  void Publish(const ev::Event& event) {
    auto reply = redis_client_->Command(
        {"XADD", "umkm:events", "*", "event", events::Serialize(event)});
    ASSERT_THAT(reply, IsOk());
    ASSERT_FALSE(reply->is_error()) << reply->str;
  }

  void PublishRaw(std::vector<std::string> fields) {
    std::vector<std::string> argv = {"XADD", "umkm:events", "*"};
    argv.insert(argv.end(), fields.begin(), fields.end());
    auto reply = redis_client_->Command(argv);
    ASSERT_THAT(reply, IsOk());
  }

  static ev::Event VisitCompleted(const std::string& business,
                                  int64_t unix_seconds) {
    ev::VisitCompleted visit;
    visit.set_visit("visits/v1");
    visit.set_business(business);
    *visit.mutable_visit_time() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(unix_seconds);
    return events::NewEvent(visit, "umkm-visits", "visits/v1", "");
  }

  static ev::Event ComplaintFiled(const std::string& business) {
    ev::ComplaintFiled filed;
    filed.set_complaint("complaints/c1");
    filed.set_business(business);
    filed.set_category(umkm::common::v1::PROBLEM_CATEGORY_PERMODALAN);
    filed.set_state(umkm::common::v1::COMPLAINT_STATE_SUBMITTED);
    return events::NewEvent(filed, "umkm-complaints", "complaints/c1", "");
  }

  // The business once `done` holds for it (polling GetBusiness).
  template <typename Predicate>
  Business AwaitBusiness(Stub& stub, const std::string& name, Predicate done) {
    Business business;
    Eventually(
        [&] { return Get(stub, name, &business).ok() && done(business); });
    return business;
  }
};

TEST_F(RegistryEventsTest, RedisDownLosesNoEventAndOrderHolds) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  redis_->Stop();

  // Three businesses, each created then renamed twice, all while Redis is
  // down: every RPC succeeds and the events wait in the outbox.
  std::vector<std::string> names;
  for (int n = 0; n < 3; ++n) {
    Business created;
    ASSERT_TRUE(Create(*stub, n, &created).ok());
    names.push_back(created.name());
    for (int rename = 0; rename < 2; ++rename) {
      registry::v1::UpdateBusinessRequest request;
      request.mutable_business()->set_name(created.name());
      request.mutable_business()->set_display_name(
          absl::StrCat("Renamed ", n, "-", rename));
      request.mutable_update_mask()->add_paths("display_name");
      Business updated;
      ASSERT_TRUE(
          stub->UpdateBusiness(Context().get(), request, &updated).ok());
    }
  }

  ASSERT_THAT(redis_->Start(), IsOk());
  ASSERT_TRUE(Eventually([&] { return StreamEvents().size() >= 9; }))
      << registry->Log();
  std::vector<ev::Event> published = StreamEvents();
  EXPECT_EQ(published.size(), 9u);
  std::map<std::string, std::vector<std::string>> per_business;
  std::set<std::string> ids;
  for (const ev::Event& event : published) {
    ids.insert(event.id());
    per_business[event.subject()].push_back(
        event.has_business_registered()
            ? "registered"
            : absl::StrCat("updated:",
                           event.business_updated().display_name()));
  }
  EXPECT_EQ(ids.size(), 9u);  // none twice, none lost
  for (int n = 0; n < 3; ++n) {
    EXPECT_THAT(
        per_business[names[n]],
        ElementsAre("registered", absl::StrCat("updated:Renamed ", n, "-0"),
                    absl::StrCat("updated:Renamed ", n, "-1")));
  }
}

TEST_F(RegistryEventsTest, KillBetweenCommitAndPublishLosesNothing) {
  // Redis is down, so the relay cannot publish: every create commits its
  // event to the outbox and stops there. Then the registry is killed.
  redis_->Stop();
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  std::set<std::string> names;
  for (int n = 0; n < 5; ++n) {
    Business created;
    ASSERT_TRUE(Create(*stub, n, &created).ok());
    names.insert(created.name());
  }
  registry->Kill();

  ASSERT_THAT(redis_->Start(), IsOk());
  ASSERT_THAT(registry->Restart(), IsOk());
  ASSERT_TRUE(Eventually([&] { return StreamEvents().size() >= 5; }))
      << registry->Log();
  std::set<std::string> published;
  for (const ev::Event& event : StreamEvents()) {
    EXPECT_TRUE(event.has_business_registered());
    published.insert(event.business_registered().business());
  }
  EXPECT_EQ(published, names);
}

TEST_F(RegistryEventsTest, ConsumerKilledBeforeAckAppliesEffectOnce) {
  std::unique_ptr<ServiceProcess> registry =
      StartRegistry({"--consumer_name=registry-0",
                     "--testing_crash_after_event_commit=true"});
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());
  ASSERT_EQ(created.etag(), "W/\"1\"");

  // The effect commits, then the process dies before XACK.
  Publish(VisitCompleted(created.name(), 1'718'668'800));  // 18 June 2024
  ASSERT_TRUE(Eventually([&] { return !registry->process().Running(); }));
  EXPECT_EQ(registry->process().exit_code(), 86);

  // Restarted under the same name, it drains its pending entry first: the
  // redelivery is recognised and acknowledged without a second effect.
  registry = StartRegistry({"--consumer_name=registry-0"});
  ASSERT_NE(registry, nullptr);
  stub = StubFor(*registry);
  ASSERT_TRUE(Eventually([&] {
    auto pending =
        redis_client_->Command({"XPENDING", "umkm:events", "umkm-registry"});
    return pending.ok() && !pending->elements.empty() &&
           pending->elements[0].integer == 0;
  }));
  Business after;
  ASSERT_TRUE(Get(*stub, created.name(), &after).ok());
  EXPECT_EQ(after.last_visit_time().seconds(), 1'718'668'800);
  EXPECT_EQ(after.etag(), "W/\"2\"");  // one effect: W/"3" would be two
}

TEST_F(RegistryEventsTest, DuplicatesOnceMalformedToDeadLettersRestFlows) {
  std::unique_ptr<ServiceProcess> registry =
      StartRegistry({"--events_claim_idle=200ms", "--events_max_deliveries=3"});
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());

  const ev::Event filed = ComplaintFiled(created.name());
  Publish(filed);
  Publish(filed);                                   // the same event again
  PublishRaw({"event", "\x08not a protobuf\xff"});  // unparseable
  PublishRaw({"colour", "red"});                    // no event field
  Publish(VisitCompleted("businesses/nosuchbusiness", 1'718'668'800));
  Publish(VisitCompleted(created.name(), 1'719'014'400));  // behind them

  Business after = AwaitBusiness(*stub, created.name(), [](const Business& b) {
    return b.has_last_visit_time();
  });
  EXPECT_EQ(after.open_complaint_count(), 1);
  EXPECT_EQ(after.last_visit_time().seconds(), 1'719'014'400);
  // Created (1) + complaint (2) + visit (3): the duplicate changed nothing.
  EXPECT_EQ(after.etag(), "W/\"3\"");

  // Both malformed entries at once, the unknown business after 3 tries.
  ASSERT_TRUE(Eventually([&] { return StreamLength("umkm:events:dead") >= 3; }))
      << registry->Log();
  std::string dead_errors;
  auto dead = redis_client_->Command({"XRANGE", "umkm:events:dead", "-", "+"});
  ASSERT_THAT(dead, IsOk());
  for (const redis::Reply& entry : dead->elements) {
    const redis::Reply& fields = entry.elements[1];
    for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
      if (fields.elements[i].str == "dead.error") {
        dead_errors += fields.elements[i + 1].str + "\n";
      }
    }
  }
  EXPECT_EQ(StreamLength("umkm:events:dead"), 3);
  EXPECT_THAT(dead_errors, HasSubstr("nosuchbusiness"));
}

TEST_F(RegistryEventsTest, ComplaintAndReferralEventsFeedTheSummary) {
  std::unique_ptr<ServiceProcess> registry = StartRegistry();
  ASSERT_NE(registry, nullptr);
  auto stub = StubFor(*registry);
  Business created;
  ASSERT_TRUE(Create(*stub, 1, &created).ok());

  Publish(ComplaintFiled(created.name()));
  ev::ReferralCreated referral;
  referral.set_referral("referrals/r1");
  referral.set_business(created.name());
  referral.set_partner("partners/bank-jatim");
  Publish(events::NewEvent(referral, "umkm-financing", "referrals/r1", ""));
  ev::ReferralStatusChanged disbursed;
  disbursed.set_referral("referrals/r1");
  disbursed.set_business(created.name());
  disbursed.set_old_state(umkm::common::v1::REFERRAL_STATE_APPROVED);
  disbursed.set_new_state(umkm::common::v1::REFERRAL_STATE_DISBURSED);
  disbursed.set_disbursed_amount_idr(10'000'000);
  disbursed.set_total_disbursed_idr(10'000'000);
  Publish(events::NewEvent(disbursed, "umkm-financing", "referrals/r1", ""));
  ev::ComplaintStatusChanged closed;
  closed.set_complaint("complaints/c1");
  closed.set_business(created.name());
  closed.set_old_state(umkm::common::v1::COMPLAINT_STATE_RESOLVED);
  closed.set_new_state(umkm::common::v1::COMPLAINT_STATE_CLOSED);
  Publish(events::NewEvent(closed, "umkm-complaints", "complaints/c1", ""));

  Business after = AwaitBusiness(*stub, created.name(), [](const Business& b) {
    return b.financing().total_disbursed_idr() > 0 && b.etag() == "W/\"5\"";
  });
  EXPECT_EQ(after.open_complaint_count(), 0);
  EXPECT_EQ(after.financing().referral_count(), 1);
  EXPECT_EQ(after.financing().last_referral(), "referrals/r1");
  EXPECT_EQ(after.financing().last_referral_state(),
            umkm::common::v1::REFERRAL_STATE_DISBURSED);
  EXPECT_EQ(after.financing().total_disbursed_idr(), 10'000'000);
}

}  // namespace
}  // namespace umkm
