// Solomon instance parser.
#include "services/visits/planner/solomon_reader.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"

namespace umkm::visits::planner {

absl::StatusOr<SolomonInstance> ParseSolomon(const std::string& text) {
  std::istringstream in(text);
  SolomonInstance inst;
  std::string word;
  if (!(in >> inst.name)) return absl::InvalidArgumentError("empty instance");
  int vehicles = 0;
  double capacity = 0;
  // Skip to the two numbers after "CAPACITY".
  while (in >> word && word != "CAPACITY") {
  }
  if (!(in >> vehicles >> capacity) || vehicles <= 0 || capacity <= 0) {
    return absl::InvalidArgumentError("missing VEHICLE NUMBER/CAPACITY");
  }
  // Skip the customer header up to "SERVICE TIME" (its last words).
  while (in >> word && word != "SERVICE") {
  }
  in >> word;  // TIME
  struct Row {
    double x, y, demand, ready, due, service;
  };
  std::vector<Row> rows;
  int id = 0;
  Row r{};
  while (in >> id >> r.x >> r.y >> r.demand >> r.ready >> r.due >> r.service) {
    if (id != static_cast<int>(rows.size())) {
      return absl::InvalidArgumentError(
          absl::StrCat("customer numbers must run 0.. in order, got ", id));
    }
    rows.push_back(r);
  }
  if (!in.eof()) return absl::InvalidArgumentError("malformed customer line");
  if (rows.size() < 2) return absl::InvalidArgumentError("no customers");
  const int n = static_cast<int>(rows.size());
  std::vector<double> dist(static_cast<size_t>(n) * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      dist[i * n + j] =
          std::hypot(rows[i].x - rows[j].x, rows[i].y - rows[j].y);
    }
  }
  absl::StatusOr<TravelMatrix> travel = TravelMatrix::Explicit(dist, dist, n);
  if (!travel.ok()) return travel.status();
  Problem& p = inst.problem;
  p.travel = *std::move(travel);
  p.bases.push_back({"depot", 0});
  p.calendar.first_day = absl::CivilDay(2024, 7, 1);
  p.calendar.num_days = 1;
  p.calendar.include_weekends = true;
  for (int k = 0; k < vehicles; ++k) {
    Team t;
    t.id = absl::StrCat("v", k);
    t.base = 0;
    t.shift_start = rows[0].ready;
    t.shift_end = rows[0].due;
    t.capacity = capacity;
    p.teams.push_back(std::move(t));
  }
  for (int i = 1; i < n; ++i) {
    Visit v;
    v.id = absl::StrCat(i);
    v.node = i;
    v.duration = rows[i].service;
    v.windows = {{rows[i].ready, rows[i].due}};
    v.mandatory = true;
    v.demand = rows[i].demand;
    p.visits.push_back(std::move(v));
  }
  return inst;
}

absl::StatusOr<SolomonInstance> ReadSolomonFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << file.rdbuf();
  return ParseSolomon(buffer.str());
}

double PlanDistance(const Problem& problem, const Plan& plan) {
  double total = 0;
  for (const Route& r : plan.routes) {
    const int base = problem.bases[problem.teams[r.team].base].node;
    int prev = base;
    for (const Stop& s : r.stops) {
      const int node = problem.visits[s.visit].node;
      total += problem.travel.Distance(prev, node);
      prev = node;
    }
    total += problem.travel.Distance(prev, base);
  }
  return total;
}

}  // namespace umkm::visits::planner
