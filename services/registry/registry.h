// Registry: the business registry's use cases, one method per RPC.
//
// Sits between the gRPC adapter (registry_service.h) and the store: checks
// requests, derives server-owned fields, keeps the cache coherent, and
// shapes each response for its caller (NIK masked unless the role needs it,
// with an audit record when a full NIK is disclosed). Errors are
// absl::Status with field violations named by request path.
//
// Every use case takes the RequestContext of its call: the caller shapes
// the answer, and the context goes down to the store with each change, so
// the events a call causes carry its correlation id.
//
// Thread-safe. Methods block on the store; GetCached never blocks.
#pragma once

#include <functional>
#include <optional>

#include "absl/status/status.h"
#include "common/auth/role.h"
#include "common/context/request_context.h"
#include "grpcpp/support/slice.h"
#include "services/registry/business_cache.h"
#include "services/registry/business_store.h"
#include "umkm/registry/v1/registry.pb.h"

namespace umkm::registry {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;
inline constexpr int kMaxBatchGet = 100;

class Registry {
 public:
  // Neither pointee is owned; both outlive the Registry.
  // `events_committed` runs after every change that recorded events (it
  // wakes the outbox relay); may be empty.
  Registry(BusinessStore* store, BusinessCache* cache,
           std::function<void()> events_committed = nullptr);

  absl::Status Create(const RequestContext& context,
                      const v1::CreateBusinessRequest& request,
                      v1::Business& response);

  // Answers from the in-process cache when it can, with the serialized
  // Business shared with the cache; nullopt means "ask Get".
  std::optional<absl::Status> GetCached(const RequestContext& context,
                                        const v1::GetBusinessRequest& request,
                                        grpc::Slice& response);
  absl::Status Get(const RequestContext& context,
                   const v1::GetBusinessRequest& request,
                   v1::Business& response);

  absl::Status List(const RequestContext& context,
                    const v1::ListBusinessesRequest& request,
                    v1::ListBusinessesResponse& response);
  absl::Status Update(const RequestContext& context,
                      const v1::UpdateBusinessRequest& request,
                      v1::Business& response);
  absl::Status Delete(const RequestContext& context,
                      const v1::DeleteBusinessRequest& request,
                      v1::Business& response);
  absl::Status Lookup(const RequestContext& context,
                      const v1::LookupBusinessRequest& request,
                      v1::Business& response);
  absl::Status BatchGet(const RequestContext& context,
                        const v1::BatchGetBusinessesRequest& request,
                        v1::BatchGetBusinessesResponse& response);
  absl::Status Stats(const RequestContext& context,
                     const v1::GetBusinessStatsRequest& request,
                     v1::GetBusinessStatsResponse& response);

 private:
  // Reads through the cache levels the caller may use.
  absl::StatusOr<v1::Business> Read(const RequestContext& context,
                                    const std::string& id);
  // Shapes `businesses` for `caller`: masks the NIK for roles that do not
  // need it, or records one audit line naming what was disclosed.
  void Present(const auth::Caller& caller, absl::string_view method,
               absl::Span<v1::Business* const> businesses) const;
  // Writes the audit line for a full-NIK disclosure of `resources`.
  void AuditDisclosure(const auth::Caller& caller, absl::string_view method,
                       absl::string_view resources, int64_t count) const;
  void Present(const auth::Caller& caller, absl::string_view method,
               v1::Business& business) const {
    v1::Business* one[] = {&business};
    Present(caller, method, one);
  }

  BusinessStore* store_;
  BusinessCache* cache_;
  const std::function<void()> events_committed_;
};

}  // namespace umkm::registry
