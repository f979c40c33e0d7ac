// AIP-134 update masks: checking the paths of an Update request's
// `update_mask` against the fields the method lets callers change.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/field_mask.pb.h"

namespace umkm::aip {

// Returns the paths of the mask, duplicates removed, in first-seen order.
// A lone "*" (full replacement) expands to all of `updatable`, in its
// order. An empty mask returns an empty list: whether that means "every
// populated field" (AIP-134) or an error is the method's choice. Each path
// must be one of `updatable` exactly (list sub-paths such as
// "address.street" explicitly). Otherwise INVALID_ARGUMENT on `field`
// naming the bad path. Thread-safe.
absl::StatusOr<std::vector<std::string>> CheckUpdateMask(
    absl::Span<const std::string> paths,
    absl::Span<const absl::string_view> updatable,
    absl::string_view field = "update_mask");

absl::StatusOr<std::vector<std::string>> CheckUpdateMask(
    const google::protobuf::FieldMask& mask,
    absl::Span<const absl::string_view> updatable,
    absl::string_view field = "update_mask");

}  // namespace umkm::aip
