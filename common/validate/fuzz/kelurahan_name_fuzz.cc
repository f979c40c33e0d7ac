// Fuzzes FindKelurahanByName() / FindKelurahan(): no crash; a name that
// matches still matches with case, spaces and hyphens changed, and codes
// round-trip.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "common/validate/fuzz/fuzz_check.h"
#include "common/validate/places.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  using umkm::validate::FindKelurahan;
  using umkm::validate::FindKelurahanByName;

  const umkm::validate::Kelurahan* by_name = FindKelurahanByName(input);
  const std::string variant = " -" + absl::AsciiStrToUpper(input) + "- ";
  FUZZ_CHECK(FindKelurahanByName(variant) == by_name);
  if (by_name != nullptr) {
    FUZZ_CHECK(FindKelurahan(by_name->code) == by_name);
  }
  const umkm::validate::Kelurahan* by_code = FindKelurahan(input);
  if (by_code != nullptr) {
    FUZZ_CHECK(by_code->code == input);
    FUZZ_CHECK(umkm::validate::FindKecamatan(by_code->kecamatan_code) !=
               nullptr);
  }
  (void)umkm::validate::FindKecamatanByName(input);
  return 0;
}
