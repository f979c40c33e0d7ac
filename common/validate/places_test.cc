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

// Postal codes of Kota Malang are 651KX: K is the kecamatan (1 Klojen,
// 2 Blimbing, 3 Kedungkandang, 4 Sukun 6-9 and Lowokwaru 1-5).
TEST(PlacesTest, EveryPostalCodeLiesInItsKecamatansRange) {
  struct Range {
    const char* kecamatan;
    const char* first;
    const char* last;
  };
  constexpr Range kRanges[] = {{"35.73.01", "65121", "65127"},
                               {"35.73.02", "65111", "65119"},
                               {"35.73.03", "65131", "65139"},
                               {"35.73.04", "65146", "65149"},
                               {"35.73.05", "65141", "65145"}};
  for (const Kelurahan& k : AllKelurahan()) {
    SCOPED_TRACE(k.name);
    const Range* range = nullptr;
    for (const Range& r : kRanges) {
      if (k.kecamatan_code == r.kecamatan) range = &r;
    }
    ASSERT_NE(range, nullptr);
    EXPECT_GE(k.postal_code, range->first);
    EXPECT_LE(k.postal_code, range->last);
  }
}

TEST(PlacesTest, APostalCodeMustBeTheKelurahans) {
  const Kelurahan* jodipan = FindKelurahan("35.73.01.1011");
  ASSERT_THAT(jodipan, NotNull());
  EXPECT_EQ(jodipan->postal_code, "65127");
  EXPECT_TRUE(CheckPostalCode(*jodipan, "65127").ok());
  const Kelurahan* karangbesuki = FindKelurahanByName("Karang Besuki");
  ASSERT_THAT(karangbesuki, NotNull());
  EXPECT_EQ(karangbesuki->postal_code, "65146");
  for (const char* other : {"65119", "65126", "65137", "", "6512", "651270"}) {
    absl::Status status =
        CheckPostalCode(*jodipan, other, "business.address.postal_code");
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << other;
    EXPECT_THAT(status.message(), ::testing::HasSubstr("65127")) << other;
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
