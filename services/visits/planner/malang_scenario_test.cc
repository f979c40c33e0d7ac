// Tests for the Malang scenario's place data: the planner sees the same 57
// kelurahan, codes, names, kecamatan and centroids as common/validate.
#include "services/visits/planner/malang_scenario.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::visits::planner {
namespace {

TEST(MalangScenarioTest, KelurahanComeFromTheReferenceData) {
  const std::vector<Kelurahan> kel = MalangKelurahan();
  ASSERT_EQ(kel.size(), 57u);
  std::set<std::string> kecamatan;
  for (size_t i = 0; i < kel.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(kel[i - 1].code, kel[i].code);  // ordered by Kemendagri code
    }
    kecamatan.insert(kel[i].kecamatan);
  }
  EXPECT_THAT(kecamatan,
              ::testing::ElementsAre("Blimbing", "Kedungkandang", "Klojen",
                                     "Lowokwaru", "Sukun"));
  // First and last rows of common/validate/data/kelurahan.csv.
  EXPECT_EQ(kel.front().code, "35.73.01.1001");
  EXPECT_EQ(kel.front().name, "Balearjosari");
  EXPECT_EQ(kel.front().kecamatan, "Blimbing");
  EXPECT_DOUBLE_EQ(kel.front().centroid.lat, -7.92252);
  EXPECT_DOUBLE_EQ(kel.front().centroid.lon, 112.65017);
  EXPECT_EQ(kel.back().code, "35.73.05.1012");
  EXPECT_EQ(kel.back().name, "Tasik Madu");
  EXPECT_EQ(kel.back().kecamatan, "Lowokwaru");
  EXPECT_DOUBLE_EQ(kel.back().centroid.lat, -7.91898);
  EXPECT_DOUBLE_EQ(kel.back().centroid.lon, 112.62710);
}

TEST(MalangScenarioTest, RejectsAnEmptyCity) {
  EXPECT_FALSE(MakeMalangWeek({}, MalangWeekOptions{}).ok());
}

}  // namespace
}  // namespace umkm::visits::planner
