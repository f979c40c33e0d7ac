// Fuzzes NormalizePhone() and MaskPhone(): no crash; accepted numbers are
// "+62" and digits, normalise to themselves, and mask without leaking the
// middle digits.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/validate/fuzz/fuzz_check.h"
#include "common/validate/mask.h"
#include "common/validate/phone.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::string> e164 = umkm::validate::NormalizePhone(input);
  const std::string masked = umkm::validate::MaskPhone(input);
  if (!e164.ok()) {
    FUZZ_CHECK(e164.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(masked == std::string(masked.size(), '*'));
    return 0;
  }
  FUZZ_CHECK(e164->compare(0, 3, "+62") == 0);
  FUZZ_CHECK(e164->size() >= 10 && e164->size() <= 15);
  FUZZ_CHECK((*e164)[3] != '0');
  for (size_t i = 1; i < e164->size(); ++i) {
    FUZZ_CHECK((*e164)[i] >= '0' && (*e164)[i] <= '9');
  }
  absl::StatusOr<std::string> again = umkm::validate::NormalizePhone(*e164);
  FUZZ_CHECK(again.ok() && *again == *e164);
  FUZZ_CHECK(masked.size() == e164->size());
  FUZZ_CHECK(masked.compare(0, 6, *e164, 0, 6) == 0);
  FUZZ_CHECK(masked.substr(6, masked.size() - 8) ==
             std::string(masked.size() - 8, '*'));
  return 0;
}
