// Tests for the window lookups, slack arrays and break-aware timing.
#include "services/visits/planner/schedule.h"

#include <random>

#include "gtest/gtest.h"
#include "services/visits/planner/checker.h"
#include "services/visits/planner/test_util.h"

namespace umkm::visits::planner {
namespace {

struct WindowCase {
  double t;
  double earliest;
  double latest;
};

TEST(ScheduleTest, EarliestAndLatestStartWithTwoWindows) {
  const std::vector<TimeWindow> w = {{100, 200}, {300, 400}};
  const WindowCase cases[] = {
      {50, 100, -kInf}, {150, 150, 150},  {250, 300, 200},
      {350, 350, 350},  {450, kInf, 400},
  };
  for (const WindowCase& c : cases) {
    EXPECT_EQ(EarliestStart(w, c.t), c.earliest) << c.t;
    EXPECT_EQ(LatestStart(w, c.t), c.latest) << c.t;
  }
  EXPECT_EQ(EarliestStart({}, 42), 42);
  EXPECT_EQ(LatestStart({}, 42), 42);
}

TEST(ScheduleTest, SlackArraysOnALine) {
  // Base at 0, stops at 10 and 20 (durations 5), shift [0, 100].
  const TravelMatrix travel = testing::LineMatrix({0, 10, 20});
  const std::vector<JobTiming> jobs = {{1, 5, {{30, 40}}}, {2, 5, {}}};
  const VehicleTiming vehicle{0, 0, 0, 100, {}};
  std::vector<double> fwd, bwd;
  ComputeSlack(travel, vehicle, jobs, {0, 1}, fwd, bwd);
  ASSERT_EQ(fwd.size(), 4u);
  EXPECT_EQ(fwd[0], 0);
  EXPECT_EQ(fwd[1], 35);  // arrives 10, waits to 30, serves 5
  EXPECT_EQ(fwd[2], 50);
  EXPECT_EQ(fwd[3], 70);
  EXPECT_EQ(bwd[3], 100);
  EXPECT_EQ(bwd[2], 75);  // 75 + 5 + 20 = 100
  EXPECT_EQ(bwd[1], 40);  // window close binds (60 would be later)
}

TEST(ScheduleTest, ConstantTimeCheckMatchesFullTimingWithoutBreaks) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    const Problem p = testing::RandomProblem(round, 8);
    std::vector<bool> impossible;
    const std::vector<JobTiming> jobs = JobTimings(p, &impossible);
    VehicleTiming vehicle{0, 0, 480, 960, {}};
    std::vector<int> seq;
    for (int j = 0; j < 8; ++j) {
      if (rng() % 2 && !impossible[j] &&
          TimeRoute(p.travel, vehicle, jobs, seq, j,
                    static_cast<int>(seq.size()), nullptr)) {
        seq.push_back(j);
      }
    }
    std::vector<double> fwd, bwd;
    ComputeSlack(p.travel, vehicle, jobs, seq, fwd, bwd);
    for (int x = 0; x < 8; ++x) {
      if (std::find(seq.begin(), seq.end(), x) != seq.end()) continue;
      for (int pos = 0; pos <= static_cast<int>(seq.size()); ++pos) {
        const int before = pos == 0 ? 0 : jobs[seq[pos - 1]].node;
        const int after =
            pos == static_cast<int>(seq.size()) ? 0 : jobs[seq[pos]].node;
        EXPECT_EQ(
            CanInsert(p.travel, jobs[x], before, after, fwd[pos], bwd[pos + 1]),
            TimeRoute(p.travel, vehicle, jobs, seq, x, pos, nullptr))
            << "round " << round << " job " << x << " pos " << pos;
      }
    }
  }
}

TEST(ScheduleTest, BreakIsTakenInsideItsWindow) {
  Problem p = testing::TinyProblem();
  std::vector<bool> impossible;
  const std::vector<JobTiming> jobs = JobTimings(p, &impossible);
  const std::vector<TeamDay> tds = TeamDays(p);
  ASSERT_EQ(tds.size(), 2u);
  // Three one-hour visits from 10:00 span midday.
  Route route;
  std::vector<JobTiming> long_jobs = jobs;
  for (JobTiming& j : long_jobs) j.duration = 60;
  long_jobs[0].windows = {{600, 900}};
  ASSERT_TRUE(TimeRoute(p.travel, VehicleTimingOf(p, tds[1]), long_jobs,
                        {0, 1, 2}, -1, -1, &route));
  ASSERT_EQ(route.breaks.size(), 1u);
  EXPECT_GE(route.breaks[0].start, 690);
  EXPECT_LE(route.breaks[0].start, 780);
  EXPECT_EQ(route.breaks[0].end - route.breaks[0].start, 60);
  EXPECT_LE(route.return_time, 960);
}

TEST(ScheduleTest, PinnedStartOutsideHoursIsImpossible) {
  Problem p = testing::TinyProblem();
  p.visits[0].pin.start = 1000;
  p.visits[1].pin.start = 600;
  std::vector<bool> impossible;
  const std::vector<JobTiming> jobs = JobTimings(p, &impossible);
  EXPECT_TRUE(impossible[0]);
  EXPECT_FALSE(impossible[1]);
  EXPECT_EQ(EarliestStart(jobs[1].windows, 500), 600);
  EXPECT_EQ(EarliestStart(jobs[1].windows, 601), kInf);
}

}  // namespace
}  // namespace umkm::visits::planner
