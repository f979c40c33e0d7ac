#include "common/auth/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/flat_json.h"
#include "common/auth/hmac.h"
#include "common/base/json_string.h"
#include "common/base/string_view.h"
#include "common/config/secret_file.h"
#include "common/status/errors.h"

namespace umkm::auth {
namespace {

constexpr std::size_t kMaxSubjectBytes = 256;
constexpr std::size_t kMaxOrgIdBytes = 64;
// 9999-12-31T23:59:59Z; NumericDates beyond are not plausible.
constexpr double kMaxNumericDate = 253402300799.0;
constexpr absl::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

absl::Status InvalidToken() {
  return WithReason(absl::UnauthenticatedError("invalid token"),
                    "TOKEN_INVALID");
}
absl::Status ExpiredToken() {
  return WithReason(absl::UnauthenticatedError("token expired"),
                    "TOKEN_EXPIRED");
}
absl::Status MissingToken() {
  return WithReason(absl::UnauthenticatedError("missing bearer token"),
                    "TOKEN_MISSING");
}

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Strict base64url without padding (RFC 7515 section 2): only the URL-safe
// alphabet, no '=', no whitespace, and the unused low bits of the last
// character must be zero, so every byte string has exactly one encoding and
// a token cannot be altered without changing what is signed or verified.
bool DecodeBase64Url(absl::string_view in, std::string* out) {
  if (in.size() % 4 == 1) return false;
  out->clear();
  out->reserve(in.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    const int value = Base64UrlValue(c);
    if (value < 0) return false;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return (buffer & ((1u << bits) - 1)) == 0;
}

bool IsOrgId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxOrgIdBytes) return false;
  for (char c : id) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

// The identity rules shared by ValidateClaims and the verifier. Returns the
// offending claim name, or "" when all is well.
absl::string_view IdentityProblem(absl::string_view sub, Role role,
                                  absl::string_view agency,
                                  absl::string_view partner) {
  if (sub.empty() || sub.size() > kMaxSubjectBytes) return "sub";
  for (char c : sub) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return "sub";
  }
  if (role == Role::kOfficial ? !IsOrgId(agency) : !agency.empty()) {
    return "agency";
  }
  if (role == Role::kBank ? !IsOrgId(partner) : !partner.empty()) {
    return "partner";
  }
  return "";
}

// A NumericDate claim: absent -> nullopt-like InfinitePast, wrong type or
// range -> false.
bool ReadNumericDate(const JsonObject& claims, const std::string& name,
                     bool required, absl::Time* out) {
  auto it = claims.find(name);
  if (it == claims.end()) {
    *out = absl::InfinitePast();
    return !required;
  }
  const JsonValue& value = it->second;
  if (value.kind != JsonValue::Kind::kNumber || value.number < 0 ||
      value.number > kMaxNumericDate) {
    return false;
  }
  *out = absl::FromUnixSeconds(static_cast<int64_t>(std::floor(value.number)));
  return true;
}

const std::string* ReadString(const JsonObject& claims,
                              const std::string& name) {
  auto it = claims.find(name);
  if (it == claims.end() || it->second.kind != JsonValue::Kind::kString) {
    return nullptr;
  }
  return &it->second.string;
}

}  // namespace

// A verified token: the caller and the earliest instant it may be used
// (nbf/iat minus the leeway; InfinitePast when neither is present).
struct TokenVerifier::Verified {
  Caller caller;
  absl::Time valid_from = absl::InfinitePast();
};

// Bounded map of verified tokens. When full, expired entries are dropped; if
// that frees nothing the map is cleared (simple, bounded, and correct: a miss
// only costs one more HMAC). Keys are compared with ordinary string equality:
// a lookup reaches a comparison only on a full hash match with a cached token,
// which an attacker who does not know that token cannot arrange, so there is
// no timing oracle for cached tokens.
class TokenVerifier::Cache {
 public:
  bool Lookup(absl::string_view token, Verified* out) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(token);
    if (it == entries_.end()) return false;
    *out = it->second;
    return true;
  }

  void Insert(absl::string_view token, const Verified& verified,
              absl::Time now) {
    std::lock_guard<std::mutex> lock(mu_);
    if (entries_.size() >= kVerifiedCacheCapacity) {
      absl::erase_if(entries_, [now](const auto& entry) {
        return now >= entry.second.caller.expires;
      });
      if (entries_.size() >= kVerifiedCacheCapacity) entries_.clear();
    }
    entries_.insert_or_assign(std::string(token), verified);
  }

  void Erase(absl::string_view token) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(token);
    if (it != entries_.end()) entries_.erase(it);
  }

 private:
  // std::mutex: taken on every RPC, and Debian's absl::Mutex costs more
  // per lock (and is invisible to TSan).
  mutable std::mutex mu_;
  absl::flat_hash_map<std::string, Verified> entries_ ABSL_GUARDED_BY(mu_);
};

absl::Status ValidateClaims(const Claims& claims) {
  const absl::string_view problem =
      IdentityProblem(claims.sub, claims.role, claims.agency, claims.partner);
  if (problem == "sub") {
    return InvalidField("sub", absl::StrCat("must be 1-", kMaxSubjectBytes,
                                            " bytes without control "
                                            "characters"));
  }
  if (problem == "agency") {
    return InvalidField(
        "agency", claims.role == Role::kOfficial
                      ? "required for officials: an upper-case id such as "
                        "DISKOPINDAG ([A-Z0-9_], at most 64)"
                      : "only officials carry an agency");
  }
  if (problem == "partner") {
    return InvalidField("partner",
                        claims.role == Role::kBank
                            ? "required for banks: an upper-case id such as "
                              "BPR_TUGU_ARTHA ([A-Z0-9_], at most 64)"
                            : "only banks carry a partner");
  }
  if (claims.exp == absl::InfinitePast() ||
      claims.exp == absl::InfiniteFuture() || claims.exp < absl::UnixEpoch()) {
    return InvalidField("exp", "must be a finite time after 1970");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadAuthKeyFile(const std::string& path) {
  return config::ReadSecretFile(path, kMinKeyLength, "auth key");
}

std::string SignCompactJwt(absl::string_view key, absl::string_view header_json,
                           absl::string_view payload_json) {
  std::string token = absl::StrCat(absl::WebSafeBase64Escape(header_json), ".",
                                   absl::WebSafeBase64Escape(payload_json));
  const HmacSha256::Digest mac = HmacSha256(key).Compute(token);
  absl::StrAppend(&token, ".",
                  absl::WebSafeBase64Escape(absl::string_view(
                      reinterpret_cast<const char*>(mac.data()), mac.size())));
  return token;
}

std::string MintToken(absl::string_view key, const Claims& claims) {
  std::string payload = "{\"sub\":";
  AppendJsonString(claims.sub, &payload);
  payload += ",\"role\":";
  AppendJsonString(ToAbsl(RoleName(claims.role)), &payload);
  if (!claims.agency.empty()) {
    payload += ",\"agency\":";
    AppendJsonString(claims.agency, &payload);
  }
  if (!claims.partner.empty()) {
    payload += ",\"partner\":";
    AppendJsonString(claims.partner, &payload);
  }
  if (claims.iat != absl::InfinitePast()) {
    absl::StrAppend(&payload, ",\"iat\":", absl::ToUnixSeconds(claims.iat));
  }
  absl::StrAppend(&payload, ",\"exp\":", absl::ToUnixSeconds(claims.exp), "}");
  return SignCompactJwt(key, kHs256Header, payload);
}

TokenVerifier::TokenVerifier(std::string key)
    : mac_(std::make_unique<HmacSha256>(key)),
      cache_(std::make_unique<Cache>()) {
  OPENSSL_cleanse(key.data(), key.size());
}
TokenVerifier::TokenVerifier(TokenVerifier&&) noexcept = default;
TokenVerifier& TokenVerifier::operator=(TokenVerifier&&) noexcept = default;
TokenVerifier::~TokenVerifier() = default;

absl::StatusOr<TokenVerifier> TokenVerifier::FromKeyFile(
    const std::string& path) {
  absl::StatusOr<std::string> key = ReadAuthKeyFile(path);
  if (!key.ok()) return key.status();
  return FromKey(*std::move(key));
}

absl::StatusOr<TokenVerifier> TokenVerifier::FromKey(std::string key) {
  if (key.size() < kMinKeyLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth key is ", key.size(), " characters; at least ",
                     kMinKeyLength, " are required"));
  }
  return TokenVerifier(std::move(key));
}

absl::StatusOr<TokenVerifier::Verified> TokenVerifier::VerifyUncached(
    absl::string_view token) const {
  // Split into exactly three non-empty parts.
  const size_t dot1 = token.find('.');
  if (dot1 == absl::string_view::npos) return InvalidToken();
  const size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == absl::string_view::npos ||
      token.find('.', dot2 + 1) != absl::string_view::npos) {
    return InvalidToken();
  }
  const absl::string_view signing_input = token.substr(0, dot2);
  const absl::string_view header_b64 = token.substr(0, dot1);
  const absl::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const absl::string_view signature_b64 = token.substr(dot2 + 1);
  if (header_b64.empty() || payload_b64.empty() || signature_b64.empty()) {
    return InvalidToken();
  }

  // The MAC is checked before any JSON is parsed, so the parser only ever sees
  // bytes produced by a holder of the key. Since HS256 is the only algorithm
  // we accept, we do not need the header to pick it (and "alg":"none" tokens,
  // which have an empty signature, fail right here).
  std::string signature;
  if (!DecodeBase64Url(signature_b64, &signature) ||
      signature.size() != HmacSha256::kSize) {
    return InvalidToken();
  }
  const HmacSha256::Digest expected = mac_->Compute(signing_input);
  if (CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0) {
    return InvalidToken();
  }

  // Header: alg must be HS256 (defence in depth against a key shared with a
  // system that signs other algorithms), typ JWT if present, no crit.
  std::string json;
  if (!DecodeBase64Url(header_b64, &json)) return InvalidToken();
  absl::StatusOr<JsonObject> header = ParseFlatJsonObject(json);
  if (!header.ok()) return InvalidToken();
  const std::string* alg = ReadString(*header, "alg");
  if (alg == nullptr || *alg != "HS256") return InvalidToken();
  if (header->contains("typ")) {
    const std::string* typ = ReadString(*header, "typ");
    if (typ == nullptr || !absl::EqualsIgnoreCase(*typ, "JWT")) {
      return InvalidToken();
    }
  }
  if (header->contains("crit")) return InvalidToken();

  // Claims.
  if (!DecodeBase64Url(payload_b64, &json)) return InvalidToken();
  absl::StatusOr<JsonObject> claims = ParseFlatJsonObject(json);
  if (!claims.ok()) return InvalidToken();
  if (claims->contains("aud")) return InvalidToken();

  Verified verified;
  Caller& caller = verified.caller;
  const std::string* sub = ReadString(*claims, "sub");
  const std::string* role_name = ReadString(*claims, "role");
  if (sub == nullptr || role_name == nullptr) return InvalidToken();
  absl::StatusOr<Role> role = ParseRole(*role_name);
  if (!role.ok()) return InvalidToken();
  caller.subject = *sub;
  caller.role = *role;
  for (auto [name, field] : {std::pair{"agency", &caller.agency},
                             std::pair{"partner", &caller.partner}}) {
    if (!claims->contains(name)) continue;
    const std::string* value = ReadString(*claims, name);
    if (value == nullptr) return InvalidToken();
    *field = *value;
  }
  if (!IdentityProblem(caller.subject, caller.role, caller.agency,
                       caller.partner)
           .empty()) {
    return InvalidToken();
  }

  absl::Time nbf, iat;
  if (!ReadNumericDate(*claims, "exp", /*required=*/true, &caller.expires) ||
      !ReadNumericDate(*claims, "nbf", /*required=*/false, &nbf) ||
      !ReadNumericDate(*claims, "iat", /*required=*/false, &iat)) {
    return InvalidToken();
  }
  verified.valid_from = std::max(nbf, iat) - kClockSkew;
  return verified;
}

absl::StatusOr<Caller> TokenVerifier::Verify(absl::string_view token,
                                             absl::Time now) const {
  if (token.empty()) return MissingToken();
  if (token.size() > kMaxTokenBytes) return InvalidToken();
  Verified verified;
  const bool cached = cache_->Lookup(token, &verified);
  if (!cached) {
    absl::StatusOr<Verified> fresh = VerifyUncached(token);
    if (!fresh.ok()) return fresh.status();
    verified = *std::move(fresh);
  }
  if (now >= verified.caller.expires) {
    if (cached) cache_->Erase(token);
    return ExpiredToken();
  }
  // Not yet valid (nbf in the future, or issued in the future beyond the
  // leeway): a token from a misconfigured issuer, reported as invalid.
  if (now < verified.valid_from) return InvalidToken();
  if (!cached) cache_->Insert(token, verified, now);
  return std::move(verified.caller);
}

absl::StatusOr<Caller> AuthenticateHeader(
    const TokenVerifier& verifier, absl::string_view authorization_header_value,
    absl::Time now) {
  const absl::string_view value =
      absl::StripAsciiWhitespace(authorization_header_value);
  if (value.empty()) return MissingToken();
  if (absl::EqualsIgnoreCase(value, "Bearer")) return MissingToken();
  const size_t space = value.find(' ');
  const absl::string_view scheme = value.substr(0, space);
  if (space == absl::string_view::npos ||
      !absl::EqualsIgnoreCase(scheme, "Bearer")) {
    return WithReason(
        absl::UnauthenticatedError("authorization must use the Bearer scheme"),
        "TOKEN_INVALID");
  }
  const absl::string_view token =
      absl::StripLeadingAsciiWhitespace(value.substr(space + 1));
  return verifier.Verify(token, now);
}

}  // namespace umkm::auth
