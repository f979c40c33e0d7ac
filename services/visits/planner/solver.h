// The planner's solver: slack-string-removal ruin-and-recreate (SISR,
// Christiaens & Vanden Berghe 2020) with simulated annealing, preceded by a
// team-day (vehicle) minimisation phase with absence counters.
//
// Each available team-day is one vehicle of a vehicle routing problem with
// time windows; breaks are handled inside the route timing (schedule.h).
// Objective, lexicographic through weights: serve mandatory visits, then
// priority value and kecamatan coverage, then fewer team-days, then less
// travel distance.
#pragma once

#include <atomic>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/visits/planner/model.h"

namespace umkm::visits::planner {

struct SolveOptions {
  uint64_t seed = 1;
  // Anytime: the best plan found by then is returned.
  absl::Duration time_limit = absl::Seconds(1);
  // Measure time_limit on this thread's CPU time instead of the wall clock:
  // for benchmarks on a shared machine, where wall time depends on load.
  bool cpu_time_budget = false;
  // When > 0, also stops after this many iterations, and the annealing and
  // phase schedule follow iterations instead of the clock, so a run is
  // reproducible for a seed regardless of machine load.
  int64_t max_iterations = 0;
  // Polled every iteration (relaxed load); when it turns true the best plan
  // so far is returned. Not owned; may be null.
  const std::atomic<bool>* cancel = nullptr;
  // Share of the budget spent removing team-days while every visit is
  // served (skipped when some visits cannot all be served).
  double fleet_share = 0.4;

  // Objective weights (travel distance counts 1 per km / Solomon unit).
  double mandatory_penalty = 1e7;  // per mandatory visit left out
  double value_weight = 1e5;       // per unit of optional value left out
  double coverage_penalty = 1e6;   // per kecamatan with requests, no visit
  double team_day_cost = 1e3;      // per team-day used

  // SISR parameters.
  double avg_removed = 10;    // c-bar: mean customers removed per ruin
  int max_string = 10;        // L-max: longest removed string
  double split_depth = 0.01;  // beta
  double blink_rate = 0.01;   // chance to skip a position in recreate
  double t_start = 3.0;       // start temperature, x mean edge length
  double t_end = 0.01;        // end temperature, x mean edge length
};

struct SolveStats {
  int64_t iterations = 0;
  bool cancelled = false;
};

// Plans `problem`. `initial` (may be null) seeds the search: its routes are
// kept where still feasible, e.g. for replanning. Deterministic for a seed
// when the run ends by max_iterations. Thread-compatible: concurrent calls
// on different problems are fine. InvalidArgument when the problem is
// malformed; Internal if a produced route fails to time (a bug).
absl::StatusOr<Plan> Solve(const Problem& problem, const SolveOptions& options,
                           const Plan* initial = nullptr,
                           SolveStats* stats = nullptr);

}  // namespace umkm::visits::planner
