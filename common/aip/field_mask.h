// AIP-134 update masks: checking the paths of an Update request's
// `update_mask` against the fields the method lets callers change, and
// applying them (through protobuf's FieldMaskUtil).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

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

// Sets in `target` the fields of `patch` named by `paths`, as an AIP-134
// Update does:
//  - a named field takes the patch's value, set or not: a field unset or
//    empty in `patch` is cleared in `target`;
//  - a named message field is replaced whole (not merged), and so is a
//    named repeated field;
//  - a sub-path ("address.street") sets only that field of the sub-message,
//    creating it in `target` if needed; a path and its sub-path together
//    act as the path alone.
// Fields not named are left as they are. `paths` are meant to be what
// CheckUpdateMask returned (it decides what callers may change). INTERNAL,
// changing nothing, if a path is not a field of the message (the method's
// updatable list is wrong) or `patch` and `target` differ in type.
absl::Status MergeUpdate(const google::protobuf::Message& patch,
                         absl::Span<const std::string> paths,
                         google::protobuf::Message& target);

}  // namespace umkm::aip
