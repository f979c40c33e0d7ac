#include "common/validate/phone.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"

namespace umkm::validate {
namespace {

// Longer inputs are rejected before any work; the longest valid number with
// generous separators is far shorter.
constexpr size_t kMaxInputLength = 40;

bool IsSeparator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

}  // namespace

absl::StatusOr<std::string> NormalizePhone(absl::string_view phone,
                                           absl::string_view field) {
  auto invalid = [&](absl::string_view why) {
    return InvalidField(std::string(field), std::string(why));
  };
  if (phone.size() > kMaxInputLength) return invalid("phone number too long");

  // Keep the digits; a '+' is allowed only as the very first character.
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (!IsSeparator(c)) {
      return invalid(
          "phone number may contain only digits, a leading '+', spaces, "
          "'-', '.', '(' and ')'");
    }
  }

  absl::string_view national = digits;  // N, without trunk 0 or country code
  if (plus || (!digits.empty() && digits[0] == '6')) {
    if (!absl::ConsumePrefix(&national, "62")) {
      return invalid("only Indonesian (+62) phone numbers are accepted");
    }
    if (absl::StartsWith(national, "0")) {
      return invalid("no '0' may follow the country code +62");
    }
  } else if (!absl::ConsumePrefix(&national, "0")) {
    return invalid("phone number must start with 0, 62 or +62");
  }

  const size_t n = national.size();
  if (national.empty()) return invalid("phone number has no digits");
  if (national[0] == '8') {
    if (n < 9 || n > 12) {
      return invalid("mobile number must have 10-13 digits including the 0");
    }
  } else if (absl::StartsWith(national, "341")) {
    if (n < 3 + 6 || n > 3 + 8) {
      return invalid("Malang (0341) number must have 6-8 digits after 0341");
    }
  } else if ((national[0] >= '2' && national[0] <= '7') || national[0] == '9') {
    if (n < 7 || n > 11) {
      return invalid(
          "landline must be 0, a 2-3 digit area code and 5-8 digits");
    }
  } else {
    return invalid("not an Indonesian mobile or landline number");
  }
  return absl::StrCat("+62", national);
}

}  // namespace umkm::validate
