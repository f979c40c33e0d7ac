// Fuzzes the page token codec two ways: arbitrary bytes as a token must be
// rejected with INVALID_ARGUMENT (a forgery needs the key), and a cursor
// built from the input must survive Encode/Decode unchanged.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/aip/page_token.h"
#include "common/validate/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr absl::string_view kKey = "fuzz-key-of-at-least-thirty-two-bytes";
  const std::string fingerprint = umkm::aip::RequestFingerprint({"fuzz"});

  const std::string as_token(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<umkm::aip::PageCursor> garbage =
      umkm::aip::DecodePageToken(as_token, kKey, fingerprint);
  FUZZ_CHECK(!garbage.ok() &&
             garbage.status().code() == absl::StatusCode::kInvalidArgument);

  FuzzedDataProvider provider(data, size);
  umkm::aip::PageCursor cursor;
  cursor.fingerprint = fingerprint;
  const size_t count =
      provider.ConsumeIntegralInRange<size_t>(0, umkm::aip::kMaxCursorValues);
  for (size_t i = 0; i < count; ++i) {
    switch (provider.ConsumeIntegralInRange(0, 2)) {
      case 0:
        cursor.last_values.emplace_back(provider.ConsumeIntegral<int64_t>());
        break;
      case 1:
        cursor.last_values.emplace_back(provider.ConsumeRandomLengthString(64));
        break;
      default: {
        const double d = provider.ConsumeFloatingPoint<double>();
        cursor.last_values.emplace_back(d == d ? d : 0.0);  // NaN != NaN
        break;
      }
    }
  }
  const std::string token = umkm::aip::EncodePageToken(cursor, kKey);
  absl::StatusOr<umkm::aip::PageCursor> decoded =
      umkm::aip::DecodePageToken(token, kKey, fingerprint);
  if (token.size() > 4096) {
    FUZZ_CHECK(!decoded.ok());  // over the decoder's size limit
    return 0;
  }
  FUZZ_CHECK(decoded.ok());
  FUZZ_CHECK(decoded->last_values == cursor.last_values);
  FUZZ_CHECK(!umkm::aip::DecodePageToken(token, kKey, "other").ok());
  return 0;
}
