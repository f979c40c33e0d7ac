#include "services/registry/registry_service.h"

#include <memory>
#include <string>
#include <vector>

#include "common/status/macros.h"

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

// Parses a raw request; most arrive in one slice, parsed in place.
absl::Status ParseRequest(const grpc::ByteBuffer& buffer,
                          google::protobuf::Message& message) {
  std::vector<grpc::Slice> slices;
  bool ok = buffer.Dump(&slices).ok();
  if (ok && slices.size() == 1) {
    ok = message.ParseFromArray(slices[0].begin(),
                                static_cast<int>(slices[0].size()));
  } else if (ok) {
    std::string bytes;
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    ok = message.ParseFromString(bytes);
  }
  if (!ok) return absl::InvalidArgumentError("malformed request message");
  return absl::OkStatus();
}

}  // namespace

RegistryService::RegistryService(Registry* registry,
                                 const server::CallEnvironment* env)
    : registry_(registry), env_(env) {}

grpc::ServerUnaryReactor* RegistryService::CreateBusiness(
    grpc::CallbackServerContext* context,
    const v1::CreateBusinessRequest* request, v1::Business* response) {
  return server::ServeUnary(
      context, *env_, kCreate, [=, this](CallContext& call) {
        return registry_->Create(call.request, *request, *response);
      });
}

grpc::ServerUnaryReactor* RegistryService::GetBusiness(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return server::ServeUnary(
      context, *env_, kGet,
      [&](CallContext& call) -> std::optional<absl::Status> {
        v1::GetBusinessRequest parsed;
        UMKM_RETURN_IF_ERROR(ParseRequest(*request, parsed));
        grpc::Slice hit;
        std::optional<absl::Status> done =
            registry_->GetCached(call.request, parsed, hit);
        if (done && done->ok()) *response = grpc::ByteBuffer(&hit, 1);
        return done;
      },
      // Runs later, on the pool: captures only what outlives this frame
      // (the request and response buffers live as long as the call).
      [this, request, response](CallContext& call) -> absl::Status {
        v1::GetBusinessRequest parsed;
        UMKM_RETURN_IF_ERROR(ParseRequest(*request, parsed));
        v1::Business business;
        UMKM_RETURN_IF_ERROR(registry_->Get(call.request, parsed, business));
        grpc::Slice slice(business.SerializeAsString());
        *response = grpc::ByteBuffer(&slice, 1);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RegistryService::ListBusinesses(
    grpc::CallbackServerContext* context,
    const v1::ListBusinessesRequest* request,
    v1::ListBusinessesResponse* response) {
  return server::ServeUnary(
      context, *env_, kList, [=, this](CallContext& call) {
        return registry_->List(call.request, *request, *response);
      });
}

grpc::ServerUnaryReactor* RegistryService::UpdateBusiness(
    grpc::CallbackServerContext* context,
    const v1::UpdateBusinessRequest* request, v1::Business* response) {
  return server::ServeUnary(
      context, *env_, kUpdate, [=, this](CallContext& call) {
        return registry_->Update(call.request, *request, *response);
      });
}

grpc::ServerUnaryReactor* RegistryService::DeleteBusiness(
    grpc::CallbackServerContext* context,
    const v1::DeleteBusinessRequest* request, v1::Business* response) {
  return server::ServeUnary(
      context, *env_, kDelete, [=, this](CallContext& call) {
        return registry_->Delete(call.request, *request, *response);
      });
}

grpc::ServerUnaryReactor* RegistryService::LookupBusiness(
    grpc::CallbackServerContext* context,
    const v1::LookupBusinessRequest* request, v1::Business* response) {
  return server::ServeUnary(
      context, *env_, kLookup, [=, this](CallContext& call) {
        return registry_->Lookup(call.request, *request, *response);
      });
}

grpc::ServerUnaryReactor* RegistryService::BatchGetBusinesses(
    grpc::CallbackServerContext* context,
    const v1::BatchGetBusinessesRequest* request,
    v1::BatchGetBusinessesResponse* response) {
  return server::ServeUnary(
      context, *env_, kBatchGet, [=, this](CallContext& call) {
        return registry_->BatchGet(call.request, *request, *response);
      });
}

grpc::ServerUnaryReactor* RegistryService::GetBusinessStats(
    grpc::CallbackServerContext* context,
    const v1::GetBusinessStatsRequest* request,
    v1::GetBusinessStatsResponse* response) {
  return server::ServeUnary(
      context, *env_, kStats, [=, this](CallContext& call) {
        return registry_->Stats(call.request, *request, *response);
      });
}

}  // namespace umkm::registry
