#include "bench/registry/load_generator.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace umkm::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Slot {
  std::unique_ptr<CallSlot> call;
  std::unique_ptr<grpc::ClientContext> context;
  Clock::time_point started;
  // Touched only by this slot's callbacks, which never overlap (one call
  // at a time per slot), and read after all slots have stopped.
  LatencyHistogram latency;
  int64_t ok = 0;
  int64_t all_calls = 0;
  std::map<int, int64_t> errors;
  std::string first_error;
};

class Runner {
 public:
  Runner(const LoadOptions& options, std::vector<std::unique_ptr<Slot>> slots)
      : options_(options), slots_(std::move(slots)) {}

  LoadResult Run() {
    const Clock::time_point start = Clock::now();
    measure_start_ = start + absl::ToChronoNanoseconds(options_.warmup);
    end_ = measure_start_ + absl::ToChronoNanoseconds(options_.duration);
    active_ = static_cast<int>(slots_.size());
    for (auto& slot : slots_) Issue(*slot);
    {
      std::unique_lock<std::mutex> lock(mutex_);
      stopped_.wait(lock, [&] { return active_ == 0; });
    }
    LoadResult result;
    result.measured = absl::FromChrono(end_ - measure_start_);
    for (const auto& slot : slots_) {
      result.ok += slot->ok;
      result.all_calls += slot->all_calls;
      result.latency.Merge(slot->latency);
      for (const auto& [code, count] : slot->errors) {
        result.errors[code] += count;
      }
      if (result.first_error.empty()) result.first_error = slot->first_error;
    }
    return result;
  }

 private:
  void Issue(Slot& slot) {
    slot.context = std::make_unique<grpc::ClientContext>();
    slot.context->set_deadline(
        absl::ToChronoTime(absl::Now() + options_.call_timeout));
    slot.started = Clock::now();
    slot.call->Start(slot.context.get(), [this, &slot](grpc::Status status) {
      Done(slot, status);
    });
  }

  void Done(Slot& slot, const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    ++slot.all_calls;
    if (now >= measure_start_ && now < end_) {
      if (status.ok()) {
        ++slot.ok;
        slot.latency.Record(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now -
                                                                 slot.started)
                .count());
      } else {
        ++slot.errors[status.error_code()];
        if (slot.first_error.empty()) {
          slot.first_error = status.error_message();
        }
      }
    }
    if (now < end_) {
      Issue(slot);
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (--active_ == 0) stopped_.notify_all();
  }

  const LoadOptions options_;
  std::vector<std::unique_ptr<Slot>> slots_;
  Clock::time_point measure_start_;
  Clock::time_point end_;
  std::mutex mutex_;
  std::condition_variable stopped_;
  int active_ = 0;  // guarded by mutex_ once the run has started
};

}  // namespace

std::vector<std::shared_ptr<grpc::Channel>> ConnectChannels(
    const std::string& target, int connections, absl::Duration timeout) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < connections; ++i) {
    grpc::ChannelArguments args;
    // Own subchannel pool and a distinct argument: one TCP connection per
    // channel instead of one shared by all.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("umkm.bench.channel", i);
    auto channel = grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args);
    if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + timeout))) {
      channel = nullptr;
    }
    channels.push_back(std::move(channel));
  }
  return channels;
}

LoadResult RunLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                   const SlotFactory& factory, const LoadOptions& options) {
  std::vector<std::unique_ptr<Slot>> slots;
  for (int c = 0; c < static_cast<int>(channels.size()); ++c) {
    for (int s = 0; s < options.streams; ++s) {
      auto slot = std::make_unique<Slot>();
      slot->call = factory(c, channels[c]);
      slots.push_back(std::move(slot));
    }
  }
  Runner runner(options, std::move(slots));
  return runner.Run();
}

}  // namespace umkm::bench
