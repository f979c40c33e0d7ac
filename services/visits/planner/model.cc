// Calendar expansion, validation and plan figures.
#include "services/visits/planner/model.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"

namespace umkm::visits::planner {
namespace {

bool Contains(const std::vector<absl::CivilDay>& days, absl::CivilDay day) {
  return std::find(days.begin(), days.end(), day) != days.end();
}

absl::Status Invalid(const std::string& field, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

}  // namespace

std::vector<absl::CivilDay> WorkingDays(const Calendar& calendar) {
  std::vector<absl::CivilDay> days;
  for (int i = 0; i < calendar.num_days; ++i) {
    const absl::CivilDay day = calendar.first_day + i;
    const absl::Weekday wd = absl::GetWeekday(day);
    const bool weekend =
        wd == absl::Weekday::saturday || wd == absl::Weekday::sunday;
    if (weekend && !calendar.include_weekends) continue;
    if (Contains(calendar.holidays, day)) continue;
    days.push_back(day);
  }
  return days;
}

std::vector<TeamDay> TeamDays(const Problem& problem) {
  std::vector<TeamDay> out;
  for (absl::CivilDay day : WorkingDays(problem.calendar)) {
    const absl::Weekday wd = absl::GetWeekday(day);
    for (int t = 0; t < static_cast<int>(problem.teams.size()); ++t) {
      const Team& team = problem.teams[t];
      if (Contains(team.absent_days, day)) continue;
      TeamDay td{t, day, team.shift_start, team.shift_end, {}};
      for (const ShiftOverride& o : team.shift_overrides) {
        if (o.weekday == wd) {
          td.shift_start = o.start;
          td.shift_end = o.end;
        }
      }
      for (const BreakRule& b : problem.breaks) {
        if (std::find(b.weekdays.begin(), b.weekdays.end(), wd) !=
            b.weekdays.end()) {
          td.breaks.push_back(b);
        }
      }
      std::sort(td.breaks.begin(), td.breaks.end(),
                [](const BreakRule& a, const BreakRule& b) {
                  return a.earliest_start < b.earliest_start;
                });
      out.push_back(std::move(td));
    }
  }
  return out;
}

absl::Status ValidateProblem(const Problem& p) {
  const int nodes = p.travel.size();
  if (p.bases.empty()) return Invalid("bases", "at least one base is needed");
  for (size_t i = 0; i < p.bases.size(); ++i) {
    if (p.bases[i].node < 0 || p.bases[i].node >= nodes) {
      return Invalid(absl::StrCat("bases[", i, "].node"), "out of range");
    }
  }
  for (size_t i = 0; i < p.teams.size(); ++i) {
    const Team& t = p.teams[i];
    const std::string f = absl::StrCat("teams[", i, "]");
    if (t.base < 0 || t.base >= static_cast<int>(p.bases.size())) {
      return Invalid(f + ".base", "out of range");
    }
    if (!(t.shift_start <= t.shift_end)) {
      return Invalid(f + ".shift_end", "before shift_start");
    }
    if (t.max_visits_per_day < 0 || t.capacity < 0) {
      return Invalid(f, "negative limit");
    }
  }
  for (size_t i = 0; i < p.breaks.size(); ++i) {
    const BreakRule& b = p.breaks[i];
    if (!(b.earliest_start <= b.latest_start) || !(b.duration >= 0)) {
      return Invalid(absl::StrCat("breaks[", i, "]"), "bad window");
    }
  }
  for (size_t i = 0; i < p.visits.size(); ++i) {
    const Visit& v = p.visits[i];
    const std::string f = absl::StrCat("visits[", i, "]");
    if (v.node < 0 || v.node >= nodes) {
      return Invalid(f + ".node", "out of range");
    }
    if (!(v.duration >= 0)) return Invalid(f + ".duration", "negative");
    if (!(v.value >= 0)) return Invalid(f + ".value", "negative");
    if (!(v.demand >= 0)) return Invalid(f + ".demand", "negative");
    for (size_t w = 0; w < v.windows.size(); ++w) {
      if (!(v.windows[w].open <= v.windows[w].close)) {
        return Invalid(absl::StrCat(f, ".windows[", w, "]"), "open > close");
      }
      if (w > 0 && v.windows[w].open < v.windows[w - 1].close) {
        return Invalid(absl::StrCat(f, ".windows[", w, "]"),
                       "windows must be sorted and disjoint");
      }
    }
    if (v.pin.team) {
      bool found = false;
      for (const Team& t : p.teams) found = found || t.id == *v.pin.team;
      if (!found) return Invalid(f + ".pin.team", "unknown team");
    }
  }
  return absl::OkStatus();
}

Figures ComputeFigures(const Problem& problem, const Plan& plan) {
  Figures f;
  std::map<std::string, int> per_kecamatan;
  for (const Visit& v : problem.visits) {
    if (!v.kecamatan.empty()) per_kecamatan.emplace(v.kecamatan, 0);
  }
  std::vector<bool> served(problem.visits.size(), false);
  for (const Route& r : plan.routes) {
    if (!r.stops.empty()) ++f.team_days_used;
    f.travel_distance += r.distance;
    f.travel_time += r.travel_time;
    for (const Stop& s : r.stops) {
      const Visit& v = problem.visits[s.visit];
      served[s.visit] = true;
      ++f.visits_served;
      f.value_served += v.value;
      f.waiting_time += s.waiting;
      if (!v.kecamatan.empty()) ++per_kecamatan[v.kecamatan];
    }
  }
  for (size_t i = 0; i < served.size(); ++i) {
    if (!served[i] && problem.visits[i].mandatory) ++f.mandatory_unserved;
  }
  for (const auto& [name, count] : per_kecamatan) {
    f.visits_per_kecamatan.emplace_back(name, count);
    if (count == 0) ++f.kecamatan_uncovered;
  }
  return f;
}

}  // namespace umkm::visits::planner
