// Fuzzes ValidateNib(), ValidateKbli() and KbliSection(): no crash, and the
// validators agree with each other and with the documented formats.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/validate/business_ids.h"
#include "common/validate/fuzz/fuzz_check.h"

namespace {

bool AllDigits(const std::string& s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const bool nib_ok = umkm::validate::ValidateNib(input).ok();
  FUZZ_CHECK(nib_ok == (input.size() == 13 && AllDigits(input)));

  absl::StatusOr<char> section = umkm::validate::KbliSection(input);
  FUZZ_CHECK(section.ok() == umkm::validate::ValidateKbli(input).ok());
  if (section.ok()) {
    FUZZ_CHECK(input.size() == 5 && AllDigits(input));
    FUZZ_CHECK(*section >= 'A' && *section <= 'U');
    // Every code of the same division is in the same section.
    std::string other = input.substr(0, 2) + "000";
    absl::StatusOr<char> other_section = umkm::validate::KbliSection(other);
    FUZZ_CHECK(other_section.ok() && *other_section == *section);
  } else {
    FUZZ_CHECK(section.status().code() == absl::StatusCode::kInvalidArgument);
  }
  return 0;
}
