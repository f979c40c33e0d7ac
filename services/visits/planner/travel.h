// Travel model of the planner: a dense matrix of travel durations (minutes)
// and distances (km) between nodes, built either from coordinates with the
// haversine formula, a detour factor and an average urban speed, or from an
// explicit matrix (e.g. a road router's table, or Solomon's Euclidean one).
#pragma once

#include <vector>

#include "absl/status/statusor.h"

namespace umkm::visits::planner {

struct LatLon {
  double lat = 0;
  double lon = 0;
};

// Immutable after construction; safe to share between threads.
class TravelMatrix {
 public:
  TravelMatrix() = default;
  // `durations` and `distances` are row-major size x size; InvalidArgument
  // when sizes differ or an entry is negative.
  static absl::StatusOr<TravelMatrix> Explicit(std::vector<double> durations,
                                               std::vector<double> distances,
                                               int size);
  // Great-circle distance times `detour_factor` (road length over straight
  // line, about 1.3-1.4 in a city), driven at `speed_kmh`.
  static TravelMatrix Haversine(const std::vector<LatLon>& points,
                                double detour_factor, double speed_kmh);

  int size() const { return size_; }
  double Duration(int from, int to) const {
    return durations_[from * size_ + to];
  }
  double Distance(int from, int to) const {
    return distances_[from * size_ + to];
  }

 private:
  int size_ = 0;
  std::vector<double> durations_;
  std::vector<double> distances_;
};

// Great-circle distance in km (mean Earth radius 6371.0088 km).
double HaversineKm(LatLon a, LatLon b);

}  // namespace umkm::visits::planner
