#include "common/validate/phone.h"

#include <ostream>
#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::validate {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

struct PhoneCase {
  std::string input;
  std::string e164;  // empty: invalid
};

void PrintTo(const PhoneCase& c, std::ostream* os) { *os << c.input; }

class NormalizePhoneTest : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(NormalizePhoneTest, Normalizes) {
  const PhoneCase& c = GetParam();
  absl::StatusOr<std::string> got = NormalizePhone(c.input);
  if (c.e164.empty()) {
    EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument))
        << "input " << c.input;
    return;
  }
  EXPECT_THAT(got, IsOkAndHolds(c.e164)) << "input " << c.input;
  // Normalised output is a fixed point.
  EXPECT_THAT(NormalizePhone(c.e164), IsOkAndHolds(c.e164));
}

INSTANTIATE_TEST_SUITE_P(
    Mobile, NormalizePhoneTest,
    ::testing::Values(
        PhoneCase{"081234567890", "+6281234567890"},
        PhoneCase{"+6281234567890", "+6281234567890"},
        PhoneCase{"6281234567890", "+6281234567890"},
        PhoneCase{"0812-3456-7890", "+6281234567890"},
        PhoneCase{"0812 3456 7890", "+6281234567890"},
        PhoneCase{"0812.3456.7890", "+6281234567890"},
        PhoneCase{"+62 812-3456-7890", "+6281234567890"},
        PhoneCase{"(0812) 34567890", "+6281234567890"},
        PhoneCase{"0812345678", "+62812345678"},        // 10 digits
        PhoneCase{"0812345678901", "+62812345678901"},  // 13 digits
        PhoneCase{"081234567", ""},                     // 9 digits
        PhoneCase{"08123456789012", ""},                // 14 digits
        PhoneCase{"+62081234567890", ""},               // +620...
        PhoneCase{"+6208123456789", ""},                // +6208...
        PhoneCase{"62081234567890", ""},                // 620...
        PhoneCase{"81234567890", ""},                   // no prefix
        PhoneCase{"+6581234567", ""},                   // Singapore
        PhoneCase{"0812+34567890", ""},                 // '+' inside
        PhoneCase{"++6281234567890", ""}, PhoneCase{"0812/3456/7890", ""},
        PhoneCase{"0812345678a", ""}, PhoneCase{"", ""}, PhoneCase{"   ", ""},
        PhoneCase{"+", ""}, PhoneCase{"+62", ""}, PhoneCase{"0", ""}));

INSTANTIATE_TEST_SUITE_P(
    Landline, NormalizePhoneTest,
    ::testing::Values(PhoneCase{"(0341) 551234", "+62341551234"},
                      PhoneCase{"0341-551234", "+62341551234"},
                      PhoneCase{"0341 551 234", "+62341551234"},
                      PhoneCase{"+62341551234", "+62341551234"},
                      PhoneCase{"+62 (341) 551234", "+62341551234"},
                      PhoneCase{"034155123", ""},  // 5-digit subscriber
                      PhoneCase{"0341 1234567", "+623411234567"},  // 7 digits
                      PhoneCase{"0341 12345678", "+6234112345678"},
                      PhoneCase{"0341 123456789", ""},           // 9 digits
                      PhoneCase{"021 5551234", "+62215551234"},  // Jakarta
                      PhoneCase{"(021) 12345678", "+622112345678"},
                      PhoneCase{"031 12345",
                                "+623112345"},  // 2-digit area, 5 digits
                      PhoneCase{"0967 123456", "+62967123456"},  // Jayapura
                      PhoneCase{"0311234", ""},                  // too short
                      PhoneCase{"0123456789", ""},     // no area code 1x
                      PhoneCase{"00812345678", ""}));  // 00 prefix

TEST(NormalizePhoneTest, NamesGivenField) {
  EXPECT_THAT(
      FieldViolationsOf(NormalizePhone("x", "business.owner.phone").status()),
      ElementsAre(Field(&FieldViolation::field, "business.owner.phone")));
}

TEST(NormalizePhoneTest, RejectsOverlongInputWithoutWork) {
  EXPECT_THAT(NormalizePhone(std::string(10000, ' ') + "081234567890"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace umkm::validate
