#include "common/clock/clock.h"

#include <fstream>
#include <string>

#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm {
namespace {

using ::testing::HasSubstr;
using ::umkm::testing::IsOk;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

TEST(ParseRfc3339Test, AcceptsUtcOffsetsAndFractions) {
  const absl::Time expected = absl::FromUnixSeconds(1799049600);  // 2027-01-04
  EXPECT_EQ(*ParseRfc3339("2027-01-04T08:00:00Z"), expected);
  EXPECT_EQ(*ParseRfc3339("2027-01-04T15:00:00+07:00\n"), expected);
  EXPECT_EQ(*ParseRfc3339("2027-01-04T08:00:00.250Z"),
            expected + absl::Milliseconds(250));
}

TEST(ParseRfc3339Test, RefusesOtherText) {
  for (const char* bad :
       {"", "2027-01-04", "tomorrow", "2027-13-01T00:00:00Z", "1799049600"}) {
    EXPECT_EQ(ParseRfc3339(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(absl::FromUnixSeconds(1000));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(1000));
  clock.Advance(absl::Hours(25));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(1000) + absl::Hours(25));
  clock.Set(absl::FromUnixSeconds(5));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(5));
}

TEST(FileClockTest, ReturnsTheInstantInTheFile) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/now";
  WriteFile(path, "2027-01-04T08:00:00+07:00\n");
  FakeClock cadence;
  auto clock = FileClock::Open(path, cadence);
  ASSERT_THAT(clock, IsOk());
  EXPECT_EQ((*clock)->Now(), *ParseRfc3339("2027-01-04T01:00:00Z"));
}

TEST(FileClockTest, RereadsTheFileOnceASecondHasPassed) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/now";
  WriteFile(path, "2027-01-04T08:00:00Z");
  FakeClock cadence;
  auto clock = FileClock::Open(path, cadence);
  ASSERT_THAT(clock, IsOk());

  WriteFile(path, "2027-01-11T08:00:00Z");
  cadence.Advance(absl::Milliseconds(500));
  EXPECT_EQ((*clock)->Now(), *ParseRfc3339("2027-01-04T08:00:00Z"))
      << "re-read before a second passed";
  cadence.Advance(absl::Milliseconds(500));
  EXPECT_EQ((*clock)->Now(), *ParseRfc3339("2027-01-11T08:00:00Z"));
}

TEST(FileClockTest, KeepsTheLastGoodInstantWhenTheFileTurnsBad) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/now";
  WriteFile(path, "2027-01-04T08:00:00Z");
  FakeClock cadence;
  auto clock = FileClock::Open(path, cadence);
  ASSERT_THAT(clock, IsOk());

  WriteFile(path, "");  // a test caught rewriting the file
  cadence.Advance(absl::Seconds(2));
  EXPECT_EQ((*clock)->Now(), *ParseRfc3339("2027-01-04T08:00:00Z"));
  WriteFile(path, "2027-02-01T00:00:00Z");
  cadence.Advance(absl::Seconds(2));
  EXPECT_EQ((*clock)->Now(), *ParseRfc3339("2027-02-01T00:00:00Z"));
}

TEST(FileClockTest, OpenRefusesAMissingOrBadFile) {
  testing::TempDir dir;
  EXPECT_EQ(FileClock::Open(dir.path() + "/absent").status().code(),
            absl::StatusCode::kNotFound);
  WriteFile(dir.path() + "/bad", "next week");
  const absl::Status bad = FileClock::Open(dir.path() + "/bad").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), HasSubstr("next week"));
}

}  // namespace
}  // namespace umkm
