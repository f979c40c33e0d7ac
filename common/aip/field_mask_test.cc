#include "common/aip/field_mask.h"

#include <string>
#include <vector>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::aip {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

constexpr absl::string_view kUpdatable[] = {"display_name", "address.street",
                                            "owner.phone"};

TEST(CheckUpdateMaskTest, AllowedPathsDeduplicated) {
  const std::vector<std::string> paths = {"owner.phone", "display_name",
                                          "owner.phone"};
  EXPECT_THAT(CheckUpdateMask(paths, kUpdatable),
              IsOkAndHolds(ElementsAre("owner.phone", "display_name")));
}

TEST(CheckUpdateMaskTest, EmptyIsEmpty) {
  EXPECT_THAT(CheckUpdateMask(std::vector<std::string>{}, kUpdatable),
              IsOkAndHolds(IsEmpty()));
}

TEST(CheckUpdateMaskTest, StarExpands) {
  EXPECT_THAT(CheckUpdateMask(std::vector<std::string>{"*"}, kUpdatable),
              IsOkAndHolds(ElementsAre("display_name", "address.street",
                                       "owner.phone")));
  EXPECT_THAT(CheckUpdateMask(std::vector<std::string>{"*", "display_name"},
                              kUpdatable),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

class BadPathTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadPathTest, NamesPath) {
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  mask.add_paths(GetParam());
  absl::StatusOr<std::vector<std::string>> paths =
      CheckUpdateMask(mask, kUpdatable);
  ASSERT_THAT(paths, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<FieldViolation> violations = FieldViolationsOf(paths.status());
  ASSERT_THAT(violations,
              ElementsAre(Field(&FieldViolation::field, "update_mask")));
  EXPECT_THAT(violations[0].description, HasSubstr("'" + GetParam() + "'"));
}

INSTANTIATE_TEST_SUITE_P(Paths, BadPathTest,
                         ::testing::Values("scale", "name", "address",
                                           "owner.nik", "Display_Name", "",
                                           "display_name "));

TEST(CheckUpdateMaskTest, ProtoOverload) {
  google::protobuf::FieldMask mask;
  mask.add_paths("address.street");
  EXPECT_THAT(CheckUpdateMask(mask, kUpdatable),
              IsOkAndHolds(ElementsAre("address.street")));
}

}  // namespace
}  // namespace umkm::aip
