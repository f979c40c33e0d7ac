#include "common/validate/provinces.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::validate {
namespace {

TEST(ProvincesTest, ThirtyEightProvincesInCodeOrder) {
  absl::Span<const Province> all = AllProvinces();
  EXPECT_EQ(all.size(), 38u);
  std::string previous;
  for (const Province& province : all) {
    EXPECT_GT(province.code, previous);
    EXPECT_EQ(FindProvince(province.code), &province);
    previous = std::string(province.code);
  }
}

TEST(ProvincesTest, KnownAndUnknownCodes) {
  ASSERT_NE(FindProvince("35"), nullptr);
  EXPECT_EQ(FindProvince("35")->name, "Jawa Timur");
  EXPECT_EQ(FindProvince("96")->name, "Papua Barat Daya");
  for (const char* code :
       {"00", "10", "20", "37", "54", "99", "3", "350", ""}) {
    EXPECT_EQ(FindProvince(code), nullptr) << code;
  }
}

}  // namespace
}  // namespace umkm::validate
