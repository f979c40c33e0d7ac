// The registry as the other services see it: business summaries by name,
// read through the shared Redis cache and, on a miss, from the registry
// over gRPC with a deadline.
//
//   RegistryClient client(channel, redis.get(), ServiceToken(key,
//   "umkm-visits")); absl::StatusOr<Business> business =
//   client.Get(context, "businesses/abc");
//   client.InvalidateOn(runtime);  // drop entries on BusinessUpdated/...
//
// The registry writes the shared entries itself (umkm:registry:business:<id>,
// with the owner's NIK masked) whenever it reads a business from its store,
// and deletes them on every change; this client only reads them, so there
// is one writer. Returned summaries are the registry's BASIC view: nothing
// about the owner (no NIK, name or phone), so the registry sends no personal
// data and writes no audit record for them. Services that need the owner
// for a mandate call the registry directly, view FULL, with a purpose.
//
// Redis down: reads go to the registry. Registry down on a miss:
// UNAVAILABLE or DEADLINE_EXCEEDED, never a hang: the Redis read is bounded
// by the Redis client's timeouts, the call by RegistryClientOptions::deadline.
// Neither is the caller's own deadline, which is not passed on.
// Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/context/request_context.h"
#include "common/events/handler_registry.h"
#include "common/redis/redis_client.h"
#include "grpcpp/channel.h"
#include "umkm/registry/v1/registry.grpc.pb.h"

namespace umkm {

struct RegistryClientOptions {
  // Deadline of each call to the registry.
  absl::Duration deadline = absl::Seconds(2);
};

class RegistryClient {
 public:
  // `redis` may be null (no shared cache) and must outlive the client.
  // `token` returns the bearer token for each call (see ServiceToken).
  RegistryClient(std::shared_ptr<grpc::Channel> channel,
                 redis::RedisClient* redis, std::function<std::string()> token,
                 RegistryClientOptions options = {});

  // The business named `name` (businesses/{id}) in the BASIC view, for the
  // work of `context`: a call to the registry gets the earlier of the client's
  // deadline and the context's, and carries the context's correlation id as
  // its x-request-id, so the registry's log line names the same request.
  //   INVALID_ARGUMENT  malformed name. NOT_FOUND  no such business.
  //   DEADLINE_EXCEEDED  the context's deadline passed (nothing is asked).
  //   UNAVAILABLE / DEADLINE_EXCEEDED  cache miss and the registry is away.
  absl::StatusOr<registry::v1::Business> Get(const RequestContext& context,
                                             const std::string& name);

  // Drops the shared entry of `name` (best effort).
  void Invalidate(const std::string& name);

  // Registers, on a consumer of the calling service (before it starts),
  // handlers that drop a business's shared entry when BusinessUpdated or
  // BusinessDeactivated arrives: a safety net for a delete the registry
  // could not make while Redis was down. They run beside the service's own
  // handlers of those events, never instead of them.
  void InvalidateOn(events::HandlerRegistry& consumer);

 private:
  std::unique_ptr<registry::v1::RegistryService::Stub> stub_;
  redis::RedisClient* redis_;
  std::function<std::string()> token_;
  RegistryClientOptions options_;
};

// A token source for service-to-service calls: mints `role: service` tokens
// for `service_name` with the shared key, valid for `lifetime`, and reuses
// each until a minute before it expires. Thread-safe.
std::function<std::string()> ServiceToken(
    std::string key, std::string service_name,
    absl::Duration lifetime = absl::Minutes(15));

}  // namespace umkm
