#include "common/auth/role.h"

#include "common/base/string_view.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::auth {
namespace {

using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

TEST(RoleTest, NamesRoundTrip) {
  for (Role role :
       {Role::kAdmin, Role::kOfficial, Role::kBank, Role::kService}) {
    const std::string_view name = RoleName(role);
    EXPECT_THAT(ParseRole(ToAbsl(name)), IsOkAndHolds(role));
  }
  EXPECT_EQ(RoleName(Role::kOfficial), "official");
}

TEST(RoleTest, ParseRoleRejectsOtherSpellings) {
  for (const char* name : {"", "Admin", "ADMIN", "root", "bank ", "officer"}) {
    EXPECT_THAT(ParseRole(name), StatusIs(absl::StatusCode::kInvalidArgument))
        << name;
  }
}

TEST(RoleTest, RoleSetContainsExactlyItsMembers) {
  constexpr RoleSet kCityStaff{Role::kAdmin, Role::kOfficial};
  static_assert(kCityStaff.Contains(Role::kAdmin));
  EXPECT_TRUE(kCityStaff.Contains(Role::kOfficial));
  EXPECT_FALSE(kCityStaff.Contains(Role::kBank));
  EXPECT_FALSE(kCityStaff.Contains(Role::kService));
  EXPECT_TRUE(RoleSet().empty());
  EXPECT_TRUE(RoleSet::All().Contains(Role::kBank));
  EXPECT_TRUE(kCityStaff.With(Role::kService).Contains(Role::kService));
  EXPECT_EQ(kCityStaff.With(Role::kAdmin), kCityStaff);
}

TEST(RoleTest, AuthorizeAllowsListedRolesAndDeniesOthers) {
  Caller bank{"bank-system", Role::kBank, "", "BPR_TUGU_ARTHA",
              absl::InfiniteFuture()};
  Caller official{"officer-1", Role::kOfficial, "DISKOPINDAG", "",
                  absl::InfiniteFuture()};
  constexpr RoleSet kRegistryReaders{Role::kAdmin, Role::kOfficial,
                                     Role::kService};
  EXPECT_THAT(Authorize(official, kRegistryReaders), IsOk());
  absl::Status denied = Authorize(bank, kRegistryReaders);
  EXPECT_THAT(denied, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ReasonOf(denied), "ROLE_NOT_ALLOWED");
  EXPECT_THAT(Authorize(official, RoleSet()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

}  // namespace
}  // namespace umkm::auth
