// umkm-token: mints HS256 bearer tokens for operators and tests.
//
//   umkm-token --key_file=/etc/umkm/auth.key --sub=officer-1
//       --role=official --agency=DISKOPINDAG [--ttl=8h]
//   umkm-token --key_file=... --sub=bank-gw --role=bank --partner=BANK_JATIM
//
// prints the JWT (and nothing else) on stdout. The key file may also come
// from UMKM_AUTH_KEY_FILE, the variable the services read, so a shell with
// the services' environment mints tokens they accept. The logic lives here
// (not in main.cc) so tests drive it without a subprocess.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/token.h"
#include "common/config/config.h"

namespace umkm::tools {

// Tokens live at most this long; long-lived admin tokens are a liability.
inline constexpr absl::Duration kMaxTokenTtl = absl::Hours(31 * 24);

// The tool's flags.
const std::vector<config::FlagSpec>& TokenToolFlags();

// Builds and validates the claims from the flags: role names, agency for
// officials only, partner for banks only, 0 < ttl <= kMaxTokenTtl.
// INVALID_ARGUMENT naming the flag. iat = now, exp = now + ttl.
absl::StatusOr<auth::Claims> ClaimsFromConfig(const config::Config& config,
                                              absl::Time now);

// ClaimsFromConfig, then reads the key file and returns the signed token.
absl::StatusOr<std::string> MintFromConfig(const config::Config& config,
                                           absl::Time now);

}  // namespace umkm::tools
