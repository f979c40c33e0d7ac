// GoogleTest matchers for absl::Status and absl::StatusOr<T>, which Abseil
// 20220623 does not ship.
//
//   EXPECT_THAT(store.Put(x), IsOk());
//   EXPECT_THAT(store.Get(id), StatusIs(absl::StatusCode::kNotFound));
//   EXPECT_THAT(Open(""), StatusIs(absl::StatusCode::kInvalidArgument,
//                                  HasSubstr("path")));
//   EXPECT_THAT(Parse("1"), IsOkAndHolds(1));
#pragma once

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace umkm::testing {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status;
  return status.ok();
}

MATCHER_P(StatusIs, code, "has status code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

// StatusIs(code, message_matcher): the code, and the message matches.
MATCHER_P2(StatusIs, code, message_matcher,
           "has status code " + absl::StatusCodeToString(code) +
               " and a matching message") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(status.message()), result_listener);
}

MATCHER_P(IsOkAndHolds, value_matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

}  // namespace umkm::testing
