#include "common/aip/resource_name.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"

namespace umkm::aip {

bool IsValidResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

std::string ResourceName(absl::string_view collection, absl::string_view id) {
  return absl::StrCat(collection, "/", id);
}

absl::StatusOr<std::string> ParseResourceId(absl::string_view name,
                                            absl::string_view collection,
                                            absl::string_view field) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, collection) || !absl::ConsumePrefix(&id, "/") ||
      !IsValidResourceId(id)) {
    return InvalidField(
        std::string(field),
        absl::StrCat("must be a resource name of the form ", collection,
                     "/{id}, the id 1-63 characters of a-z, 0-9 and '-'"));
  }
  return std::string(id);
}

}  // namespace umkm::aip
