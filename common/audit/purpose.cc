#include "common/audit/purpose.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"

namespace umkm::audit {
namespace {

constexpr size_t kMaxReferenceChars = 64;
// Digits in a row, counting across '.', '-' and '_' (which people write
// inside numbers: 0812-3456-7890) but not across '/' or letters. A letter
// number such as 500/123/35.73.405/2027 or a date 2027-01-04 fits; a phone
// number (10+ digits), a NIB (13) or a NIK (16) does not.
constexpr int kMaxDigitRun = 8;

bool IsReferenceChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
         c == '_' || c == '/' || c == '-';
}

bool IsReference(absl::string_view reference) {
  if (reference.empty() || reference.size() > kMaxReferenceChars) return false;
  int digits = 0;
  for (char c : reference) {
    if (!IsReferenceChar(c)) return false;
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      if (++digits > kMaxDigitRun) return false;
    } else if (c != '.' && c != '-' && c != '_') {
      digits = 0;
    }
  }
  return true;
}

absl::Status PurposeError(absl::Status status, absl::string_view reason) {
  return WithReason(std::move(status), reason, {{"header", kPurposeHeader}});
}

}  // namespace

absl::Status CheckPurpose(absl::string_view purpose) {
  const std::string codes = absl::StrJoin(kPurposeCodes, ", ");
  if (purpose.empty()) {
    return PurposeError(
        absl::PermissionDeniedError(absl::StrCat(
            "reading personal data in full needs a purpose: send the ",
            kPurposeHeader, " header with one of ", codes,
            " (optionally followed by :<case or letter number>)")),
        "PURPOSE_REQUIRED");
  }
  const size_t colon = purpose.find(':');
  const absl::string_view code = purpose.substr(0, colon);
  const bool known = std::find(kPurposeCodes.begin(), kPurposeCodes.end(),
                               code) != kPurposeCodes.end();
  if (!known) {
    return PurposeError(absl::InvalidArgumentError(absl::StrCat(
                            kPurposeHeader, " must start with one of ", codes)),
                        "PURPOSE_INVALID");
  }
  if (colon != absl::string_view::npos &&
      !IsReference(purpose.substr(colon + 1))) {
    return PurposeError(
        absl::InvalidArgumentError(absl::StrCat(
            "the reference after ':' in ", kPurposeHeader, " must be 1-",
            kMaxReferenceChars,
            " characters of [A-Za-z0-9._/-] with no number longer than ",
            kMaxDigitRun, " digits")),
        "PURPOSE_INVALID");
  }
  return absl::OkStatus();
}

}  // namespace umkm::audit
