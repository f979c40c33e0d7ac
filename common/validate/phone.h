// Indonesian phone numbers, normalised to E.164 ("+62...") for storage.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace umkm::validate {

// Normalises an Indonesian phone number to E.164.
//
// Accepted input: optional separators (spaces, '-', '.', '(' and ')') between
// digits, and one of three prefixes before the national significant number
// N (the number without its trunk '0'):
//   "0" N,  "+62" N,  "62" N        (e.g. 0812..., +62812..., 62812...)
// A number must carry one of these prefixes; "+620..." / "620..." (trunk
// zero after the country code) is invalid. N must then be one of:
//   mobile:          '8' and 9-12 digits in all (10-13 digits with the '0')
//   Malang landline: "341" and a 6-8 digit subscriber number
//   other landline:  first digit 2-7 or 9 (a 2-3 digit area code) and 7-11
//                    digits in all (area code plus a 5-8 digit subscriber)
// Returns "+62" N, e.g. "081234567890" -> "+6281234567890" and
// "(0341) 551-234" -> "+62341551234". The result normalises to itself.
// Anything else gives INVALID_ARGUMENT naming `field`. Thread-safe.
absl::StatusOr<std::string> NormalizePhone(absl::string_view phone,
                                           absl::string_view field = "phone");

}  // namespace umkm::validate
