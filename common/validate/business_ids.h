// Business identifiers: NIB (OSS business identity number) and KBLI (Indonesian
// standard industrial classification) codes.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace umkm::validate {

// NIB: exactly 13 ASCII digits. Format only: NIBs are issued at random by OSS
// and have no public check digit. Returns INVALID_ARGUMENT naming `field`
// otherwise. Thread-safe.
absl::Status ValidateNib(absl::string_view nib,
                         absl::string_view field = "nib");

// KBLI 2020 code: exactly 5 ASCII digits whose 2-digit division belongs to a
// section (A..U). Returns INVALID_ARGUMENT naming `field` otherwise.
absl::Status ValidateKbli(absl::string_view code,
                          absl::string_view field = "kbli_code");

// The KBLI 2020 section letter ('A'..'U') of a 5-digit code, from its
// division: A 01-03, B 05-09, C 10-33, D 35, E 36-39, F 41-43, G 45-47,
// H 49-53, I 55-56, J 58-63, K 64-66, L 68, M 69-75, N 77-82, O 84, P 85,
// Q 86-88, R 90-93, S 94-96, T 97-98, U 99. A malformed code or a division
// outside those ranges (04, 34, 40, ...) gives INVALID_ARGUMENT naming
// `field`. Thread-safe.
absl::StatusOr<char> KbliSection(absl::string_view code,
                                 absl::string_view field = "kbli_code");

}  // namespace umkm::validate
