#include "common/aip/resource_name.h"

#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::aip {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

TEST(ParseResourceIdTest, Valid) {
  EXPECT_THAT(ParseResourceId("businesses/abc-123", "businesses"),
              IsOkAndHolds("abc-123"));
  EXPECT_THAT(ParseResourceId("businesses/3f1c2a9e-0b7d-4c55-9a51-6f0f5a2b8c11",
                              "businesses"),
              IsOkAndHolds("3f1c2a9e-0b7d-4c55-9a51-6f0f5a2b8c11"));
  EXPECT_THAT(
      ParseResourceId("businesses/" + std::string(63, 'a'), "businesses"),
      IsOkAndHolds(std::string(63, 'a')));
}

class MalformedNameTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MalformedNameTest, InvalidArgumentOnGivenField) {
  absl::StatusOr<std::string> id =
      ParseResourceId(GetParam(), "businesses", "business.name");
  EXPECT_THAT(id, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(id.status()),
              ElementsAre(Field(&FieldViolation::field, "business.name")));
}

INSTANTIATE_TEST_SUITE_P(
    Names, MalformedNameTest,
    ::testing::Values("", "businesses", "businesses/", "businesses//abc",
                      "businesses/ABC", "businesses/abc/def",
                      "businesses/abc_def", "businesses/abc ",
                      "businesses/../x", "businesses/%61", "business/abc",
                      "visits/abc", "/businesses/abc", "businessesabc",
                      "businesses/" + std::string(64, 'a'),
                      "businesses/1' OR '1'='1"));

TEST(ResourceNameTest, Builds) {
  EXPECT_EQ(ResourceName("businesses", "abc"), "businesses/abc");
  EXPECT_TRUE(IsValidResourceId("a-1"));
  EXPECT_FALSE(IsValidResourceId(""));
}

}  // namespace
}  // namespace umkm::aip
