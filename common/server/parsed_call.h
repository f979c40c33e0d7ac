// Raw methods: the edge parses each request itself, from the bytes gRPC
// received, after it has authenticated the caller.
//
// A method gRPC parses for the service (the generated typed signature) is
// refused with UNIMPLEMENTED and no log line when its bytes do not parse:
// gRPC answers before the service runs. Served raw, a malformed request is
// INVALID_ARGUMENT, logged like any other call, and an unauthenticated
// caller learns nothing about how its bytes parse. Every request also loses
// its unknown fields here, at every depth, before any validation sees it:
// what the contract does not name is never stored or served back.
//
// Mark every method raw with the generated WithRawCallbackMethod_<Method>
// templates (WithRawMethods below stacks them), then answer each with one
// ServeParsed:
//
//   class ComplaintService final
//       : public server::WithRawMethods<
//             v1::ComplaintService::CallbackService,
//             v1::ComplaintService::WithRawCallbackMethod_FileComplaint,
//             v1::ComplaintService::WithRawCallbackMethod_GetComplaint> {
//     ... one override per method, taking and giving grpc::ByteBuffer ...
//   };
//
//   grpc::ServerUnaryReactor* ComplaintService::FileComplaint(
//       grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
//       grpc::ByteBuffer* response) {
//     return server::ServeParsed(context, *env_, kFile, request, response,
//                                complaints_, &Complaints::File);
//   }
//
// The request and response types come from the domain method's signature,
// absl::Status (Domain::*)(const RequestContext&, const Req&, Resp&), so
// they cannot disagree with what the domain takes; that they are the types
// the contract names is checked by each method's tests through a typed
// stub. server::testing::ExpectEveryMethodRefusesMalformedBytes checks
// that no method of a service was left typed.
#pragma once

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "common/context/request_context.h"
#include "common/server/unary_call.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace umkm::server {

namespace internal {
template <typename Base, template <typename> class... Raw>
struct StackRaw {
  using type = Base;
};
template <typename Base, template <typename> class First,
          template <typename> class... Rest>
struct StackRaw<Base, First, Rest...> {
  using type = First<typename StackRaw<Base, Rest...>::type>;
};
}  // namespace internal

// `Base` (a generated CallbackService) with each generated
// WithRawCallbackMethod_<Method> template applied: every method named is
// served raw. A method left out keeps its typed signature, so a raw
// override of it does not compile.
template <typename Base, template <typename> class... Raw>
using WithRawMethods = typename internal::StackRaw<Base, Raw...>::type;

// Parses `bytes` into `message` (which should be empty), then discards its
// unknown fields at every depth. INVALID_ARGUMENT "malformed request
// message" when the bytes are not a `message` (bad wire format, invalid
// UTF-8 in a string field). Most requests arrive in one slice and are
// parsed in place; others through a zero-copy stream. Thread-safe.
absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message& message);

// Serializes `message` into `bytes`, replacing what was there.
// INTERNAL when it cannot be serialized (over 2 GiB).
absl::Status SerializeResponse(const google::protobuf::Message& message,
                               grpc::ByteBuffer& bytes);

// Serves a raw method on the worker pool: authenticate, authorize, then on
// the pool parse the request, run
//   absl::Status handler(CallContext&, const Request&, Response&)
// and serialize its response. `request` and `response` are the raw
// method's own buffers (they live as long as the call).
template <typename Request, typename Response, typename Handler>
grpc::ServerUnaryReactor* ServeParsed(grpc::CallbackServerContext* context,
                                      const CallEnvironment& env,
                                      const MethodPolicy& policy,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response,
                                      Handler handler) {
  return ServeUnary(
      context, env, policy,
      [request, response,
       handler = std::move(handler)](CallContext& call) -> absl::Status {
        Request parsed;
        if (absl::Status status = ParseRequest(*request, parsed);
            !status.ok()) {
          return status;
        }
        Response answer;
        if (absl::Status status = handler(call, parsed, answer); !status.ok()) {
          return status;
        }
        return SerializeResponse(answer, *response);
      });
}

// The same for a domain method `method` of `domain`, which answers the
// request with the call's RequestContext.
template <typename Domain, typename Request, typename Response>
grpc::ServerUnaryReactor* ServeParsed(
    grpc::CallbackServerContext* context, const CallEnvironment& env,
    const MethodPolicy& policy, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response, Domain* domain,
    absl::Status (Domain::*method)(const RequestContext&, const Request&,
                                   Response&)) {
  return ServeParsed<Request, Response>(
      context, env, policy, request, response,
      [domain, method](CallContext& call, const Request& parsed,
                       Response& answer) {
        return (domain->*method)(call.request, parsed, answer);
      });
}

// Serves a raw method that `fast` may answer inline, on gRPC's thread:
//   std::optional<absl::Status> fast(CallContext&, const Request&,
//                                    grpc::ByteBuffer& response)
//     never blocks; writes the response bytes itself (e.g. bytes a cache
//     already holds serialized); nullopt falls through to `blocking`;
//   absl::Status blocking(CallContext&, const Request&, Response&)
//     runs on the pool, as for ServeParsed above.
// The request is parsed inline, once: use this only for methods whose
// requests are small.
template <typename Request, typename Response, typename Fast, typename Blocking>
grpc::ServerUnaryReactor* ServeParsed(grpc::CallbackServerContext* context,
                                      const CallEnvironment& env,
                                      const MethodPolicy& policy,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response, Fast&& fast,
                                      Blocking&& blocking) {
  internal::UnaryCall call = internal::Begin(context, env, policy);
  grpc::ServerUnaryReactor* reactor = call.reactor;
  if (call.finished) return reactor;
  Request parsed;
  if (absl::Status status = ParseRequest(*request, parsed); !status.ok()) {
    internal::Finish(call, policy, status);
    return reactor;
  }
  if (std::optional<absl::Status> done =
          fast(call.context, parsed, *response)) {
    internal::Finish(call, policy, *done);
    return reactor;
  }
  internal::RunOnPool(
      std::move(call), env, policy,
      [parsed = std::move(parsed), response,
       blocking = std::forward<Blocking>(blocking)](
          CallContext& context) -> absl::Status {
        Response answer;
        if (absl::Status status = blocking(context, parsed, answer);
            !status.ok()) {
          return status;
        }
        return SerializeResponse(answer, *response);
      });
  return reactor;
}

}  // namespace umkm::server
