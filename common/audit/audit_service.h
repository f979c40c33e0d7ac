// AuditService (umkm.audit.v1): the gRPC adapter of a service's audit
// trail. The service kit serves it for every umkm-* service; admins only.
#pragma once

#include "common/audit/audit_log.h"
#include "common/server/parsed_call.h"
#include "umkm/audit/v1/audit.grpc.pb.h"

namespace umkm::audit {

// Raw (server::ServeParsed), like every service's methods: malformed bytes
// are INVALID_ARGUMENT, unknown fields dropped.
class AuditService final
    : public server::WithRawMethods<
          v1::AuditService::CallbackService,
          v1::AuditService::WithRawCallbackMethod_ListAuditRecords> {
 public:
  // Neither pointee is owned; both outlive the service.
  AuditService(const AuditLog* log, const server::CallEnvironment* env);

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;

 private:
  const AuditLog* log_;
  const server::CallEnvironment* env_;
};

}  // namespace umkm::audit
