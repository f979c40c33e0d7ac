// Look-aside cache of business records in two levels.
//
// L1 is in this process: a sharded LRU of full records with a short TTL.
// It is coherent because the registry is the only writer of its records and
// invalidates on every change, and there is one replica per SQLite file.
// Several replicas would need a shared backend (there is none yet) and peers
// invalidating on BusinessUpdated events, which the registry does not
// consume today; only the TTL would bound staleness until then. Lookups never
// block, so GetBusiness can answer a hit on the gRPC reactor thread.
//
// L2 is the shared Redis cache (keys umkm:registry:business:<id>) that the
// other services read through the shared registry client. Entries there
// carry the owner's NIK masked: personal identifiers stay out of the shared
// cache. Redis errors are logged and treated as misses; the cache is never
// the source of truth.
//
// Stale fills are prevented with generations: a reader takes Generation(id)
// before it reads the store, Invalidate bumps the generation, and Fill
// ignores a record read under an older one (a read that raced with a write).
// Generations are per shard, so memory stays bounded; a write elsewhere in
// the shard only costs a skipped fill.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/redis/redis_client.h"
#include "common/registry_client/shared_cache.h"
#include "grpcpp/support/slice.h"
#include "umkm/registry/v1/registry.pb.h"

namespace umkm::registry {

struct BusinessCacheOptions {
  size_t local_capacity = 50000;
  absl::Duration local_ttl = absl::Minutes(5);
  absl::Duration shared_ttl = absl::Minutes(30);
};

// One cached record: the full record, and the shapes a GetBusiness hit on
// the reactor thread answers with, built once when cached so that a hit
// costs a reference and nothing else. (A full-NIK answer is never served
// from here as is: it needs an audit record first, written on the pool.)
struct CachedBusiness {
  v1::Business full;  // as stored, full NIK
  // Serialized (reference-counted, never copied or re-serialized):
  grpc::Slice masked_bytes;  // FULL view with the NIK masked
  grpc::Slice basic_bytes;   // BASIC view: no owner
};

class BusinessCache {
 public:
  // `redis` may be null (no shared cache); not owned. `clock` decides when
  // local entries expire and must outlive the cache.
  BusinessCache(redis::RedisClient* redis, BusinessCacheOptions options,
                const Clock& clock = SystemClock());

  // A snapshot of the id's generation, to pass to Fill after a store read.
  uint64_t Generation(absl::string_view id) const;

  // The record from L1, if present and fresh; null otherwise. Never blocks
  // (the shard lock is held only to take a reference).
  std::shared_ptr<const CachedBusiness> GetLocal(absl::string_view id) const;

  // The masked record from Redis, without unknown fields, or nullopt on a
  // miss or any error (including the caller's `deadline` passing: the
  // store is asked then).
  // Blocks on Redis, bounded by the Redis client's timeouts and `deadline`.
  std::optional<v1::Business> GetShared(
      absl::string_view id, absl::Time deadline = absl::InfiniteFuture()) const;

  // Caches a full record read from the store under `generation`: L1 always,
  // L2 (masked) when `share` is set. Ignored if the id was invalidated since.
  // The Redis write waits no longer than `deadline` (a missed fill only
  // costs a later store read).
  void Fill(const v1::Business& business, uint64_t generation, bool share,
            absl::Time deadline = absl::InfiniteFuture());

  // Drops the id from both levels. Call after a change has committed.
  void Invalidate(absl::string_view id);

 private:
  struct Entry {
    std::string id;
    std::shared_ptr<const CachedBusiness> record;
    absl::Time expires;
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // front = most recent
    absl::flat_hash_map<std::string, std::list<Entry>::iterator> index;
    uint64_t generation = 0;
  };
  static constexpr size_t kShards = 16;

  Shard& ShardFor(absl::string_view id) const;

  redis::RedisClient* redis_;
  BusinessCacheOptions options_;
  const Clock& clock_;
  size_t per_shard_capacity_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace umkm::registry
