#include "common/aip/etag.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace umkm::aip {

std::string MakeEtag(int64_t version) {
  return absl::StrCat("W/\"", version, "\"");
}

absl::StatusOr<int64_t> ParseEtag(absl::string_view etag,
                                  absl::string_view field) {
  absl::string_view digits = etag;
  int64_t version = 0;
  // Digits only: SimpleAtoi alone would also take "+7", " 7" or "-7".
  if (!absl::ConsumePrefix(&digits, "W/\"") ||
      !absl::ConsumeSuffix(&digits, "\"") || digits.empty() ||
      digits.size() > 18 ||
      digits.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(digits, &version)) {
    return InvalidField(std::string(field),
                        "etag must be copied unchanged from the resource");
  }
  return version;
}

absl::Status CheckEtag(absl::string_view sent, int64_t current_version,
                       absl::string_view field) {
  if (sent.empty()) return absl::OkStatus();
  UMKM_ASSIGN_OR_RETURN(int64_t version, ParseEtag(sent, field));
  if (version != current_version) {
    return WithReason(
        absl::AbortedError(
            "the resource has changed since it was read; read it again and "
            "retry with the new etag"),
        "ETAG_MISMATCH");
  }
  return absl::OkStatus();
}

}  // namespace umkm::aip
