// Replanning on top of an existing plan: fit in one urgent visit with the
// fewest changes, and re-plan the rest of a week when a team drops out.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/visits/planner/model.h"
#include "services/visits/planner/solver.h"

namespace umkm::visits::planner {

struct UrgentInsertion {
  Plan plan;
  int routes_changed = 0;  // 0 when the visit could not be placed
  int displaced = -1;      // optional visit dropped to make room, or -1
};

// Places problem.visits[visit] (normally just appended, mandatory) into
// `plan` changing a single route: the cheapest feasible position over all
// team-days (an unused team-day opens a new route only when no existing one
// fits); failing that, the cheapest swap that drops one optional visit of
// least value. Other routes keep their order and times. When nothing works
// the visit is reported unassigned. InvalidArgument for a bad index.
absl::StatusOr<UrgentInsertion> InsertUrgentVisit(const Problem& problem,
                                                  const Plan& plan, int visit);

// Team `team_id` is unavailable from `from_day` on: routes before that day
// stay as they are (already driven), the rest of the week is re-planned
// from the old plan (warm start) with every pin kept. Visits pinned to the
// missing team are reported unassigned. NotFound for an unknown team.
absl::StatusOr<Plan> ReplanWithoutTeam(const Problem& problem, const Plan& plan,
                                       const std::string& team_id,
                                       absl::CivilDay from_day,
                                       const SolveOptions& options);

}  // namespace umkm::visits::planner
