// Tests for replanning: urgent insertion touches one route, a team dropping
// out keeps the past and the pins.
#include "services/visits/planner/replan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/visits/planner/checker.h"
#include "services/visits/planner/malang_scenario.h"

namespace umkm::visits::planner {
namespace {

using ::testing::IsEmpty;

class ReplanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MalangWeekOptions wo;
    wo.num_visits = 60;
    wo.num_teams = 3;
    absl::StatusOr<Problem> p = MakeMalangWeek(MalangKelurahan(), wo);
    ASSERT_TRUE(p.ok());
    problem_ = *p;
    options_.max_iterations = 200;
    options_.time_limit = absl::Seconds(60);
    absl::StatusOr<Plan> plan = Solve(problem_, options_);
    ASSERT_TRUE(plan.ok());
    plan_ = *plan;
    ASSERT_THAT(CheckPlan(problem_, plan_), IsEmpty());
  }

  Problem problem_;
  SolveOptions options_;
  Plan plan_;
};

TEST_F(ReplanTest, UrgentVisitChangesOneRoute) {
  Visit urgent = problem_.visits[10];  // same place as a known visit
  urgent.id = "urgent";
  urgent.mandatory = true;
  urgent.pin = {};
  urgent.required_skills.clear();
  urgent.windows = {{8 * 60, 15 * 60}};
  problem_.visits.push_back(urgent);
  const int index = static_cast<int>(problem_.visits.size()) - 1;
  absl::StatusOr<UrgentInsertion> out =
      InsertUrgentVisit(problem_, plan_, index);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->routes_changed, 1);
  EXPECT_THAT(CheckPlan(problem_, out->plan), IsEmpty())
      << CheckPlanStatus(problem_, out->plan);
  int changed = 0;
  bool served = false;
  for (size_t r = 0; r < out->plan.routes.size(); ++r) {
    const Route& after = out->plan.routes[r];
    for (const Stop& s : after.stops) served = served || s.visit == index;
    if (r >= plan_.routes.size()) {
      ++changed;
      continue;
    }
    const Route& before = plan_.routes[r];
    bool same = before.stops.size() == after.stops.size();
    for (size_t k = 0; same && k < before.stops.size(); ++k) {
      same = before.stops[k].visit == after.stops[k].visit &&
             before.stops[k].start == after.stops[k].start;
    }
    changed += !same;
  }
  EXPECT_TRUE(served);
  EXPECT_EQ(changed, 1);
}

TEST_F(ReplanTest, TeamDropOutKeepsPastAndPins) {
  const std::vector<absl::CivilDay> days = WorkingDays(problem_.calendar);
  const absl::CivilDay from = days[2];
  const std::string dropped = problem_.teams[0].id;
  absl::StatusOr<Plan> out =
      ReplanWithoutTeam(problem_, plan_, dropped, from, options_);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(CheckPlan(problem_, *out), IsEmpty())
      << CheckPlanStatus(problem_, *out);
  for (const Route& r : out->routes) {
    EXPECT_FALSE(r.team == 0 && r.day >= from);
  }
  // Routes before the drop-out are unchanged.
  int past_before = 0, past_after = 0;
  for (const Route& r : plan_.routes) past_before += r.day < from;
  for (const Route& r : out->routes) past_after += r.day < from;
  EXPECT_EQ(past_before, past_after);
  // Pins to other teams are still honoured (the checker verified pins); the
  // visit pinned to the dropped team on a later day is reported.
  for (size_t v = 0; v < problem_.visits.size(); ++v) {
    const Pin& pin = problem_.visits[v].pin;
    if (!pin.team || *pin.team != dropped || !pin.day || *pin.day < from) {
      continue;
    }
    bool reported = false;
    for (const Unassigned& u : out->unassigned) {
      reported = reported || u.visit == static_cast<int>(v);
    }
    EXPECT_TRUE(reported) << problem_.visits[v].id;
  }
  EXPECT_EQ(out->figures.mandatory_unserved,
            static_cast<int>(
                std::count_if(out->unassigned.begin(), out->unassigned.end(),
                              [&](const Unassigned& u) {
                                return problem_.visits[u.visit].mandatory;
                              })));
}

TEST_F(ReplanTest, UnknownTeamIsNotFound) {
  EXPECT_EQ(ReplanWithoutTeam(problem_, plan_, "nobody",
                              problem_.calendar.first_day, options_)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace umkm::visits::planner
