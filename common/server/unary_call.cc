#include "common/server/unary_call.h"

#include <chrono>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/json_log.h"
#include "common/status/grpc_status.h"

namespace umkm::server {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

absl::string_view Metadata(const grpc::CallbackServerContext& context,
                           absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return {};
  return absl::string_view(it->second.data(), it->second.size());
}

void Finish(grpc::ServerUnaryReactor* reactor, const MethodPolicy& policy,
            const CallContext& call, SteadyTime start,
            const absl::Status& status) {
  reactor->Finish(ToGrpcStatus(status));
  const double latency_ms = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - start)
                                .count();
  const log::Level level = status.ok() ? log::Level::kInfo
                           : status.code() == absl::StatusCode::kInternal ||
                                   status.code() == absl::StatusCode::kDataLoss
                               ? log::Level::kError
                               : log::Level::kWarning;
  log::Write(level, "rpc",
             {{"method", policy.name},
              {"code", absl::StatusCodeToString(status.code())},
              {"latency_ms", latency_ms},
              {"caller", call.caller.subject},
              // No role for a caller who never authenticated.
              {"role", call.caller.subject.empty()
                           ? std::string()
                           : std::string(auth::RoleName(call.caller.role))},
              {"request_id", call.request_id},
              {"error", std::string(status.message())}});
}

}  // namespace

grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const CallEnvironment& env,
                                     const MethodPolicy& policy,
                                     BlockingHandler blocking) {
  return ServeUnary(context, env, policy, nullptr, std::move(blocking));
}

grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const CallEnvironment& env,
                                     const MethodPolicy& policy,
                                     FastHandler fast,
                                     BlockingHandler blocking) {
  const SteadyTime start = std::chrono::steady_clock::now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // On the stack: a fast-path answer never touches the heap for it.
  CallContext call;
  call.grpc_context = context;
  call.request_id = std::string(Metadata(*context, "x-request-id"));
  call.deadline = absl::FromChrono(context->deadline());

  const absl::Time now = absl::Now();
  absl::StatusOr<auth::Caller> caller = auth::AuthenticateHeader(
      *env.verifier, Metadata(*context, "authorization"), now);
  if (!caller.ok()) {
    Finish(reactor, policy, call, start, caller.status());
    return reactor;
  }
  call.caller = *std::move(caller);
  if (absl::Status allowed = auth::Authorize(call.caller, policy.allowed);
      !allowed.ok()) {
    Finish(reactor, policy, call, start, allowed);
    return reactor;
  }
  if (call.deadline <= now) {
    Finish(reactor, policy, call, start,
           absl::DeadlineExceededError("deadline passed before the call ran"));
    return reactor;
  }
  if (fast) {
    if (std::optional<absl::Status> done = fast(call)) {
      Finish(reactor, policy, call, start, *done);
      return reactor;
    }
  }
  if (env.pool->QueueLength() >= env.max_queued) {
    Finish(reactor, policy, call, start,
           absl::UnavailableError("server overloaded; retry later"));
    return reactor;
  }
  // shared_ptr: std::function needs a copyable callable.
  auto shared_call = std::make_shared<CallContext>(std::move(call));
  const bool scheduled = env.pool->Schedule(
      [reactor, &policy, start, shared_call, blocking = std::move(blocking)]() {
        absl::Status status;
        if (shared_call->grpc_context->IsCancelled()) {
          status = absl::CancelledError("call cancelled before it ran");
        } else if (shared_call->deadline <= absl::Now()) {
          status = absl::DeadlineExceededError(
              "deadline passed while the call was queued");
        } else {
          status = blocking(*shared_call);
        }
        Finish(reactor, policy, *shared_call, start, status);
      });
  if (!scheduled) {
    Finish(reactor, policy, *shared_call, start,
           absl::UnavailableError("server shutting down"));
  }
  return reactor;
}

}  // namespace umkm::server
