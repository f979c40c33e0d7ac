// Domain rules for a business record: validation of what a client sends,
// the fields the server derives (scale, kecamatan, E.164 phone, non-local
// NIK flag), update masks, and what each caller may see.
//
// All functions are pure and thread-safe. Validation reports every bad field
// at once as INVALID_ARGUMENT with google.rpc.BadRequest violations whose
// `field` is the request path (e.g. "business.owner.nik").
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/auth/role.h"
#include "common/auth/token.h"
#include "google/protobuf/field_mask.pb.h"
#include "umkm/registry/v1/registry.pb.h"

namespace umkm::registry {

// Length limits, in Unicode characters.
inline constexpr int kMaxDisplayNameChars = 200;
inline constexpr int kMaxFullNameChars = 200;
inline constexpr int kMaxStreetChars = 300;
inline constexpr int kMaxProductDescriptionChars = 1000;
inline constexpr int kMaxPermitNumberChars = 100;
inline constexpr int kMaxProducts = 50;
inline constexpr int kMaxPermits = 20;

// The collection of business resource names, "businesses/{id}"; names are
// built and parsed only with aip::ResourceName / aip::ParseResourceId.
inline constexpr absl::string_view kBusinessCollection = "businesses";

// Clears the fields a client may not set (name, state, times, derived
// fields, event-fed fields). `etag` is kept: it is the client's precondition.
void ClearOutputOnly(v1::Business& business);

// Validates `business` as written by a client (after ClearOutputOnly) and
// fills the derived fields: owner.phone in E.164, owner.nik_non_local,
// address.kecamatan_code, address.postal_code when empty (from the
// kelurahan), kbli_version (2020 when unset) and scale (from capital_idr,
// PP 7/2021). Names, the street, product texts and permit numbers may hold
// no control or invisible format character (validate::ValidateText; line
// breaks only in product descriptions); a postal code sent must be the
// kelurahan's. Strings are otherwise kept exactly as sent. `prefix` is the
// request path of the business ("business").
absl::Status NormalizeBusiness(v1::Business& business,
                               absl::string_view prefix = "business");

// Sets the fields named by `mask` from `patch` in `target`, as AIP-134 says
// (aip::MergeUpdate): a named field takes the patch's value, so one left
// unset in `patch` is cleared; messages and lists are replaced whole;
// "owner.phone" changes only the phone. A lone "*" names every writable
// field. A new address.kelurahan_code clears address.postal_code unless the
// mask names that too (NormalizeBusiness then derives it). Unknown or
// output-only paths, and "*" beside other paths, are INVALID_ARGUMENT on
// "update_mask"; an empty mask too (AIP-134 allows it, but an officer's
// client that forgets the mask should not silently overwrite everything).
absl::Status ApplyUpdateMask(const v1::Business& patch,
                             const google::protobuf::FieldMask& mask,
                             v1::Business& target);

// Whether `caller` may see a business owner's full NIK: admins, and internal
// services acting on a mandate (e.g. financing preparing a bank referral).
// Everyone else sees it masked (UU 27/2022 data minimisation).
bool MaySeeFullNik(const auth::Caller& caller);

// The filter field (ListBusinesses, GetBusinessStats) on the owner's NIK,
// compared through its blind index. Personal data: see PersonalFiltersFor.
inline constexpr absl::string_view kOwnerNikFilter = "owner_nik";

// The personal-data filter fields `caller` may use: those of the data it
// sees in full (owner_nik for MaySeeFullNik), since a filter on a field
// tells whether a person's value matches. Empty for everyone else.
absl::Span<const absl::string_view> PersonalFiltersFor(
    const auth::Caller& caller);

// INVALID_ARGUMENT on "view" unless `view` is a BusinessView value.
absl::Status CheckView(v1::BusinessView view);

// Masks the owner's NIK in place ("3573**********01"); a NIK already
// masked stays as it is.
void MaskNik(v1::Business& business);

// The scale PP 7/2021 gives a capital amount (capital excludes land and
// buildings; upper bounds inclusive).
umkm::common::v1::Scale ScaleForCapital(int64_t capital_idr);

// The KBLI section letter of a business's code, "" when it has none.
std::string KbliSectionOf(const v1::Business& business);

}  // namespace umkm::registry
