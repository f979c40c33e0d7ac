#include "common/context/request_context.h"

#include <string>
#include <vector>

#include "common/context/uuid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm {
namespace {

using ::testing::MatchesRegex;

const absl::Time kNow = absl::FromUnixSeconds(1799049600);

TEST(RequestIdTest, TakesAWellFormedHeader) {
  for (const std::string& id : std::vector<std::string>{
           "a", "req-42", "0190d7c2-8b5e-7f00-9c1a-1234567890ab", "abc.def_GHI",
           std::string(64, 'x')}) {
    EXPECT_TRUE(IsAcceptableRequestId(id)) << id;
    EXPECT_EQ(RequestIdFrom(id, kNow), id);
  }
}

TEST(RequestIdTest, ReplacesAnythingElseWithAUuidV7) {
  for (const std::string& id : std::vector<std::string>{
           std::string(), std::string(65, 'x'), std::string("a b"),
           std::string("x\"y"), std::string("line\nforged"),
           std::string("caf\xc3\xa9"), std::string("a/b")}) {
    EXPECT_FALSE(IsAcceptableRequestId(id)) << id;
    EXPECT_THAT(
        RequestIdFrom(id, kNow),
        MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]"
                     "{3}-[0-9a-f]{12}"));
  }
}

TEST(UuidV7Test, CarriesTheMillisecondsAndSortsByTime) {
  const std::string early = NewUuidV7(kNow);
  const std::string later = NewUuidV7(kNow + absl::Milliseconds(1));
  // 48-bit big-endian milliseconds in the first 12 hex digits.
  EXPECT_EQ(early.substr(0, 8) + early.substr(9, 4), "01a2dfb65c00");
  EXPECT_LT(early, later);
  EXPECT_NE(NewUuidV7(kNow), NewUuidV7(kNow));
}

TEST(RequestContextTest, RemainingAndCheckDeadline) {
  RequestContext context;
  EXPECT_EQ(context.Remaining(kNow), absl::InfiniteDuration());
  EXPECT_TRUE(context.CheckDeadline(kNow, "x").ok());
  context.deadline = kNow + absl::Seconds(2);
  EXPECT_EQ(context.Remaining(kNow), absl::Seconds(2));
  EXPECT_TRUE(context.CheckDeadline(kNow, "x").ok());
  EXPECT_EQ(context.Remaining(kNow + absl::Seconds(3)), absl::ZeroDuration());
  const absl::Status late =
      context.CheckDeadline(kNow + absl::Seconds(2), "before the commit");
  EXPECT_EQ(late.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(late.message(), "deadline passed before the commit");
}

TEST(RequestContextTest, BackgroundWorkKeepsTheCorrelation) {
  const RequestContext from_event =
      BackgroundContext(auth::Caller{}, "req-from-registry", kNow);
  EXPECT_EQ(from_event.correlation_id, "req-from-registry");
  EXPECT_NE(from_event.request_id, from_event.correlation_id);
  EXPECT_EQ(from_event.deadline, absl::InfiniteFuture());
  const RequestContext fresh = BackgroundContext(auth::Caller{}, "", kNow);
  EXPECT_EQ(fresh.correlation_id, fresh.request_id);
}

}  // namespace
}  // namespace umkm
