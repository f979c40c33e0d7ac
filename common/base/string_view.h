// Conversions between absl::string_view and std::string_view.
//
// Debian 12 builds Abseil without aliasing absl::string_view to
// std::string_view, so the two are distinct types; code that talks to both
// Abseil and the standard library (or to libraries using std::string_view)
// converts with these, in one place.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace umkm {

inline std::string_view ToStd(absl::string_view text) {
  return std::string_view(text.data(), text.size());
}

inline absl::string_view ToAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace umkm
