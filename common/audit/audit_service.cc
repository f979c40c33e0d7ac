#include "common/audit/audit_service.h"

#include <utility>

#include "common/status/macros.h"

namespace umkm::audit {
namespace {

// The trail names who read whose data: for the operators who answer for
// it (and the data protection officer), not for the people it records.
constexpr server::MethodPolicy kList{
    "/umkm.audit.v1.AuditService/ListAuditRecords", {auth::Role::kAdmin}};

}  // namespace

AuditService::AuditService(const AuditLog* log,
                           const server::CallEnvironment* env)
    : log_(log), env_(env) {}

grpc::ServerUnaryReactor* AuditService::ListAuditRecords(
    grpc::CallbackServerContext* context,
    const v1::ListAuditRecordsRequest* request,
    v1::ListAuditRecordsResponse* response) {
  return server::ServeUnary(
      context, *env_, kList,
      [=, this](server::CallContext& call) -> absl::Status {
        UMKM_ASSIGN_OR_RETURN(*response, log_->List(call.request, *request));
        return absl::OkStatus();
      });
}

}  // namespace umkm::audit
