// AIP-154 etags for optimistic concurrency: a weak etag W/"<version>" built
// from the row's version counter.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace umkm::aip {

// W/"42" for version 42. `version` must not be negative.
std::string MakeEtag(int64_t version);

// The version in an etag made by MakeEtag(). INVALID_ARGUMENT naming
// `field` for anything else. Thread-safe.
absl::StatusOr<int64_t> ParseEtag(absl::string_view etag,
                                  absl::string_view field = "etag");

// The check an Update or Delete makes: OK when `sent` is empty (the caller
// did not ask for a check) or names `current_version`; INVALID_ARGUMENT on
// `field` when malformed; ABORTED with ErrorInfo reason "ETAG_MISMATCH"
// when the resource has changed since the caller read it.
absl::Status CheckEtag(absl::string_view sent, int64_t current_version,
                       absl::string_view field = "etag");

}  // namespace umkm::aip
