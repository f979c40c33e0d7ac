// AIP-122 resource names of the form "{collection}/{id}", e.g.
// "businesses/3f1c2a9e-0b7d-4c55-9a51-6f0f5a2b8c11".
//
// The one way to build and take apart such names, for names from clients
// and from the service's own store alike: no prefix arithmetic (substr,
// find('/'), sizeof("businesses/")) elsewhere.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace umkm::aip {

// Resource ids are opaque to clients: 1-63 characters of [a-z0-9-].
bool IsValidResourceId(absl::string_view id);

// "businesses" + "abc" -> "businesses/abc". `id` must be valid.
std::string ResourceName(absl::string_view collection, absl::string_view id);

// The id of `name`, which must be exactly `collection` "/" id with a valid
// id. Otherwise INVALID_ARGUMENT naming `field` (the request path, e.g.
// "name" or "business.name"). Thread-safe.
absl::StatusOr<std::string> ParseResourceId(absl::string_view name,
                                            absl::string_view collection,
                                            absl::string_view field = "name");

}  // namespace umkm::aip
