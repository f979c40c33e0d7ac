// RegistryService: the gRPC adapter of the business registry.
//
// Each RPC is one ServeUnary() call naming who may call it and which
// Registry method answers; nothing else happens here.
#pragma once

#include "common/server/unary_call.h"
#include "services/registry/registry.h"
#include "umkm/registry/v1/registry.grpc.pb.h"

namespace umkm::registry {

// GetBusiness, the hottest read, is a raw method: a cache hit answers with
// the cached serialized bytes, so nothing is copied or serialized per call.
class RegistryService final
    : public v1::RegistryService::WithRawCallbackMethod_GetBusiness<
          v1::RegistryService::CallbackService> {
 public:
  // Neither pointee is owned; both outlive the service.
  RegistryService(Registry* registry, const server::CallEnvironment* env);

  grpc::ServerUnaryReactor* CreateBusiness(
      grpc::CallbackServerContext* context,
      const v1::CreateBusinessRequest* request,
      v1::Business* response) override;
  grpc::ServerUnaryReactor* GetBusiness(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListBusinesses(
      grpc::CallbackServerContext* context,
      const v1::ListBusinessesRequest* request,
      v1::ListBusinessesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateBusiness(
      grpc::CallbackServerContext* context,
      const v1::UpdateBusinessRequest* request,
      v1::Business* response) override;
  grpc::ServerUnaryReactor* DeleteBusiness(
      grpc::CallbackServerContext* context,
      const v1::DeleteBusinessRequest* request,
      v1::Business* response) override;
  grpc::ServerUnaryReactor* LookupBusiness(
      grpc::CallbackServerContext* context,
      const v1::LookupBusinessRequest* request,
      v1::Business* response) override;
  grpc::ServerUnaryReactor* BatchGetBusinesses(
      grpc::CallbackServerContext* context,
      const v1::BatchGetBusinessesRequest* request,
      v1::BatchGetBusinessesResponse* response) override;
  grpc::ServerUnaryReactor* GetBusinessStats(
      grpc::CallbackServerContext* context,
      const v1::GetBusinessStatsRequest* request,
      v1::GetBusinessStatsResponse* response) override;

 private:
  Registry* registry_;
  const server::CallEnvironment* env_;
};

}  // namespace umkm::registry
