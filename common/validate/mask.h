// Masking of personal data for logs and for callers that do not need the
// full value (UU 27/2022 on personal data protection).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace umkm::validate {

// "3573021508900001" -> "3573**********01": the first 4 digits (the regency)
// and the last 2 stay visible. Input that is not 10 to 32 ASCII digits
// (malformed, possibly something else pasted into the field) is masked
// completely, one '*' per byte up to 32. Thread-safe.
std::string MaskNik(absl::string_view nik);

// "+6281234567890" -> "+62812******90": country code and the next 3 digits,
// and the last 2, stay visible. The input is normalised first
// (NormalizePhone, so "0812-3456-7890" masks the same); input that does not
// normalise is masked completely as for MaskNik. Thread-safe.
std::string MaskPhone(absl::string_view phone);

}  // namespace umkm::validate
