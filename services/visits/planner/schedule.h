// Route timing for the solver: opening-hour lookups, the forward/backward
// slack arrays that make an insertion's time check O(1), and the exact
// timetable of a route with breaks.
//
// The O(1) check ignores breaks: breaks only delay a team, so a position that
// fails it is infeasible, and one that passes is confirmed by TimeRoute()
// when the team-day has breaks. Arriving earlier never hurts (a team may
// wait), so a suffix of a route is feasible exactly when the arrival at its
// first stop is at most that stop's latest start (bwd below).
#pragma once

#include <limits>
#include <vector>

#include "services/visits/planner/model.h"
#include "services/visits/planner/travel.h"

namespace umkm::visits::planner {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// Earliest start >= t inside one of `windows` (sorted, disjoint; empty means
// always open); kInf when none.
double EarliestStart(const std::vector<TimeWindow>& windows, double t);
// Latest start <= t inside one of `windows`; -kInf when none.
double LatestStart(const std::vector<TimeWindow>& windows, double t);

// What the timing code needs to know about a visit.
struct JobTiming {
  int node = 0;
  double duration = 0;
  std::vector<TimeWindow> windows;  // pins on the start are folded in
};

// What the timing code needs to know about a team-day.
struct VehicleTiming {
  int start_node = 0;
  int end_node = 0;
  double shift_start = 0;
  double shift_end = 0;
  std::vector<BreakRule> breaks;  // sorted by earliest_start
};

// Slack arrays of a route with stops seq[0..n-1]; index 0 is the departure
// from the base and n+1 the return.
//   fwd[k]: earliest finish at k (fwd[0] = shift start),
//   bwd[k]: latest start at k that keeps k..n+1 feasible (bwd[n+1] = shift
//           end); -kInf when no start works.
// The route is feasible (ignoring breaks) iff fwd[n+1] <= shift end.
void ComputeSlack(const TravelMatrix& travel, const VehicleTiming& vehicle,
                  const std::vector<JobTiming>& jobs,
                  const std::vector<int>& seq, std::vector<double>& fwd,
                  std::vector<double>& bwd);

// O(1): can job `x` go between positions p and p+1 of a route with slack
// arrays fwd/bwd and `node_before`/`node_after` at those positions? Ignores
// breaks, capacity and visit limits.
inline bool CanInsert(const TravelMatrix& travel, const JobTiming& x,
                      int node_before, int node_after, double fwd_before,
                      double bwd_after) {
  const double start = EarliestStart(
      x.windows, fwd_before + travel.Duration(node_before, x.node));
  return start + x.duration + travel.Duration(x.node, node_after) <= bwd_after;
}

// Builds the exact timetable of the route serving seq (with `insert_job`
// placed before seq[insert_pos] when insert_pos >= 0; insert_pos == n
// appends), taking breaks greedily: at the stop where service would start
// after a break may begin, or just before the trip that would miss the
// break's latest start. The team leaves as late as the first stop allows.
// Returns false when the route is infeasible; fills `out` (stops carry job
// indices, team and day are left to the caller) when not null.
bool TimeRoute(const TravelMatrix& travel, const VehicleTiming& vehicle,
               const std::vector<JobTiming>& jobs, const std::vector<int>& seq,
               int insert_job, int insert_pos, Route* out);

// Timing data of every visit (pinned start folded into the windows; a start
// pin outside the opening hours gives an empty window list that admits
// nothing, marked by `impossible`).
std::vector<JobTiming> JobTimings(const Problem& problem,
                                  std::vector<bool>* impossible);
VehicleTiming VehicleTimingOf(const Problem& problem, const TeamDay& td);
// Skills, team pin and day pin of `visit` allow team-day `td`.
bool TeamDayAllows(const Problem& problem, const TeamDay& td,
                   const Visit& visit);

}  // namespace umkm::visits::planner
