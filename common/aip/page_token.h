// List pagination (AIP-158): page size clamping and opaque, tamper-evident
// page tokens.
//
// A token carries the sort key values of the last row returned plus a
// fingerprint of the request parameters that shape the result (filter,
// order_by, ...), authenticated with HMAC-SHA256 under a server-side key. A
// token that was altered, forged, or is replayed with a different filter or
// order_by is rejected with INVALID_ARGUMENT on "page_token". Tokens are
// not encrypted: the sort key values are readable by the client, so never
// sort on personal data (NIK, phone) in a paginated list.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/aip/sql_value.h"

namespace umkm::aip {

struct PageCursor {
  // From RequestFingerprint() of the request that produced the page.
  std::string fingerprint;
  // Sort key values of the last row returned, one per order term (see
  // KeysetAfter() in order_by.h). At most kMaxCursorValues.
  std::vector<SqlValue> last_values;
};

inline constexpr size_t kMaxCursorValues = 16;

// A 16-byte digest of the request parameters a page token is bound to, e.g.
// RequestFingerprint({"businesses", filter, order_by, show_deleted ? "1" :
// "0"}). Parts are length-prefixed, so ("ab", "c") != ("a", "bc").
std::string RequestFingerprint(absl::Span<const absl::string_view> parts);

// Encodes `cursor` as an unpadded base64url token, authenticated with `key`
// (a server secret of at least 32 bytes, e.g. read from a key file; the
// same key must be used to decode). `cursor.last_values` beyond
// kMaxCursorValues are dropped, which DecodePageToken/KeysetAfter then
// reject, so keep within the limit. Thread-safe.
std::string EncodePageToken(const PageCursor& cursor, absl::string_view key);

// Verifies and decodes `token`. INVALID_ARGUMENT on field "page_token" when
// the token is malformed, fails authentication under `key`, or was issued
// for a request whose fingerprint differs from `expected_fingerprint`.
// An empty token is the caller's business (first page) and is rejected
// here too. Thread-safe.
absl::StatusOr<PageCursor> DecodePageToken(
    absl::string_view token, absl::string_view key,
    absl::string_view expected_fingerprint);

// AIP-158 page_size: negative gives INVALID_ARGUMENT on field "page_size",
// 0 gives `default_size`, above `max_size` gives `max_size`. Requires
// 0 < default_size <= max_size.
absl::StatusOr<int> ClampPageSize(int32_t requested, int default_size,
                                  int max_size);

}  // namespace umkm::aip
