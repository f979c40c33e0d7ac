// Travel matrix construction.
#include "services/visits/planner/travel.h"

#include <cmath>
#include <utility>

namespace umkm::visits::planner {

double HaversineKm(LatLon a, LatLon b) {
  constexpr double kEarthRadiusKm = 6371.0088;
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (b.lat - a.lat) * kRad;
  const double dlon = (b.lon - a.lon) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * kRad) * std::cos(b.lat * kRad) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

absl::StatusOr<TravelMatrix> TravelMatrix::Explicit(
    std::vector<double> durations, std::vector<double> distances, int size) {
  const size_t cells = static_cast<size_t>(size) * size;
  if (size < 0 || durations.size() != cells || distances.size() != cells) {
    return absl::InvalidArgumentError(
        "travel matrix: durations and distances must hold size*size entries");
  }
  for (size_t i = 0; i < cells; ++i) {
    if (!(durations[i] >= 0) || !(distances[i] >= 0)) {
      return absl::InvalidArgumentError(
          "travel matrix: entries must be non-negative numbers");
    }
  }
  TravelMatrix m;
  m.size_ = size;
  m.durations_ = std::move(durations);
  m.distances_ = std::move(distances);
  return m;
}

TravelMatrix TravelMatrix::Haversine(const std::vector<LatLon>& points,
                                     double detour_factor, double speed_kmh) {
  TravelMatrix m;
  m.size_ = static_cast<int>(points.size());
  m.durations_.resize(points.size() * points.size());
  m.distances_.resize(points.size() * points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    for (size_t j = 0; j < points.size(); ++j) {
      const double km = HaversineKm(points[i], points[j]) * detour_factor;
      m.distances_[i * points.size() + j] = km;
      m.durations_[i * points.size() + j] = km / speed_kmh * 60.0;
    }
  }
  return m;
}

}  // namespace umkm::visits::planner
