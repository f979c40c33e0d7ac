// The edge of every unary RPC: authenticate, authorize, give the call its
// request id, refuse work whose deadline passed, run the handler off the
// reactor thread, map the absl::Status to gRPC once, log one JSON line.
//
// Services serve their methods raw, through ServeParsed (parsed_call.h),
// which parses each request once this layer has authenticated the caller;
// ServeUnary alone serves a method gRPC parses (typed):
//
//   return server::ServeUnary(context, *env_, kEcho,
//                             [=](server::CallContext& call) {
//     response->set_text(request->text());
//     return absl::OkStatus();
//   });
//
// The context also carries the method's name and the caller's
// `x-umkm-purpose` header as sent (for the audit trail, common/audit).
//
// The request id (RequestContext::request_id) is the caller's
// `x-request-id` when well formed, otherwise a new UUIDv7; it goes back to
// the caller in the initial metadata under the same key, on every answer
// including refusals, and is the `request_id` of the call's log line.
//
// `blocking` runs on the worker pool. The overload with `fast` first runs
// `fast` inline on the reactor thread; it must never block (e.g. an
// in-memory cache lookup) and returns nullopt to fall through to `blocking`.
//
// `policy` must outlive the call (declare policies as constants).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/role.h"
#include "common/auth/token.h"
#include "common/context/request_context.h"
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

// What a handler knows about its call: the request context it hands to the
// domain (caller, deadline, request and correlation ids), and the gRPC
// context for the rare handler that needs more.
struct CallContext {
  RequestContext request;
  grpc::CallbackServerContext* grpc_context = nullptr;
};

// Who may call a method.
struct MethodPolicy {
  const char* name;  // full method name, e.g. "/umkm.registry.v1.X/Get"
  auth::RoleSet allowed;
};

using BlockingHandler = std::function<absl::Status(CallContext&)>;

// Serves a call whose work may block: it runs on the worker pool.
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const CallEnvironment& env,
                                     const MethodPolicy& policy,
                                     BlockingHandler blocking);

// Serves a call that `fast` may answer inline:
//   std::optional<absl::Status> fast(CallContext&)   never blocks
//   absl::Status blocking(CallContext&)             when fast returns nullopt
// Both are plain callables (no type erasure on the fast path); `blocking`
// is moved to the heap only when it is needed, so capture what it needs by
// value or through pointers that live as long as the call.
template <typename Fast, typename Blocking>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const CallEnvironment& env,
                                     const MethodPolicy& policy, Fast&& fast,
                                     Blocking&& blocking);

namespace internal {

// A call between authentication and its answer.
struct UnaryCall {
  grpc::ServerUnaryReactor* reactor = nullptr;
  std::chrono::steady_clock::time_point start;
  CallContext context;
  bool finished = false;  // already answered (e.g. UNAUTHENTICATED)
};

// Authenticates, authorizes and checks the deadline; answers the call
// itself (finished) when one of them fails.
UnaryCall Begin(grpc::CallbackServerContext* context,
                const CallEnvironment& env, const MethodPolicy& policy);
// Answers the call and logs it.
void Finish(const UnaryCall& call, const MethodPolicy& policy,
            const absl::Status& status);
// Runs `blocking` on the pool and answers with its status.
void RunOnPool(UnaryCall call, const CallEnvironment& env,
               const MethodPolicy& policy, BlockingHandler blocking);

}  // namespace internal

template <typename Fast, typename Blocking>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const CallEnvironment& env,
                                     const MethodPolicy& policy, Fast&& fast,
                                     Blocking&& blocking) {
  internal::UnaryCall call = internal::Begin(context, env, policy);
  grpc::ServerUnaryReactor* reactor = call.reactor;
  if (call.finished) return reactor;
  if (std::optional<absl::Status> done = fast(call.context)) {
    internal::Finish(call, policy, *done);
    return reactor;
  }
  internal::RunOnPool(std::move(call), env, policy,
                      BlockingHandler(std::forward<Blocking>(blocking)));
  return reactor;
}

}  // namespace umkm::server
