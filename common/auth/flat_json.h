// A small, strict JSON reader for flat objects, used for JWT headers and
// claim sets. (Writing them takes only string literals: see
// common/base/json_string.h.)
//
// Why not protobuf's JsonStringToMessage into google.protobuf.Struct: it keeps
// the last of duplicate members (a classic JWT confusion: `{"role":"bank",
// "role":"admin"}` must be rejected, RFC 7515 section 5.2), turns every number
// into a double without telling us whether it was integral, and accepts
// arbitrary nesting we never need. The claims this suite issues are a flat
// object of strings and numbers, so a ~200-line parser that rejects everything
// else is both smaller to audit and stricter.
//
// Accepted: one JSON object (RFC 8259) whose member values are strings,
// numbers, true, false or null, with surrounding whitespace. Rejected:
// nested objects/arrays, duplicate member names, invalid UTF-8, lone
// surrogates, unescaped control characters, trailing data, and inputs larger
// than kMaxFlatJsonBytes.
#pragma once

#include <cstddef>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace umkm::auth {

inline constexpr std::size_t kMaxFlatJsonBytes = 8 * 1024;

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString };
  Kind kind = Kind::kNull;
  bool boolean = false;  // kBool
  double number = 0;     // kNumber
  std::string string;    // kString: decoded UTF-8
};

using JsonObject = absl::flat_hash_map<std::string, JsonValue>;

// Parses `text` as described above. INVALID_ARGUMENT on any deviation, with a
// message naming the byte offset (the input is attacker-controlled; the
// message is for logs and tests, callers should not echo it to clients).
absl::StatusOr<JsonObject> ParseFlatJsonObject(absl::string_view text);

}  // namespace umkm::auth
