// Indonesia's provinces by their two-digit Kemendagri code, the code that
// opens every NIK ("35" Jawa Timur) and every regional code ("35.73").
#pragma once

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace umkm::validate {

struct Province {
  absl::string_view code;  // "35"
  absl::string_view name;  // "Jawa Timur"
};

// The 38 provinces (since the Papua split of 2022: 93-96), ordered by
// code. Codes with no province (00, 20, 37, 54 ...) are in no NIK: 54, Timor
// Timur, ended before NIKs were issued. Thread-safe; the data is static.
absl::Span<const Province> AllProvinces();

// The province with `code` (two ASCII digits), or nullptr. Thread-safe.
const Province* FindProvince(absl::string_view code);

}  // namespace umkm::validate
