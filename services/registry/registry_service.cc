#include "services/registry/registry_service.h"

#include <optional>

#include "grpcpp/support/slice.h"

namespace umkm::registry {
namespace {

using auth::Role;
using server::CallContext;
using server::MethodPolicy;

// Banks have no access to the registry: they see business data only through
// the referrals addressed to them (financing's bank-facing service).
constexpr auth::RoleSet kWriters{Role::kAdmin, Role::kOfficial};
constexpr auth::RoleSet kReaders{Role::kAdmin, Role::kOfficial, Role::kService};

#define UMKM_REGISTRY_METHOD(name) "/umkm.registry.v1.RegistryService/" name

constexpr MethodPolicy kCreate{UMKM_REGISTRY_METHOD("CreateBusiness"),
                               kWriters};
constexpr MethodPolicy kGet{UMKM_REGISTRY_METHOD("GetBusiness"), kReaders};
constexpr MethodPolicy kList{UMKM_REGISTRY_METHOD("ListBusinesses"), kReaders};
constexpr MethodPolicy kUpdate{UMKM_REGISTRY_METHOD("UpdateBusiness"),
                               kWriters};
constexpr MethodPolicy kDelete{UMKM_REGISTRY_METHOD("DeleteBusiness"),
                               kWriters};
constexpr MethodPolicy kLookup{UMKM_REGISTRY_METHOD("LookupBusiness"),
                               kReaders};
constexpr MethodPolicy kBatchGet{UMKM_REGISTRY_METHOD("BatchGetBusinesses"),
                                 kReaders};
constexpr MethodPolicy kStats{UMKM_REGISTRY_METHOD("GetBusinessStats"),
                              kReaders};

#undef UMKM_REGISTRY_METHOD

}  // namespace

RegistryService::RegistryService(Registry* registry,
                                 const server::CallEnvironment* env)
    : registry_(registry), env_(env) {}

grpc::ServerUnaryReactor* RegistryService::CreateBusiness(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeParsed(context, *env_, kCreate, request, response,
                             registry_, &Registry::Create);
}

grpc::ServerUnaryReactor* RegistryService::GetBusiness(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeParsed<v1::GetBusinessRequest, v1::Business>(
      context, *env_, kGet, request, response,
      [this](CallContext& call, const v1::GetBusinessRequest& parsed,
             grpc::ByteBuffer& answer) -> std::optional<absl::Status> {
        grpc::Slice hit;
        std::optional<absl::Status> done =
            registry_->GetCached(call.request, parsed, hit);
        if (done && done->ok()) answer = grpc::ByteBuffer(&hit, 1);
        return done;
      },
      [this](CallContext& call, const v1::GetBusinessRequest& parsed,
             v1::Business& answer) {
        return registry_->Get(call.request, parsed, answer);
      });
}

grpc::ServerUnaryReactor* RegistryService::ListBusinesses(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeParsed(context, *env_, kList, request, response,
                             registry_, &Registry::List);
}

grpc::ServerUnaryReactor* RegistryService::UpdateBusiness(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeParsed(context, *env_, kUpdate, request, response,
                             registry_, &Registry::Update);
}

grpc::ServerUnaryReactor* RegistryService::DeleteBusiness(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeParsed(context, *env_, kDelete, request, response,
                             registry_, &Registry::Delete);
}

grpc::ServerUnaryReactor* RegistryService::LookupBusiness(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeParsed(context, *env_, kLookup, request, response,
                             registry_, &Registry::Lookup);
}

grpc::ServerUnaryReactor* RegistryService::BatchGetBusinesses(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeParsed(context, *env_, kBatchGet, request, response,
                             registry_, &Registry::BatchGet);
}

grpc::ServerUnaryReactor* RegistryService::GetBusinessStats(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeParsed(context, *env_, kStats, request, response,
                             registry_, &Registry::Stats);
}

}  // namespace umkm::registry
