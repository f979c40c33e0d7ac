#include "common/registry_client/registry_client.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/aip/resource_name.h"
#include "common/auth/token.h"
#include "common/log/json_log.h"
#include "common/registry_client/business_view.h"
#include "common/registry_client/shared_cache.h"
#include "common/status/grpc_status.h"
#include "common/status/macros.h"

namespace umkm {

RegistryClient::RegistryClient(std::shared_ptr<grpc::Channel> channel,
                               redis::RedisClient* redis,
                               std::function<std::string()> token,
                               RegistryClientOptions options)
    : stub_(registry::v1::RegistryService::NewStub(std::move(channel))),
      redis_(redis),
      token_(std::move(token)),
      options_(options) {}

absl::StatusOr<registry::v1::Business> RegistryClient::Get(
    const RequestContext& request_context, const std::string& name) {
  UMKM_ASSIGN_OR_RETURN(std::string id,
                        aip::ParseResourceId(name, "businesses", "name"));
  const absl::Time now = absl::Now();
  UMKM_RETURN_IF_ERROR(
      request_context.CheckDeadline(now, "before reading the business"));
  registry::v1::Business business;
  if (redis_ != nullptr) {
    absl::StatusOr<std::optional<std::string>> cached =
        redis_->Get(SharedBusinessKey(id));
    if (cached.ok() && cached->has_value() &&
        business.ParseFromString(**cached)) {
      ToBasicView(business);  // the entry is the masked FULL view
      // An entry an older registry filled may hold fields no contract
      // names; they do not go on to this client's caller.
      business.DiscardUnknownFields();
      return business;
    }
  }
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(
      std::min(now + options_.deadline, request_context.deadline)));
  context.AddMetadata("authorization", "Bearer " + token_());
  if (IsAcceptableRequestId(request_context.correlation_id)) {
    context.AddMetadata(kRequestIdHeader, request_context.correlation_id);
  }
  // BASIC: the registry sends no owner data, so it has nothing to audit.
  registry::v1::GetBusinessRequest request;
  request.set_name(name);
  request.set_view(registry::v1::BUSINESS_VIEW_BASIC);
  grpc::Status status = stub_->GetBusiness(&context, request, &business);
  if (!status.ok()) return FromGrpcStatus(status);
  business.DiscardUnknownFields();
  return business;
}

void RegistryClient::Invalidate(const std::string& name) {
  absl::StatusOr<std::string> id =
      aip::ParseResourceId(name, "businesses", "name");
  if (redis_ == nullptr || !id.ok()) return;
  absl::Status status = redis_->Del({SharedBusinessKey(*id)}).status();
  if (!status.ok()) {
    log::Warning("registry cache invalidation failed",
                 {{"business", name}, {"error", status.message()}});
  }
}

void RegistryClient::InvalidateOn(events::HandlerRegistry& consumer) {
  // Nothing to store: the effect is the cache delete after the (empty)
  // transaction, which is idempotent as hooks must be.
  auto nothing = [](store::Connection&, const events::v1::Event&) {
    return absl::OkStatus();
  };
  consumer.On(events::v1::Event::kBusinessUpdated, nothing,
              [this](const events::v1::Event& event) {
                Invalidate(event.business_updated().business());
              });
  consumer.On(events::v1::Event::kBusinessDeactivated, nothing,
              [this](const events::v1::Event& event) {
                Invalidate(event.business_deactivated().business());
              });
}

std::function<std::string()> ServiceToken(std::string key,
                                          std::string service_name,
                                          absl::Duration lifetime) {
  struct State {
    std::mutex mu;
    std::string token;
    absl::Time refresh_at = absl::InfinitePast();
  };
  auto state = std::make_shared<State>();
  return [state, key = std::move(key), service_name = std::move(service_name),
          lifetime]() {
    std::lock_guard<std::mutex> lock(state->mu);
    const absl::Time now = absl::Now();
    if (now >= state->refresh_at) {
      state->token = auth::MintToken(key, {.sub = service_name,
                                           .role = auth::Role::kService,
                                           .exp = now + lifetime,
                                           .iat = now});
      state->refresh_at = now + lifetime - absl::Minutes(1);
    }
    return state->token;
  };
}

}  // namespace umkm
