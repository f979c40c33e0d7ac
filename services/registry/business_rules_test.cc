#include "services/registry/business_rules.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/testing/fixtures.h"

namespace umkm::registry {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using testing::ValidBusiness;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

std::vector<std::string> BadFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

TEST(NormalizeBusinessTest, DerivesServerOwnedFields) {
  v1::Business business = ValidBusiness();
  ASSERT_THAT(NormalizeBusiness(business), IsOk());
  EXPECT_EQ(business.owner().phone(), "+6281234567890");
  EXPECT_FALSE(business.owner().nik_non_local());
  EXPECT_EQ(business.address().kecamatan_code(), "35.73.01");
  EXPECT_EQ(business.address().postal_code(), "65122");
  EXPECT_EQ(business.scale(), umkm::common::v1::SCALE_MIKRO);
  EXPECT_EQ(business.kbli_version(), umkm::common::v1::KBLI_VERSION_2020);
  EXPECT_EQ(business.display_name(), "Keripik Tempe Bu Sri");
}

TEST(NormalizeBusinessTest, ScaleFollowsCapitalWithInclusiveBounds) {
  struct Case {
    int64_t capital;
    umkm::common::v1::Scale scale;
  };
  for (const Case& c : std::vector<Case>{
           {0, umkm::common::v1::SCALE_MIKRO},
           {1'000'000'000, umkm::common::v1::SCALE_MIKRO},
           {1'000'000'001, umkm::common::v1::SCALE_KECIL},
           {5'000'000'000, umkm::common::v1::SCALE_KECIL},
           {5'000'000'001, umkm::common::v1::SCALE_MENENGAH},
           {10'000'000'000, umkm::common::v1::SCALE_MENENGAH},
           {10'000'000'001, umkm::common::v1::SCALE_BESAR},
       }) {
    v1::Business business = ValidBusiness();
    business.set_capital_idr(c.capital);
    ASSERT_THAT(NormalizeBusiness(business), IsOk());
    EXPECT_EQ(business.scale(), c.scale) << c.capital;
  }
}

TEST(NormalizeBusinessTest, NoCapitalMeansNoScale) {
  v1::Business business = ValidBusiness();
  business.clear_capital_idr();
  business.set_annual_revenue_idr(60'000'000'000);  // sales never decide it
  ASSERT_THAT(NormalizeBusiness(business), IsOk());
  EXPECT_EQ(business.scale(), umkm::common::v1::SCALE_UNSPECIFIED);
}

TEST(NormalizeBusinessTest, ClientScaleIsNeverTrusted) {
  v1::Business business = ValidBusiness();
  business.set_scale(umkm::common::v1::SCALE_BESAR);
  ClearOutputOnly(business);
  ASSERT_THAT(NormalizeBusiness(business), IsOk());
  EXPECT_EQ(business.scale(), umkm::common::v1::SCALE_MIKRO);
}

TEST(NormalizeBusinessTest, PostalCodeOfTheKelurahanAndMultiLineDescription) {
  v1::Business business = ValidBusiness();
  business.mutable_address()->set_postal_code("65122");  // Purwantoro's
  business.mutable_products(0)->set_description(
      "Keripik tempe renyah.\nTanpa pengawet.\r\nHalal.");
  ASSERT_THAT(NormalizeBusiness(business), IsOk());
  EXPECT_EQ(business.address().postal_code(), "65122");
}

TEST(NormalizeBusinessTest, NonLocalNikIsAcceptedAndFlagged) {
  v1::Business business = ValidBusiness();
  business.mutable_owner()->set_nik("3507021508900001");  // Kab. Malang
  ASSERT_THAT(NormalizeBusiness(business), IsOk());
  EXPECT_TRUE(business.owner().nik_non_local());
}

TEST(NormalizeBusinessTest, NamesEveryBadFieldByRequestPath) {
  struct Case {
    const char* label;
    std::function<void(v1::Business&)> spoil;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"no name", [](v1::Business& b) { b.set_display_name("  "); },
       "business.display_name"},
      {"long name",
       [](v1::Business& b) { b.set_display_name(std::string(201, 'a')); },
       "business.display_name"},
      {"short nib", [](v1::Business& b) { b.set_nib("123"); }, "business.nib"},
      {"no owner", [](v1::Business& b) { b.clear_owner(); }, "business.owner"},
      {"day 32",
       [](v1::Business& b) { b.mutable_owner()->set_nik("3573023208900001"); },
       "business.owner.nik"},
      {"month 13",
       [](v1::Business& b) { b.mutable_owner()->set_nik("3573021513900001"); },
       "business.owner.nik"},
      {"serial 0",
       [](v1::Business& b) { b.mutable_owner()->set_nik("3573021508900000"); },
       "business.owner.nik"},
      {"15 digits",
       [](v1::Business& b) { b.mutable_owner()->set_nik("357302150890000"); },
       "business.owner.nik"},
      {"no owner name",
       [](v1::Business& b) { b.mutable_owner()->clear_full_name(); },
       "business.owner.full_name"},
      {"bad phone",
       [](v1::Business& b) { b.mutable_owner()->set_phone("+6208123456789"); },
       "business.owner.phone"},
      {"bad kbli", [](v1::Business& b) { b.set_kbli_code("1071"); },
       "business.kbli_code"},
      {"no kelurahan",
       [](v1::Business& b) { b.mutable_address()->clear_kelurahan_code(); },
       "business.address.kelurahan_code"},
      {"kelurahan outside Malang",
       [](v1::Business& b) {
         b.mutable_address()->set_kelurahan_code("35.07.01.1001");
       },
       "business.address.kelurahan_code"},
      {"bad postal code",
       [](v1::Business& b) { b.mutable_address()->set_postal_code("6511"); },
       "business.address.postal_code"},
      {"postal code of another kelurahan",  // Purwantoro is 65122
       [](v1::Business& b) { b.mutable_address()->set_postal_code("65119"); },
       "business.address.postal_code"},
      {"31 February",
       [](v1::Business& b) { b.mutable_owner()->set_nik("3573023102900001"); },
       "business.owner.nik"},
      {"31 April, a woman",
       [](v1::Business& b) { b.mutable_owner()->set_nik("3573027104900001"); },
       "business.owner.nik"},
      {"province 00",
       [](v1::Business& b) { b.mutable_owner()->set_nik("0073021508900001"); },
       "business.owner.nik"},
      {"no KBLI 2020 division 04",
       [](v1::Business& b) { b.set_kbli_code("04100"); }, "business.kbli_code"},
      {"bidi override in the name",
       [](v1::Business& b) { b.set_display_name("Keripik\u202e Bu Sri"); },
       "business.display_name"},
      {"escape in the owner's name",
       [](v1::Business& b) {
         b.mutable_owner()->set_full_name("Sri\x1b[2J Wahyuni");
       },
       "business.owner.full_name"},
      {"tab in the street",
       [](v1::Business& b) {
         b.mutable_address()->set_street("Jl. Sanan\tNo. 12");
       },
       "business.address.street"},
      {"zero-width space in a product",
       [](v1::Business& b) {
         b.mutable_products(0)->set_display_name("Keripik\u200btempe");
       },
       "business.products[0].display_name"},
      {"NUL in a description",
       [](v1::Business& b) {
         b.mutable_products(0)->set_description(std::string("a\0b", 3));
       },
       "business.products[0].description"},
      {"line break in a permit number",
       [](v1::Business& b) {
         b.mutable_permits(0)->set_number("2063573010123\n27");
       },
       "business.permits[0].number"},
      {"Surabaya",
       [](v1::Business& b) {
         b.mutable_location()->set_latitude(-7.2575);
         b.mutable_location()->set_longitude(112.7521);
       },
       "business.location"},
      {"negative capital", [](v1::Business& b) { b.set_capital_idr(-1); },
       "business.capital_idr"},
      {"negative workers", [](v1::Business& b) { b.set_employee_count(-3); },
       "business.employee_count"},
      {"nameless product",
       [](v1::Business& b) { b.add_products()->set_description("x"); },
       "business.products[1].display_name"},
      {"duplicate channel",
       [](v1::Business& b) {
         b.add_sales_channels(v1::SALES_CHANNEL_MARKETPLACE);
       },
       "business.sales_channels[2]"},
      {"unknown channel",
       [](v1::Business& b) {
         b.add_sales_channels(static_cast<v1::SalesChannel>(99));
       },
       "business.sales_channels[2]"},
      {"permit without number",
       [](v1::Business& b) { b.mutable_permits(0)->clear_number(); },
       "business.permits[0].number"},
      {"permit expiring before issue",
       [](v1::Business& b) {
         auto* p = b.mutable_permits(0);
         p->mutable_issue_date()->set_year(2025);
         p->mutable_issue_date()->set_month(3);
         p->mutable_issue_date()->set_day(1);
         p->mutable_expiry_date()->set_year(2024);
         p->mutable_expiry_date()->set_month(3);
         p->mutable_expiry_date()->set_day(1);
       },
       "business.permits[0].expiry_date"},
      {"30 February",
       [](v1::Business& b) {
         auto* d = b.mutable_permits(0)->mutable_issue_date();
         d->set_year(2024);
         d->set_month(2);
         d->set_day(30);
       },
       "business.permits[0].issue_date"},
  };
  for (const Case& c : cases) {
    v1::Business business = ValidBusiness();
    c.spoil(business);
    absl::Status status = NormalizeBusiness(business);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument))
        << c.label;
    EXPECT_THAT(BadFields(status), Contains(c.field)) << c.label;
  }
}

TEST(NormalizeBusinessTest, ReportsAllViolationsAtOnce) {
  v1::Business business = ValidBusiness();
  business.clear_display_name();
  business.mutable_owner()->set_nik("123");
  EXPECT_THAT(BadFields(NormalizeBusiness(business)),
              ElementsAre("business.display_name", "business.owner.nik"));
}

TEST(NormalizeBusinessTest, KeepsHostileLookingStringsExactly) {
  v1::Business business = ValidBusiness();
  const std::string name = "Warung \"Bu Tini\"'; DROP TABLE business; -- 🍜";
  business.set_display_name(name);
  ASSERT_THAT(NormalizeBusiness(business), IsOk());
  EXPECT_EQ(business.display_name(), name);
}

TEST(NormalizeBusinessTest, CountsCharactersNotBytes) {
  v1::Business business = ValidBusiness();
  std::string name;
  for (int i = 0; i < 200; ++i) name += "é";  // 400 bytes, 200 characters
  business.set_display_name(name);
  EXPECT_THAT(NormalizeBusiness(business), IsOk());
}

TEST(ApplyUpdateMaskTest, CopiesOnlyNamedFields) {
  v1::Business target = ValidBusiness();
  v1::Business patch;
  patch.set_display_name("Keripik Tempe Sanan");
  patch.mutable_owner()->set_phone("0341551234");
  patch.set_nib("0000000000000");
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  mask.add_paths("owner.phone");
  ASSERT_THAT(ApplyUpdateMask(patch, mask, target), IsOk());
  EXPECT_EQ(target.display_name(), "Keripik Tempe Sanan");
  EXPECT_EQ(target.owner().phone(), "0341551234");
  EXPECT_EQ(target.owner().nik(), "3573021508900001");
  EXPECT_EQ(target.nib(), "9120001234567");
}

TEST(ApplyUpdateMaskTest, RejectsOutputOnlyUnknownAndEmptyMasks) {
  for (const char* path : {"scale", "name", "create_time", "bogus",
                           "owner.nik_non_local", "address.kecamatan_code"}) {
    v1::Business target = ValidBusiness();
    google::protobuf::FieldMask mask;
    mask.add_paths(path);
    absl::Status status = ApplyUpdateMask(v1::Business(), mask, target);
    EXPECT_THAT(BadFields(status), ElementsAre("update_mask")) << path;
  }
  v1::Business target = ValidBusiness();
  EXPECT_THAT(ApplyUpdateMask(v1::Business(), {}, target),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ApplyUpdateMaskTest, StarReplacesWritableFieldsAndKeepsServerOnes) {
  v1::Business target = ValidBusiness();
  target.set_name("businesses/abc");
  target.set_open_complaint_count(2);
  v1::Business patch = ValidBusiness();
  patch.set_display_name("Baru");
  patch.set_name("businesses/other");
  patch.set_open_complaint_count(99);
  google::protobuf::FieldMask mask;
  mask.add_paths("*");
  ASSERT_THAT(ApplyUpdateMask(patch, mask, target), IsOk());
  EXPECT_EQ(target.display_name(), "Baru");
  EXPECT_EQ(target.name(), "businesses/abc");
  EXPECT_EQ(target.open_complaint_count(), 2);
}

TEST(ApplyUpdateMaskTest, ReplacesListsWholeAndClearsWhatThePatchLeavesUnset) {
  v1::Business target = ValidBusiness();
  target.add_products()->set_display_name("Keripik singkong");
  v1::Business patch;
  patch.add_products()->set_display_name("Tempe mendoan");
  google::protobuf::FieldMask mask;
  for (const char* path :
       {"products", "sales_channels", "location", "capital_idr", "owner"}) {
    mask.add_paths(path);
  }
  ASSERT_THAT(ApplyUpdateMask(patch, mask, target), IsOk());
  ASSERT_EQ(target.products_size(), 1);
  EXPECT_EQ(target.products(0).display_name(), "Tempe mendoan");
  EXPECT_THAT(target.sales_channels(), IsEmpty());
  EXPECT_FALSE(target.has_location());
  EXPECT_FALSE(target.has_capital_idr());
  EXPECT_FALSE(target.has_owner());
  EXPECT_EQ(target.permits_size(), 1);  // not in the mask
  EXPECT_EQ(target.annual_revenue_idr(), 240'000'000);
}

TEST(ApplyUpdateMaskTest, NewKelurahanDropsThePostalCodeUnlessOneIsSent) {
  v1::Business patch;
  patch.mutable_address()->set_kelurahan_code("35.73.02.1004");
  patch.mutable_address()->set_postal_code("65142");
  const std::vector<std::vector<std::string>> masks = {
      {"address.kelurahan_code"},
      {"address.kelurahan_code", "address.postal_code"},
      {"address.postal_code", "address.kelurahan_code"}};
  for (const std::vector<std::string>& paths : masks) {
    v1::Business target = ValidBusiness();
    target.mutable_address()->set_postal_code("65122");
    google::protobuf::FieldMask mask;
    for (const std::string& path : paths) mask.add_paths(path);
    ASSERT_THAT(ApplyUpdateMask(patch, mask, target), IsOk());
    EXPECT_EQ(target.address().kelurahan_code(), "35.73.02.1004");
    EXPECT_EQ(target.address().postal_code(), paths.size() == 1 ? "" : "65142")
        << paths.size();
    EXPECT_EQ(target.address().street(), "Jl. Sanan No. 12, RT 3 RW 15");
  }
}

TEST(ApplyUpdateMaskTest, StarOnlyAlone) {
  v1::Business target = ValidBusiness();
  google::protobuf::FieldMask mask;
  mask.add_paths("*");
  mask.add_paths("display_name");
  EXPECT_THAT(BadFields(ApplyUpdateMask(ValidBusiness(), mask, target)),
              ElementsAre("update_mask"));
}

TEST(MaskNikTest, KeepsFirstFourAndLastTwo) {
  v1::Business business = ValidBusiness();
  MaskNik(business);
  EXPECT_EQ(business.owner().nik(), "3573**********01");
  MaskNik(business);  // e.g. a record from the shared cache, masked there
  EXPECT_EQ(business.owner().nik(), "3573**********01");
}

TEST(PersonalFiltersForTest, OnlyRolesThatSeeTheNikInFull) {
  EXPECT_THAT(PersonalFiltersFor({.role = auth::Role::kAdmin}),
              ElementsAre("owner_nik"));
  EXPECT_THAT(PersonalFiltersFor({.role = auth::Role::kService}),
              ElementsAre("owner_nik"));
  EXPECT_THAT(PersonalFiltersFor({.role = auth::Role::kOfficial}),
              ::testing::IsEmpty());
  EXPECT_THAT(PersonalFiltersFor({.role = auth::Role::kBank}),
              ::testing::IsEmpty());
}

TEST(MaySeeFullNikTest, OnlyAdminsAndServices) {
  EXPECT_TRUE(MaySeeFullNik({.role = auth::Role::kAdmin}));
  EXPECT_TRUE(MaySeeFullNik({.role = auth::Role::kService}));
  EXPECT_FALSE(MaySeeFullNik({.role = auth::Role::kOfficial}));
  EXPECT_FALSE(MaySeeFullNik({.role = auth::Role::kBank}));
}

}  // namespace
}  // namespace umkm::registry
