#include "common/aip/etag.h"

#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::aip {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

TEST(EtagTest, RoundTrips) {
  EXPECT_EQ(MakeEtag(42), "W/\"42\"");
  EXPECT_THAT(ParseEtag(MakeEtag(0)), IsOkAndHolds(0));
  EXPECT_THAT(ParseEtag(MakeEtag(123456789012345678)),
              IsOkAndHolds(123456789012345678));
}

class MalformedEtagTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MalformedEtagTest, InvalidArgumentOnField) {
  absl::StatusOr<int64_t> version = ParseEtag(GetParam(), "business.etag");
  EXPECT_THAT(version, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(version.status()),
              ElementsAre(Field(&FieldViolation::field, "business.etag")));
}

INSTANTIATE_TEST_SUITE_P(Etags, MalformedEtagTest,
                         ::testing::Values("", "42", "\"42\"", "W/42", "W/\"\"",
                                           "W/\"-1\"", "W/\"+1\"", "W/\" 1\"",
                                           "W/\"1x\"", "W/\"42\" ", "w/\"42\"",
                                           "W/\"99999999999999999999\""));

TEST(CheckEtagTest, Rules) {
  EXPECT_THAT(CheckEtag("", 7), IsOk());
  EXPECT_THAT(CheckEtag(MakeEtag(7), 7), IsOk());
  absl::Status stale = CheckEtag(MakeEtag(6), 7);
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ReasonOf(stale), "ETAG_MISMATCH");
  EXPECT_THAT(CheckEtag("garbage", 7),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace umkm::aip
