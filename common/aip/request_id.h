// AIP-155 request ids that make creates and state changes idempotent.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace umkm::aip {

// OK when `request_id` is empty (none sent; whether one is required is the
// method's choice) or 1-64 characters of [A-Za-z0-9_-], which includes every
// UUID in its usual 8-4-4-4-12 form. Otherwise INVALID_ARGUMENT naming
// `field`. Thread-safe.
absl::Status ValidateRequestId(absl::string_view request_id,
                               absl::string_view field = "request_id");

}  // namespace umkm::aip
