// FieldViolations: collects the bad fields of one request so that a client
// hears about all of them at once, as one INVALID_ARGUMENT carrying a
// google.rpc.BadRequest (see InvalidFields in errors.h).
//
//   FieldViolations violations("business");
//   if (business.display_name().empty()) {
//     violations.Add("display_name", "required");      // business.display_name
//   }
//   violations.Merge(validate::ValidateNib(nib, violations.Path("nib")));
//   UMKM_RETURN_IF_ERROR(std::move(violations).ToStatus());
//
// A plain value; not thread-safe (one per request).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace umkm {

class FieldViolations {
 public:
  // `prefix` is the request path of the message being checked ("business",
  // "business.owner"); empty when fields are named from the request's root.
  explicit FieldViolations(absl::string_view prefix = "");

  // The request path of `field` under the prefix: "business.display_name",
  // or `field` itself without a prefix. Pass it to validators that name the
  // field themselves, then Merge() what they return.
  std::string Path(absl::string_view field) const;

  // Adds a violation of `field` (relative to the prefix).
  void Add(absl::string_view field, std::string description);

  // Takes in what a validator returned: nothing when OK, its field
  // violations (already named by full path) when it carries some. Any
  // other error (one without field violations, e.g. INTERNAL) is not the
  // client's fault and must not turn into INVALID_ARGUMENT: the first such
  // error is kept and ToStatus() returns it instead.
  void Merge(const absl::Status& status);

  // True when nothing was added or merged.
  bool empty() const { return violations_.empty() && other_error_.ok(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  // OK when empty; the kept non-field error if there is one; otherwise
  // INVALID_ARGUMENT naming every violation in the order added, with
  // ErrorInfo reason "INVALID_FIELD".
  absl::Status ToStatus() &&;

 private:
  std::string prefix_;
  std::vector<FieldViolation> violations_;
  absl::Status other_error_;
};

}  // namespace umkm
