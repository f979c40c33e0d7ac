// Field-level protection of personal data at rest (UU 27/2022): NIK and
// phone numbers are stored encrypted, with a keyed "blind index" beside them
// so a store can still find rows by exact value without decrypting.
//
// Keys: one master secret (the text of a secret file, trimmed, at least
// kMinSecretLength characters) from which HKDF-SHA256 derives two independent
// 256-bit keys with distinct info strings: one for AES-256-GCM, one for the
// HMAC-SHA256 blind index. Compromise of the index key alone reveals no
// plaintext, and the two uses never share a key.
//
// Ciphertext format (binary; store as BLOB):
//   version (1 byte, 0x01) | nonce (12 random bytes) | ciphertext | tag (16)
// The associated data authenticated with it is version || associated_data.
// Pass the row's stable identity (e.g. the business id, "businesses/42") as
// associated data: a ciphertext copied into another row then fails to
// decrypt, so rows cannot be swapped by someone with write access to the
// database but not the key.
//
// Random 96-bit nonces keep the collision risk negligible below ~2^32
// encryptions per key (NIST SP 800-38D); 100,000 businesses with a few updates
// each are far below that.
//
// Blind indexes: store BlindIndex(value) in a column (e.g. owner_nik_index)
// and filter with `WHERE owner_nik_index = ?` using BlindIndex of the
// searched value. Values must be normalised before indexing (a NIK as its 16
// digits, a phone in E.164), since the index matches exact bytes only. The
// index is deterministic by design, so it reveals which rows share a value;
// a NIK has little entropy, so the index key must be guarded like the
// encryption key (with it, NIKs could be brute-forced from the index).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/hmac.h"

namespace umkm::privacy {

class FieldCipher {
 public:
  static constexpr std::size_t kMinSecretLength = 32;
  static constexpr uint8_t kVersion = 1;
  static constexpr std::size_t kNonceBytes = 12;
  static constexpr std::size_t kTagBytes = 16;
  // Bytes Encrypt adds to the plaintext.
  static constexpr std::size_t kOverheadBytes = 1 + kNonceBytes + kTagBytes;
  // Longer plaintexts are rejected (fields, not files).
  static constexpr std::size_t kMaxPlaintextBytes = 1 << 20;

  // Reads the master secret from `path` (trimmed; see
  // config::ReadSecretFile). INVALID_ARGUMENT / NOT_FOUND naming the path.
  static absl::StatusOr<FieldCipher> FromKeyFile(const std::string& path);
  // Derives the keys from `master_secret` as given. INVALID_ARGUMENT when it
  // is shorter than kMinSecretLength.
  static absl::StatusOr<FieldCipher> FromSecret(
      absl::string_view master_secret);

  FieldCipher(FieldCipher&&) noexcept;
  FieldCipher& operator=(FieldCipher&&) noexcept;
  FieldCipher(const FieldCipher&) = delete;
  FieldCipher& operator=(const FieldCipher&) = delete;
  ~FieldCipher();  // wipes the keys

  // The methods below are const and thread-safe.

  // AES-256-GCM encryption of `plaintext` bound to `associated_data`, with a
  // fresh random nonce: encrypting the same input twice gives different
  // outputs. INVALID_ARGUMENT when the plaintext is too long; INTERNAL when
  // the system RNG or OpenSSL fails.
  absl::StatusOr<std::string> Encrypt(absl::string_view plaintext,
                                      absl::string_view associated_data) const;

  // Inverse of Encrypt. DATA_LOSS when `ciphertext` is malformed, of an
  // unknown version, was modified, was made under another key, or was bound
  // to different associated data.
  absl::StatusOr<std::string> Decrypt(absl::string_view ciphertext,
                                      absl::string_view associated_data) const;

  // HMAC-SHA256 of `value` under the index key, as 64 lower-case hex
  // characters. Deterministic for a given master secret.
  std::string BlindIndex(absl::string_view value) const;

 private:
  FieldCipher();

  std::array<uint8_t, 32> encryption_key_{};
  std::unique_ptr<auth::HmacSha256> index_mac_;  // holds the index key
};

}  // namespace umkm::privacy
