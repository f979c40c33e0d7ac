// Malang week generator.
#include "services/visits/planner/malang_scenario.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/validate/places.h"

namespace umkm::visits::planner {

std::vector<Kelurahan> MalangKelurahan() {
  std::vector<Kelurahan> out;
  for (const validate::Kelurahan& k : validate::AllKelurahan()) {
    // The embedded data guarantees every kelurahan's kecamatan exists.
    const validate::Kecamatan* kecamatan =
        validate::FindKecamatan(k.kecamatan_code);
    out.push_back({k.code, k.name, kecamatan->name, {k.latitude, k.longitude}});
  }
  return out;
}

std::vector<BreakRule> DefaultMalangBreaks() {
  using W = absl::Weekday;
  return {
      {"lunch",
       {W::monday, W::tuesday, W::wednesday, W::thursday},
       11.5 * 60,
       13 * 60,
       60},
      {"friday-prayer", {W::friday}, 11 * 60, 11.5 * 60, 120},
  };
}

absl::StatusOr<Problem> MakeMalangWeek(const std::vector<Kelurahan>& kelurahan,
                                       const MalangWeekOptions& o) {
  if (kelurahan.empty()) return absl::InvalidArgumentError("no kelurahan");
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Problem p;
  p.calendar = {o.first_day, o.num_days, o.holidays, false};
  p.breaks = DefaultMalangBreaks();
  p.bases.push_back({"balai-kota", 0});
  for (int t = 0; t < o.num_teams; ++t) {
    Team team;
    team.id = absl::StrCat("team-", t + 1);
    team.shift_start = 8 * 60;
    team.shift_end = 16 * 60;
    team.shift_overrides = {{absl::Weekday::friday, 7.5 * 60, 16.5 * 60}};
    team.max_visits_per_day = o.max_visits_per_day;
    if (t % 3 == 0) team.skills.push_back("halal");
    if (t % 3 == 1) team.skills.push_back("financing");
    p.teams.push_back(std::move(team));
  }
  std::vector<LatLon> points = {kBalaiKota};
  const std::vector<absl::CivilDay> days = WorkingDays(p.calendar);
  for (int i = 0; i < o.num_visits; ++i) {
    const Kelurahan& k = kelurahan[rng() % kelurahan.size()];
    points.push_back({k.centroid.lat + (unit(rng) - 0.5) * 2 * o.jitter_deg,
                      k.centroid.lon + (unit(rng) - 0.5) * 2 * o.jitter_deg});
    Visit v;
    v.id = absl::StrCat("visit-", i + 1);
    v.node = i + 1;
    v.duration = 20 + 5 * static_cast<int>(rng() % 9);  // 20..60 min
    v.kecamatan = k.kecamatan;
    const double shape = unit(rng);
    if (shape < 0.55) {
      v.windows = {{8 * 60, 15.5 * 60}};  // office hours
    } else if (shape < 0.75) {
      v.windows = {{7 * 60, 11 * 60}, {13 * 60, 16 * 60}};  // closed midday
    } else if (shape < 0.9) {
      v.windows = {{10 * 60, 14 * 60}};  // food stall
    }                                    // else open all day
    const double kind = unit(rng);
    if (kind < 0.1) v.required_skills = {"halal"};
    if (kind > 0.9) v.required_skills = {"financing"};
    v.mandatory = unit(rng) < o.mandatory_share;
    v.value = v.mandatory ? 10 : 1 + static_cast<int>(rng() % 5);
    p.visits.push_back(std::move(v));
  }
  // Pins: an exact appointment, a team-only and a day-only pin.
  for (int i = 0; i < o.num_pins && i < o.num_visits && !days.empty(); ++i) {
    Visit& v = p.visits[i];
    v.required_skills.clear();
    v.windows = {{8 * 60, 15.5 * 60}};
    v.mandatory = true;
    v.value = 10;
    if (i % 3 == 0) {
      v.pin.team = p.teams[0].id;
      v.pin.day = days[std::min<size_t>(1, days.size() - 1)];
      v.pin.start = 9.5 * 60;
    } else if (i % 3 == 1) {
      v.pin.team = p.teams[p.teams.size() - 1].id;
    } else {
      v.pin.day = days.back();
    }
  }
  p.travel = TravelMatrix::Haversine(points, o.detour_factor, o.speed_kmh);
  return p;
}

}  // namespace umkm::visits::planner
