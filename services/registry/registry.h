// Registry: the business registry's use cases, one method per RPC.
//
// Sits between the gRPC adapter (registry_service.h) and the store: checks
// requests, derives server-owned fields, keeps the cache coherent, and
// shapes each response for its caller and the view it asked for (AIP-157:
// BASIC has no owner; FULL masks the NIK unless the role needs it). A full
// NIK, or a filter on a personal-data field, needs a stated purpose and is
// recorded in the audit trail (common/audit) before the answer is returned.
// Responses to writes carry the NIK masked for every role. Errors are
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
#include <vector>

#include "absl/status/status.h"
#include "common/audit/audit_log.h"
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
  // No pointee is owned; all outlive the Registry. `audit` records
  // disclosures. `events_committed` runs after every change that recorded
  // events (it wakes the outbox relay); may be empty.
  Registry(BusinessStore* store, BusinessCache* cache,
           const audit::AuditLog* audit,
           std::function<void()> events_committed = nullptr);

  absl::Status Create(const RequestContext& context,
                      const v1::CreateBusinessRequest& request,
                      v1::Business& response);

  // Answers from the in-process cache when it can, with the serialized
  // Business shared with the cache; nullopt means "ask Get" (a miss, or an
  // answer that needs an audit record, which is a blocking write).
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
  // Reads through the cache levels; the shared level (masked records) only
  // when `shared_ok`, i.e. the answer will not carry the full NIK.
  absl::StatusOr<v1::Business> Read(const RequestContext& context,
                                    const std::string& id, bool shared_ok);
  // Shapes `businesses` for the caller of `context` and `view`, and records
  // `disclosures` plus, when the full NIK goes out, a read of the
  // businesses, committed before it returns. An error (no purpose, the
  // store) means the answer must not be sent.
  absl::Status Present(const RequestContext& context, v1::BusinessView view,
                       absl::Span<v1::Business* const> businesses,
                       std::vector<audit::Disclosure> disclosures = {}) const;
  absl::Status Present(const RequestContext& context, v1::BusinessView view,
                       v1::Business& business) const {
    v1::Business* one[] = {&business};
    return Present(context, view, one);
  }

  BusinessStore* store_;
  BusinessCache* cache_;
  const audit::AuditLog* audit_;
  const std::function<void()> events_committed_;
};

}  // namespace umkm::registry
