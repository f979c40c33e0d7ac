#include "common/validate/scale.h"

#include <cstdint>
#include <limits>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::validate {
namespace {

using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

struct ScaleCase {
  int64_t amount;
  Scale scale;
};

class ScaleFromCapitalTest : public ::testing::TestWithParam<ScaleCase> {};
TEST_P(ScaleFromCapitalTest, InclusiveUpperBounds) {
  EXPECT_EQ(ScaleFromCapital(GetParam().amount), GetParam().scale)
      << GetParam().amount;
}
INSTANTIATE_TEST_SUITE_P(
    Boundaries, ScaleFromCapitalTest,
    ::testing::Values(ScaleCase{0, Scale::kMikro},
                      ScaleCase{1'000'000'000, Scale::kMikro},
                      ScaleCase{1'000'000'001, Scale::kKecil},
                      ScaleCase{5'000'000'000, Scale::kKecil},
                      ScaleCase{5'000'000'001, Scale::kMenengah},
                      ScaleCase{10'000'000'000, Scale::kMenengah},
                      ScaleCase{10'000'000'001, Scale::kBesar},
                      ScaleCase{std::numeric_limits<int64_t>::max(),
                                Scale::kBesar},
                      ScaleCase{-1, Scale::kMikro}));

class ScaleFromAnnualSalesTest : public ::testing::TestWithParam<ScaleCase> {};
TEST_P(ScaleFromAnnualSalesTest, InclusiveUpperBounds) {
  EXPECT_EQ(ScaleFromAnnualSales(GetParam().amount), GetParam().scale)
      << GetParam().amount;
}
INSTANTIATE_TEST_SUITE_P(
    Boundaries, ScaleFromAnnualSalesTest,
    ::testing::Values(ScaleCase{0, Scale::kMikro},
                      ScaleCase{1'000'000'001, Scale::kMikro},
                      ScaleCase{2'000'000'000, Scale::kMikro},
                      ScaleCase{2'000'000'001, Scale::kKecil},
                      ScaleCase{5'000'000'001, Scale::kKecil},
                      ScaleCase{15'000'000'000, Scale::kKecil},
                      ScaleCase{15'000'000'001, Scale::kMenengah},
                      ScaleCase{50'000'000'000, Scale::kMenengah},
                      ScaleCase{50'000'000'001, Scale::kBesar}));

TEST(ValidateAmountIdrTest, RejectsNegative) {
  EXPECT_THAT(ValidateAmountIdr(0, "business.capital_idr"), IsOk());
  EXPECT_THAT(ValidateAmountIdr(-1, "business.capital_idr"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ScaleNameTest, ProtoNames) {
  EXPECT_EQ(ScaleName(Scale::kMikro), "SCALE_MIKRO");
  EXPECT_EQ(ScaleName(Scale::kKecil), "SCALE_KECIL");
  EXPECT_EQ(ScaleName(Scale::kMenengah), "SCALE_MENENGAH");
  EXPECT_EQ(ScaleName(Scale::kBesar), "SCALE_BESAR");
}

}  // namespace
}  // namespace umkm::validate
