// The purpose a caller states for reading personal data, and the check that
// one was stated (UU 27/2022: personal data is processed for a specific,
// declared purpose; the audit trail records it beside who read what).
//
// A caller states it in the `x-umkm-purpose` header of the call
// (kPurposeHeader, copied into RequestContext::purpose at the edge):
//
//   <code>               e.g. financing_referral
//   <code>:<reference>   e.g. legal_obligation:500/123/35.73.405/2027
//
// `code` is one of the purposes the city has declared (kPurposeCodes);
// `reference` is a case, ticket or letter number: 1-64 characters of
// [A-Za-z0-9._/-] with no number of more than 8 digits (digits separated by
// '.', '-' or '_' count as one number), so that neither a NIK nor a phone
// number can be written into the audit trail through it.
#pragma once

#include <array>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/context/request_context.h"

namespace umkm::audit {

// The declared purposes. Adding one is a decision of the data protection
// officer, recorded in docs/audit.md.
inline constexpr std::array<absl::string_view, 7> kPurposeCodes = {
    "financing_referral",      // preparing or checking a bank referral
    "identity_verification",   // checking an owner against the KTP/Dukcapil
    "duplicate_check",         // does this owner already have a business?
    "data_correction",         // correcting a record
    "data_subject_request",    // the owner asked for their data (UU 27/2022)
    "legal_obligation",        // a court, police or auditor's written request
    "incident_investigation",  // investigating a security incident
};

// OK when `purpose` is well formed (see the file comment). Errors:
//   PERMISSION_DENIED  empty: ErrorInfo reason "PURPOSE_REQUIRED"
//   INVALID_ARGUMENT   anything else malformed: reason "PURPOSE_INVALID"
// both with metadata {"header": "x-umkm-purpose"}, and a message that lists
// the codes. Never echoes the value (it could hold personal data).
absl::Status CheckPurpose(absl::string_view purpose);

// CheckPurpose(context.purpose).
inline absl::Status RequirePurpose(const RequestContext& context) {
  return CheckPurpose(context.purpose);
}

}  // namespace umkm::audit
