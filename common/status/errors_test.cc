#include "common/status/errors.h"

#include "common/status/macros.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

TEST(InvalidFieldsTest, NamesEveryFieldAndCarriesReason) {
  absl::Status status =
      InvalidFields({{"business.owner.nik", "must be 16 digits"},
                     {"business.display_name", "required"}});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      FieldViolationsOf(status),
      ElementsAre(Field(&FieldViolation::field, "business.owner.nik"),
                  Field(&FieldViolation::field, "business.display_name")));
  EXPECT_EQ(ReasonOf(status), "INVALID_FIELD");
}

TEST(InvalidFieldsTest, SingleFieldMessageSaysWhy) {
  absl::Status status = InvalidField("page_size", "must not be negative");
  EXPECT_EQ(status.message(), "invalid page_size: must not be negative");
}

TEST(WithReasonTest, LeavesOkAlone) {
  EXPECT_THAT(WithReason(absl::OkStatus(), "X"), IsOk());
}

TEST(WithReasonTest, ReplacesEarlierReason) {
  absl::Status status =
      WithReason(WithReason(absl::NotFoundError("gone"), "A"), "B");
  EXPECT_EQ(ReasonOf(status), "B");
}

TEST(PreconditionFailedTest, IsFailedPreconditionWithReason) {
  absl::Status status =
      PreconditionFailed("STATE", "visits/1", "visit already completed",
                         "VISIT_ALREADY_COMPLETED");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(status), "VISIT_ALREADY_COMPLETED");
}

absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return absl::InvalidArgumentError("odd");
  return x / 2;
}

absl::StatusOr<int> Quarter(int x) {
  UMKM_ASSIGN_OR_RETURN(int half, Half(x));
  UMKM_ASSIGN_OR_RETURN(half, Half(half));
  return half;
}

absl::Status CheckEven(int x) {
  UMKM_RETURN_IF_ERROR(Half(x).status());
  return absl::OkStatus();
}

TEST(MacrosTest, PropagateErrorsAndValues) {
  EXPECT_THAT(Quarter(8), IsOkAndHolds(2));
  EXPECT_THAT(Quarter(6), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckEven(3), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckEven(4), IsOk());
}

}  // namespace
}  // namespace umkm
