// The edge of every unary RPC: authenticate, authorize, run the handler off
// the reactor thread, map the absl::Status to gRPC once, log one JSON line.
//
// A service method looks like:
//
//   grpc::ServerUnaryReactor* RegistryService::GetBusiness(
//       grpc::CallbackServerContext* context, const GetBusinessRequest*
//       request, Business* response) {
//     return ServeUnary(context, env_, kGetBusiness, [=](CallContext& call) {
//       return registry_.Get(call, *request, response);
//     });
//   }
//
// `blocking` runs on the worker pool. The overload with `fast` first runs
// `fast` inline on the reactor thread; it must never block (e.g. an
// in-memory cache lookup) and returns nullopt to fall through to `blocking`.
//
// `policy` must outlive the call (declare policies as constants).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/role.h"
#include "common/auth/token.h"
#include "common/server/worker_pool.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace umkm::server {

// Shared by all handlers of one service. Pointees outlive the server.
struct CallEnvironment {
  const auth::TokenVerifier* verifier = nullptr;
  WorkerPool* pool = nullptr;
  // Calls are refused with UNAVAILABLE when this many are already queued
  // for the pool: better a fast retryable error than an unbounded queue.
  size_t max_queued = 10000;
};

// What a handler knows about its call.
struct CallContext {
  auth::Caller caller;
  // The caller's deadline (absl::InfiniteFuture() when none); blocking work
  // bounds its waits by it.
  absl::Time deadline = absl::InfiniteFuture();
  // For the log line: from the x-request-id header, or set by the handler
  // from the request's request_id.
  std::string request_id;
  grpc::CallbackServerContext* grpc_context = nullptr;
};

// Who may call a method.
struct MethodPolicy {
  const char* name;  // full method name, e.g. "/umkm.registry.v1.X/Get"
  auth::RoleSet allowed;
};

using FastHandler = std::function<std::optional<absl::Status>(CallContext&)>;
using BlockingHandler = std::function<absl::Status(CallContext&)>;

grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const CallEnvironment& env,
                                     const MethodPolicy& policy,
                                     BlockingHandler blocking);

grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const CallEnvironment& env,
                                     const MethodPolicy& policy,
                                     FastHandler fast,
                                     BlockingHandler blocking);

}  // namespace umkm::server
