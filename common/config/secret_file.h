// Reading secrets (signing keys, encryption master secrets) from files.
//
// Secrets never travel as flag values or environment values, because those
// show up in `ps`, in /proc/<pid>/environ and in crash reports; services take
// the *path* of a file (a Kubernetes secret mount) instead. This helper is the
// one place that reads such a file, so every secret is trimmed and checked the
// same way.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace umkm::config {

// Upper bound on the size of a secret file; anything bigger is certainly not
// a key (and reading it would be a waste).
inline constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

// Returns the text of the file at `path` with surrounding ASCII whitespace
// trimmed (a trailing newline from `echo` or an editor is not part of the
// secret). Errors:
//  - NOT_FOUND / PERMISSION_DENIED / INTERNAL when the file cannot be read;
//  - INVALID_ARGUMENT when the trimmed text is shorter than `min_length`
//    characters or the file exceeds kMaxSecretFileBytes.
// `what` names the secret in error messages (e.g. "auth key"); the messages
// carry the path and lengths, never the secret itself.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path,
                                           std::size_t min_length,
                                           absl::string_view what);

}  // namespace umkm::config
