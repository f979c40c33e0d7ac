// The registry's BASIC view of a business (umkm.registry.v1.BusinessView),
// as both sides shape it: the registry on the way out of every BASIC read,
// RegistryClient on what it takes from the shared cache. One definition, so
// the two cannot drift.
#pragma once

#include "umkm/registry/v1/registry.pb.h"

namespace umkm {

// Drops everything about the owner (NIK, name, phone, the non-local flag):
// what a caller gets that needs the business, not the person.
inline void ToBasicView(registry::v1::Business& business) {
  business.clear_owner();
}

}  // namespace umkm
