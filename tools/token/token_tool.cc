#include "tools/token/token_tool.h"

#include "absl/strings/str_cat.h"
#include "common/auth/role.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace umkm::tools {

const std::vector<config::FlagSpec>& TokenToolFlags() {
  static const auto* const kFlags = new std::vector<config::FlagSpec>{
      {"key_file", "",
       "file holding the HS256 signing key (the services' --auth_key_file)",
       "UMKM_AUTH_KEY_FILE"},
      {"sub", "", "subject: who the token is for, e.g. officer-1"},
      {"role", "", "admin, official, bank or service"},
      {"agency", "", "agency of an official, e.g. DISKOPINDAG"},
      {"partner", "", "partner bank of a bank caller, e.g. BPR_TUGU_ARTHA"},
      {"ttl", "8h", "lifetime, e.g. 30m, 8h; at most 744h"},
  };
  return *kFlags;
}

absl::StatusOr<auth::Claims> ClaimsFromConfig(const config::Config& config,
                                              absl::Time now) {
  auth::Claims claims;
  UMKM_ASSIGN_OR_RETURN(claims.sub, config.GetString("sub"));
  UMKM_ASSIGN_OR_RETURN(const std::string role_name, config.GetString("role"));
  UMKM_ASSIGN_OR_RETURN(claims.agency, config.GetString("agency"));
  UMKM_ASSIGN_OR_RETURN(claims.partner, config.GetString("partner"));
  UMKM_ASSIGN_OR_RETURN(const absl::Duration ttl, config.GetDuration("ttl"));

  if (claims.sub.empty())
    return absl::InvalidArgumentError("--sub is required");
  absl::StatusOr<auth::Role> role = auth::ParseRole(role_name);
  if (!role.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--role: '", role_name, "' is not admin, official, bank or service"));
  }
  claims.role = *role;
  if (claims.role == auth::Role::kOfficial && claims.agency.empty()) {
    return absl::InvalidArgumentError(
        "--agency is required for role official (e.g. DISKOPINDAG)");
  }
  if (claims.role == auth::Role::kBank && claims.partner.empty()) {
    return absl::InvalidArgumentError(
        "--partner is required for role bank (e.g. BPR_TUGU_ARTHA)");
  }
  if (claims.role != auth::Role::kOfficial && !claims.agency.empty()) {
    return absl::InvalidArgumentError("--agency is only for role official");
  }
  if (claims.role != auth::Role::kBank && !claims.partner.empty()) {
    return absl::InvalidArgumentError("--partner is only for role bank");
  }
  if (ttl <= absl::ZeroDuration() || ttl > kMaxTokenTtl) {
    return absl::InvalidArgumentError(
        absl::StrCat("--ttl must be more than 0 and at most ",
                     absl::FormatDuration(kMaxTokenTtl)));
  }
  // Whole seconds, since NumericDates are whole seconds here.
  claims.iat = absl::FromUnixSeconds(absl::ToUnixSeconds(now));
  claims.exp = claims.iat + absl::Seconds(absl::ToInt64Seconds(ttl));
  if (absl::Status status = auth::ValidateClaims(claims); !status.ok()) {
    // E.g. a lower-case agency: name the flag, not the claim.
    const std::vector<FieldViolation> violations = FieldViolationsOf(status);
    if (violations.empty()) return status;
    return absl::InvalidArgumentError(absl::StrCat(
        "--", violations[0].field, ": ", violations[0].description));
  }
  return claims;
}

absl::StatusOr<std::string> MintFromConfig(const config::Config& config,
                                           absl::Time now) {
  UMKM_ASSIGN_OR_RETURN(const auth::Claims claims,
                        ClaimsFromConfig(config, now));
  UMKM_ASSIGN_OR_RETURN(const std::string key_file,
                        config.GetString("key_file"));
  if (key_file.empty()) {
    return absl::InvalidArgumentError(
        "--key_file (or UMKM_AUTH_KEY_FILE) is required");
  }
  UMKM_ASSIGN_OR_RETURN(std::string key, auth::ReadAuthKeyFile(key_file));
  return auth::MintToken(key, claims);
}

}  // namespace umkm::tools
