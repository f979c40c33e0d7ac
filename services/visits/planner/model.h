// Input and output model of the visit route planner.
//
// A Problem describes one planning horizon: home bases, teams with shifts and
// breaks, a working-day calendar with holidays as data, visit requests and a
// travel model. A Plan is the answer: one route per team and working day with
// the full timetable, plus the visits left out and why. Times are minutes
// since the local (WIB) midnight of the route's day; Solomon instances use
// their own time unit, which works the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "services/visits/planner/travel.h"

namespace umkm::visits::planner {

// Service may START at any time in [open, close] (Solomon's convention).
struct TimeWindow {
  double open = 0;
  double close = 0;
};

// A home base (e.g. Balai Kota). `node` indexes the travel model.
struct Base {
  std::string id;
  int node = 0;
};

// A break rule: on the listed weekdays every team takes `duration` minutes
// starting in [earliest_start, latest_start]. A team that is back at its base
// before `latest_start` takes the break there, so the route need not hold it.
struct BreakRule {
  std::string name;
  std::vector<absl::Weekday> weekdays;
  double earliest_start = 0;
  double latest_start = 0;
  double duration = 0;
};

// Shift of a team on one weekday; absent means the team's default shift.
struct ShiftOverride {
  absl::Weekday weekday = absl::Weekday::monday;
  double start = 0;
  double end = 0;
};

struct Team {
  std::string id;
  int base = 0;  // index into Problem::bases
  double shift_start = 8 * 60;
  double shift_end = 16 * 60;
  std::vector<ShiftOverride> shift_overrides;
  int max_visits_per_day = 0;  // 0: no limit
  double capacity = 0;         // 0: no limit (Solomon uses it)
  std::vector<std::string> skills;
  std::vector<absl::CivilDay> absent_days;  // leave, illness, drop-out
};

// Working days are the horizon's Monday-to-Friday days minus holidays
// (national holidays and cuti bersama, from the yearly decree: data).
struct Calendar {
  absl::CivilDay first_day;
  int num_days = 5;
  std::vector<absl::CivilDay> holidays;
  bool include_weekends = false;  // Solomon and tests
};

// Optional pin: any subset of team, day and exact start time.
struct Pin {
  std::optional<std::string> team;
  std::optional<absl::CivilDay> day;
  std::optional<double> start;  // minutes since midnight
};

struct Visit {
  std::string id;
  int node = 0;                     // index into the travel model
  double duration = 30;             // minutes on site
  std::vector<TimeWindow> windows;  // opening hours; empty: any time
  std::vector<std::string> required_skills;
  bool mandatory = false;  // e.g. complaint follow-ups
  double value = 1;        // priority value of an optional visit
  double demand = 0;       // capacity use (Solomon)
  std::string kecamatan;   // coverage tag
  Pin pin;
};

struct Problem {
  std::vector<Base> bases;
  std::vector<Team> teams;
  Calendar calendar;
  std::vector<BreakRule> breaks;
  std::vector<Visit> visits;
  TravelMatrix travel;
};

// One team on one working day: the unit the solver fills with a route.
struct TeamDay {
  int team = 0;
  absl::CivilDay day;
  double shift_start = 0;
  double shift_end = 0;
  std::vector<BreakRule> breaks;  // the rules that apply on that weekday
};

// Working days of the calendar, in order.
std::vector<absl::CivilDay> WorkingDays(const Calendar& calendar);
// Every available (team, working day) pair with its shift and breaks, ordered
// by day then team.
std::vector<TeamDay> TeamDays(const Problem& problem);
// Checks indices, windows, durations and matrix sizes; InvalidArgument naming
// the first bad field otherwise.
absl::Status ValidateProblem(const Problem& problem);

// ---- Output ----

struct Stop {
  int visit = 0;  // index into Problem::visits
  double arrival = 0;
  double start = 0;
  double finish = 0;
  double waiting = 0;  // idle time at the stop not spent on a break
};

// A break taken between stops: `before_stop` stops were served before it
// (0: before the first visit, stops.size(): before returning to base).
struct TakenBreak {
  std::string name;
  int before_stop = 0;
  double start = 0;
  double end = 0;
};

struct Route {
  int team = 0;
  absl::CivilDay day;
  double depart = 0;       // leaves the base
  double return_time = 0;  // back at the base
  std::vector<Stop> stops;
  std::vector<TakenBreak> breaks;
  double distance = 0;     // km (Solomon: its unit)
  double travel_time = 0;  // minutes
};

struct Unassigned {
  int visit = 0;
  std::string reason;
};

struct Figures {
  int visits_served = 0;
  int mandatory_unserved = 0;
  double value_served = 0;
  double travel_distance = 0;
  double travel_time = 0;
  double waiting_time = 0;
  int team_days_used = 0;
  std::vector<std::pair<std::string, int>> visits_per_kecamatan;  // sorted
  int kecamatan_uncovered = 0;  // kecamatan with requests but no visit
};

struct Plan {
  std::vector<Route> routes;  // only team-days with at least one visit
  std::vector<Unassigned> unassigned;
  Figures figures;
};

// Computes the figures of `plan` from its routes (pure function).
Figures ComputeFigures(const Problem& problem, const Plan& plan);

}  // namespace umkm::visits::planner
