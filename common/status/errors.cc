#include "common/status/errors.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"

namespace umkm {
namespace {

absl::Cord Serialize(const google::protobuf::Message& message) {
  return absl::Cord(message.SerializeAsString());
}

}  // namespace

absl::Status InvalidFields(std::vector<FieldViolation> violations) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> names;
  for (FieldViolation& violation : violations) {
    auto* out = bad_request.add_field_violations();
    names.push_back(violation.field);
    out->set_field(std::move(violation.field));
    out->set_description(std::move(violation.description));
  }
  std::string message = "invalid ";
  if (violations.size() == 1) {
    message +=
        names.front() + ": " + bad_request.field_violations(0).description();
  } else {
    message += "fields: " + absl::StrJoin(names, ", ");
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kBadRequestTypeUrl, Serialize(bad_request));
  return WithReason(std::move(status), "INVALID_FIELD");
}

absl::Status InvalidField(std::string field, std::string description) {
  return InvalidFields({{std::move(field), std::move(description)}});
}

absl::Status WithReason(
    absl::Status status, absl::string_view reason,
    std::vector<std::pair<std::string, std::string>> metadata) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (auto& [key, value] : metadata) {
    (*info.mutable_metadata())[key] = std::move(value);
  }
  status.SetPayload(kErrorInfoTypeUrl, Serialize(info));
  return status;
}

absl::Status PreconditionFailed(absl::string_view type,
                                absl::string_view subject,
                                absl::string_view description,
                                absl::string_view reason) {
  google::rpc::PreconditionFailure failure;
  auto* violation = failure.add_violations();
  violation->set_type(std::string(type));
  violation->set_subject(std::string(subject));
  violation->set_description(std::string(description));
  absl::Status status = absl::FailedPreconditionError(description);
  status.SetPayload(kPreconditionFailureTypeUrl, Serialize(failure));
  return WithReason(std::move(status), reason);
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> result;
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  google::rpc::BadRequest bad_request;
  if (!payload || !bad_request.ParseFromString(std::string(*payload))) {
    return result;
  }
  for (const auto& violation : bad_request.field_violations()) {
    result.push_back({violation.field(), violation.description()});
  }
  return result;
}

std::string ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kErrorInfoTypeUrl);
  google::rpc::ErrorInfo info;
  if (!payload || !info.ParseFromString(std::string(*payload))) return "";
  return info.reason();
}

}  // namespace umkm
