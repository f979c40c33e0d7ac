#include "common/aip/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <bit>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "common/status/errors.h"

namespace umkm::aip {
namespace {

// Token layout before base64url (all integers big-endian):
//   u8 version (1) | u8 fingerprint length | fingerprint |
//   u8 value count | values | 16-byte truncated HMAC-SHA256 of all before.
// A value is 'i' + 8 bytes, 'd' + 8 bytes (IEEE-754 bits) or 's' + u32
// length + bytes.
constexpr uint8_t kVersion = 1;
constexpr size_t kMacSize = 16;
constexpr size_t kFingerprintSize = 16;
constexpr size_t kMaxTokenLength = 4096;

constexpr absl::string_view kField = "page_token";

absl::Status BadToken() {
  return InvalidField(std::string(kField),
                      "page token is malformed or was not issued by this "
                      "service; start again without page_token");
}

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

std::string Mac(absl::string_view payload, absl::string_view key) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  // An empty key is still a valid HMAC key; OpenSSL wants a non-null pointer.
  static constexpr char kEmpty = 0;
  if (HMAC(EVP_sha256(), key.empty() ? &kEmpty : key.data(),
           static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(payload.data()),
           payload.size(), mac, &mac_size) == nullptr ||
      mac_size < kMacSize) {
    // Only on allocation failure inside OpenSSL; nothing sensible remains.
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(mac), kMacSize);
}

// Reads the layout above; every read checks the remaining length.
class Reader {
 public:
  explicit Reader(absl::string_view data) : data_(data) {}
  bool U8(uint8_t& v) {
    if (data_.empty()) return false;
    v = static_cast<uint8_t>(data_[0]);
    data_.remove_prefix(1);
    return true;
  }
  bool U32(uint32_t& v) {
    uint64_t wide = 0;
    if (!Big(4, wide)) return false;
    v = static_cast<uint32_t>(wide);
    return true;
  }
  bool U64(uint64_t& v) { return Big(8, v); }
  bool Bytes(size_t n, std::string& out) {
    if (data_.size() < n) return false;
    out = std::string(data_.substr(0, n));
    data_.remove_prefix(n);
    return true;
  }
  bool done() const { return data_.empty(); }

 private:
  bool Big(size_t n, uint64_t& v) {
    if (data_.size() < n) return false;
    v = 0;
    for (size_t i = 0; i < n; ++i) {
      v = (v << 8) | static_cast<uint8_t>(data_[i]);
    }
    data_.remove_prefix(n);
    return true;
  }
  absl::string_view data_;
};

}  // namespace

std::string RequestFingerprint(absl::Span<const absl::string_view> parts) {
  std::string framed;
  for (absl::string_view part : parts) {
    PutU64(framed, part.size());
    framed.append(part.data(), part.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(framed.data(), framed.size(), digest, &digest_size,
                 EVP_sha256(), nullptr) != 1) {
    std::abort();  // only on allocation failure inside OpenSSL
  }
  return std::string(reinterpret_cast<const char*>(digest), kFingerprintSize);
}

std::string EncodePageToken(const PageCursor& cursor, absl::string_view key) {
  std::string payload;
  payload.push_back(static_cast<char>(kVersion));
  const absl::string_view fingerprint =
      absl::string_view(cursor.fingerprint).substr(0, 255);
  payload.push_back(static_cast<char>(fingerprint.size()));
  payload.append(fingerprint.data(), fingerprint.size());
  const size_t count = std::min(cursor.last_values.size(), kMaxCursorValues);
  payload.push_back(static_cast<char>(count));
  for (size_t i = 0; i < count; ++i) {
    const SqlValue& value = cursor.last_values[i];
    if (const auto* n = std::get_if<int64_t>(&value)) {
      payload.push_back('i');
      PutU64(payload, static_cast<uint64_t>(*n));
    } else if (const auto* d = std::get_if<double>(&value)) {
      payload.push_back('d');
      PutU64(payload, std::bit_cast<uint64_t>(*d));
    } else {
      const std::string& s = std::get<std::string>(value);
      payload.push_back('s');
      PutU32(payload, static_cast<uint32_t>(s.size()));
      payload.append(s);
    }
  }
  payload.append(Mac(payload, key));
  return absl::WebSafeBase64Escape(payload);
}

absl::StatusOr<PageCursor> DecodePageToken(
    absl::string_view token, absl::string_view key,
    absl::string_view expected_fingerprint) {
  if (token.empty() || token.size() > kMaxTokenLength) return BadToken();
  for (char c : token) {
    // WebSafeBase64Unescape also accepts padding and whitespace; a token
    // from EncodePageToken has neither.
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      return BadToken();
    }
  }
  std::string raw;
  // Re-encoding must give the token back: rejects the non-canonical
  // spellings (other trailing bits) of the same bytes.
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < kMacSize ||
      absl::WebSafeBase64Escape(raw) != token) {
    return BadToken();
  }
  const absl::string_view payload =
      absl::string_view(raw).substr(0, raw.size() - kMacSize);
  const std::string expected_mac = Mac(payload, key);
  if (CRYPTO_memcmp(expected_mac.data(), raw.data() + payload.size(),
                    kMacSize) != 0) {
    return BadToken();
  }

  // Authenticated from here on, so a parse failure means a bug or a key
  // shared with a different format; still answer, never crash.
  Reader reader(payload);
  uint8_t version = 0;
  uint8_t fingerprint_size = 0;
  uint8_t count = 0;
  PageCursor cursor;
  if (!reader.U8(version) || version != kVersion ||
      !reader.U8(fingerprint_size) ||
      !reader.Bytes(fingerprint_size, cursor.fingerprint) ||
      !reader.U8(count) || count > kMaxCursorValues) {
    return BadToken();
  }
  for (uint8_t i = 0; i < count; ++i) {
    uint8_t tag = 0;
    uint64_t bits = 0;
    uint32_t size = 0;
    std::string text;
    if (!reader.U8(tag)) return BadToken();
    if (tag == 'i' && reader.U64(bits)) {
      cursor.last_values.emplace_back(static_cast<int64_t>(bits));
    } else if (tag == 'd' && reader.U64(bits)) {
      cursor.last_values.emplace_back(std::bit_cast<double>(bits));
    } else if (tag == 's' && reader.U32(size) && reader.Bytes(size, text)) {
      cursor.last_values.emplace_back(std::move(text));
    } else {
      return BadToken();
    }
  }
  if (!reader.done()) return BadToken();
  if (cursor.fingerprint != expected_fingerprint) {
    return InvalidField(std::string(kField),
                        "page token was issued for a request with a different "
                        "filter or order_by; start again without page_token");
  }
  return cursor;
}

absl::StatusOr<int> ClampPageSize(int32_t requested, int default_size,
                                  int max_size) {
  if (requested < 0) {
    return InvalidField("page_size", "page_size must not be negative");
  }
  if (requested == 0) return default_size;
  return requested > max_size ? max_size : static_cast<int>(requested);
}

}  // namespace umkm::aip
