// Fuzzes ParseNik() and MaskNik(): no crash, and every accepted NIK obeys the
// documented layout.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/validate/fuzz/fuzz_check.h"
#include "common/validate/mask.h"
#include "common/validate/nik.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<umkm::validate::NikInfo> info =
      umkm::validate::ParseNik(input);
  const std::string masked = umkm::validate::MaskNik(input);
  FUZZ_CHECK(masked.size() <= input.size());
  if (!info.ok()) {
    FUZZ_CHECK(info.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  FUZZ_CHECK(input.size() == 16);
  FUZZ_CHECK(info->birth_day >= 1 && info->birth_day <= 31);
  FUZZ_CHECK(info->birth_month >= 1 && info->birth_month <= 12);
  FUZZ_CHECK(info->birth_year_2digit >= 0 && info->birth_year_2digit <= 99);
  FUZZ_CHECK(info->serial >= 1 && info->serial <= 9999);
  FUZZ_CHECK(info->local == (input.compare(0, 4, "3573") == 0));
  FUZZ_CHECK(info->kecamatan_code.size() == 8);
  // A valid NIK always shows exactly its regency and last two digits.
  FUZZ_CHECK(masked ==
             input.substr(0, 4) + std::string(10, '*') + input.substr(14));
  return 0;
}
