// Writing JSON string literals: the one escaper behind the JSON log lines
// (common/log) and the JWT headers and claims (common/auth).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace umkm {

// Appends `text` to `*out` as a JSON string literal (RFC 8259), quotes
// included. '"' and '\' are escaped, \n \r \t take their short forms, every
// other byte below 0x20 becomes \u00xx (lowercase hex); all other bytes are
// copied unchanged, so UTF-8 in is valid JSON out, and invalid UTF-8 is not
// repaired. The output never holds a raw control character or an unescaped
// quote, whatever `text` is. Thread-safe (no state).
void AppendJsonString(absl::string_view text, std::string* out);

// AppendJsonString without the surrounding quotes, for a caller that builds
// one literal from several pieces (the log masks digit runs between them).
void AppendJsonStringBody(absl::string_view text, std::string* out);

}  // namespace umkm
