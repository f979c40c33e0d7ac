// The registry's shared Redis cache entries, as both sides see them: the
// registry writes and deletes them (services/registry/business_cache.h),
// RegistryClient reads them. One definition, so the two cannot drift.
//
// An entry holds a serialized umkm.registry.v1.Business with the owner's NIK
// masked; it expires with its TTL and is deleted on every change.
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace umkm {

// "umkm:registry:business:<id>" for business id `id`.
inline std::string SharedBusinessKey(absl::string_view id) {
  return absl::StrCat("umkm:registry:business:", id);
}

}  // namespace umkm
