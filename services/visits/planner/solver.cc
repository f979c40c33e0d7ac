// SISR ruin-and-recreate with simulated annealing and team-day minimisation.
#include "services/visits/planner/solver.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "services/visits/planner/schedule.h"

namespace umkm::visits::planner {
namespace {

using Clock = std::chrono::steady_clock;

// xoshiro256** (Blackman & Vigna): the blink test runs once per insertion
// position, where std::mt19937_64 showed up as a quarter of the run time.
class Rng {
 public:
  using result_type = uint64_t;
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : s_) {  // splitmix64 seeding
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }
  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return ~uint64_t{0}; }
  uint64_t operator()() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

struct Vehicle {
  VehicleTiming timing;
  int team = 0;
  absl::CivilDay day;
  double capacity = 0;  // 0: none
  int max_stops = 0;    // 0: none
};

struct RouteState {
  std::vector<int> seq;
  std::vector<double> fwd, bwd;
  double load = 0;
  double dist = 0;
};

struct Solution {
  std::vector<RouteState> routes;  // one per vehicle, possibly empty
  std::vector<int> route_of;       // job -> vehicle, -1 when unassigned
};

class Solver {
 public:
  Solver(const Problem& problem, const SolveOptions& options)
      : p_(problem), opt_(options), rng_(options.seed) {
    jobs_ = JobTimings(problem, &impossible_);
    for (const TeamDay& td : TeamDays(problem)) {
      const Team& team = problem.teams[td.team];
      veh_.push_back({VehicleTimingOf(problem, td), td.team, td.day,
                      team.capacity, team.max_visits_per_day});
    }
    const int n = static_cast<int>(jobs_.size());
    const int nv = static_cast<int>(veh_.size());
    allowed_.assign(static_cast<size_t>(n) * nv, 0);
    std::map<std::string, int> kec_index;
    kec_.assign(n, -1);
    penalty_.resize(n);
    last_close_.resize(n);
    // One mandatory visit outweighs all optional value together.
    double optional_total = 0;
    for (const Visit& v : problem.visits) {
      if (!v.mandatory) optional_total += opt_.value_weight * v.value;
    }
    for (int j = 0; j < n; ++j) {
      const Visit& v = problem.visits[j];
      penalty_[j] = v.mandatory ? opt_.mandatory_penalty + optional_total
                                : opt_.value_weight * std::max(v.value, 1e-3);
      last_close_[j] =
          jobs_[j].windows.empty() ? kInf : jobs_[j].windows.back().close;
      if (!v.kecamatan.empty()) {
        kec_[j] =
            kec_index.emplace(v.kecamatan, kec_index.size()).first->second;
      }
    }
    const std::vector<TeamDay> tds = TeamDays(problem);
    for (int j = 0; j < n; ++j) {
      if (impossible_[j]) continue;
      for (int v = 0; v < nv; ++v) {
        allowed_[static_cast<size_t>(j) * nv + v] =
            TeamDayAllows(problem, tds[v], problem.visits[j]) &&
            (veh_[v].capacity <= 0 ||
             problem.visits[j].demand <= veh_[v].capacity);
      }
    }
    num_kec_ = static_cast<int>(kec_index.size());
    kec_servable_.assign(num_kec_, false);
    for (int j = 0; j < n; ++j) {
      if (kec_[j] >= 0 && !impossible_[j]) kec_servable_[kec_[j]] = true;
    }
    BuildNeighbours();
  }

  absl::StatusOr<Plan> Run(const Plan* initial, SolveStats* stats) {
    start_ = Clock::now();
    cpu_start_ = ThreadCpuSeconds();
    deadline_ = start_ + std::chrono::nanoseconds(
                             absl::ToInt64Nanoseconds(opt_.time_limit));
    Solution cur = Empty();
    std::vector<int> todo;
    if (initial != nullptr) Seed(*initial, cur);
    for (int j = 0; j < static_cast<int>(jobs_.size()); ++j) {
      if (cur.route_of[j] < 0 && !impossible_[j]) todo.push_back(j);
    }
    Recreate(cur, todo, /*allow_new=*/true);
    Solution best = cur;
    double best_cost = Cost(best);
    edge_scale_ = MeanEdge(cur);

    if (CountUnassigned(cur) == 0 && opt_.fleet_share > 0) {
      FleetPhase(best, best_cost);
    }
    cur = best;
    double cur_cost = best_cost;
    const int64_t phase_start = iterations_;
    const double phase_t0 = Elapsed();
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    while (!ShouldStop()) {
      const double frac = Progress(phase_start, phase_t0);
      const double temp =
          opt_.t_start * edge_scale_ *
          std::pow(opt_.t_end / opt_.t_start, std::min(1.0, frac));
      Solution cand = cur;
      std::vector<int> removed = Ruin(cand);
      Recreate(cand, removed, /*allow_new=*/true);
      const double cost = Cost(cand);
      ++iterations_;
      if (cost < cur_cost - temp * std::log(std::max(unit(rng_), 1e-300))) {
        cur = std::move(cand);
        cur_cost = cost;
        if (cur_cost < best_cost - 1e-9) {
          best = cur;
          best_cost = cur_cost;
        }
      }
    }
    if (stats) {
      stats->iterations = iterations_;
      stats->cancelled = cancelled_;
    }
    return ToPlan(best);
  }

 private:
  // ---- Setup ----
  void BuildNeighbours() {
    const int n = static_cast<int>(jobs_.size());
    const int k = std::min(n, 100);
    adj_.assign(n, {});
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) {
      std::iota(order.begin(), order.end(), 0);
      auto dist = [&](int j) {
        return j == i ? -1.0
                      : p_.travel.Distance(jobs_[i].node, jobs_[j].node) +
                            p_.travel.Distance(jobs_[j].node, jobs_[i].node);
      };
      std::partial_sort(order.begin(), order.begin() + k, order.end(),
                        [&](int a, int b) {
                          const double da = dist(a), db = dist(b);
                          return da != db ? da < db : a < b;
                        });
      adj_[i].assign(order.begin(), order.begin() + k);
    }
  }

  Solution Empty() const {
    Solution s;
    s.routes.resize(veh_.size());
    s.route_of.assign(jobs_.size(), -1);
    for (size_t v = 0; v < veh_.size(); ++v) Refresh(s, static_cast<int>(v));
    return s;
  }

  void Seed(const Plan& plan, Solution& s) {
    for (const Route& r : plan.routes) {
      for (size_t v = 0; v < veh_.size(); ++v) {
        if (veh_[v].team != r.team || veh_[v].day != r.day) continue;
        for (const Stop& stop : r.stops) {
          const int j = stop.visit;
          if (j < 0 || j >= static_cast<int>(jobs_.size()) ||
              s.route_of[j] >= 0 || !Allowed(j, v)) {
            continue;
          }
          RouteState& rs = s.routes[v];
          if (!Fits(j, static_cast<int>(v), rs)) continue;
          const int pos = static_cast<int>(rs.seq.size());
          if (!TimeRoute(p_.travel, veh_[v].timing, jobs_, rs.seq, j, pos,
                         nullptr)) {
            continue;
          }
          rs.seq.push_back(j);
          s.route_of[j] = static_cast<int>(v);
          Refresh(s, static_cast<int>(v));
        }
      }
    }
  }

  // ---- Bookkeeping ----
  bool Allowed(int j, size_t v) const {
    return allowed_[static_cast<size_t>(j) * veh_.size() + v] != 0;
  }
  bool Fits(int j, int v, const RouteState& r) const {
    const Vehicle& veh = veh_[v];
    if (veh.capacity > 0 && r.load + p_.visits[j].demand > veh.capacity + 1e-9)
      return false;
    if (veh.max_stops > 0 && static_cast<int>(r.seq.size()) >= veh.max_stops)
      return false;
    return true;
  }

  void Refresh(Solution& s, int v) const {
    RouteState& r = s.routes[v];
    ComputeSlack(p_.travel, veh_[v].timing, jobs_, r.seq, r.fwd, r.bwd);
    r.load = 0;
    r.dist = 0;
    int prev = veh_[v].timing.start_node;
    for (int j : r.seq) {
      r.load += p_.visits[j].demand;
      r.dist += p_.travel.Distance(prev, jobs_[j].node);
      prev = jobs_[j].node;
    }
    if (!r.seq.empty())
      r.dist += p_.travel.Distance(prev, veh_[v].timing.end_node);
  }

  double Cost(const Solution& s) const {
    double cost = 0;
    for (const RouteState& r : s.routes) {
      if (r.seq.empty()) continue;
      cost += r.dist + opt_.team_day_cost;
    }
    std::vector<char> covered(num_kec_, 0);
    for (size_t j = 0; j < jobs_.size(); ++j) {
      if (s.route_of[j] < 0) {
        cost += penalty_[j];
      } else if (kec_[j] >= 0) {
        covered[kec_[j]] = 1;
      }
    }
    for (int k = 0; k < num_kec_; ++k) {
      if (kec_servable_[k] && !covered[k]) cost += opt_.coverage_penalty;
    }
    return cost;
  }

  int CountUnassigned(const Solution& s) const {
    int count = 0;
    for (size_t j = 0; j < jobs_.size(); ++j) {
      count += s.route_of[j] < 0 && !impossible_[j];
    }
    return count;
  }

  int UsedRoutes(const Solution& s) const {
    int used = 0;
    for (const RouteState& r : s.routes) used += !r.seq.empty();
    return used;
  }

  double MeanEdge(const Solution& s) const {
    double dist = 0;
    int edges = 0;
    for (const RouteState& r : s.routes) {
      if (r.seq.empty()) continue;
      dist += r.dist;
      edges += static_cast<int>(r.seq.size()) + 1;
    }
    return edges > 0 && dist > 0 ? dist / edges : 1.0;
  }

  // ---- Budget ----
  double Elapsed() const {
    if (opt_.cpu_time_budget) return ThreadCpuSeconds() - cpu_start_;
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }
  static double ThreadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
  }
  bool ShouldStop() {
    if (opt_.cancel != nullptr &&
        opt_.cancel->load(std::memory_order_relaxed)) {
      cancelled_ = true;
      return true;
    }
    if (opt_.max_iterations > 0 && iterations_ >= opt_.max_iterations)
      return true;
    if (opt_.cpu_time_budget) {
      return Elapsed() >= absl::ToDoubleSeconds(opt_.time_limit);
    }
    return Clock::now() >= deadline_;
  }
  // Fraction of the current phase done, in [0, 1].
  double Progress(int64_t phase_start, double phase_t0) const {
    if (opt_.max_iterations > 0) {
      const double left =
          static_cast<double>(opt_.max_iterations - phase_start);
      return left > 0 ? (iterations_ - phase_start) / left : 1.0;
    }
    const double total = absl::ToDoubleSeconds(opt_.time_limit) - phase_t0;
    return total > 0 ? (Elapsed() - phase_t0) / total : 1.0;
  }
  bool FleetBudgetLeft() {
    if (ShouldStop()) return false;
    if (opt_.max_iterations > 0) {
      return iterations_ < opt_.fleet_share * opt_.max_iterations;
    }
    return Elapsed() <
           opt_.fleet_share * absl::ToDoubleSeconds(opt_.time_limit);
  }

  // ---- Ruin (SISR string removal) ----
  // `seed_hint` >= 0 starts the ruin at that customer (an unassigned one
  // during team-day minimisation: room is made next to it).
  std::vector<int> Ruin(Solution& s, int seed_hint = -1) {
    std::vector<int> served;
    for (size_t j = 0; j < jobs_.size(); ++j) {
      if (s.route_of[j] >= 0) served.push_back(static_cast<int>(j));
    }
    std::vector<int> removed;
    if (served.empty()) return removed;
    const int used = std::max(1, UsedRoutes(s));
    const double avg_card = static_cast<double>(served.size()) / used;
    const double ls_max = std::min<double>(opt_.max_string, avg_card);
    const double ks_max = 4.0 * opt_.avg_removed / (1.0 + ls_max) - 1.0;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const int ks = static_cast<int>(1.0 + unit(rng_) * ks_max);
    const int seed =
        seed_hint >= 0 ? seed_hint : served[rng_() % served.size()];
    std::vector<char> ruined(veh_.size(), 0);
    int ruined_count = 0, extra = 0;
    auto visit = [&](int c) {
      const int v = s.route_of[c];
      if (v < 0) {
        // Unassigned neighbours get a chance to enter the plan.
        if (!impossible_[c] && extra < opt_.avg_removed &&
            std::find(removed.begin(), removed.end(), c) == removed.end()) {
          removed.push_back(c);
          ++extra;
        }
        return;
      }
      if (ruined[v]) return;
      ruined[v] = 1;
      ++ruined_count;
      RemoveString(s, v, c, ls_max, removed);
    };
    visit(seed);
    for (int c : adj_[seed]) {
      if (ruined_count >= ks) break;
      visit(c);
    }
    return removed;
  }

  void RemoveString(Solution& s, int v, int c, double ls_max,
                    std::vector<int>& removed) {
    std::vector<int>& seq = s.routes[v].seq;
    const int size = static_cast<int>(seq.size());
    const int pos =
        static_cast<int>(std::find(seq.begin(), seq.end(), c) - seq.begin());
    const int l_max =
        std::max(1, static_cast<int>(std::min<double>(size, ls_max)));
    const int l = 1 + static_cast<int>(rng_() % l_max);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<char> drop(size, 0);
    if (l == size || unit(rng_) < 0.5) {
      const int lo = std::max(0, pos - l + 1), hi = std::min(pos, size - l);
      const int first = lo + static_cast<int>(rng_() % (hi - lo + 1));
      for (int i = first; i < first + l; ++i) drop[i] = 1;
    } else {
      int m = 1;
      while (m < size - l && unit(rng_) > opt_.split_depth) ++m;
      const int len = l + m;
      const int lo = std::max(0, pos - len + 1), hi = std::min(pos, size - len);
      const int first = lo + static_cast<int>(rng_() % (hi - lo + 1));
      const int keep = static_cast<int>(rng_() % (l + 1));
      for (int i = 0; i < len; ++i) {
        if (i < keep || i >= keep + m) drop[first + i] = 1;
      }
    }
    std::vector<int> kept;
    for (int i = 0; i < size; ++i) {
      if (drop[i]) {
        removed.push_back(seq[i]);
        s.route_of[seq[i]] = -1;
      } else {
        kept.push_back(seq[i]);
      }
    }
    seq = std::move(kept);
    // Greedy break placement may fail on a shortened route: then empty it.
    if (!veh_[v].timing.breaks.empty() &&
        !TimeRoute(p_.travel, veh_[v].timing, jobs_, seq, -1, -1, nullptr)) {
      for (int j : seq) {
        removed.push_back(j);
        s.route_of[j] = -1;
      }
      seq.clear();
    }
    Refresh(s, v);
  }

  // ---- Recreate (greedy insertion with blinks) ----
  void Recreate(Solution& s, std::vector<int>& todo, bool allow_new,
                const std::vector<int64_t>* absences = nullptr) {
    SortForInsertion(todo);
    if (absences != nullptr) {
      // Team-day minimisation: customers that are often left out go first.
      std::stable_sort(todo.begin(), todo.end(), [&](int a, int b) {
        return (*absences)[a] > (*absences)[b];
      });
    }
    const uint64_t blink =
        static_cast<uint64_t>(opt_.blink_rate * 18446744073709551615.0);
    const int nv = static_cast<int>(veh_.size());
    for (int j : todo) {
      const JobTiming& x = jobs_[j];
      double best = kInf;
      int best_v = -1, best_p = -1;
      for (int v = 0; v < nv; ++v) {
        if (!Allowed(j, v)) continue;
        RouteState& r = s.routes[v];
        const int n = static_cast<int>(r.seq.size());
        if (n == 0 && !allow_new) continue;
        if (!Fits(j, v, r)) continue;
        const double extra = n == 0 ? opt_.team_day_cost : 0.0;
        if (extra >= best) continue;
        const Vehicle& veh = veh_[v];
        const bool exact = !veh.timing.breaks.empty();
        int prev = veh.timing.start_node;
        for (int p = 0; p <= n; ++p) {
          const int next = p < n ? jobs_[r.seq[p]].node : veh.timing.end_node;
          const double arrive = r.fwd[p] + p_.travel.Duration(prev, x.node);
          if (arrive > last_close_[j]) break;
          if (rng_() >= blink) {
            const double delta = p_.travel.Distance(prev, x.node) +
                                 p_.travel.Distance(x.node, next) -
                                 p_.travel.Distance(prev, next) + extra;
            if (delta < best &&
                CanInsert(p_.travel, x, prev, next, r.fwd[p], r.bwd[p + 1]) &&
                (!exact || TimeRoute(p_.travel, veh.timing, jobs_, r.seq, j, p,
                                     nullptr))) {
              best = delta;
              best_v = v;
              best_p = p;
            }
          }
          prev = next;
        }
      }
      if (best_v < 0) continue;
      RouteState& r = s.routes[best_v];
      r.seq.insert(r.seq.begin() + best_p, j);
      s.route_of[j] = best_v;
      Refresh(s, best_v);
    }
  }

  void SortForInsertion(std::vector<int>& todo) {
    const int mode = static_cast<int>(rng_() % 11);  // weights 4:4:2:1
    std::vector<double> key(jobs_.size(), 0);
    const int depot = veh_.empty() ? 0 : veh_[0].timing.start_node;
    if (mode < 4) {
      std::shuffle(todo.begin(), todo.end(), rng_);
    } else {
      for (int j : todo) {
        const double d = p_.travel.Distance(depot, jobs_[j].node);
        key[j] = mode < 8 ? -p_.visits[j].demand : (mode < 10 ? -d : d);
      }
      std::stable_sort(todo.begin(), todo.end(),
                       [&](int a, int b) { return key[a] < key[b]; });
    }
    // Priority first: mandatory, then higher value (no-op for Solomon).
    std::stable_sort(todo.begin(), todo.end(),
                     [&](int a, int b) { return penalty_[a] > penalty_[b]; });
  }

  // ---- Team-day minimisation (SISR fleet minimisation) ----
  void FleetPhase(Solution& best, double& best_cost) {
    std::vector<int64_t> absences(jobs_.size(), 0);
    double demand = 0, cap = 0;
    for (const Visit& v : p_.visits) demand += v.demand;
    for (const Vehicle& v : veh_) cap = std::max(cap, v.capacity);
    const int lower =
        cap > 0 ? static_cast<int>(std::ceil(demand / cap - 1e-9)) : 1;
    auto sum_abs = [&](const Solution& s) {
      int64_t sum = 0;
      for (size_t j = 0; j < jobs_.size(); ++j) {
        if (s.route_of[j] < 0 && !impossible_[j]) sum += absences[j];
      }
      return sum;
    };
    while (FleetBudgetLeft() && UsedRoutes(best) > lower) {
      Solution s = best;
      // Remove the route whose customers are least often absent (SISR picks
      // at random; this favours routes that are easy to dissolve).
      int victim = -1;
      double victim_key = kInf;
      for (size_t v = 0; v < s.routes.size(); ++v) {
        const RouteState& r = s.routes[v];
        if (r.seq.empty()) continue;
        double key = 0;
        for (int j : r.seq) key += 1.0 + absences[j];
        key += static_cast<double>(rng_() % 1000) * 1e-6;
        if (key < victim_key) {
          victim_key = key;
          victim = static_cast<int>(v);
        }
      }
      for (int j : s.routes[victim].seq) s.route_of[j] = -1;
      s.routes[victim].seq.clear();
      Refresh(s, victim);
      int unassigned = CountUnassigned(s);
      int64_t abs_sum = sum_abs(s);
      // An attempt that stops making progress gives way to another route:
      // the absence counters steer the next choice elsewhere.
      const int64_t patience = std::max<int64_t>(2000, 40 * jobs_.size());
      int64_t last_progress = iterations_;
      int fewest = unassigned;
      while (unassigned > 0 && FleetBudgetLeft() &&
             iterations_ - last_progress < patience) {
        Solution cand = s;
        std::vector<int> todo = Ruin(cand);
        for (size_t j = 0; j < jobs_.size(); ++j) {
          if (cand.route_of[j] < 0 && !impossible_[j] &&
              std::find(todo.begin(), todo.end(), static_cast<int>(j)) ==
                  todo.end()) {
            todo.push_back(static_cast<int>(j));
          }
        }
        Recreate(cand, todo, /*allow_new=*/false, &absences);
        ++iterations_;
        const int cand_unassigned = CountUnassigned(cand);
        const int64_t cand_abs = sum_abs(cand);
        for (size_t j = 0; j < jobs_.size(); ++j) {
          if (cand.route_of[j] < 0 && !impossible_[j]) ++absences[j];
        }
        if (cand_unassigned < unassigned || cand_abs < abs_sum) {
          s = std::move(cand);
          unassigned = cand_unassigned;
          abs_sum = sum_abs(s);
        }
        if (unassigned < fewest) {
          fewest = unassigned;
          last_progress = iterations_;
        }
      }
      if (unassigned > 0) continue;  // budget left: try another route
      best = std::move(s);
      best_cost = Cost(best);
    }
  }

  // ---- Output ----
  std::string Reason(int j) const {
    if (impossible_[j]) return "pinned start is outside the opening hours";
    bool any_vehicle = false;
    for (size_t v = 0; v < veh_.size(); ++v) {
      if (!Allowed(j, v)) continue;
      any_vehicle = true;
      if (TimeRoute(p_.travel, veh_[v].timing, jobs_, {}, j, 0, nullptr)) {
        return "no room left: every suitable team-day is full";
      }
    }
    if (!any_vehicle) {
      return "no available team-day matches the required skills, pin or "
             "capacity";
    }
    return "cannot be reached within its opening hours, the shift and breaks";
  }

  absl::StatusOr<Plan> ToPlan(const Solution& s) const {
    Plan plan;
    for (size_t v = 0; v < s.routes.size(); ++v) {
      const RouteState& r = s.routes[v];
      if (r.seq.empty()) continue;
      Route route;
      if (!TimeRoute(p_.travel, veh_[v].timing, jobs_, r.seq, -1, -1, &route)) {
        return absl::InternalError("planner produced an untimeable route");
      }
      route.team = veh_[v].team;
      route.day = veh_[v].day;
      plan.routes.push_back(std::move(route));
    }
    for (size_t j = 0; j < jobs_.size(); ++j) {
      if (s.route_of[j] < 0) {
        plan.unassigned.push_back(
            {static_cast<int>(j), Reason(static_cast<int>(j))});
      }
    }
    plan.figures = ComputeFigures(p_, plan);
    return plan;
  }

  const Problem& p_;
  SolveOptions opt_;
  Rng rng_;
  std::vector<JobTiming> jobs_;
  std::vector<bool> impossible_;
  std::vector<Vehicle> veh_;
  std::vector<uint8_t> allowed_;  // job-major, one byte per vehicle
  std::vector<double> penalty_;
  std::vector<double> last_close_;
  std::vector<int> kec_;
  std::vector<bool> kec_servable_;
  int num_kec_ = 0;
  std::vector<std::vector<int>> adj_;
  double edge_scale_ = 1.0;
  Clock::time_point start_, deadline_;
  double cpu_start_ = 0;
  int64_t iterations_ = 0;
  bool cancelled_ = false;
};

}  // namespace

absl::StatusOr<Plan> Solve(const Problem& problem, const SolveOptions& options,
                           const Plan* initial, SolveStats* stats) {
  if (absl::Status s = ValidateProblem(problem); !s.ok()) return s;
  Solver solver(problem, options);
  return solver.Run(initial, stats);
}

}  // namespace umkm::visits::planner
