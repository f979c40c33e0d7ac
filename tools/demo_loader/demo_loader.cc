#include "tools/demo_loader/demo_loader.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "tools/demo_loader/demo_data.h"

namespace umkm::tools {
namespace {

namespace v1 = ::umkm::registry::v1;

constexpr size_t kMaxReportedErrors = 10;

enum class Outcome { kCreated, kExisting, kFailed };

struct Record {
  Outcome outcome = Outcome::kFailed;
  v1::Business business;
  grpc::Status status;
};

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

// Sends record `index`, retrying UNAVAILABLE with backoff.
Record Send(v1::RegistryService::StubInterface& stub, const std::string& token,
            uint64_t seed, int index, const LoadOptions& options,
            absl::Time load_start) {
  const v1::CreateBusinessRequest request = DemoCreateRequest(seed, index);
  Record record;
  absl::Duration backoff = options.initial_backoff;
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    context.set_deadline(
        absl::ToChronoTime(absl::Now() + options.call_timeout));
    record.business.Clear();
    record.status = stub.CreateBusiness(&context, request, &record.business);
    if (record.status.error_code() != grpc::StatusCode::UNAVAILABLE ||
        attempt >= options.max_attempts) {
      break;
    }
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, options.max_backoff);
  }
  if (record.status.ok()) {
    // A replayed request_id returns the first result, created before
    // this load began.
    record.outcome = ToTime(record.business.create_time()) < load_start
                         ? Outcome::kExisting
                         : Outcome::kCreated;
  }
  return record;
}

}  // namespace

absl::StatusOr<LoadResult> LoadDemoBusinesses(
    v1::RegistryService::StubInterface& stub, const std::string& token,
    uint64_t seed, int count, const LoadOptions& options) {
  if (count < 0) return absl::InvalidArgumentError("count must be >= 0");
  if (options.concurrency < 1 || options.max_attempts < 1) {
    return absl::InvalidArgumentError(
        "concurrency and max_attempts must be >= 1");
  }
  const absl::Time start = absl::Now();
  std::vector<Record> records(count);
  if (count > 0) {
    // The first record alone: it waits for a server that is still starting
    // instead of having every worker hammer it.
    records[0] = Send(stub, token, seed, 0, options, start);
    if (records[0].status.error_code() == grpc::StatusCode::UNAVAILABLE) {
      return absl::UnavailableError(absl::StrCat(
          "the registry did not answer after ", options.max_attempts,
          " attempts: ", records[0].status.error_message()));
    }
  }
  std::atomic<int> next{1};
  std::vector<std::thread> workers;
  const int threads = std::min(options.concurrency, std::max(count - 1, 0));
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        records[i] = Send(stub, token, seed, i, options, start);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();

  LoadResult result;
  result.names.resize(count);
  for (int i = 0; i < count; ++i) {
    const Record& record = records[i];
    switch (record.outcome) {
      case Outcome::kCreated:
        ++result.created;
        break;
      case Outcome::kExisting:
        ++result.existing;
        break;
      case Outcome::kFailed:
        ++result.failed;
        if (result.errors.size() < kMaxReportedErrors) {
          result.errors.push_back(absl::StrCat(
              i, ": ",
              absl::StatusCodeToString(
                  static_cast<absl::StatusCode>(record.status.error_code())),
              ": ", record.status.error_message()));
        }
        continue;
    }
    result.names[i] = record.business.name();
    ++result.per_kecamatan[record.business.address().kecamatan_code()];
    ++result.per_kelurahan[record.business.address().kelurahan_code()];
  }
  result.elapsed = absl::Now() - start;
  return result;
}

}  // namespace umkm::tools
