// AuditService (umkm.audit.v1): the gRPC adapter of a service's audit
// trail. The service kit serves it for every umkm-* service; admins only.
#pragma once

#include "common/audit/audit_log.h"
#include "common/server/unary_call.h"
#include "umkm/audit/v1/audit.grpc.pb.h"

namespace umkm::audit {

class AuditService final : public v1::AuditService::CallbackService {
 public:
  // Neither pointee is owned; both outlive the service.
  AuditService(const AuditLog* log, const server::CallEnvironment* env);

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context,
      const v1::ListAuditRecordsRequest* request,
      v1::ListAuditRecordsResponse* response) override;

 private:
  const AuditLog* log_;
  const server::CallEnvironment* env_;
};

}  // namespace umkm::audit
