#include "services/registry/business_cache.h"

#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "common/aip/resource_name.h"
#include "common/log/json_log.h"
#include "common/registry_client/business_view.h"
#include "services/registry/business_rules.h"

namespace umkm::registry {

BusinessCache::BusinessCache(redis::RedisClient* redis,
                             BusinessCacheOptions options, const Clock& clock)
    : redis_(redis),
      options_(options),
      clock_(clock),
      per_shard_capacity_(
          std::max<size_t>(1, options.local_capacity / kShards)),
      shards_(new Shard[kShards]) {}

BusinessCache::Shard& BusinessCache::ShardFor(absl::string_view id) const {
  return shards_[absl::Hash<absl::string_view>()(id) % kShards];
}

uint64_t BusinessCache::Generation(absl::string_view id) const {
  Shard& shard = ShardFor(id);
  std::lock_guard<std::mutex> lock(shard.mu);
  return shard.generation;
}

std::shared_ptr<const CachedBusiness> BusinessCache::GetLocal(
    absl::string_view id) const {
  const absl::Time now = clock_.Now();
  Shard& shard = ShardFor(id);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.index.find(id);
  if (it == shard.index.end()) return nullptr;
  if (it->second->expires <= now) {
    shard.lru.erase(it->second);
    shard.index.erase(it);
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  return it->second->record;
}

std::optional<v1::Business> BusinessCache::GetShared(
    absl::string_view id, absl::Time deadline) const {
  if (redis_ == nullptr) return std::nullopt;
  absl::StatusOr<std::optional<std::string>> value =
      redis_->Get(SharedBusinessKey(id), deadline);
  if (!value.ok()) {
    log::Warning("cache read failed", {{"error", value.status().message()}});
    return std::nullopt;
  }
  if (!value->has_value()) return std::nullopt;
  v1::Business business;
  if (!business.ParseFromString(**value)) return std::nullopt;
  business.DiscardUnknownFields();  // e.g. an entry filled by an older binary
  return business;
}

void BusinessCache::Fill(const v1::Business& business, uint64_t generation,
                         bool share, absl::Time deadline) {
  absl::StatusOr<std::string> parsed =
      aip::ParseResourceId(business.name(), kBusinessCollection);
  if (!parsed.ok()) return;  // only records from the store come here
  const std::string& id = *parsed;
  auto record = std::make_shared<CachedBusiness>();
  record->full = business;
  v1::Business shaped = business;
  MaskNik(shaped);
  record->masked_bytes = grpc::Slice(shaped.SerializeAsString());
  ToBasicView(shaped);
  record->basic_bytes = grpc::Slice(shaped.SerializeAsString());
  Shard& shard = ShardFor(id);
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    if (shard.generation != generation) return;  // raced with a write
    auto it = shard.index.find(id);
    if (it != shard.index.end()) {
      shard.lru.erase(it->second);
      shard.index.erase(it);
    }
    shard.lru.push_front(Entry{id, record, clock_.Now() + options_.local_ttl});
    shard.index[id] = shard.lru.begin();
    while (shard.lru.size() > per_shard_capacity_) {
      shard.index.erase(shard.lru.back().id);
      shard.lru.pop_back();
    }
  }
  if (share && redis_ != nullptr) {
    const grpc::Slice& bytes = record->masked_bytes;
    absl::Status status = redis_->Set(
        SharedBusinessKey(id),
        std::string_view(reinterpret_cast<const char*>(bytes.begin()),
                         bytes.size()),
        options_.shared_ttl, deadline);
    if (!status.ok()) {
      log::Warning("cache fill failed", {{"error", status.message()}});
    }
  }
}

void BusinessCache::Invalidate(absl::string_view id) {
  Shard& shard = ShardFor(id);
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    ++shard.generation;
    auto it = shard.index.find(id);
    if (it != shard.index.end()) {
      shard.lru.erase(it->second);
      shard.index.erase(it);
    }
  }
  if (redis_ != nullptr) {
    absl::Status status = redis_->Del({SharedBusinessKey(id)}).status();
    if (!status.ok()) {
      // The entry expires with its TTL; readers of the shared cache also
      // drop it on BusinessUpdated events.
      log::Warning("cache invalidation failed", {{"key", SharedBusinessKey(id)},
                                                 {"error", status.message()}});
    }
  }
}

}  // namespace umkm::registry
