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

absl::string_view Metadata(const grpc::CallbackServerContext& context,
                           absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return {};
  return absl::string_view(it->second.data(), it->second.size());
}

}  // namespace

namespace internal {

void Finish(const UnaryCall& call, const MethodPolicy& policy,
            const absl::Status& status) {
  call.reactor->Finish(ToGrpcStatus(status));
  const double latency_ms = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - call.start)
                                .count();
  const log::Level level = status.ok() ? log::Level::kInfo
                           : status.code() == absl::StatusCode::kInternal ||
                                   status.code() == absl::StatusCode::kDataLoss
                               ? log::Level::kError
                               : log::Level::kWarning;
  const auth::Caller& caller = call.context.request.caller;
  log::Write(level, "rpc",
             {{"method", policy.name},
              {"code", absl::StatusCodeToString(status.code())},
              {"latency_ms", latency_ms},
              {"caller", caller.subject},
              // No role for a caller who never authenticated.
              {"role", caller.subject.empty()
                           ? std::string()
                           : std::string(auth::RoleName(caller.role))},
              {"request_id", call.context.request.request_id},
              {"error", std::string(status.message())}});
}

UnaryCall Begin(grpc::CallbackServerContext* context,
                const CallEnvironment& env, const MethodPolicy& policy) {
  UnaryCall call;
  call.start = std::chrono::steady_clock::now();
  call.reactor = context->DefaultReactor();
  call.context.grpc_context = context;
  // Real time: tokens and gRPC deadlines are wall-clock instants, whatever
  // clock the domain runs on.
  const absl::Time now = absl::Now();
  RequestContext& request = call.context.request;
  request.request_id = RequestIdFrom(Metadata(*context, kRequestIdHeader), now);
  request.correlation_id = request.request_id;
  request.deadline = absl::FromChrono(context->deadline());
  request.method = policy.name;
  if (absl::string_view purpose = Metadata(*context, kPurposeHeader);
      !purpose.empty()) {
    request.purpose =
        std::string(purpose.substr(0, kMaxPurposeHeaderBytes + 1));
  }
  context->AddInitialMetadata(kRequestIdHeader, request.request_id);

  absl::StatusOr<auth::Caller> caller = auth::AuthenticateHeader(
      *env.verifier, Metadata(*context, "authorization"), now);
  absl::Status refusal;
  if (!caller.ok()) {
    refusal = caller.status();
  } else {
    request.caller = *std::move(caller);
    refusal = auth::Authorize(request.caller, policy.allowed);
    if (refusal.ok())
      refusal = request.CheckDeadline(now, "before the call ran");
  }
  if (!refusal.ok()) {
    Finish(call, policy, refusal);
    call.finished = true;
  }
  return call;
}

void RunOnPool(UnaryCall call, const CallEnvironment& env,
               const MethodPolicy& policy, BlockingHandler blocking) {
  if (env.pool->QueueLength() >= env.max_queued) {
    Finish(call, policy,
           absl::UnavailableError("server overloaded; retry later"));
    return;
  }
  // shared_ptr: std::function needs a copyable callable.
  auto shared = std::make_shared<UnaryCall>(std::move(call));
  const bool scheduled =
      env.pool->Schedule([shared, &policy, blocking = std::move(blocking)]() {
        CallContext& context = shared->context;
        absl::Status status;
        if (context.grpc_context->IsCancelled()) {
          status = absl::CancelledError("call cancelled before it ran");
        } else if (absl::Status late = context.request.CheckDeadline(
                       absl::Now(), "while the call was queued");
                   !late.ok()) {
          status = std::move(late);
        } else {
          status = blocking(context);
        }
        Finish(*shared, policy, status);
      });
  if (!scheduled) {
    Finish(*shared, policy, absl::UnavailableError("server shutting down"));
  }
}

}  // namespace internal

grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const CallEnvironment& env,
                                     const MethodPolicy& policy,
                                     BlockingHandler blocking) {
  internal::UnaryCall call = internal::Begin(context, env, policy);
  grpc::ServerUnaryReactor* reactor = call.reactor;
  if (!call.finished) {
    internal::RunOnPool(std::move(call), env, policy, std::move(blocking));
  }
  return reactor;
}

}  // namespace umkm::server
