// umkm-planner-bench: measures the visit planner.
//
//   umkm-planner-bench [instance_dir] [best_known_csv] [seconds_per_instance]
//                      [--solomon-only | --malang-only] [--seed=N]
//                      [--malang-seconds=S]
//
// Solomon part: solves every *.txt instance in instance_dir on one thread,
// runs the independent checker on each plan and compares vehicles and
// distance with best_known.csv. Malang part: 1,000 visit requests over the
// 57 kelurahan, 10 teams, 5 working days. Ends with one `summary:` line.
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "services/visits/planner/checker.h"
#include "services/visits/planner/malang_scenario.h"
#include "services/visits/planner/solomon_reader.h"
#include "services/visits/planner/solver.h"

namespace planner = umkm::visits::planner;

namespace {

struct BestKnown {
  int vehicles = 0;
  double distance = 0;
};

std::map<std::string, BestKnown> ReadBestKnown(const std::string& path) {
  std::map<std::string, BestKnown> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f = absl::StrSplit(line, ',');
    BestKnown bk;
    if (f.size() >= 3 && absl::SimpleAtoi(f[1], &bk.vehicles) &&
        absl::SimpleAtod(f[2], &bk.distance)) {
      out[f[0]] = bk;
    }
  }
  return out;
}

std::string ClassOf(const std::string& name) {
  std::string cls;
  for (char c : name) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      cls += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else {
      cls += c;
      break;
    }
  }
  return cls;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

struct Totals {
  int instances = 0, feasible = 0, max_vehicle_excess = 0;
  double gap_sum = 0, time_sum = 0;
};

void RunSolomon(const std::string& dir, const std::string& csv,
                const planner::SolveOptions& base, Totals& total) {
  const std::map<std::string, BestKnown> best = ReadBestKnown(csv);
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".txt") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  struct ClassSum {
    int n = 0, vehicles = 0, bk_vehicles = 0, feasible = 0;
    double dist = 0, gap = 0, time = 0;
  };
  std::map<std::string, ClassSum> classes;
  std::printf("%-7s %4s %4s %10s %10s %7s %5s %7s %-8s %s\n", "inst", "veh",
              "bkv", "dist", "bk_dist", "gap%", "dveh", "time_s", "feasible",
              "iterations");
  for (const std::string& file : files) {
    const std::string name = std::filesystem::path(file).stem().string();
    absl::StatusOr<planner::SolomonInstance> inst =
        planner::ReadSolomonFile(file);
    if (!inst.ok()) {
      std::printf("%-7s read error: %s\n", name.c_str(),
                  std::string(inst.status().message()).c_str());
      continue;
    }
    const planner::SolveOptions opt = base;
    const auto t0 = std::chrono::steady_clock::now();
    planner::SolveStats stats;
    absl::StatusOr<planner::Plan> plan =
        planner::Solve(inst->problem, opt, nullptr, &stats);
    const double wall = Seconds(t0);
    if (!plan.ok()) {
      std::printf("%-7s solve error: %s\n", name.c_str(),
                  std::string(plan.status().message()).c_str());
      continue;
    }
    const absl::Status check = planner::CheckPlanStatus(inst->problem, *plan);
    const bool feasible = check.ok() && plan->figures.mandatory_unserved == 0;
    const int vehicles = static_cast<int>(plan->routes.size());
    const double dist = planner::PlanDistance(inst->problem, *plan);
    const auto bk_it = best.find(name);
    const BestKnown bk = bk_it == best.end() ? BestKnown{} : bk_it->second;
    const double gap =
        bk.distance > 0 ? 100.0 * (dist - bk.distance) / bk.distance : 0;
    std::printf("%-7s %4d %4d %10.2f %10.2f %7.2f %+5d %7.3f %-8s %lld\n",
                name.c_str(), vehicles, bk.vehicles, dist, bk.distance, gap,
                vehicles - bk.vehicles, wall, feasible ? "yes" : "NO",
                static_cast<long long>(stats.iterations));
    if (!check.ok()) {
      std::printf("        %s\n", std::string(check.message()).c_str());
    }
    ClassSum& c = classes[ClassOf(name)];
    ++c.n;
    c.vehicles += vehicles;
    c.bk_vehicles += bk.vehicles;
    c.feasible += feasible;
    c.dist += dist;
    c.gap += gap;
    c.time += wall;
    ++total.instances;
    total.feasible += feasible;
    total.gap_sum += gap;
    total.time_sum += wall;
    total.max_vehicle_excess =
        std::max(total.max_vehicle_excess, vehicles - bk.vehicles);
  }
  std::printf("\n%-7s %4s %9s %9s %11s %8s %8s %s\n", "class", "n", "mean_veh",
              "bk_veh", "mean_dist", "gap%", "time_s", "feasible");
  ClassSum all;
  for (const auto& [cls, c] : classes) {
    std::printf("%-7s %4d %9.2f %9.2f %11.2f %8.2f %8.3f %d/%d\n", cls.c_str(),
                c.n, 1.0 * c.vehicles / c.n, 1.0 * c.bk_vehicles / c.n,
                c.dist / c.n, c.gap / c.n, c.time / c.n, c.feasible, c.n);
    all.n += c.n;
    all.vehicles += c.vehicles;
    all.bk_vehicles += c.bk_vehicles;
    all.feasible += c.feasible;
    all.dist += c.dist;
    all.gap += c.gap;
    all.time += c.time;
  }
  if (all.n > 0) {
    std::printf("%-7s %4d %9.2f %9.2f %11.2f %8.2f %8.3f %d/%d\n", "all", all.n,
                1.0 * all.vehicles / all.n, 1.0 * all.bk_vehicles / all.n,
                all.dist / all.n, all.gap / all.n, all.time / all.n,
                all.feasible, all.n);
  }
}

void RunMalang(const planner::SolveOptions& base, Totals& total) {
  const double seconds = absl::ToDoubleSeconds(base.time_limit);
  const uint64_t seed = base.seed;
  std::printf(
      "\nMalang week: 1000 visit requests, 57 kelurahan, 10 teams, "
      "5 working days, limit %.0f s\n",
      seconds);
  planner::MalangWeekOptions wo;
  wo.seed = seed;
  absl::StatusOr<planner::Problem> problem =
      planner::MakeMalangWeek(planner::MalangKelurahan(), wo);
  if (!problem.ok()) return;
  const planner::SolveOptions opt = base;
  planner::SolveStats stats;
  const auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<planner::Plan> plan =
      planner::Solve(*problem, opt, nullptr, &stats);
  const double wall = Seconds(t0);
  if (!plan.ok()) {
    std::printf("error: %s\n", std::string(plan.status().message()).c_str());
    return;
  }
  const absl::Status check = planner::CheckPlanStatus(*problem, *plan);
  const planner::Figures& f = plan->figures;
  int mandatory = 0;
  for (const auto& v : problem->visits) mandatory += v.mandatory;
  std::printf(
      "served %d of %d (mandatory %d of %d), unassigned %zu, value "
      "served %.0f\n",
      f.visits_served, static_cast<int>(problem->visits.size()),
      mandatory - f.mandatory_unserved, mandatory, plan->unassigned.size(),
      f.value_served);
  std::printf(
      "team-days used %d of %zu, travel %.1f km / %.0f min, waiting "
      "%.0f min\n",
      f.team_days_used, planner::TeamDays(*problem).size(), f.travel_distance,
      f.travel_time, f.waiting_time);
  std::printf("coverage:");
  for (const auto& [kec, n] : f.visits_per_kecamatan) {
    std::printf(" %s=%d", kec.c_str(), n);
  }
  std::printf(" (uncovered %d)\n", f.kecamatan_uncovered);
  std::printf("iterations %lld, wall %.2f s, peak RSS %.1f MiB, feasible %s\n",
              static_cast<long long>(stats.iterations), wall,
              PeakRssKb() / 1024.0, check.ok() ? "yes" : "NO");
  if (!check.ok()) std::printf("  %s\n", std::string(check.message()).c_str());
  (void)total;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string data = UMKM_TESTDATA_DIR;
  std::vector<std::string> positional;
  bool solomon = true, malang = true;
  uint64_t seed = 1;
  bool cpu_time = false;
  planner::SolveOptions tuned;  // SISR parameters from the command line
  double fleet_share = -1;
  double malang_seconds = 30;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--solomon-only") {
      malang = false;
    } else if (arg == "--cpu-time") {
      cpu_time = true;
    } else if (absl::StartsWith(arg, "--fleet-share=")) {
      (void)absl::SimpleAtod(arg.substr(14), &fleet_share);
    } else if (absl::StartsWith(arg, "--avg-removed=")) {
      (void)absl::SimpleAtod(arg.substr(14), &tuned.avg_removed);
    } else if (absl::StartsWith(arg, "--t-start=")) {
      (void)absl::SimpleAtod(arg.substr(10), &tuned.t_start);
    } else if (absl::StartsWith(arg, "--t-end=")) {
      (void)absl::SimpleAtod(arg.substr(8), &tuned.t_end);
    } else if (arg == "--malang-only") {
      solomon = false;
    } else if (absl::StartsWith(arg, "--seed=")) {
      (void)absl::SimpleAtoi(arg.substr(7), &seed);
    } else if (absl::StartsWith(arg, "--malang-seconds=")) {
      (void)absl::SimpleAtod(arg.substr(17), &malang_seconds);
    } else if (absl::StartsWith(arg, "--")) {
      std::fprintf(stderr, "unknown flag %s\n", arg.c_str());
      return 2;
    } else {
      positional.push_back(arg);
    }
  }
  const std::string dir =
      positional.size() > 0 ? positional[0] : data + "/solomon";
  const std::string csv =
      positional.size() > 1 ? positional[1] : dir + "/best_known.csv";
  double seconds = 1.0;
  if (positional.size() > 2 && !absl::SimpleAtod(positional[2], &seconds)) {
    std::fprintf(stderr, "bad seconds_per_instance %s\n",
                 positional[2].c_str());
    return 2;
  }
  Totals total;
  planner::SolveOptions opt = tuned;
  opt.seed = seed;
  opt.cpu_time_budget = cpu_time;
  if (fleet_share >= 0) opt.fleet_share = fleet_share;
  opt.time_limit = absl::Seconds(seconds);
  std::printf("# budget: %.2f s per instance of %s time, seed %llu\n", seconds,
              cpu_time ? "thread CPU" : "wall",
              static_cast<unsigned long long>(seed));
  if (solomon) RunSolomon(dir, csv, opt, total);
  opt.time_limit = absl::Seconds(malang_seconds);
  if (malang) RunMalang(opt, total);
  const int n = std::max(1, total.instances);
  std::printf(
      "summary: instances=%d feasible=%d mean_gap_pct=%.2f "
      "max_vehicle_excess=%d mean_time_s=%.3f\n",
      total.instances, total.feasible, total.gap_sum / n,
      total.max_vehicle_excess, total.time_sum / n);
  return 0;
}
