#include "common/aip/request_id.h"

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
using ::umkm::testing::StatusIs;

class ValidRequestIdTest : public ::testing::TestWithParam<std::string> {};
TEST_P(ValidRequestIdTest, Accepted) {
  EXPECT_THAT(ValidateRequestId(GetParam()), IsOk());
}
INSTANTIATE_TEST_SUITE_P(
    Ids, ValidRequestIdTest,
    ::testing::Values("", "3F1C2A9E-0b7d-4c55-9a51-6f0f5a2b8c11", "a",
                      "create_business-2024_06_18", std::string(64, 'x')));

class InvalidRequestIdTest : public ::testing::TestWithParam<std::string> {};
TEST_P(InvalidRequestIdTest, RejectedOnField) {
  absl::Status status = ValidateRequestId(GetParam());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Field(&FieldViolation::field, "request_id")));
}
INSTANTIATE_TEST_SUITE_P(Ids, InvalidRequestIdTest,
                         ::testing::Values(std::string(65, 'x'), "a b", "a/b",
                                           "{3f1c2a9e-0b7d-4c55-9a51}", "a.b",
                                           "é", std::string("a\0b", 3)));

}  // namespace
}  // namespace umkm::aip
