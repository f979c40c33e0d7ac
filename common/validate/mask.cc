#include "common/validate/mask.h"

#include <algorithm>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/validate/internal_digits.h"
#include "common/validate/phone.h"

namespace umkm::validate {
namespace {

constexpr size_t kMaxMaskLength = 32;

std::string MaskAll(absl::string_view value) {
  return std::string(std::min(value.size(), kMaxMaskLength), '*');
}

// Keeps `head` leading and `tail` trailing characters of `value`.
std::string KeepEnds(absl::string_view value, size_t head, size_t tail) {
  return absl::StrCat(value.substr(0, head),
                      std::string(value.size() - head - tail, '*'),
                      value.substr(value.size() - tail));
}

}  // namespace

std::string MaskNik(absl::string_view nik) {
  if (nik.size() < 10 || nik.size() > kMaxMaskLength ||
      !internal::AllDigits(nik)) {
    return MaskAll(nik);
  }
  return KeepEnds(nik, 4, 2);
}

std::string MaskPhone(absl::string_view phone) {
  absl::StatusOr<std::string> e164 = NormalizePhone(phone);
  // Shortest valid E.164 here is "+62" + 7 digits = 10 characters, so at
  // least 2 characters are always masked.
  if (!e164.ok()) return MaskAll(phone);
  return KeepEnds(*e164, 6, 2);
}

}  // namespace umkm::validate
