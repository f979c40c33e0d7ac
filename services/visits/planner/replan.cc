// Urgent insertion and team drop-out replanning.
#include "services/visits/planner/replan.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/visits/planner/schedule.h"

namespace umkm::visits::planner {
namespace {

std::vector<int> VisitsOf(const Route& r, int skip) {
  std::vector<int> seq;
  for (const Stop& s : r.stops) {
    if (s.visit != skip) seq.push_back(s.visit);
  }
  return seq;
}

bool RespectsLimits(const Problem& p, const TeamDay& td,
                    const std::vector<int>& seq, int extra) {
  const Team& team = p.teams[td.team];
  const int count = static_cast<int>(seq.size()) + 1;
  if (team.max_visits_per_day > 0 && count > team.max_visits_per_day)
    return false;
  if (team.capacity > 0) {
    double load = p.visits[extra].demand;
    for (int v : seq) load += p.visits[v].demand;
    if (load > team.capacity + 1e-9) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<UrgentInsertion> InsertUrgentVisit(const Problem& problem,
                                                  const Plan& plan, int visit) {
  if (visit < 0 || visit >= static_cast<int>(problem.visits.size())) {
    return absl::InvalidArgumentError("visit: index out of range");
  }
  std::vector<bool> impossible;
  const std::vector<JobTiming> jobs = JobTimings(problem, &impossible);
  const std::vector<TeamDay> tds = TeamDays(problem);
  std::map<std::pair<int, absl::CivilDay>, int> route_of_td;
  for (size_t r = 0; r < plan.routes.size(); ++r) {
    route_of_td[{plan.routes[r].team, plan.routes[r].day}] =
        static_cast<int>(r);
  }
  struct Choice {
    double lost_value = kInf;
    double delta = kInf;
    int td = -1;
    Route route;
    int displaced = -1;
  } best;
  const Visit& urgent = problem.visits[visit];
  for (size_t t = 0; t < tds.size() && !impossible[visit]; ++t) {
    if (!TeamDayAllows(problem, tds[t], urgent)) continue;
    const VehicleTiming vt = VehicleTimingOf(problem, tds[t]);
    auto it = route_of_td.find({tds[t].team, tds[t].day});
    const std::vector<int> seq = it == route_of_td.end()
                                     ? std::vector<int>{}
                                     : VisitsOf(plan.routes[it->second], visit);
    const double old_dist =
        it == route_of_td.end() ? 0 : plan.routes[it->second].distance;
    // A new route costs more than any change to an existing one.
    const double open_cost = seq.empty() ? 1e9 : 0;
    // Candidates: the route as is, then the route minus one optional visit.
    for (int drop = -1; drop < static_cast<int>(seq.size()); ++drop) {
      std::vector<int> base = seq;
      double lost = 0;
      if (drop >= 0) {
        const Visit& d = problem.visits[seq[drop]];
        if (d.mandatory || d.pin.team || d.pin.day || d.pin.start) continue;
        lost = d.value;
        base.erase(base.begin() + drop);
      }
      if (!RespectsLimits(problem, tds[t], base, visit)) continue;
      for (int pos = 0; pos <= static_cast<int>(base.size()); ++pos) {
        Route route;
        if (!TimeRoute(problem.travel, vt, jobs, base, visit, pos, &route)) {
          continue;
        }
        const double delta = route.distance - old_dist + open_cost;
        if (lost < best.lost_value ||
            (lost == best.lost_value && delta < best.delta)) {
          best = {lost, delta, static_cast<int>(t), std::move(route),
                  drop >= 0 ? seq[drop] : -1};
        }
      }
    }
  }
  UrgentInsertion out;
  out.plan = plan;
  Plan& p = out.plan;
  auto unlist = [&](int v) {
    p.unassigned.erase(
        std::remove_if(p.unassigned.begin(), p.unassigned.end(),
                       [&](const Unassigned& u) { return u.visit == v; }),
        p.unassigned.end());
  };
  unlist(visit);
  if (best.td < 0) {
    p.unassigned.push_back(
        {visit, "urgent visit fits no team-day without moving other routes"});
  } else {
    best.route.team = tds[best.td].team;
    best.route.day = tds[best.td].day;
    auto it = route_of_td.find({best.route.team, best.route.day});
    if (it == route_of_td.end()) {
      p.routes.push_back(std::move(best.route));
    } else {
      p.routes[it->second] = std::move(best.route);
    }
    out.routes_changed = 1;
    if (best.displaced >= 0) {
      out.displaced = best.displaced;
      p.unassigned.push_back({best.displaced, "displaced by an urgent visit"});
    }
  }
  std::sort(p.unassigned.begin(), p.unassigned.end(),
            [](const Unassigned& a, const Unassigned& b) {
              return a.visit < b.visit;
            });
  p.figures = ComputeFigures(problem, p);
  return out;
}

absl::StatusOr<Plan> ReplanWithoutTeam(const Problem& problem, const Plan& plan,
                                       const std::string& team_id,
                                       absl::CivilDay from_day,
                                       const SolveOptions& options) {
  int team = -1;
  for (size_t t = 0; t < problem.teams.size(); ++t) {
    if (problem.teams[t].id == team_id) team = static_cast<int>(t);
  }
  if (team < 0) return absl::NotFoundError(absl::StrCat("team ", team_id));
  Problem rest = problem;
  const absl::CivilDay end =
      problem.calendar.first_day + problem.calendar.num_days;
  for (absl::CivilDay d = from_day; d < end; ++d) {
    rest.teams[team].absent_days.push_back(d);
  }
  if (from_day > rest.calendar.first_day) {
    rest.calendar.first_day = from_day;
    rest.calendar.num_days =
        static_cast<int>(std::max<int64_t>(0, end - from_day));
  }
  // Visits already served are pinned to their (past) day, outside the new
  // horizon, so the solver leaves them out; they are merged back below.
  Plan merged;
  std::vector<bool> done(problem.visits.size(), false);
  for (const Route& r : plan.routes) {
    if (r.day >= from_day) continue;
    merged.routes.push_back(r);
    for (const Stop& s : r.stops) {
      done[s.visit] = true;
      rest.visits[s.visit].pin.day = r.day;
    }
  }
  absl::StatusOr<Plan> next = Solve(rest, options, &plan);
  if (!next.ok()) return next.status();
  for (Route& r : next->routes) merged.routes.push_back(std::move(r));
  for (const Unassigned& u : next->unassigned) {
    if (done[u.visit]) continue;
    const Visit& v = problem.visits[u.visit];
    merged.unassigned.push_back(
        v.pin.team && *v.pin.team == team_id
            ? Unassigned{u.visit, "pinned to a team that dropped out"}
            : u);
  }
  merged.figures = ComputeFigures(problem, merged);
  return merged;
}

}  // namespace umkm::visits::planner
