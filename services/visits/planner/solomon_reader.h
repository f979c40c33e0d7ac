// Adapter for Solomon's (1987) VRPTW instances in the classic text format.
//
// The instance becomes a one-day Problem: the depot is the only base, each
// of the K vehicles is a team with the vehicle capacity and a shift equal to
// the depot's window, every customer is a mandatory visit with one window on
// its service start. Travel time equals the Euclidean distance in double
// precision (Solomon's rules for the best-known tables).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/visits/planner/model.h"

namespace umkm::visits::planner {

struct SolomonInstance {
  std::string name;  // e.g. "C101" as written in the file
  Problem problem;
};

// Parses the text of an instance. InvalidArgument on malformed input.
absl::StatusOr<SolomonInstance> ParseSolomon(const std::string& text);
// Reads and parses a file; NotFound when it cannot be opened.
absl::StatusOr<SolomonInstance> ReadSolomonFile(const std::string& path);

// Total distance of a plan under the instance's travel model.
double PlanDistance(const Problem& problem, const Plan& plan);

}  // namespace umkm::visits::planner
