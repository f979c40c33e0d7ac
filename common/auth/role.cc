#include "common/auth/role.h"

#include "absl/strings/str_cat.h"
#include "common/base/string_view.h"
#include "common/status/errors.h"

namespace umkm::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kOfficial:
      return "official";
    case Role::kBank:
      return "bank";
    case Role::kService:
      return "service";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (Role role :
       {Role::kAdmin, Role::kOfficial, Role::kBank, Role::kService}) {
    if (name == ToAbsl(RoleName(role))) {
      return role;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown role '", name, "' (want admin, official, bank or service)"));
}

absl::Status Authorize(const Caller& caller, RoleSet allowed) {
  if (allowed.Contains(caller.role)) return absl::OkStatus();
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat(
          "role ", ToAbsl(RoleName(caller.role)), " may not call this method")),
      "ROLE_NOT_ALLOWED");
}

}  // namespace umkm::auth
