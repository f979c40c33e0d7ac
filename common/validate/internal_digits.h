// Small character helpers shared by the validators. Not part of the public
// API of umkm_validate.
#pragma once

#include "absl/strings/string_view.h"

namespace umkm::validate::internal {

// True when `s` is non-empty and every byte is an ASCII digit.
inline bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Value of a run of ASCII digits already checked with AllDigits(); `s` must
// be at most 9 characters so the result fits in an int.
inline int DigitsValue(absl::string_view s) {
  int value = 0;
  for (char c : s) value = value * 10 + (c - '0');
  return value;
}

}  // namespace umkm::validate::internal
