#include "common/aip/field_mask.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/field_mask_util.h"

namespace umkm::aip {

absl::StatusOr<std::vector<std::string>> CheckUpdateMask(
    absl::Span<const std::string> paths,
    absl::Span<const absl::string_view> updatable, absl::string_view field) {
  std::vector<std::string> out;
  if (paths.size() == 1 && paths[0] == "*") {
    for (absl::string_view path : updatable) out.emplace_back(path);
    return out;
  }
  for (const std::string& path : paths) {
    if (path == "*") {
      return InvalidField(std::string(field),
                          "'*' must be the only path of the mask");
    }
    if (std::find(updatable.begin(), updatable.end(), path) ==
        updatable.end()) {
      return InvalidField(
          std::string(field),
          absl::StrCat("path '", path, "' cannot be updated; updatable: ",
                       absl::StrJoin(updatable, ", ")));
    }
    if (std::find(out.begin(), out.end(), path) == out.end()) {
      out.push_back(path);
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> CheckUpdateMask(
    const google::protobuf::FieldMask& mask,
    absl::Span<const absl::string_view> updatable, absl::string_view field) {
  const std::vector<std::string> paths(mask.paths().begin(),
                                       mask.paths().end());
  return CheckUpdateMask(absl::MakeConstSpan(paths), updatable, field);
}

absl::Status MergeUpdate(const google::protobuf::Message& patch,
                         absl::Span<const std::string> paths,
                         google::protobuf::Message& target) {
  using ::google::protobuf::util::FieldMaskUtil;
  const google::protobuf::Descriptor* type = target.GetDescriptor();
  if (patch.GetDescriptor() != type) {
    return absl::InternalError(
        absl::StrCat("update of ", type->full_name(), " from a ",
                     patch.GetDescriptor()->full_name()));
  }
  google::protobuf::FieldMask mask;
  for (const std::string& path : paths) {
    // MergeMessageTo would only log and skip such a path.
    if (path.empty() ||
        !FieldMaskUtil::GetFieldDescriptors(type, path, nullptr)) {
      return absl::InternalError(absl::StrCat(
          "update path '", path, "' is not a field of ", type->full_name()));
    }
    mask.add_paths(path);
  }
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, mask, options, &target);
  return absl::OkStatus();
}

}  // namespace umkm::aip
