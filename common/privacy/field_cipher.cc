#include "common/privacy/field_cipher.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/auth/hmac.h"
#include "common/config/secret_file.h"

namespace umkm::privacy {
namespace {

// Distinct HKDF info strings: changing one changes that key, which makes
// every stored ciphertext or index unreadable, so they are fixed forever for
// version 1.
constexpr absl::string_view kHkdfSalt = "umkm.malangkota.go.id/privacy";
constexpr absl::string_view kEncryptionInfo = "umkm/privacy/v1/aes-256-gcm";
constexpr absl::string_view kIndexInfo = "umkm/privacy/v1/blind-index";

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

// Fetched once: the implicit fetch behind Aes256Gcm() costs a few
// microseconds per call in OpenSSL 3.
const EVP_CIPHER* Aes256Gcm() {
  static const EVP_CIPHER* const cipher = [] {
    EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (fetched == nullptr) std::abort();
    return fetched;
  }();
  return cipher;
}

absl::Status DataLoss() {
  return absl::DataLossError("encrypted field failed authentication");
}

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// HKDF-SHA256 (RFC 5869) through OpenSSL's EVP_KDF. Failure here means the
// OpenSSL installation is broken; there is no safe way to continue.
void Hkdf(absl::string_view secret, absl::string_view info, uint8_t* out,
          size_t out_len) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = kdf != nullptr ? EVP_KDF_CTX_new(kdf) : nullptr;
  EVP_KDF_free(kdf);
  if (ctx == nullptr) std::abort();
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_KEY, const_cast<char*>(secret.data()), secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                        const_cast<char*>(kHkdfSalt.data()),
                                        kHkdfSalt.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
      OSSL_PARAM_construct_end(),
  };
  const int ok = EVP_KDF_derive(ctx, out, out_len, params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) std::abort();
}

std::string AdditionalData(absl::string_view associated_data) {
  std::string aad(1, static_cast<char>(FieldCipher::kVersion));
  aad.append(associated_data.data(), associated_data.size());
  return aad;
}

}  // namespace

FieldCipher::FieldCipher() = default;
FieldCipher::FieldCipher(FieldCipher&&) noexcept = default;
FieldCipher& FieldCipher::operator=(FieldCipher&&) noexcept = default;

FieldCipher::~FieldCipher() {
  OPENSSL_cleanse(encryption_key_.data(), encryption_key_.size());
}

absl::StatusOr<FieldCipher> FieldCipher::FromKeyFile(const std::string& path) {
  absl::StatusOr<std::string> secret = config::ReadSecretFile(
      path, kMinSecretLength, "personal data master secret");
  if (!secret.ok()) return secret.status();
  absl::StatusOr<FieldCipher> cipher = FromSecret(*secret);
  OPENSSL_cleanse(secret->data(), secret->size());
  return cipher;
}

absl::StatusOr<FieldCipher> FieldCipher::FromSecret(
    absl::string_view master_secret) {
  if (master_secret.size() < kMinSecretLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "personal data master secret is ", master_secret.size(),
        " characters; at least ", kMinSecretLength, " are required"));
  }
  FieldCipher cipher;
  Hkdf(master_secret, kEncryptionInfo, cipher.encryption_key_.data(),
       cipher.encryption_key_.size());
  std::array<uint8_t, 32> index_key;
  Hkdf(master_secret, kIndexInfo, index_key.data(), index_key.size());
  cipher.index_mac_ = std::make_unique<auth::HmacSha256>(absl::string_view(
      reinterpret_cast<const char*>(index_key.data()), index_key.size()));
  OPENSSL_cleanse(index_key.data(), index_key.size());
  return cipher;
}

absl::StatusOr<std::string> FieldCipher::Encrypt(
    absl::string_view plaintext, absl::string_view associated_data) const {
  if (plaintext.size() > kMaxPlaintextBytes) {
    return absl::InvalidArgumentError("field too long to encrypt");
  }
  std::string out(kOverheadBytes + plaintext.size(), '\0');
  auto* base = reinterpret_cast<unsigned char*>(out.data());
  base[0] = kVersion;
  unsigned char* nonce = base + 1;
  unsigned char* body = nonce + kNonceBytes;
  unsigned char* tag = body + plaintext.size();
  if (RAND_bytes(nonce, kNonceBytes) != 1) {
    return absl::InternalError("system random generator failed");
  }
  const std::string aad = AdditionalData(associated_data);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  if (ctx == nullptr ||
      EVP_EncryptInit_ex(ctx.get(), Aes256Gcm(), nullptr,
                         encryption_key_.data(), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, Bytes(aad),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), body, &length, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) !=
          1) {
    return absl::InternalError("AES-256-GCM encryption failed");
  }
  return out;
}

absl::StatusOr<std::string> FieldCipher::Decrypt(
    absl::string_view ciphertext, absl::string_view associated_data) const {
  if (ciphertext.size() < kOverheadBytes ||
      ciphertext.size() - kOverheadBytes > kMaxPlaintextBytes ||
      static_cast<uint8_t>(ciphertext[0]) != kVersion) {
    return DataLoss();
  }
  const unsigned char* nonce = Bytes(ciphertext) + 1;
  const unsigned char* body = nonce + kNonceBytes;
  const size_t body_size = ciphertext.size() - kOverheadBytes;
  // OpenSSL's SET_TAG takes a non-const pointer; copy the tag.
  std::array<unsigned char, kTagBytes> tag;
  std::copy(body + body_size, body + body_size + kTagBytes, tag.begin());
  const std::string aad = AdditionalData(associated_data);
  std::string plaintext(body_size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  if (ctx == nullptr ||
      EVP_DecryptInit_ex(ctx.get(), Aes256Gcm(), nullptr,
                         encryption_key_.data(), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, Bytes(aad),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out, &length, body,
                        static_cast<int>(body_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes,
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out + length, &length) != 1) {
    // Do not hand out unauthenticated plaintext, not even partially.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return DataLoss();
  }
  return plaintext;
}

std::string FieldCipher::BlindIndex(absl::string_view value) const {
  const auth::HmacSha256::Digest mac = index_mac_->Compute(value);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

}  // namespace umkm::privacy
