// Synthetic but realistic Malang planning weeks: visit requests spread over
// the city's 57 kelurahan (centroids from common/validate's places, jittered),
// the Sahabat UMKM team leaving Balai Kota, lunch and Friday prayer breaks.
// Used by the benchmark's scale run and by tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/visits/planner/model.h"

namespace umkm::visits::planner {

struct Kelurahan {
  std::string code;  // Kemendagri, e.g. 35.73.01.1001
  std::string name;
  std::string kecamatan;
  LatLon centroid;
};

// Kota Malang's kelurahan from the reference data compiled into
// common/validate (validate::AllKelurahan()), ordered by Kemendagri code, each
// with the name of its kecamatan. No files are read.
std::vector<Kelurahan> MalangKelurahan();

// Balai Kota, Jl. Tugu No. 1 (approximate).
inline constexpr LatLon kBalaiKota{-7.9777, 112.6341};

// Lunch (Mon-Thu, start 11:30-13:00, 60 min) and Friday prayer break
// (start 11:00-11:30, 120 min, covers lunch). Configurable data.
std::vector<BreakRule> DefaultMalangBreaks();

struct MalangWeekOptions {
  int num_visits = 1000;
  int num_teams = 10;
  absl::CivilDay first_day{2024, 7, 1};  // a Monday
  int num_days = 7;                      // Mon..Sun: 5 working days
  std::vector<absl::CivilDay> holidays;
  uint64_t seed = 7;
  double jitter_deg = 0.004;  // about 450 m
  double mandatory_share = 0.08;
  int max_visits_per_day = 8;
  double detour_factor = 1.35;
  double speed_kmh = 22;
  int num_pins = 3;  // a few pinned visits (team, day, exact start)
};

// Builds the week. Deterministic for options.seed. InvalidArgument when
// `kelurahan` is empty.
absl::StatusOr<Problem> MakeMalangWeek(const std::vector<Kelurahan>& kelurahan,
                                       const MalangWeekOptions& options);

}  // namespace umkm::visits::planner
