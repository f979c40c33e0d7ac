// A closed-loop gRPC load generator on the callback API.
//
// C channels (each its own HTTP/2 connection) carry S call slots each; a
// slot starts a call, and when it completes records its latency and starts
// the next one at once, until the run ends. So there are always C x S calls
// in flight, and throughput is what the server sustains at that
// concurrency. Calls completing during the warm-up are not counted.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/registry/latency_histogram.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace umkm::bench {

// One call slot: owns its request and response, starts one call at a time.
class CallSlot {
 public:
  virtual ~CallSlot() = default;
  // Starts one call with `context` (fresh for every call, deadline already
  // set) and arranges for `done` to run once with its status. Must not
  // block; runs on gRPC's callback threads.
  virtual void Start(grpc::ClientContext* context,
                     std::function<void(grpc::Status)> done) = 0;
};

// Makes the slot for (channel index, channel); called C x S times before
// the run starts.
using SlotFactory = std::function<std::unique_ptr<CallSlot>(
    int channel_index, const std::shared_ptr<grpc::Channel>& channel)>;

struct LoadOptions {
  int connections = 4;
  int streams = 32;  // per connection
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration duration = absl::Seconds(10);
  absl::Duration call_timeout = absl::Seconds(10);
};

struct LoadResult {
  int64_t ok = 0;         // calls completed OK within the measured window
  int64_t all_calls = 0;  // every completed call, warm-up and tail included
  std::map<int, int64_t> errors;  // grpc status code -> count, same window
  std::string first_error;
  absl::Duration measured;   // length of the measured window
  LatencyHistogram latency;  // OK calls only
  double qps() const {
    return static_cast<double>(ok) / absl::ToDoubleSeconds(measured);
  }
};

// Connects `options.connections` channels to `target` (insecure) and waits
// until each is connected; nullptr entries when one does not connect within
// `timeout`.
std::vector<std::shared_ptr<grpc::Channel>> ConnectChannels(
    const std::string& target, int connections, absl::Duration timeout);

// Runs the load over `channels` (options.connections of them) and returns
// the tally. Blocks for warmup + duration plus the time the last calls take.
LoadResult RunLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                   const SlotFactory& factory, const LoadOptions& options);

}  // namespace umkm::bench
