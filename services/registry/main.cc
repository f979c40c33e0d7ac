// umkm-registry: the business registry, assembled by the service kit
// (common/service/runtime.h). See registry.h for what it does.
#include <memory>

#include "common/service/runtime.h"
#include "common/status/macros.h"
#include "services/registry/business_cache.h"
#include "services/registry/registry.h"
#include "services/registry/registry_events.h"
#include "services/registry/registry_service.h"
#include "services/registry/sqlite_business_store.h"

namespace umkm::registry {
namespace {

absl::Status Assemble(service::Runtime& runtime) {
  UMKM_ASSIGN_OR_RETURN(const privacy::FieldCipher* cipher, runtime.privacy());
  UMKM_ASSIGN_OR_RETURN(int64_t cache_entries,
                        runtime.config().GetInt("cache_entries"));
  // Page tokens are signed with a key derived from the privacy secret (HMAC
  // under the blind-index key is a PRF): no extra secret, and tokens
  // survive restarts.
  UMKM_ASSIGN_OR_RETURN(
      std::unique_ptr<SqliteBusinessStore> store,
      SqliteBusinessStore::Create(
          &runtime.database(), cipher,
          cipher->BlindIndex("umkm-registry page-token key v1"),
          runtime.clock()));
  auto& businesses = runtime.Own(std::move(store));
  auto& cache = runtime.Own(std::make_unique<BusinessCache>(
      runtime.redis(),
      BusinessCacheOptions{.local_capacity =
                               static_cast<size_t>(cache_entries)},
      runtime.clock()));
  auto& registry = runtime.Own(std::make_unique<Registry>(
      &businesses, &cache, &runtime.audit_log(), runtime.events_committed()));
  RegisterEventHandlers(runtime, businesses, cache,
                        {.clock = &runtime.clock()});
  runtime.AddService(std::make_unique<RegistryService>(
      &registry, &runtime.call_environment()));
  return absl::OkStatus();
}

}  // namespace
}  // namespace umkm::registry

int main(int argc, char** argv) {
  using umkm::registry::SqliteBusinessStore;
  const auto migrations = SqliteBusinessStore::Migrations();
  return umkm::service::Main(
      argc, argv,
      {.name = "umkm-registry",
       .default_port = 50051,
       .flags = {{"cache_entries", "50000",
                  "businesses kept in the in-process cache"}},
       .migrations = {migrations.begin(), migrations.end()},
       .assemble = umkm::registry::Assemble});
}
