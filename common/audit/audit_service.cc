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
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeParsed<v1::ListAuditRecordsRequest,
                             v1::ListAuditRecordsResponse>(
      context, *env_, kList, request, response,
      [this](server::CallContext& call,
             const v1::ListAuditRecordsRequest& parsed,
             v1::ListAuditRecordsResponse& answer) -> absl::Status {
        UMKM_ASSIGN_OR_RETURN(answer, log_->List(call.request, parsed));
        return absl::OkStatus();
      });
}

}  // namespace umkm::audit
