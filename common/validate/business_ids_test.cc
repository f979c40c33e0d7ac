#include "common/validate/business_ids.h"

#include <ostream>
#include <string>

#include "absl/strings/str_format.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::validate {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

class NibTest : public ::testing::TestWithParam<std::pair<std::string, bool>> {
};

TEST_P(NibTest, FormatOnly) {
  const auto& [nib, valid] = GetParam();
  if (valid) {
    EXPECT_THAT(ValidateNib(nib), IsOk());
  } else {
    EXPECT_THAT(ValidateNib(nib), StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, NibTest,
    ::testing::Values(std::pair<std::string, bool>{"1234567890123", true},
                      std::pair<std::string, bool>{"0000000000000", true},
                      std::pair<std::string, bool>{"123456789012", false},
                      std::pair<std::string, bool>{"12345678901234", false},
                      std::pair<std::string, bool>{"12345678901a3", false},
                      std::pair<std::string, bool>{" 1234567890123", false},
                      std::pair<std::string, bool>{"", false}));

TEST(NibTest, NamesGivenField) {
  EXPECT_THAT(FieldViolationsOf(ValidateNib("x", "business.nib")),
              ElementsAre(Field(&FieldViolation::field, "business.nib")));
}

struct KbliCase {
  std::string code;
  char section;  // 0: invalid
};

void PrintTo(const KbliCase& c, std::ostream* os) { *os << c.code; }

class KbliTest : public ::testing::TestWithParam<KbliCase> {};

TEST_P(KbliTest, Section) {
  const KbliCase& c = GetParam();
  if (c.section != 0) {
    EXPECT_THAT(KbliSection(c.code), IsOkAndHolds(c.section));
    EXPECT_THAT(ValidateKbli(c.code), IsOk());
  } else {
    EXPECT_THAT(KbliSection(c.code),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(ValidateKbli(c.code),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Divisions, KbliTest,
    ::testing::Values(
        KbliCase{"10710", 'C'}, KbliCase{"56101", 'I'}, KbliCase{"47111", 'G'},
        KbliCase{"96021", 'S'}, KbliCase{"01111", 'A'}, KbliCase{"03000", 'A'},
        KbliCase{"05100", 'B'}, KbliCase{"09900", 'B'}, KbliCase{"33120", 'C'},
        KbliCase{"35101", 'D'}, KbliCase{"36000", 'E'}, KbliCase{"39000", 'E'},
        KbliCase{"41011", 'F'}, KbliCase{"43900", 'F'}, KbliCase{"45101", 'G'},
        KbliCase{"49110", 'H'}, KbliCase{"53201", 'H'}, KbliCase{"55110", 'I'},
        KbliCase{"58110", 'J'}, KbliCase{"63122", 'J'}, KbliCase{"64110", 'K'},
        KbliCase{"66190", 'K'}, KbliCase{"68111", 'L'}, KbliCase{"69101", 'M'},
        KbliCase{"75000", 'M'}, KbliCase{"77100", 'N'}, KbliCase{"82990", 'N'},
        KbliCase{"84111", 'O'}, KbliCase{"85111", 'P'}, KbliCase{"86101", 'Q'},
        KbliCase{"88999", 'Q'}, KbliCase{"90001", 'R'}, KbliCase{"93299", 'R'},
        KbliCase{"94111", 'S'}, KbliCase{"97000", 'T'}, KbliCase{"98200", 'T'},
        KbliCase{"99000", 'U'},
        // Divisions that do not exist, and malformed codes.
        KbliCase{"00000", 0}, KbliCase{"04100", 0}, KbliCase{"34000", 0},
        KbliCase{"40000", 0}, KbliCase{"44000", 0}, KbliCase{"48000", 0},
        KbliCase{"54000", 0}, KbliCase{"57000", 0}, KbliCase{"67000", 0},
        KbliCase{"76000", 0}, KbliCase{"83000", 0}, KbliCase{"89000", 0},
        KbliCase{"1071", 0}, KbliCase{"107100", 0}, KbliCase{"1071a", 0},
        KbliCase{"", 0}));

// KBLI 2020 has 88 divisions (golongan pokok); every other two-digit
// prefix is refused, whatever follows it.
TEST(KbliTest, ExactlyTheEightyEightDivisionsExist) {
  int divisions = 0;
  for (int division = 0; division < 100; ++division) {
    const std::string code = absl::StrFormat("%02d999", division);
    divisions += ValidateKbli(code).ok();
  }
  EXPECT_EQ(divisions, 88);
}

}  // namespace
}  // namespace umkm::validate
