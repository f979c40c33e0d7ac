// Independent feasibility checker for plans.
//
// Re-derives every constraint from the Problem alone; it shares no code with
// the solver's bookkeeping (schedule.h), so a bug there shows up here. Every
// test and the benchmark run it on every plan.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/visits/planner/model.h"

namespace umkm::visits::planner {

enum class ViolationKind {
  kBadReference,     // unknown team, visit index or day outside the horizon
  kTeamUnavailable,  // non-working day, holiday, team absent, two routes
  kTravelTime,       // times do not leave room for travel (and breaks)
  kTimeWindow,       // service starts outside every opening window
  kDuration,         // finish != start + duration, or start before arrival
  kShift,            // leaves before the shift starts or returns after it ends
  kBreak,            // a required break missing, misplaced or overlapping
  kMaxVisits,        // more visits than the team's daily maximum
  kSkill,            // the team lacks a required skill
  kPin,              // team, day or start pin not honoured
  kCapacity,         // demand above the team's capacity
  kDuplicateVisit,   // visit served twice, or both served and unassigned
  kMissingVisit,     // visit neither served nor reported unassigned
  kUnexplained,      // unassigned visit without a reason
};

struct Violation {
  ViolationKind kind;
  std::string detail;
};

// Returns every violation found (empty: the plan is feasible). Times are
// compared with a tolerance of 1e-6.
std::vector<Violation> CheckPlan(const Problem& problem, const Plan& plan);

// OK, or FailedPrecondition listing the first few violations.
absl::Status CheckPlanStatus(const Problem& problem, const Plan& plan);

const char* ViolationKindName(ViolationKind kind);

}  // namespace umkm::visits::planner
