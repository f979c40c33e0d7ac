#include "common/validate/mask.h"

#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::validate {
namespace {

struct MaskCase {
  std::string input;
  std::string masked;
};

void PrintTo(const MaskCase& c, std::ostream* os) { *os << c.input; }

class MaskNikTest : public ::testing::TestWithParam<MaskCase> {};
TEST_P(MaskNikTest, Masks) {
  EXPECT_EQ(MaskNik(GetParam().input), GetParam().masked);
}
INSTANTIATE_TEST_SUITE_P(
    Vectors, MaskNikTest,
    ::testing::Values(MaskCase{"3573021508900001", "3573**********01"},
                      MaskCase{"3573055508900002", "3573**********02"},
                      MaskCase{"", ""}, MaskCase{"12345", "*****"},
                      MaskCase{"3573 0215 0890 0001", "*******************"},
                      MaskCase{"Budi Santoso", "************"},
                      MaskCase{std::string(100, '7'), std::string(32, '*')}));

class MaskPhoneTest : public ::testing::TestWithParam<MaskCase> {};
TEST_P(MaskPhoneTest, Masks) {
  EXPECT_EQ(MaskPhone(GetParam().input), GetParam().masked);
}
INSTANTIATE_TEST_SUITE_P(
    Vectors, MaskPhoneTest,
    ::testing::Values(MaskCase{"+6281234567890", "+62812******90"},
                      MaskCase{"0812-3456-7890", "+62812******90"},
                      MaskCase{"(0341) 551234", "+62341****34"},
                      MaskCase{"031 12345", "+62311**45"}, MaskCase{"", ""},
                      MaskCase{"12345", "*****"},
                      MaskCase{"not a phone", "***********"}));

}  // namespace
}  // namespace umkm::validate
