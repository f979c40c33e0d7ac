// Constructors for the project's error statuses.
//
// Details travel inside absl::Status as payloads keyed by the google.rpc type
// URL, holding the serialized google.rpc message. ToGrpcStatus()
// (grpc_status.h) turns them into google.rpc.Status details at the edge, so
// domain code never touches gRPC types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace umkm {

// The ErrorInfo domain of every error this suite returns.
inline constexpr absl::string_view kErrorDomain = "umkm.malangkota.go.id";

inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kErrorInfoTypeUrl =
    "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr absl::string_view kPreconditionFailureTypeUrl =
    "type.googleapis.com/google.rpc.PreconditionFailure";

// One bad field. `field` is the path in the request message, e.g.
// "business.owner.nik" (google.rpc.BadRequest.FieldViolation.field).
struct FieldViolation {
  std::string field;
  std::string description;
};

// INVALID_ARGUMENT naming every bad field, with ErrorInfo reason
// "INVALID_FIELD". `violations` must not be empty.
absl::Status InvalidFields(std::vector<FieldViolation> violations);
// Shorthand for a single bad field.
absl::Status InvalidField(std::string field, std::string description);

// Adds (or replaces) an ErrorInfo detail with a stable, UPPER_SNAKE `reason`
// and optional metadata pairs. Returns `status` unchanged when it is OK.
absl::Status WithReason(
    absl::Status status, absl::string_view reason,
    std::vector<std::pair<std::string, std::string>> metadata = {});

// FAILED_PRECONDITION with a PreconditionFailure violation of `type` (e.g.
// "STATE") about `subject` (a resource name) and an ErrorInfo `reason`.
absl::Status PreconditionFailed(absl::string_view type,
                                absl::string_view subject,
                                absl::string_view description,
                                absl::string_view reason);

// Reads back the field violations carried by `status` (empty when none);
// used by tests and by the request logger.
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);
// Reads back the ErrorInfo reason ("" when none).
std::string ReasonOf(const absl::Status& status);

}  // namespace umkm
