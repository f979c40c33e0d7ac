#include "common/status/field_violations.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

TEST(FieldViolationsTest, NothingAddedIsOk) {
  FieldViolations violations("business");
  EXPECT_TRUE(violations.empty());
  violations.Merge(absl::OkStatus());
  EXPECT_TRUE(violations.empty());
  EXPECT_THAT(std::move(violations).ToStatus(), IsOk());
}

TEST(FieldViolationsTest, NamesFieldsUnderThePrefixInOrder) {
  FieldViolations violations("business");
  EXPECT_EQ(violations.Path("owner.nik"), "business.owner.nik");
  violations.Add("display_name", "required");
  violations.Merge(InvalidField("business.owner.nik", "must be 16 digits"));
  violations.Add("products[0].display_name", "required");
  absl::Status status = std::move(violations).ToStatus();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ReasonOf(status), "INVALID_FIELD");
  EXPECT_THAT(
      FieldViolationsOf(status),
      ElementsAre(
          Field(&FieldViolation::field, "business.display_name"),
          Field(&FieldViolation::field, "business.owner.nik"),
          Field(&FieldViolation::field, "business.products[0].display_name")));
}

TEST(FieldViolationsTest, WithoutPrefixFieldsAreRootPaths) {
  FieldViolations violations;
  EXPECT_EQ(violations.Path("page_size"), "page_size");
  violations.Add("page_size", "must not be negative");
  EXPECT_THAT(FieldViolationsOf(std::move(violations).ToStatus()),
              ElementsAre(Field(&FieldViolation::field, "page_size")));
}

TEST(FieldViolationsTest, MergesEveryViolationOfAStatus) {
  FieldViolations violations;
  violations.Merge(InvalidFields({{"a", "x"}, {"b", "y"}}));
  EXPECT_THAT(violations.violations(),
              ElementsAre(Field(&FieldViolation::field, "a"),
                          Field(&FieldViolation::field, "b")));
}

TEST(FieldViolationsTest, AnErrorThatIsNotAboutFieldsWins) {
  FieldViolations violations;
  violations.Add("display_name", "required");
  violations.Merge(absl::InternalError("validator table missing"));
  violations.Merge(absl::UnavailableError("second, ignored"));
  EXPECT_FALSE(violations.empty());
  EXPECT_THAT(std::move(violations).ToStatus(),
              StatusIs(absl::StatusCode::kInternal));
}

}  // namespace
}  // namespace umkm
