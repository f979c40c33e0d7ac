#include "common/validate/places.h"

#include <cmath>
#include <limits>
#include <ostream>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::validate {
namespace {

using ::testing::IsNull;
using ::testing::NotNull;

TEST(PlacesTest, WholeCityIsEmbedded) {
  EXPECT_EQ(AllKecamatan().size(), 5u);
  EXPECT_EQ(AllKelurahan().size(), 57u);
  int total = 0;
  for (const Kecamatan& k : AllKecamatan()) total += k.kelurahan_count;
  EXPECT_EQ(total, 57);
}

TEST(PlacesTest, EveryKelurahanIsConsistent) {
  std::set<std::string> codes;
  for (const Kelurahan& k : AllKelurahan()) {
    SCOPED_TRACE(k.code);
    EXPECT_TRUE(codes.insert(k.code).second);
    EXPECT_EQ(k.code.substr(0, 8), k.kecamatan_code);
    EXPECT_THAT(FindKecamatan(k.kecamatan_code), NotNull());
    EXPECT_EQ(FindKelurahan(k.code), &k);
    EXPECT_EQ(FindKelurahanByName(k.name), &k);
    EXPECT_EQ(k.postal_code.size(), 5u);
    EXPECT_TRUE(WithinCityBounds(k.latitude, k.longitude, 0));
  }
}

TEST(PlacesTest, KemendagriAndBpsCodesDiffer) {
  const Kecamatan* klojen = FindKecamatan("35.73.02");
  ASSERT_THAT(klojen, NotNull());
  EXPECT_EQ(klojen->name, "Klojen");
  EXPECT_EQ(klojen->bps_code, "3573030");

  const Kelurahan* kiduldalem = FindKelurahan("35.73.02.1004");
  ASSERT_THAT(kiduldalem, NotNull());
  EXPECT_EQ(kiduldalem->name, "Kiduldalem");
  EXPECT_EQ(kiduldalem->kecamatan_code, "35.73.02");
  EXPECT_EQ(kiduldalem->postal_code, "65119");
  EXPECT_EQ(kiduldalem->bps_code, "3573030003");
}

TEST(PlacesTest, UnknownCodes) {
  EXPECT_THAT(FindKecamatan("35.73.06"), IsNull());
  EXPECT_THAT(FindKecamatan("357302"), IsNull());
  EXPECT_THAT(FindKecamatan(""), IsNull());
  EXPECT_THAT(FindKelurahan("35.73.02.1012"), IsNull());
  EXPECT_THAT(FindKelurahan("3573021004"), IsNull());
  EXPECT_THAT(FindKelurahan("35.73.02.1004 "), IsNull());
}

struct NameCase {
  std::string name;
  std::string code;  // empty: not found
};

void PrintTo(const NameCase& c, std::ostream* os) { *os << c.name; }

class KelurahanByNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(KelurahanByNameTest, Matches) {
  const Kelurahan* k = FindKelurahanByName(GetParam().name);
  if (GetParam().code.empty()) {
    EXPECT_THAT(k, IsNull());
  } else {
    ASSERT_THAT(k, NotNull());
    EXPECT_EQ(k->code, GetParam().code);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Spellings, KelurahanByNameTest,
    ::testing::Values(NameCase{"Tasik Madu", "35.73.05.1012"},
                      NameCase{"Tasikmadu", "35.73.05.1012"},
                      NameCase{"TASIKMADU", "35.73.05.1012"},
                      NameCase{"Oro-oro Dowo", "35.73.02.1008"},
                      NameCase{"Oro Oro Dowo", "35.73.02.1008"},
                      NameCase{"ORO-ORO-DOWO", "35.73.02.1008"},
                      NameCase{"Gading Kasri", "35.73.02.1010"},
                      NameCase{"Gadingkasri", "35.73.02.1010"},
                      NameCase{"  mojolangu ", "35.73.05.1009"},
                      NameCase{"Bandungrejosari", "35.73.04.1004"},
                      NameCase{"Sanan", ""}, NameCase{"", ""},
                      NameCase{" - ", ""}, NameCase{"Tasik_Madu", ""}));

TEST(KecamatanByNameTest, Matches) {
  const Kecamatan* k = FindKecamatanByName("kedung kandang");
  ASSERT_THAT(k, NotNull());
  EXPECT_EQ(k->code, "35.73.03");
  EXPECT_THAT(FindKecamatanByName("Batu"), IsNull());
}

struct PointCase {
  double latitude;
  double longitude;
  bool within;
};

class WithinCityBoundsTest : public ::testing::TestWithParam<PointCase> {};

TEST_P(WithinCityBoundsTest, Checks) {
  EXPECT_EQ(WithinCityBounds(GetParam().latitude, GetParam().longitude),
            GetParam().within);
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

INSTANTIATE_TEST_SUITE_P(
    Points, WithinCityBoundsTest,
    ::testing::Values(PointCase{-7.9777, 112.6341, true},  // Balai Kota
                      PointCase{-8.0516, 112.5689, true},  // corner
                      PointCase{-8.0556, 112.5649, true},  // in the margin
                      PointCase{-8.0576, 112.6341, false},
                      PointCase{-7.9048, 112.6341, false},
                      PointCase{-7.9777, 112.5629, false},
                      PointCase{-7.9777, 112.6998, false},
                      PointCase{-7.9777, 112.06, false},   // the wrong text
                      PointCase{7.9777, 112.6341, false},  // sign lost
                      PointCase{0, 0, false}, PointCase{kNaN, 112.6341, false},
                      PointCase{-7.9777, kNaN, false},
                      PointCase{kInf, 112.6341, false},
                      PointCase{-7.9777, -kInf, false}));

TEST(WithinCityBoundsTest, MarginIsConfigurable) {
  EXPECT_FALSE(WithinCityBounds(-8.0556, 112.6341, 0));
  EXPECT_TRUE(WithinCityBounds(-8.0556, 112.6341, 0.005));
  EXPECT_FALSE(WithinCityBounds(-7.9777, 112.6341, kNaN));
}

}  // namespace
}  // namespace umkm::validate
