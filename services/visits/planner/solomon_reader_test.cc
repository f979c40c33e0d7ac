// Tests for the Solomon adapter on a real instance file.
#include "services/visits/planner/solomon_reader.h"

#include <cmath>

#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace umkm::visits::planner {
namespace {

using ::umkm::testing::StatusIs;

TEST(SolomonReaderTest, ReadsC101) {
  absl::StatusOr<SolomonInstance> inst =
      ReadSolomonFile(std::string(UMKM_TESTDATA_DIR) + "/solomon/c101.txt");
  ASSERT_TRUE(inst.ok()) << inst.status();
  const Problem& p = inst->problem;
  EXPECT_EQ(inst->name, "C101");
  ASSERT_EQ(p.visits.size(), 100u);
  ASSERT_EQ(p.teams.size(), 25u);
  EXPECT_EQ(p.teams[0].capacity, 200);
  EXPECT_EQ(p.teams[0].shift_start, 0);
  EXPECT_EQ(p.teams[0].shift_end, 1236);
  const Visit& first = p.visits[0];  // customer 1: 45 68 10 912 967 90
  EXPECT_EQ(first.demand, 10);
  EXPECT_EQ(first.duration, 90);
  ASSERT_EQ(first.windows.size(), 1u);
  EXPECT_EQ(first.windows[0].open, 912);
  EXPECT_EQ(first.windows[0].close, 967);
  EXPECT_TRUE(first.mandatory);
  EXPECT_DOUBLE_EQ(p.travel.Distance(0, 1), std::hypot(5.0, 18.0));
  EXPECT_DOUBLE_EQ(p.travel.Duration(0, 1), p.travel.Distance(0, 1));
  EXPECT_EQ(TeamDays(p).size(), 25u);
}

TEST(SolomonReaderTest, RejectsBadInput) {
  EXPECT_THAT(ParseSolomon(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseSolomon("X\nVEHICLE\nNUMBER CAPACITY\n 0 200\n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseSolomon("X\nVEHICLE\nNUMBER CAPACITY\n 2 200\nCUSTOMER\n"
                           "SERVICE TIME\n 0 1 1 0 0 100 0\n 2 1 1 1 0 9 1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadSolomonFile("/nonexistent/c101.txt"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace umkm::visits::planner
