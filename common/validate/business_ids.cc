#include "common/validate/business_ids.h"

#include <string>

#include "common/status/errors.h"
#include "common/validate/internal_digits.h"

namespace umkm::validate {
namespace {

using internal::AllDigits;
using internal::DigitsValue;

struct SectionRange {
  int first_division;
  int last_division;
  char section;
};

// KBLI 2020 (BPS regulation 2/2020), sections by 2-digit division.
constexpr SectionRange kSections[] = {
    {1, 3, 'A'},   {5, 9, 'B'},   {10, 33, 'C'}, {35, 35, 'D'}, {36, 39, 'E'},
    {41, 43, 'F'}, {45, 47, 'G'}, {49, 53, 'H'}, {55, 56, 'I'}, {58, 63, 'J'},
    {64, 66, 'K'}, {68, 68, 'L'}, {69, 75, 'M'}, {77, 82, 'N'}, {84, 84, 'O'},
    {85, 85, 'P'}, {86, 88, 'Q'}, {90, 93, 'R'}, {94, 96, 'S'}, {97, 98, 'T'},
    {99, 99, 'U'},
};

}  // namespace

absl::Status ValidateNib(absl::string_view nib, absl::string_view field) {
  if (nib.size() != 13 || !AllDigits(nib)) {
    return InvalidField(std::string(field), "NIB must be exactly 13 digits");
  }
  return absl::OkStatus();
}

absl::StatusOr<char> KbliSection(absl::string_view code,
                                 absl::string_view field) {
  if (code.size() != 5 || !AllDigits(code)) {
    return InvalidField(std::string(field),
                        "KBLI code must be exactly 5 digits");
  }
  const int division = DigitsValue(code.substr(0, 2));
  for (const SectionRange& range : kSections) {
    if (division >= range.first_division && division <= range.last_division) {
      return range.section;
    }
  }
  return InvalidField(
      std::string(field),
      "KBLI code has no KBLI 2020 division " + std::string(code.substr(0, 2)));
}

absl::Status ValidateKbli(absl::string_view code, absl::string_view field) {
  return KbliSection(code, field).status();
}

}  // namespace umkm::validate
