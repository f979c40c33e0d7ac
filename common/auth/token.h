// Bearer tokens: JSON Web Tokens (RFC 7519) signed with HMAC-SHA256 (HS256),
// the only algorithm accepted.
//
// The signing key is the text of the --auth_key_file file with surrounding
// whitespace trimmed, at least kMinKeyLength characters. Claims:
//   sub      required, 1-256 bytes, no control characters
//   role     required: admin | official | bank | service
//   agency   required for officials, not allowed for other roles
//   partner  required for banks, not allowed for other roles
//   exp      required NumericDate; rejected at or after exp (no leeway)
//   nbf/iat  optional; honoured with kClockSkew leeway
//   aud      rejected when present: no service here identifies itself with
//            an audience, and RFC 7519 4.1.3 says to reject then
// Unknown claims are ignored. Headers must say alg "HS256", may say typ
// "JWT", and must not carry `crit` (we implement no extensions).
//
// Every failure is UNAUTHENTICATED with a deliberately generic message
// ("invalid token", "token expired", "missing bearer token") and ErrorInfo
// reason TOKEN_INVALID / TOKEN_EXPIRED / TOKEN_MISSING: which check failed is
// not told to the caller, so the endpoint is no oracle for forging tokens.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/hmac.h"
#include "common/auth/role.h"

namespace umkm::auth {

inline constexpr std::size_t kMinKeyLength = 32;
// Leeway for nbf/iat, for clocks of issuer and verifier that differ a bit.
inline constexpr absl::Duration kClockSkew = absl::Seconds(30);
// Longer tokens are rejected before any work is done.
inline constexpr std::size_t kMaxTokenBytes = 8 * 1024;
// Verified tokens remembered per TokenVerifier.
inline constexpr std::size_t kVerifiedCacheCapacity = 4096;

// What MintToken signs. `iat` is omitted when it is InfinitePast().
struct Claims {
  std::string sub;
  Role role = Role::kService;
  std::string agency;
  std::string partner;
  absl::Time exp;
  absl::Time iat = absl::InfinitePast();
};

// Checks the identity rules above (sub, agency/partner per role, exp set).
// INVALID_ARGUMENT naming the claim. The verifier applies the same rules.
absl::Status ValidateClaims(const Claims& claims);

// Reads and checks an auth key file (trimmed, >= kMinKeyLength characters).
// Errors as config::ReadSecretFile.
absl::StatusOr<std::string> ReadAuthKeyFile(const std::string& path);

// Returns a compact HS256 JWT for `claims` signed with `key`. Does not
// validate; call ValidateClaims first when the claims come from a person.
std::string MintToken(absl::string_view key, const Claims& claims);

// Low level: base64url(header_json) "." base64url(payload_json) "."
// base64url(HMAC-SHA256(key, first two parts)). For MintToken and for tests
// that need tokens with unusual headers or claims.
std::string SignCompactJwt(absl::string_view key, absl::string_view header_json,
                           absl::string_view payload_json);

// Verifies HS256 tokens against one key.
//
// Thread-safe: Verify may be called concurrently. It keeps a bounded cache of
// verified tokens keyed by the full token text (signature included, so only
// the exact bytes that were verified hit), because every RPC of a client
// carries the same token. A hit still checks exp/nbf against `now`, so a
// cached token stops working when it expires. Failures are not cached.
class TokenVerifier {
 public:
  // The key is the file's text, trimmed. INVALID_ARGUMENT / NOT_FOUND with a
  // message naming the path when it is missing or too short.
  static absl::StatusOr<TokenVerifier> FromKeyFile(const std::string& path);
  // `key` as is (not trimmed); INVALID_ARGUMENT when shorter than
  // kMinKeyLength.
  static absl::StatusOr<TokenVerifier> FromKey(std::string key);

  TokenVerifier(TokenVerifier&&) noexcept;
  TokenVerifier& operator=(TokenVerifier&&) noexcept;
  ~TokenVerifier();

  // The caller named by `token` if it is well formed, correctly signed and
  // valid at `now`; otherwise UNAUTHENTICATED as described at the top.
  absl::StatusOr<Caller> Verify(absl::string_view token, absl::Time now) const;

 private:
  class Cache;
  struct Verified;

  explicit TokenVerifier(std::string key);
  absl::StatusOr<Verified> VerifyUncached(absl::string_view token) const;

  std::unique_ptr<HmacSha256> mac_;  // holds the key
  std::unique_ptr<Cache> cache_;
};

// Authenticates an `authorization` metadata value of the form
// "Bearer <jwt>" (scheme case-insensitive, RFC 6750). An empty value is
// TOKEN_MISSING, another scheme TOKEN_INVALID; otherwise as Verify.
absl::StatusOr<Caller> AuthenticateHeader(
    const TokenVerifier& verifier, absl::string_view authorization_header_value,
    absl::Time now);

}  // namespace umkm::auth
