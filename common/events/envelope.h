// The event envelope (umkm.events.v1.Event) and how it sits on the stream.
//
// Every stream entry has exactly one field, `event`, holding the serialized
// envelope, so any client with the protos can read and write the topic.
// Producers build envelopes with NewEvent; consumers dispatch on which
// payload is set (PayloadCaseOf / TypeOf).
//
//   v1::BusinessRegistered payload;
//   payload.set_business("businesses/42");
//   v1::Event event = NewEvent(payload, "umkm-registry", "businesses/42",
//                              request_id);
//
// All functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "umkm/events/v1/events.pb.h"

namespace umkm::events {

namespace v1 = ::umkm::events::v1;

// The one field of every stream entry.
inline constexpr std::string_view kEventField = "event";
// Default stream keys.
inline constexpr std::string_view kDefaultStream = "umkm:events";
inline constexpr std::string_view kDefaultDeadLetterStream = "umkm:events:dead";

// A new unique event id: a UUIDv7 (48-bit Unix milliseconds, then random
// bits) in canonical text form, so ids sort roughly by creation time.
std::string NewEventId();

// An envelope with a new id, occurred_time `now`, `type` set to the payload's
// full message name and the payload copied into the matching oneof field.
// `Payload` is one of the payload messages of v1::Event (BusinessRegistered,
// VisitCompleted, ...); anything else does not compile.
template <typename Payload>
v1::Event NewEvent(const Payload& payload, std::string_view source,
                   std::string_view subject, std::string_view correlation_id,
                   absl::Time now = absl::Now());

// The payload message's full name ("umkm.events.v1.VisitCompleted"), which
// is what the envelope's `type` field holds; "" when no payload is set.
std::string TypeOf(const v1::Event& event);

// The envelope as stream bytes (the value of the `event` field).
std::string Serialize(const v1::Event& event);

// Parses stream bytes, discarding unknown fields at every depth.
// INVALID_ARGUMENT when the bytes do not parse, the id is empty, no payload
// is set, or `type` disagrees with the payload.
absl::StatusOr<v1::Event> Parse(std::string_view bytes);

// Implementation details for NewEvent.
namespace internal {
// Sets id, source, subject, correlation id, occurred time and type (from the
// payload already set).
void FillEnvelope(v1::Event& event, std::string_view source,
                  std::string_view subject, std::string_view correlation_id,
                  absl::Time now);
inline void SetPayload(v1::Event& e, const v1::BusinessRegistered& p) {
  *e.mutable_business_registered() = p;
}
inline void SetPayload(v1::Event& e, const v1::BusinessUpdated& p) {
  *e.mutable_business_updated() = p;
}
inline void SetPayload(v1::Event& e, const v1::BusinessDeactivated& p) {
  *e.mutable_business_deactivated() = p;
}
inline void SetPayload(v1::Event& e, const v1::VisitScheduled& p) {
  *e.mutable_visit_scheduled() = p;
}
inline void SetPayload(v1::Event& e, const v1::VisitCompleted& p) {
  *e.mutable_visit_completed() = p;
}
inline void SetPayload(v1::Event& e, const v1::VisitCancelled& p) {
  *e.mutable_visit_cancelled() = p;
}
inline void SetPayload(v1::Event& e, const v1::ComplaintFiled& p) {
  *e.mutable_complaint_filed() = p;
}
inline void SetPayload(v1::Event& e, const v1::ComplaintStatusChanged& p) {
  *e.mutable_complaint_status_changed() = p;
}
inline void SetPayload(v1::Event& e, const v1::ComplaintOverdue& p) {
  *e.mutable_complaint_overdue() = p;
}
inline void SetPayload(v1::Event& e, const v1::ReferralCreated& p) {
  *e.mutable_referral_created() = p;
}
inline void SetPayload(v1::Event& e, const v1::ReferralStatusChanged& p) {
  *e.mutable_referral_status_changed() = p;
}
}  // namespace internal

template <typename Payload>
v1::Event NewEvent(const Payload& payload, std::string_view source,
                   std::string_view subject, std::string_view correlation_id,
                   absl::Time now) {
  v1::Event event;
  internal::SetPayload(event, payload);
  internal::FillEnvelope(event, source, subject, correlation_id, now);
  return event;
}

}  // namespace umkm::events
