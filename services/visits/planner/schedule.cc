// Route timing: windows, slack arrays and break-aware timetables.
#include "services/visits/planner/schedule.h"

#include <algorithm>

namespace umkm::visits::planner {

double EarliestStart(const std::vector<TimeWindow>& windows, double t) {
  if (windows.empty()) return t;
  for (const TimeWindow& w : windows) {
    if (t <= w.close) return std::max(t, w.open);
  }
  return kInf;
}

double LatestStart(const std::vector<TimeWindow>& windows, double t) {
  if (windows.empty()) return t;
  for (auto it = windows.rbegin(); it != windows.rend(); ++it) {
    if (t >= it->open) return std::min(t, it->close);
  }
  return -kInf;
}

void ComputeSlack(const TravelMatrix& travel, const VehicleTiming& vehicle,
                  const std::vector<JobTiming>& jobs,
                  const std::vector<int>& seq, std::vector<double>& fwd,
                  std::vector<double>& bwd) {
  const int n = static_cast<int>(seq.size());
  fwd.resize(n + 2);
  bwd.resize(n + 2);
  fwd[0] = vehicle.shift_start;
  int prev = vehicle.start_node;
  for (int k = 1; k <= n; ++k) {
    const JobTiming& j = jobs[seq[k - 1]];
    fwd[k] =
        EarliestStart(j.windows, fwd[k - 1] + travel.Duration(prev, j.node)) +
        j.duration;
    prev = j.node;
  }
  fwd[n + 1] = fwd[n] + travel.Duration(prev, vehicle.end_node);
  bwd[n + 1] = vehicle.shift_end;
  int next = vehicle.end_node;
  for (int k = n; k >= 1; --k) {
    const JobTiming& j = jobs[seq[k - 1]];
    bwd[k] = LatestStart(
        j.windows, bwd[k + 1] - travel.Duration(j.node, next) - j.duration);
    next = j.node;
  }
  bwd[0] = bwd[1] - travel.Duration(vehicle.start_node, next);
}

bool TimeRoute(const TravelMatrix& travel, const VehicleTiming& vehicle,
               const std::vector<JobTiming>& jobs, const std::vector<int>& seq,
               int insert_job, int insert_pos, Route* out) {
  const int n = static_cast<int>(seq.size()) + (insert_pos >= 0 ? 1 : 0);
  auto job_at = [&](int k) {
    if (insert_pos < 0 || k < insert_pos) return seq[k];
    if (k == insert_pos) return insert_job;
    return seq[k - 1];
  };
  if (out != nullptr) {
    out->stops.clear();
    out->breaks.clear();
    out->distance = 0;
    out->travel_time = 0;
  }
  const std::vector<BreakRule>& breaks = vehicle.breaks;
  size_t next_break = 0;
  double t = vehicle.shift_start;  // time the team is free at `cur`
  int cur = vehicle.start_node;
  bool first_trip_fixed = false;  // a break before stop 1 pins the departure
  for (int k = 0; k <= n; ++k) {
    const bool at_base = k == n;
    const int job = at_base ? -1 : job_at(k);
    const int node = at_base ? vehicle.end_node : jobs[job].node;
    const double trip = travel.Duration(cur, node);
    double ready = t + trip;
    double start = at_base ? ready : EarliestStart(jobs[job].windows, ready);
    double waiting_breaks = 0;
    while (next_break < breaks.size()) {
      const BreakRule& b = breaks[next_break];
      if (ready > b.latest_start) {
        // Arriving would miss the break: take it before the trip.
        const double bs = std::max(t, b.earliest_start);
        if (bs > b.latest_start) return false;
        if (out) out->breaks.push_back({b.name, k, bs, bs + b.duration});
        if (k == 0) first_trip_fixed = true;
        t = bs + b.duration;
        ready = t + trip;
      } else if (at_base) {
        // Back in time to take the remaining breaks at the base.
        next_break = breaks.size();
        break;
      } else if (start >= b.earliest_start) {
        // Service would begin after the break may: take it on arrival.
        const double bs = std::max(ready, b.earliest_start);
        if (out) out->breaks.push_back({b.name, k, bs, bs + b.duration});
        if (k == 0) first_trip_fixed = true;
        waiting_breaks += b.duration;
        ready = bs + b.duration;
      } else {
        break;  // later
      }
      ++next_break;
      start = at_base ? ready : EarliestStart(jobs[job].windows, ready);
    }
    if (start == kInf) return false;
    if (out) {
      out->distance += travel.Distance(cur, node);
      out->travel_time += trip;
    }
    if (at_base) {
      if (ready > vehicle.shift_end) return false;
      if (out) out->return_time = ready;
      break;
    }
    if (out) {
      const double arrival = t + trip;
      out->stops.push_back({job, arrival, start, start + jobs[job].duration,
                            start - arrival - waiting_breaks});
    }
    t = start + jobs[job].duration;
    cur = node;
  }
  if (out) {
    // Leave as late as the first stop allows, unless a break came first.
    out->depart = vehicle.shift_start;
    if (!out->stops.empty() && !first_trip_fixed) {
      Stop& s = out->stops.front();
      const double trip =
          travel.Duration(vehicle.start_node, jobs[s.visit].node);
      out->depart = std::max(vehicle.shift_start, s.start - trip);
      s.arrival = out->depart + trip;
      s.waiting = s.start - s.arrival;
    }
  }
  return true;
}

std::vector<JobTiming> JobTimings(const Problem& problem,
                                  std::vector<bool>* impossible) {
  std::vector<JobTiming> jobs;
  jobs.reserve(problem.visits.size());
  if (impossible) impossible->assign(problem.visits.size(), false);
  for (size_t i = 0; i < problem.visits.size(); ++i) {
    const Visit& v = problem.visits[i];
    JobTiming j{v.node, v.duration, v.windows};
    if (v.pin.start) {
      const double s = *v.pin.start;
      const bool open = EarliestStart(v.windows, s) == s;
      j.windows = {{s, s}};
      if (!open) {
        j.windows = {{kInf, kInf}};
        if (impossible) (*impossible)[i] = true;
      }
    }
    jobs.push_back(std::move(j));
  }
  return jobs;
}

VehicleTiming VehicleTimingOf(const Problem& problem, const TeamDay& td) {
  const int node = problem.bases[problem.teams[td.team].base].node;
  return {node, node, td.shift_start, td.shift_end, td.breaks};
}

bool TeamDayAllows(const Problem& problem, const TeamDay& td,
                   const Visit& visit) {
  const Team& team = problem.teams[td.team];
  if (visit.pin.team && *visit.pin.team != team.id) return false;
  if (visit.pin.day && *visit.pin.day != td.day) return false;
  for (const std::string& skill : visit.required_skills) {
    if (std::find(team.skills.begin(), team.skills.end(), skill) ==
        team.skills.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace umkm::visits::planner
