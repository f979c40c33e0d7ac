#include "common/status/field_violations.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace umkm {

FieldViolations::FieldViolations(absl::string_view prefix) : prefix_(prefix) {}

std::string FieldViolations::Path(absl::string_view field) const {
  if (prefix_.empty()) return std::string(field);
  return absl::StrCat(prefix_, ".", field);
}

void FieldViolations::Add(absl::string_view field, std::string description) {
  violations_.push_back({Path(field), std::move(description)});
}

void FieldViolations::Merge(const absl::Status& status) {
  if (status.ok()) return;
  std::vector<FieldViolation> found = FieldViolationsOf(status);
  if (found.empty()) {
    if (other_error_.ok()) other_error_ = status;
    return;
  }
  for (FieldViolation& violation : found) {
    violations_.push_back(std::move(violation));
  }
}

absl::Status FieldViolations::ToStatus() && {
  if (!other_error_.ok()) return std::move(other_error_);
  if (violations_.empty()) return absl::OkStatus();
  return InvalidFields(std::move(violations_));
}

}  // namespace umkm
