// Tests for the independent checker: a valid hand-made plan passes, and each
// kind of violation, built by hand, is caught.
#include "services/visits/planner/checker.h"

#include <functional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/visits/planner/test_util.h"

namespace umkm::visits::planner {
namespace {

// Team B serves v1 (x=10) and v2 (x=20), team A serves v3 (x=30), v4 is
// reported unassigned. Everyone is back before lunch's latest start.
Plan ValidPlan() {
  const absl::CivilDay day(2024, 7, 1);
  Plan plan;
  Route b;
  b.team = 1;
  b.day = day;
  b.depart = 480;
  b.stops = {{0, 490, 490, 520, 0}, {1, 530, 530, 560, 0}};
  b.return_time = 580;
  Route a;
  a.team = 0;
  a.day = day;
  a.depart = 480;
  a.stops = {{2, 510, 510, 540, 0}};
  a.return_time = 570;
  plan.routes = {b, a};
  plan.unassigned = {{3, "no room left"}};
  return plan;
}

// Moves team B's second visit after lunch time.
void LateSecondVisit(Plan& plan) {
  plan.routes[0].stops[1] = {1, 530, 800, 830, 270};
  plan.routes[0].return_time = 850;
}

TEST(CheckerTest, ValidPlanPasses) {
  EXPECT_THAT(CheckPlan(testing::TinyProblem(), ValidPlan()),
              ::testing::IsEmpty());
}

TEST(CheckerTest, LunchTakenBetweenVisitsPasses) {
  Plan plan = ValidPlan();
  LateSecondVisit(plan);
  plan.routes[0].breaks = {{"lunch", 1, 700, 760}};
  EXPECT_THAT(CheckPlan(testing::TinyProblem(), plan), ::testing::IsEmpty());
}

struct BadCase {
  const char* name;
  std::function<void(Problem&, Plan&)> spoil;
  ViolationKind expected;
};

TEST(CheckerTest, CatchesEveryKindOfViolation) {
  const absl::CivilDay monday(2024, 7, 1), friday(2024, 7, 5);
  const BadCase cases[] = {
      {"closed",
       [](Problem& p, Plan&) {
         p.visits[0].windows = {{700, 900}};
       },
       ViolationKind::kTimeWindow},
      {"second window only",
       [](Problem& p, Plan&) {
         p.visits[0].windows = {{400, 450}, {600, 700}};
       },
       ViolationKind::kTimeWindow},
      {"teleport",
       [](Problem&, Plan& plan) {
         plan.routes[0].stops[1] = {1, 521, 521, 551, 0};
       },
       ViolationKind::kTravelTime},
      {"short service",
       [](Problem&, Plan& plan) { plan.routes[0].stops[0].finish = 500; },
       ViolationKind::kDuration},
      {"late return", [](Problem& p, Plan&) { p.teams[1].shift_end = 570; },
       ViolationKind::kShift},
      {"early start", [](Problem& p, Plan&) { p.teams[1].shift_start = 485; },
       ViolationKind::kShift},
      {"no lunch", [](Problem&, Plan& plan) { LateSecondVisit(plan); },
       ViolationKind::kBreak},
      {"lunch too early",
       [](Problem&, Plan& plan) {
         LateSecondVisit(plan);
         plan.routes[0].breaks = {{"lunch", 1, 600, 660}};
       },
       ViolationKind::kBreak},
      {"lunch during a visit",
       [](Problem&, Plan& plan) {
         LateSecondVisit(plan);
         plan.routes[0].breaks = {{"lunch", 2, 700, 760}};
       },
       ViolationKind::kBreak},
      {"no friday prayer",
       [friday](Problem& p, Plan& plan) {
         p.calendar.first_day = friday;
         p.breaks = {{"friday-prayer", {absl::Weekday::friday}, 660, 690, 120}};
         for (Route& r : plan.routes) r.day = friday;
         LateSecondVisit(plan);
       },
       ViolationKind::kBreak},
      {"too many visits",
       [](Problem& p, Plan&) { p.teams[1].max_visits_per_day = 1; },
       ViolationKind::kMaxVisits},
      {"skill",
       [](Problem& p, Plan&) { p.visits[0].required_skills = {"halal"}; },
       ViolationKind::kSkill},
      {"team pin", [](Problem& p, Plan&) { p.visits[0].pin.team = "A"; },
       ViolationKind::kPin},
      {"day pin",
       [](Problem& p, Plan&) {
         p.visits[0].pin.day = absl::CivilDay(2024, 7, 2);
       },
       ViolationKind::kPin},
      {"start pin", [](Problem& p, Plan&) { p.visits[0].pin.start = 600; },
       ViolationKind::kPin},
      {"capacity", [](Problem& p, Plan&) { p.teams[1].capacity = 3; },
       ViolationKind::kCapacity},
      {"served and unassigned",
       [](Problem&, Plan& plan) {
         plan.unassigned.push_back({0, "x"});
       },
       ViolationKind::kDuplicateVisit},
      {"served twice",
       [](Problem&, Plan& plan) {
         plan.routes[1].stops.push_back({0, 550, 550, 580, 0});
         plan.routes[1].return_time = 600;
       },
       ViolationKind::kDuplicateVisit},
      {"forgotten", [](Problem&, Plan& plan) { plan.unassigned.clear(); },
       ViolationKind::kMissingVisit},
      {"mandatory without reason",
       [](Problem& p, Plan& plan) {
         p.visits[3].mandatory = true;
         plan.unassigned[0].reason = "";
       },
       ViolationKind::kUnexplained},
      {"team absent",
       [monday](Problem& p, Plan&) { p.teams[1].absent_days = {monday}; },
       ViolationKind::kTeamUnavailable},
      {"holiday",
       [monday](Problem& p, Plan&) { p.calendar.holidays = {monday}; },
       ViolationKind::kTeamUnavailable},
      {"two routes one team-day",
       [](Problem&, Plan& plan) { plan.routes[1].team = 1; },
       ViolationKind::kTeamUnavailable},
      {"unknown visit",
       [](Problem&, Plan& plan) { plan.routes[1].stops[0].visit = 99; },
       ViolationKind::kBadReference},
  };
  for (const BadCase& c : cases) {
    Problem problem = testing::TinyProblem();
    Plan plan = ValidPlan();
    c.spoil(problem, plan);
    const std::vector<Violation> found = CheckPlan(problem, plan);
    bool caught = false;
    for (const Violation& v : found) caught = caught || v.kind == c.expected;
    EXPECT_TRUE(caught) << c.name << ": expected "
                        << ViolationKindName(c.expected) << ", got "
                        << CheckPlanStatus(problem, plan);
  }
}

TEST(CheckerTest, StatusNamesTheViolation) {
  Problem problem = testing::TinyProblem();
  problem.teams[1].capacity = 3;
  const absl::Status status = CheckPlanStatus(problem, ValidPlan());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("capacity"));
}

}  // namespace
}  // namespace umkm::visits::planner
