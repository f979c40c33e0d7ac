// Test fixtures for the planner: small hand-made and random problems.
#pragma once

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/visits/planner/model.h"

namespace umkm::visits::planner::testing {

// Points on a line at x = 0, 10, 20, ...; travel time = distance = |dx|.
inline TravelMatrix LineMatrix(const std::vector<double>& xs) {
  const int n = static_cast<int>(xs.size());
  std::vector<double> d(n * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) d[i * n + j] = std::abs(xs[i] - xs[j]);
  }
  return *TravelMatrix::Explicit(d, d, n);
}

// One base at x=0, teams A (skill "halal", capacity 10, max 3 visits) and B,
// Monday 2024-07-01 only, shift 480..960, lunch start in [690, 780] for 60.
// Visits v1..v4 at x = 10, 20, 30, 40, 30 min each, open 480..900.
inline Problem TinyProblem() {
  Problem p;
  p.travel = LineMatrix({0, 10, 20, 30, 40});
  p.bases = {{"base", 0}};
  p.calendar = {absl::CivilDay(2024, 7, 1), 1, {}, false};
  p.breaks = {{"lunch", {absl::Weekday::monday}, 690, 780, 60}};
  Team a{"A", 0, 480, 960, {}, 3, 10, {"halal"}, {}};
  Team b{"B", 0, 480, 960, {}, 0, 0, {}, {}};
  p.teams = {a, b};
  for (int i = 1; i <= 4; ++i) {
    Visit v;
    v.id = absl::StrCat("v", i);
    v.node = i;
    v.duration = 30;
    v.windows = {{480, 900}};
    v.demand = 2;
    v.kecamatan = i % 2 ? "Klojen" : "Sukun";
    p.visits.push_back(v);
  }
  return p;
}

// A random instance: up to 3 teams over a 3-day horizon with breaks, some
// two-window visits, skills, pins and optional visits.
inline Problem RandomProblem(uint64_t seed, int visits) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Problem p;
  std::vector<double> xs, ys;
  for (int i = 0; i <= visits; ++i) {
    xs.push_back(u(rng) * 60);
    ys.push_back(u(rng) * 60);
  }
  const int n = visits + 1;
  std::vector<double> dur(n * n), dist(n * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      dist[i * n + j] = std::hypot(xs[i] - xs[j], ys[i] - ys[j]);
      dur[i * n + j] = dist[i * n + j] * 1.5;
    }
  }
  p.travel = *TravelMatrix::Explicit(dur, dist, n);
  p.bases = {{"base", 0}};
  p.calendar = {absl::CivilDay(2024, 7, 4), 3, {}, false};  // Thu, Fri, Sat
  p.breaks = {{"lunch", {absl::Weekday::thursday}, 690, 780, 60},
              {"friday-prayer", {absl::Weekday::friday}, 660, 690, 120}};
  const int teams = 1 + static_cast<int>(rng() % 3);
  for (int t = 0; t < teams; ++t) {
    Team team{absl::StrCat("T", t), 0, 480, 960, {}, 4, 0, {}, {}};
    if (t == 0) team.skills = {"halal"};
    p.teams.push_back(team);
  }
  for (int i = 1; i <= visits; ++i) {
    Visit v;
    v.id = absl::StrCat("v", i);
    v.node = i;
    v.duration = 15 + 15 * static_cast<int>(rng() % 3);
    const double shape = u(rng);
    if (shape < 0.5) {
      v.windows = {{480, 900}};
    } else if (shape < 0.8) {
      v.windows = {{480, 600}, {780, 900}};
    }
    if (u(rng) < 0.15) v.required_skills = {"halal"};
    v.mandatory = u(rng) < 0.3;
    v.value = 1 + static_cast<int>(rng() % 5);
    v.kecamatan = absl::StrCat("K", rng() % 3);
    if (u(rng) < 0.1) v.pin.team = "T0";
    if (u(rng) < 0.1) v.pin.day = absl::CivilDay(2024, 7, 5);
    if (u(rng) < 0.05) {
      v.pin.start = 540;
      v.windows = {{480, 900}};
    }
    p.visits.push_back(v);
  }
  return p;
}

}  // namespace umkm::visits::planner::testing
