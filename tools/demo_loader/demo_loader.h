// Loads the synthetic demo businesses (demo_data.h) into a running registry
// through CreateBusiness over gRPC.
//
// Each record is sent with its deterministic request_id, so loading the same
// seed again creates nothing new: the registry replays the first result,
// which is counted as "already there" (its create_time predates the load).
// A few calls run at once (LoadOptions::concurrency). UNAVAILABLE (server
// not up yet, restarting, shedding load) is retried with exponential
// backoff a bounded number of times; every other error fails that record
// and is reported.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "umkm/registry/v1/registry.grpc.pb.h"

namespace umkm::tools {

struct LoadOptions {
  // Calls in flight at once.
  int concurrency = 8;
  // Deadline of each call.
  absl::Duration call_timeout = absl::Seconds(10);
  // Attempts per record while the server answers UNAVAILABLE; with the
  // backoff below, 20 attempts wait about half a minute for a server that
  // is still starting.
  int max_attempts = 20;
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
};

struct LoadResult {
  int created = 0;   // new in this load
  int existing = 0;  // created by an earlier load with the same seed
  int failed = 0;
  // Successful records (new or existing) per kecamatan code and per
  // kelurahan code, as the server returned them.
  std::map<std::string, int> per_kecamatan;
  std::map<std::string, int> per_kelurahan;
  // Resource names ("businesses/...") of the records, by index; empty for
  // failed ones.
  std::vector<std::string> names;
  // The first few failures, "index: CODE: message".
  std::vector<std::string> errors;
  absl::Duration elapsed;
};

// Creates demo records 0..count-1 of `seed` through `stub`, authenticating
// with `token` (a bearer JWT of an admin or an official). Returns the
// tally; UNAVAILABLE when the server never answered the first record within
// the retry budget (nothing is sent after that), INVALID_ARGUMENT for bad
// options. `stub` must be safe for concurrent calls (generated stubs are).
absl::StatusOr<LoadResult> LoadDemoBusinesses(
    registry::v1::RegistryService::StubInterface& stub,
    const std::string& token, uint64_t seed, int count,
    const LoadOptions& options = {});

}  // namespace umkm::tools
