// Event ids, envelope filling and the stream encoding.
#include "common/events/envelope.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/context/uuid.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/time_util.h"

namespace umkm::events {

std::string NewEventId() { return NewUuidV7(absl::Now()); }

std::string TypeOf(const v1::Event& event) {
  const google::protobuf::OneofDescriptor* oneof =
      v1::Event::descriptor()->FindOneofByName("payload");
  const google::protobuf::FieldDescriptor* field =
      v1::Event::GetReflection()->GetOneofFieldDescriptor(event, oneof);
  return field == nullptr ? "" : field->message_type()->full_name();
}

std::string Serialize(const v1::Event& event) {
  return event.SerializeAsString();
}

absl::StatusOr<v1::Event> Parse(std::string_view bytes) {
  v1::Event event;
  if (!event.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("event bytes do not parse as an Event");
  }
  // What the contract does not name reaches no handler (a payload of a
  // newer producer, unknown here, goes with it: the oneof stays unset).
  event.DiscardUnknownFields();
  if (event.id().empty()) {
    return absl::InvalidArgumentError("event has no id");
  }
  const std::string type = TypeOf(event);
  // A payload this binary does not know (a newer producer) leaves the oneof
  // unset but `type` filled: a valid event that nobody here handles.
  if (type.empty() && event.type().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.id(), " has no payload and no type"));
  }
  if (!type.empty() && type != event.type()) {
    return absl::InvalidArgumentError(absl::StrCat("event ", event.id(),
                                                   " has type \"", event.type(),
                                                   "\" but carries ", type));
  }
  return event;
}

namespace internal {

void FillEnvelope(v1::Event& event, std::string_view source,
                  std::string_view subject, std::string_view correlation_id,
                  absl::Time now) {
  event.set_id(NewEventId());
  event.set_type(TypeOf(event));
  event.set_source(std::string(source));
  event.set_subject(std::string(subject));
  event.set_correlation_id(std::string(correlation_id));
  *event.mutable_occurred_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(now));
}

}  // namespace internal
}  // namespace umkm::events
