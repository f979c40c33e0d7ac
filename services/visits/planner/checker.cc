// Independent plan checker. Deliberately written without schedule.h.
#include "services/visits/planner/checker.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace umkm::visits::planner {
namespace {

constexpr double kEps = 1e-6;

std::string DayText(absl::CivilDay d) { return absl::FormatCivilTime(d); }

class Checker {
 public:
  Checker(const Problem& p, const Plan& plan) : p_(p), plan_(plan) {}

  std::vector<Violation> Run() {
    served_.assign(p_.visits.size(), 0);
    std::set<std::pair<int, absl::CivilDay>> seen_team_days;
    for (size_t r = 0; r < plan_.routes.size(); ++r) {
      const Route& route = plan_.routes[r];
      const std::string where = absl::StrCat("route ", r);
      if (route.team < 0 || route.team >= static_cast<int>(p_.teams.size())) {
        Add(ViolationKind::kBadReference, where + ": unknown team");
        continue;
      }
      if (!seen_team_days.insert({route.team, route.day}).second) {
        Add(ViolationKind::kTeamUnavailable,
            absl::StrCat(where, ": second route for team ",
                         p_.teams[route.team].id, " on ", DayText(route.day)));
      }
      CheckRoute(route, where);
    }
    CheckAccounting();
    return std::move(out_);
  }

 private:
  void Add(ViolationKind kind, std::string detail) {
    out_.push_back({kind, std::move(detail)});
  }

  bool IsWorkingDay(absl::CivilDay day) const {
    const Calendar& c = p_.calendar;
    if (day < c.first_day || day >= c.first_day + c.num_days) return false;
    const absl::Weekday wd = absl::GetWeekday(day);
    if (!c.include_weekends &&
        (wd == absl::Weekday::saturday || wd == absl::Weekday::sunday)) {
      return false;
    }
    return std::find(c.holidays.begin(), c.holidays.end(), day) ==
           c.holidays.end();
  }

  void CheckRoute(const Route& route, const std::string& where) {
    const Team& team = p_.teams[route.team];
    const absl::Weekday wd = absl::GetWeekday(route.day);
    if (!IsWorkingDay(route.day)) {
      Add(ViolationKind::kTeamUnavailable,
          absl::StrCat(where, ": ", DayText(route.day),
                       " is not a working day"));
    }
    if (std::find(team.absent_days.begin(), team.absent_days.end(),
                  route.day) != team.absent_days.end()) {
      Add(ViolationKind::kTeamUnavailable,
          absl::StrCat(where, ": team ", team.id, " is absent"));
    }
    double shift_start = team.shift_start, shift_end = team.shift_end;
    for (const ShiftOverride& o : team.shift_overrides) {
      if (o.weekday == wd) {
        shift_start = o.start;
        shift_end = o.end;
      }
    }
    if (route.depart < shift_start - kEps) {
      Add(ViolationKind::kShift, absl::StrCat(where, ": leaves before shift"));
    }
    if (route.return_time > shift_end + kEps) {
      Add(ViolationKind::kShift,
          absl::StrFormat("%s: returns at %.2f after shift end %.2f", where,
                          route.return_time, shift_end));
    }
    if (team.max_visits_per_day > 0 &&
        static_cast<int>(route.stops.size()) > team.max_visits_per_day) {
      Add(ViolationKind::kMaxVisits, absl::StrCat(where, ": too many visits"));
    }
    const int base_node = p_.bases[team.base].node;
    double load = 0;
    const int n = static_cast<int>(route.stops.size());
    // Breaks grouped by the gap they sit in (gap k: before stop k).
    std::vector<std::vector<const TakenBreak*>> gaps(n + 1);
    for (const TakenBreak& b : route.breaks) {
      if (b.before_stop < 0 || b.before_stop > n) {
        Add(ViolationKind::kBreak, absl::StrCat(where, ": break position"));
        continue;
      }
      gaps[b.before_stop].push_back(&b);
    }
    int prev_node = base_node;
    double prev_free = route.depart;
    for (int k = 0; k <= n; ++k) {
      const bool at_base = k == n;
      const int node = at_base ? base_node : -1;
      int visit_index = -1;
      if (!at_base) {
        visit_index = route.stops[k].visit;
        if (visit_index < 0 ||
            visit_index >= static_cast<int>(p_.visits.size())) {
          Add(ViolationKind::kBadReference,
              absl::StrCat(where, ": visit index"));
          return;
        }
      }
      const int to = at_base ? node : p_.visits[visit_index].node;
      const double next_begin =
          at_base ? route.return_time : route.stops[k].start;
      // The gap [prev_free, next_begin] must hold the trip and its breaks.
      double gap_breaks = 0;
      std::vector<const TakenBreak*> in_gap = gaps[k];
      std::sort(in_gap.begin(), in_gap.end(),
                [](auto* a, auto* b) { return a->start < b->start; });
      double cursor = prev_free;
      for (const TakenBreak* b : in_gap) {
        if (b->start < cursor - kEps || b->end > next_begin + kEps) {
          Add(ViolationKind::kBreak,
              absl::StrCat(where, ": break ", b->name, " overlaps work"));
        }
        cursor = b->end;
        gap_breaks += b->end - b->start;
      }
      const double trip = p_.travel.Duration(prev_node, to);
      if (next_begin < prev_free + trip + gap_breaks - kEps) {
        Add(ViolationKind::kTravelTime,
            absl::StrFormat("%s: no time to travel to stop %d", where, k));
      }
      if (!at_base) {
        const Stop& s = route.stops[k];
        const Visit& v = p_.visits[visit_index];
        ++served_[visit_index];
        load += v.demand;
        if (s.arrival < prev_free + trip - kEps || s.start < s.arrival - kEps ||
            std::abs(s.finish - (s.start + v.duration)) > kEps) {
          Add(ViolationKind::kDuration,
              absl::StrCat(where, ": inconsistent times at ", v.id));
        }
        bool in_window = v.windows.empty();
        for (const TimeWindow& w : v.windows) {
          in_window = in_window ||
                      (s.start >= w.open - kEps && s.start <= w.close + kEps);
        }
        if (!in_window) {
          Add(ViolationKind::kTimeWindow,
              absl::StrFormat("%s: %s starts at %.2f outside its hours", where,
                              v.id, s.start));
        }
        for (const std::string& skill : v.required_skills) {
          if (std::find(team.skills.begin(), team.skills.end(), skill) ==
              team.skills.end()) {
            Add(ViolationKind::kSkill,
                absl::StrCat(where, ": ", v.id, " needs skill ", skill));
          }
        }
        if ((v.pin.team && *v.pin.team != team.id) ||
            (v.pin.day && *v.pin.day != route.day) ||
            (v.pin.start && std::abs(*v.pin.start - s.start) > kEps)) {
          Add(ViolationKind::kPin, absl::StrCat(where, ": pin of ", v.id));
        }
        prev_free = s.finish;
        prev_node = to;
      }
    }
    if (team.capacity > 0 && load > team.capacity + kEps) {
      Add(ViolationKind::kCapacity,
          absl::StrFormat("%s: load %.1f > capacity %.1f", where, load,
                          team.capacity));
    }
    CheckBreaks(route, where, wd);
  }

  // Every break rule of the weekday must be taken inside its window, unless
  // the team is back at base by its latest start.
  void CheckBreaks(const Route& route, const std::string& where,
                   absl::Weekday wd) {
    for (const BreakRule& rule : p_.breaks) {
      if (std::find(rule.weekdays.begin(), rule.weekdays.end(), wd) ==
          rule.weekdays.end()) {
        continue;
      }
      const TakenBreak* taken = nullptr;
      for (const TakenBreak& b : route.breaks) {
        if (b.name == rule.name) taken = &b;
      }
      if (taken == nullptr) {
        if (!route.stops.empty() &&
            route.return_time > rule.latest_start + kEps) {
          Add(ViolationKind::kBreak,
              absl::StrCat(where, ": break ", rule.name, " not taken"));
        }
        continue;
      }
      if (taken->start < rule.earliest_start - kEps ||
          taken->start > rule.latest_start + kEps ||
          taken->end - taken->start < rule.duration - kEps) {
        Add(ViolationKind::kBreak,
            absl::StrCat(where, ": break ", rule.name, " outside its window"));
      }
    }
  }

  void CheckAccounting() {
    std::vector<int> listed(p_.visits.size(), 0);
    for (const Unassigned& u : plan_.unassigned) {
      if (u.visit < 0 || u.visit >= static_cast<int>(p_.visits.size())) {
        Add(ViolationKind::kBadReference, "unassigned: visit index");
        continue;
      }
      ++listed[u.visit];
      if (u.reason.empty()) {
        Add(ViolationKind::kUnexplained,
            absl::StrCat(p_.visits[u.visit].id, ": no reason given"));
      }
    }
    for (size_t i = 0; i < p_.visits.size(); ++i) {
      const int total = served_[i] + listed[i];
      if (total > 1) {
        Add(ViolationKind::kDuplicateVisit,
            absl::StrCat(p_.visits[i].id, " appears ", total, " times"));
      } else if (total == 0) {
        Add(ViolationKind::kMissingVisit,
            absl::StrCat(p_.visits[i].id, " neither served nor reported"));
      }
    }
  }

  const Problem& p_;
  const Plan& plan_;
  std::vector<int> served_;
  std::vector<Violation> out_;
};

}  // namespace

std::vector<Violation> CheckPlan(const Problem& problem, const Plan& plan) {
  return Checker(problem, plan).Run();
}

absl::Status CheckPlanStatus(const Problem& problem, const Plan& plan) {
  const std::vector<Violation> v = CheckPlan(problem, plan);
  if (v.empty()) return absl::OkStatus();
  std::string msg = absl::StrCat(v.size(), " violation(s):");
  for (size_t i = 0; i < v.size() && i < 5; ++i) {
    absl::StrAppend(&msg, " [", ViolationKindName(v[i].kind), "] ", v[i].detail,
                    ";");
  }
  return absl::FailedPreconditionError(msg);
}

const char* ViolationKindName(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::kBadReference:
      return "bad-reference";
    case ViolationKind::kTeamUnavailable:
      return "team-unavailable";
    case ViolationKind::kTravelTime:
      return "travel-time";
    case ViolationKind::kTimeWindow:
      return "time-window";
    case ViolationKind::kDuration:
      return "duration";
    case ViolationKind::kShift:
      return "shift";
    case ViolationKind::kBreak:
      return "break";
    case ViolationKind::kMaxVisits:
      return "max-visits";
    case ViolationKind::kSkill:
      return "skill";
    case ViolationKind::kPin:
      return "pin";
    case ViolationKind::kCapacity:
      return "capacity";
    case ViolationKind::kDuplicateVisit:
      return "duplicate-visit";
    case ViolationKind::kMissingVisit:
      return "missing-visit";
    case ViolationKind::kUnexplained:
      return "unexplained";
  }
  return "unknown";
}

}  // namespace umkm::visits::planner
