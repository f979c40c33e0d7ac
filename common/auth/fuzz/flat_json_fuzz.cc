// libFuzzer target for the strict JSON reader behind JWT headers and claims.
// Invariant: whatever parses re-serialises (AppendJsonString) to text that
// parses back to the same strings.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/auth/flat_json.h"
#include "common/base/json_string.h"
#include "common/validate/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto object = umkm::auth::ParseFlatJsonObject(text);
  if (!object.ok()) return 0;
  for (const auto& [name, value] : *object) {
    if (value.kind != umkm::auth::JsonValue::Kind::kString) continue;
    std::string json = "{";
    umkm::AppendJsonString(name, &json);
    json += ":";
    umkm::AppendJsonString(value.string, &json);
    json += "}";
    auto again = umkm::auth::ParseFlatJsonObject(json);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->size() == 1);
    FUZZ_CHECK(again->begin()->first == name);
    FUZZ_CHECK(again->begin()->second.string == value.string);
  }
  return 0;
}
