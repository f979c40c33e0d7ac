// RegistryService: the gRPC adapter of the business registry.
//
// Each RPC is one ServeParsed() call naming who may call it and which
// Registry method answers; nothing else happens here.
#pragma once

#include "common/server/parsed_call.h"
#include "services/registry/registry.h"
#include "umkm/registry/v1/registry.grpc.pb.h"

namespace umkm::registry {

// Every method is raw (server::ServeParsed): the edge parses each request
// after authenticating its caller, so malformed bytes are INVALID_ARGUMENT
// and unknown fields are gone before validation. GetBusiness, the hottest
// read, answers a cache hit with the cached serialized bytes, so nothing is
// copied or serialized per call.
class RegistryService final
    : public server::WithRawMethods<
          v1::RegistryService::CallbackService,
          v1::RegistryService::WithRawCallbackMethod_CreateBusiness,
          v1::RegistryService::WithRawCallbackMethod_GetBusiness,
          v1::RegistryService::WithRawCallbackMethod_ListBusinesses,
          v1::RegistryService::WithRawCallbackMethod_UpdateBusiness,
          v1::RegistryService::WithRawCallbackMethod_DeleteBusiness,
          v1::RegistryService::WithRawCallbackMethod_LookupBusiness,
          v1::RegistryService::WithRawCallbackMethod_BatchGetBusinesses,
          v1::RegistryService::WithRawCallbackMethod_GetBusinessStats> {
 public:
  // Neither pointee is owned; both outlive the service.
  RegistryService(Registry* registry, const server::CallEnvironment* env);

  grpc::ServerUnaryReactor* CreateBusiness(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetBusiness(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListBusinesses(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* UpdateBusiness(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* DeleteBusiness(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* LookupBusiness(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetBusinesses(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetBusinessStats(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;

 private:
  Registry* registry_;
  const server::CallEnvironment* env_;
};

}  // namespace umkm::registry
