// Tests for the solver: every plan passes the independent checker, runs are
// reproducible for a seed, cancellation returns a valid plan, and the
// objective's priorities hold. Runs are bounded by iterations, not time.
#include "services/visits/planner/solver.h"

#include <atomic>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/visits/planner/checker.h"
#include "services/visits/planner/malang_scenario.h"
#include "services/visits/planner/solomon_reader.h"
#include "services/visits/planner/test_util.h"

namespace umkm::visits::planner {
namespace {

using ::testing::IsEmpty;
using ::umkm::testing::StatusIs;

SolveOptions Bounded(int64_t iterations, uint64_t seed = 1) {
  SolveOptions o;
  o.seed = seed;
  o.max_iterations = iterations;
  o.time_limit = absl::Seconds(60);  // never the binding limit in tests
  return o;
}

std::vector<std::vector<int>> Sequences(const Plan& plan) {
  std::vector<std::vector<int>> out;
  for (const Route& r : plan.routes) {
    std::vector<int> seq = {r.team};
    for (const Stop& s : r.stops) seq.push_back(s.visit);
    out.push_back(seq);
  }
  return out;
}

TEST(SolverTest, RandomInstancesPassTheChecker) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const Problem p = testing::RandomProblem(seed, 6 + seed % 20);
    absl::StatusOr<Plan> plan = Solve(p, Bounded(150, seed));
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_THAT(CheckPlan(p, *plan), IsEmpty())
        << "seed " << seed << ": " << CheckPlanStatus(p, *plan);
    // Every served visit counted once, every other one explained.
    EXPECT_EQ(plan->figures.visits_served + plan->unassigned.size(),
              p.visits.size());
  }
}

TEST(SolverTest, SolvesSolomonC101Feasibly) {
  absl::StatusOr<SolomonInstance> inst =
      ReadSolomonFile(std::string(UMKM_TESTDATA_DIR) + "/solomon/c101.txt");
  ASSERT_TRUE(inst.ok()) << inst.status();
  absl::StatusOr<Plan> plan = Solve(inst->problem, Bounded(1500));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(CheckPlan(inst->problem, *plan), IsEmpty());
  EXPECT_THAT(plan->unassigned, IsEmpty());
  EXPECT_LE(plan->routes.size(), 11u);  // best known: 10
}

TEST(SolverTest, SameSeedSamePlan) {
  const Problem p = testing::RandomProblem(5, 25);
  absl::StatusOr<Plan> a = Solve(p, Bounded(300, 9));
  absl::StatusOr<Plan> b = Solve(p, Bounded(300, 9));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Sequences(*a), Sequences(*b));
  EXPECT_EQ(a->figures.travel_distance, b->figures.travel_distance);
}

TEST(SolverTest, CancelledRunReturnsAValidPlan) {
  const Problem p = testing::RandomProblem(3, 25);
  std::atomic<bool> cancel{true};
  SolveOptions o = Bounded(1000000);
  o.cancel = &cancel;
  SolveStats stats;
  absl::StatusOr<Plan> plan = Solve(p, o, nullptr, &stats);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(stats.cancelled);
  EXPECT_EQ(stats.iterations, 0);
  EXPECT_THAT(CheckPlan(p, *plan), IsEmpty());
}

TEST(SolverTest, MandatoryBeforeOptionalWhenTimeIsShort) {
  // One team, one short shift: only one of two visits fits.
  Problem p = testing::TinyProblem();
  p.teams.resize(1);
  p.breaks.clear();
  p.teams[0].shift_end = 480 + 10 + 30 + 10 + 30 + 5;  // no room for v2 too
  p.visits.resize(2);
  p.visits[1].mandatory = true;
  p.visits[0].value = 100;
  absl::StatusOr<Plan> plan = Solve(p, Bounded(50));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->routes.size(), 1u);
  ASSERT_EQ(plan->routes[0].stops.size(), 1u);
  EXPECT_EQ(plan->routes[0].stops[0].visit, 1);
  ASSERT_EQ(plan->unassigned.size(), 1u);
  EXPECT_FALSE(plan->unassigned[0].reason.empty());
}

TEST(SolverTest, ReportsWhyAVisitCannotBeServed) {
  Problem p = testing::TinyProblem();
  p.visits[0].required_skills = {"diving"};
  p.visits[1].windows = {{1000, 1100}};  // after every shift
  p.visits[2].pin.start = 300;           // before the shop opens
  absl::StatusOr<Plan> plan = Solve(p, Bounded(50));
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(CheckPlan(p, *plan), IsEmpty());
  ASSERT_EQ(plan->unassigned.size(), 3u);
  EXPECT_THAT(plan->unassigned[0].reason, ::testing::HasSubstr("skills"));
  EXPECT_THAT(plan->unassigned[1].reason,
              ::testing::HasSubstr("opening hours"));
  EXPECT_THAT(plan->unassigned[2].reason, ::testing::HasSubstr("pinned start"));
}

TEST(SolverTest, HolidaysAndAbsencesGetNoRoutes) {
  Problem p = testing::RandomProblem(8, 20);
  p.calendar.holidays = {absl::CivilDay(2024, 7, 4)};
  p.teams[0].absent_days = {absl::CivilDay(2024, 7, 5)};
  absl::StatusOr<Plan> plan = Solve(p, Bounded(200));
  ASSERT_TRUE(plan.ok());
  for (const Route& r : plan->routes) {
    EXPECT_NE(r.day, absl::CivilDay(2024, 7, 4));
    EXPECT_FALSE(r.team == 0 && r.day == absl::CivilDay(2024, 7, 5));
  }
  EXPECT_THAT(CheckPlan(p, *plan), IsEmpty());
}

TEST(SolverTest, MalangWeekWithBreaksPassesTheChecker) {
  const std::vector<Kelurahan> kel = MalangKelurahan();
  EXPECT_EQ(kel.size(), 57u);
  MalangWeekOptions wo;
  wo.num_visits = 120;
  wo.num_teams = 3;
  absl::StatusOr<Problem> p = MakeMalangWeek(kel, wo);
  ASSERT_TRUE(p.ok());
  absl::StatusOr<Plan> plan = Solve(*p, Bounded(300));
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(CheckPlan(*p, *plan), IsEmpty()) << CheckPlanStatus(*p, *plan);
  EXPECT_EQ(plan->figures.mandatory_unserved, 0);
  EXPECT_EQ(plan->figures.kecamatan_uncovered, 0);
  bool friday_prayer = false;
  for (const Route& r : plan->routes) {
    for (const TakenBreak& b : r.breaks) {
      friday_prayer = friday_prayer || b.name == "friday-prayer";
    }
  }
  EXPECT_TRUE(friday_prayer);
}

TEST(SolverTest, RejectsMalformedProblem) {
  Problem p = testing::TinyProblem();
  p.visits[0].node = 42;
  EXPECT_THAT(Solve(p, Bounded(10)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace umkm::visits::planner
