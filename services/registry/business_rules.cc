#include "services/registry/business_rules.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/aip/field_mask.h"
#include "common/status/errors.h"
#include "common/status/field_violations.h"
#include "common/status/macros.h"
#include "common/validate/business_ids.h"
#include "common/validate/mask.h"
#include "common/validate/nik.h"
#include "common/validate/phone.h"
#include "common/validate/places.h"
#include "common/validate/scale.h"
#include "common/validate/text.h"

namespace umkm::registry {
namespace {

using ::umkm::common::v1::Date;

// What an update mask may name: every field a client writes (not the
// identifier, output-only or event-fed ones), and the writable fields of
// owner and address one by one. "*" stands for all of them.
constexpr absl::string_view kUpdatablePaths[] = {"display_name",
                                                 "nib",
                                                 "owner",
                                                 "owner.nik",
                                                 "owner.full_name",
                                                 "owner.phone",
                                                 "kbli_code",
                                                 "kbli_version",
                                                 "address",
                                                 "address.street",
                                                 "address.kelurahan_code",
                                                 "address.postal_code",
                                                 "location",
                                                 "capital_idr",
                                                 "annual_revenue_idr",
                                                 "employee_count",
                                                 "products",
                                                 "sales_channels",
                                                 "permits"};

// Counts Unicode characters (UTF-8 lead bytes). Protobuf has already
// rejected invalid UTF-8 in string fields.
int CharCount(absl::string_view text) {
  int count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

bool IsBlank(absl::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

// The registry's checks over the common collector; each adds at most one
// violation per field.
class Violations : public FieldViolations {
 public:
  using FieldViolations::FieldViolations;

  void Required(absl::string_view field, absl::string_view value) {
    if (IsBlank(value)) Add(field, "required");
  }
  void MaxChars(absl::string_view field, absl::string_view value, int max) {
    if (CharCount(value) > max) {
      Add(field, absl::StrCat("longer than ", max, " characters"));
    }
  }
  // No control or invisible format characters (validate::ValidateText).
  void Text(absl::string_view field, absl::string_view value,
            validate::TextKind kind = validate::TextKind::kLine) {
    Merge(validate::ValidateText(value, Path(field), kind));
  }
  void NotNegative(absl::string_view field, int64_t value) {
    if (value < 0) Add(field, "must not be negative");
  }
};

bool ValidDate(const Date& date) {
  if (date.year() < 1900 || date.year() > 2200) return false;
  if (date.month() < 1 || date.month() > 12) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (date.day() < 1 || date.day() > kDays[date.month() - 1]) return false;
  if (date.month() == 2 && date.day() == 29) {
    const int y = date.year();
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  }
  return true;
}

int64_t DateKey(const Date& date) {
  return date.year() * 10000 + date.month() * 100 + date.day();
}

void CheckOwner(v1::Owner& owner, Violations& violations) {
  if (IsBlank(owner.nik())) {
    violations.Add("owner.nik", "required");
  } else {
    absl::StatusOr<validate::NikInfo> nik =
        validate::ParseNik(owner.nik(), violations.Path("owner.nik"));
    if (nik.ok()) {
      owner.set_nik_non_local(!nik->local);
    } else {
      violations.Merge(nik.status());
    }
  }
  violations.Required("owner.full_name", owner.full_name());
  violations.MaxChars("owner.full_name", owner.full_name(), kMaxFullNameChars);
  violations.Text("owner.full_name", owner.full_name());
  if (!owner.phone().empty()) {
    absl::StatusOr<std::string> phone =
        validate::NormalizePhone(owner.phone(), violations.Path("owner.phone"));
    if (phone.ok()) {
      owner.set_phone(*std::move(phone));
    } else {
      violations.Merge(phone.status());
    }
  }
}

void CheckAddress(v1::Address& address, Violations& violations) {
  violations.MaxChars("address.street", address.street(), kMaxStreetChars);
  violations.Text("address.street", address.street());
  const std::string& postal = address.postal_code();
  const validate::Kelurahan* kelurahan =
      validate::FindKelurahan(address.kelurahan_code());
  if (address.kelurahan_code().empty()) {
    violations.Add("address.kelurahan_code", "required");
  } else if (kelurahan == nullptr) {
    violations.Add("address.kelurahan_code",
                   "not a Kemendagri code of a kelurahan in Kota Malang "
                   "(e.g. 35.73.02.1004)");
  }
  if (kelurahan != nullptr) {
    address.set_kecamatan_code(kelurahan->kecamatan_code);
    if (postal.empty()) {
      address.set_postal_code(kelurahan->postal_code);
    } else {
      violations.Merge(validate::CheckPostalCode(
          *kelurahan, postal, violations.Path("address.postal_code")));
    }
  } else if (!postal.empty() &&
             (postal.size() != 5 ||
              postal.find_first_not_of("0123456789") != std::string::npos)) {
    violations.Add("address.postal_code", "must be 5 digits");
  }
}

void CheckProducts(const v1::Business& business, Violations& violations) {
  if (business.products_size() > kMaxProducts) {
    violations.Add("products", absl::StrCat("at most ", kMaxProducts));
    return;
  }
  for (int i = 0; i < business.products_size(); ++i) {
    const v1::Product& product = business.products(i);
    const std::string at = absl::StrCat("products[", i, "]");
    violations.Required(at + ".display_name", product.display_name());
    violations.MaxChars(at + ".display_name", product.display_name(),
                        kMaxDisplayNameChars);
    violations.Text(at + ".display_name", product.display_name());
    violations.MaxChars(at + ".description", product.description(),
                        kMaxProductDescriptionChars);
    violations.Text(at + ".description", product.description(),
                    validate::TextKind::kParagraph);
  }
}

void CheckSalesChannels(const v1::Business& business, Violations& violations) {
  std::set<int> seen;
  for (int i = 0; i < business.sales_channels_size(); ++i) {
    const int channel = business.sales_channels(i);
    const std::string at = absl::StrCat("sales_channels[", i, "]");
    if (channel == v1::SALES_CHANNEL_UNSPECIFIED ||
        !v1::SalesChannel_IsValid(channel)) {
      violations.Add(at, "unknown sales channel");
    } else if (!seen.insert(channel).second) {
      violations.Add(at, "listed twice");
    }
  }
}

void CheckPermits(const v1::Business& business, Violations& violations) {
  if (business.permits_size() > kMaxPermits) {
    violations.Add("permits", absl::StrCat("at most ", kMaxPermits));
    return;
  }
  for (int i = 0; i < business.permits_size(); ++i) {
    const v1::Permit& permit = business.permits(i);
    const std::string at = absl::StrCat("permits[", i, "]");
    if (permit.type() == v1::Permit::TYPE_UNSPECIFIED ||
        !v1::Permit::Type_IsValid(permit.type())) {
      violations.Add(at + ".type",
                     "required: TYPE_PIRT, TYPE_HALAL or "
                     "TYPE_MEREK");
    }
    violations.Required(at + ".number", permit.number());
    violations.MaxChars(at + ".number", permit.number(), kMaxPermitNumberChars);
    violations.Text(at + ".number", permit.number());
    const bool issue_ok =
        !permit.has_issue_date() || ValidDate(permit.issue_date());
    const bool expiry_ok =
        !permit.has_expiry_date() || ValidDate(permit.expiry_date());
    if (!issue_ok) violations.Add(at + ".issue_date", "not a calendar date");
    if (!expiry_ok) violations.Add(at + ".expiry_date", "not a calendar date");
    if (issue_ok && expiry_ok && permit.has_issue_date() &&
        permit.has_expiry_date() &&
        DateKey(permit.expiry_date()) < DateKey(permit.issue_date())) {
      violations.Add(at + ".expiry_date", "before issue_date");
    }
  }
}

}  // namespace

void ClearOutputOnly(v1::Business& business) {
  business.clear_name();
  business.clear_scale();
  business.clear_state();
  business.clear_create_time();
  business.clear_update_time();
  business.clear_delete_time();
  business.clear_last_visit_time();
  business.clear_open_complaint_count();
  business.clear_financing();
  business.mutable_owner()->clear_nik_non_local();
  business.mutable_address()->clear_kecamatan_code();
}

absl::Status NormalizeBusiness(v1::Business& business,
                               absl::string_view prefix) {
  Violations violations(prefix);
  violations.Required("display_name", business.display_name());
  violations.MaxChars("display_name", business.display_name(),
                      kMaxDisplayNameChars);
  violations.Text("display_name", business.display_name());
  if (!business.nib().empty()) {
    violations.Merge(
        validate::ValidateNib(business.nib(), violations.Path("nib")));
  }
  if (business.has_owner()) {
    CheckOwner(*business.mutable_owner(), violations);
  } else {
    violations.Add("owner", "required");
  }
  if (!business.kbli_code().empty()) {
    violations.Merge(validate::ValidateKbli(business.kbli_code(),
                                            violations.Path("kbli_code")));
  }
  if (!umkm::common::v1::KbliVersion_IsValid(business.kbli_version())) {
    violations.Add("kbli_version", "unknown KBLI version");
  } else if (business.kbli_version() ==
             umkm::common::v1::KBLI_VERSION_UNSPECIFIED) {
    business.set_kbli_version(umkm::common::v1::KBLI_VERSION_2020);
  }
  if (business.has_address()) {
    CheckAddress(*business.mutable_address(), violations);
  } else {
    violations.Add("address", "required");
  }
  if (business.has_location() &&
      !validate::WithinCityBounds(business.location().latitude(),
                                  business.location().longitude())) {
    violations.Add("location", "outside Kota Malang");
  }
  violations.NotNegative("capital_idr", business.capital_idr());
  violations.NotNegative("annual_revenue_idr", business.annual_revenue_idr());
  violations.NotNegative("employee_count", business.employee_count());
  CheckProducts(business, violations);
  CheckSalesChannels(business, violations);
  CheckPermits(business, violations);
  UMKM_RETURN_IF_ERROR(std::move(violations).ToStatus());

  business.set_scale(business.has_capital_idr()
                         ? ScaleForCapital(business.capital_idr())
                         : umkm::common::v1::SCALE_UNSPECIFIED);
  return absl::OkStatus();
}

absl::Status ApplyUpdateMask(const v1::Business& patch,
                             const google::protobuf::FieldMask& mask,
                             v1::Business& target) {
  if (mask.paths().empty()) {
    return InvalidField("update_mask",
                        "required: name the fields to change, or \"*\"");
  }
  UMKM_ASSIGN_OR_RETURN(const std::vector<std::string> paths,
                        aip::CheckUpdateMask(mask, kUpdatablePaths));
  UMKM_RETURN_IF_ERROR(aip::MergeUpdate(patch, paths, target));
  const auto names = [&paths](absl::string_view path) {
    return std::find(paths.begin(), paths.end(), path) != paths.end();
  };
  // A new kelurahan brings its own postal code unless one is sent.
  if (names("address.kelurahan_code") && !names("address.postal_code")) {
    target.mutable_address()->clear_postal_code();
  }
  return absl::OkStatus();
}

bool MaySeeFullNik(const auth::Caller& caller) {
  return caller.role == auth::Role::kAdmin ||
         caller.role == auth::Role::kService;
}

absl::Span<const absl::string_view> PersonalFiltersFor(
    const auth::Caller& caller) {
  static constexpr absl::string_view kNik[] = {kOwnerNikFilter};
  if (MaySeeFullNik(caller)) return kNik;
  return {};
}

absl::Status CheckView(v1::BusinessView view) {
  switch (view) {
    case v1::BUSINESS_VIEW_UNSPECIFIED:
    case v1::BUSINESS_VIEW_BASIC:
    case v1::BUSINESS_VIEW_FULL:
      return absl::OkStatus();
    default:
      return InvalidField("view",
                          "must be BUSINESS_VIEW_BASIC or BUSINESS_VIEW_FULL");
  }
}

void MaskNik(v1::Business& business) {
  // A stored NIK is 16 digits: a '*' means it was masked already (records
  // from the shared cache are), and masking twice would hide it all.
  if (business.has_owner() && !business.owner().nik().empty() &&
      business.owner().nik().find('*') == std::string::npos) {
    business.mutable_owner()->set_nik(
        validate::MaskNik(business.owner().nik()));
  }
}

umkm::common::v1::Scale ScaleForCapital(int64_t capital_idr) {
  switch (validate::ScaleFromCapital(capital_idr)) {
    case validate::Scale::kMikro:
      return umkm::common::v1::SCALE_MIKRO;
    case validate::Scale::kKecil:
      return umkm::common::v1::SCALE_KECIL;
    case validate::Scale::kMenengah:
      return umkm::common::v1::SCALE_MENENGAH;
    case validate::Scale::kBesar:
      return umkm::common::v1::SCALE_BESAR;
  }
  return umkm::common::v1::SCALE_UNSPECIFIED;
}

std::string KbliSectionOf(const v1::Business& business) {
  if (business.kbli_code().empty()) return "";
  absl::StatusOr<char> section = validate::KbliSection(business.kbli_code());
  return section.ok() ? std::string(1, *section) : "";
}

}  // namespace umkm::registry
