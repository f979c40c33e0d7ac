// NIK (Nomor Induk Kependudukan, the national identity number): format check
// and the facts encoded in it.
//
// Layout (16 digits): PP RR KK DD MM YY SSSS: province, regency/city and
// kecamatan where first registered, birth day (women +40), month, two-digit
// year, serial. There is no check digit. A NIK does not change when a person
// moves, so a non-Malang NIK is valid and merely flagged non-local.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace umkm::validate {

enum class Sex { kMale, kFemale };

// What a well-formed NIK says. Codes use the Kemendagri dotted form so they
// can be looked up with FindKecamatan() (places.h).
struct NikInfo {
  std::string province_code;   // "35"
  std::string regency_code;    // "35.73"
  std::string kecamatan_code;  // "35.73.02"
  bool local = false;          // regency is 35.73 (Kota Malang)
  Sex sex = Sex::kMale;
  int birth_day = 0;          // 1-31, the +40 for women already removed
  int birth_month = 0;        // 1-12
  int birth_year_2digit = 0;  // 0-99; the century is not encoded
  int serial = 0;             // 1-9999
};

// Parses `nik`: exactly 16 ASCII digits (no surrounding whitespace); a
// province that exists (provinces.h: not 00, not 20, ...); regency and
// kecamatan not 00; a birth date that exists: day 01-31 (41-71 for women,
// the +40 removed before the check), month 01-12, and the day within the
// month (no 31 February or 31 April; 29 February only in a year the two
// digits allow to be leap, 1900 aside); serial not 0000. There is no
// check digit. On failure returns INVALID_ARGUMENT naming `field` (the
// request path, e.g. "business.owner.nik"). Thread-safe.
absl::StatusOr<NikInfo> ParseNik(absl::string_view nik,
                                 absl::string_view field = "nik");

}  // namespace umkm::validate
