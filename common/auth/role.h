// Who is calling and what they may do: roles, the authenticated caller, and
// per-method role checks.
//
// Roles (issue 2): `admin` (platform operators), `official` (city officers,
// always of one agency such as DISKOPINDAG), `bank` (a partner bank's system,
// always one partner such as BPR_TUGU_ARTHA), `service` (another service of
// this suite).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace umkm::auth {

enum class Role { kAdmin, kOfficial, kBank, kService };

// The claim spelling: "admin", "official", "bank", "service".
std::string_view RoleName(Role role);

// Inverse of RoleName (exact, lower case). INVALID_ARGUMENT otherwise.
absl::StatusOr<Role> ParseRole(absl::string_view name);

// An authenticated caller, produced by TokenVerifier::Verify (token.h).
// `agency` is set exactly for officials, `partner` exactly for banks; both
// are upper-case identifiers ([A-Z0-9_]).
struct Caller {
  std::string subject;
  Role role = Role::kService;
  std::string agency;
  std::string partner;
  absl::Time expires;
};

// A set of roles; a plain value (one byte), cheap to copy and constexpr.
//
//   constexpr RoleSet kReaders{Role::kAdmin, Role::kOfficial};
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role role : roles) bits_ |= Bit(role);
  }
  static constexpr RoleSet All() {
    return {Role::kAdmin, Role::kOfficial, Role::kBank, Role::kService};
  }

  constexpr bool Contains(Role role) const { return (bits_ & Bit(role)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr RoleSet With(Role role) const {
    RoleSet result = *this;
    result.bits_ |= Bit(role);
    return result;
  }

  friend constexpr bool operator==(RoleSet a, RoleSet b) {
    return a.bits_ == b.bits_;
  }

 private:
  static constexpr uint8_t Bit(Role role) {
    return static_cast<uint8_t>(1u << static_cast<unsigned>(role));
  }
  uint8_t bits_ = 0;
};

// OK when `caller.role` is in `allowed`; otherwise PERMISSION_DENIED with
// ErrorInfo reason "ROLE_NOT_ALLOWED".
absl::Status Authorize(const Caller& caller, RoleSet allowed);

}  // namespace umkm::auth
