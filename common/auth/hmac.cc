#include "common/auth/hmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>

namespace umkm::auth {

void HmacSha256::CtxDeleter::operator()(EVP_MAC_CTX* ctx) const {
  EVP_MAC_CTX_free(ctx);
}

HmacSha256::HmacSha256(absl::string_view key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac != nullptr) keyed_.reset(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);  // the context keeps its own reference
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (keyed_ == nullptr ||
      EVP_MAC_init(keyed_.get(),
                   reinterpret_cast<const unsigned char*>(key.data()),
                   key.size(), params) != 1) {
    std::abort();
  }
}

HmacSha256::Digest HmacSha256::Compute(absl::string_view data) const {
  Digest digest;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(keyed_.get());
  size_t length = 0;
  const bool ok =
      ctx != nullptr &&
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) == 1 &&
      EVP_MAC_final(ctx, digest.data(), &length, digest.size()) == 1 &&
      length == digest.size();
  EVP_MAC_CTX_free(ctx);
  // Failure means allocation failure or a broken OpenSSL; returning some
  // fallback digest could let a forged token through, so terminate.
  if (!ok) std::abort();
  return digest;
}

}  // namespace umkm::auth
