#include "common/validate/nik.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/validate/internal_digits.h"
#include "common/validate/provinces.h"

namespace umkm::validate {

using internal::AllDigits;
using internal::DigitsValue;

namespace {

// Whether `day` exists in `month` of a year ending in `year_2digit`. The
// century is not in the NIK: 29 February needs a year divisible by 4 (00
// is 2000; 1900, the one such year that was not leap, is outside any
// living person's birth).
bool DayExists(int day, int month, int year_2digit) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (day > kDays[month - 1]) return false;
  return month != 2 || day != 29 || year_2digit % 4 == 0;
}

}  // namespace

absl::StatusOr<NikInfo> ParseNik(absl::string_view nik,
                                 absl::string_view field) {
  auto invalid = [&](absl::string_view why) {
    return InvalidField(std::string(field), std::string(why));
  };
  if (nik.size() != 16 || !AllDigits(nik)) {
    return invalid("NIK must be exactly 16 digits");
  }
  if (FindProvince(nik.substr(0, 2)) == nullptr) {
    return invalid("NIK province (digits 1-2) is no Indonesian province");
  }
  if (nik.substr(2, 2) == "00") {
    return invalid("NIK regency (digits 3-4) must not be 00");
  }
  if (nik.substr(4, 2) == "00") {
    return invalid("NIK kecamatan (digits 5-6) must not be 00");
  }
  NikInfo info;
  info.province_code = std::string(nik.substr(0, 2));
  info.regency_code = absl::StrCat(nik.substr(0, 2), ".", nik.substr(2, 2));
  info.kecamatan_code = absl::StrCat(info.regency_code, ".", nik.substr(4, 2));
  info.local = nik.substr(0, 4) == "3573";

  int day = DigitsValue(nik.substr(6, 2));
  if (day >= 41 && day <= 71) {
    info.sex = Sex::kFemale;
    day -= 40;
  } else if (day >= 1 && day <= 31) {
    info.sex = Sex::kMale;
  } else {
    return invalid(
        "NIK birth day (digits 7-8) must be 01-31, or 41-71 for women");
  }
  info.birth_day = day;
  info.birth_month = DigitsValue(nik.substr(8, 2));
  if (info.birth_month < 1 || info.birth_month > 12) {
    return invalid("NIK birth month (digits 9-10) must be 01-12");
  }
  info.birth_year_2digit = DigitsValue(nik.substr(10, 2));
  if (!DayExists(info.birth_day, info.birth_month, info.birth_year_2digit)) {
    return invalid("NIK birth date (digits 7-12) is no calendar date");
  }
  info.serial = DigitsValue(nik.substr(12, 4));
  if (info.serial == 0) {
    return invalid("NIK serial (digits 13-16) must not be 0000");
  }
  return info;
}

}  // namespace umkm::validate
