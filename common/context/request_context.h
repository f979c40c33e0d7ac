// RequestContext: what one unit of work carries from the gRPC edge through
// the domain and the store into the outbox.
//
//   caller          who asked (authenticated at the edge)
//   deadline        when the caller stops waiting (gRPC's deadline, real
//                   time); every blocking wait below the edge is bounded by
//                   what remains of it
//   request_id      this call's id: the caller's `x-request-id` when it is
//                   well formed, otherwise a new UUIDv7; returned to the
//                   caller in the initial metadata and written in every log
//                   line of the call
//   correlation_id  what every event this work causes carries; the request
//                   id for calls, the incoming event's correlation id for
//                   work an event causes, so one request can be followed
//                   across services
//   method          the full gRPC method of a call, for audit records
//   purpose         why the caller wants personal data (`x-umkm-purpose`),
//                   as sent; checked where data is disclosed (common/audit)
//
// The request id is not the AIP-155 `request_id` field of a message (the
// idempotency key a client chooses per logical operation): a retry of the
// same operation carries the same `request_id` field and may carry a new
// header.
//
// A plain value; copy it freely.
#pragma once

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/role.h"

namespace umkm {

struct RequestContext {
  auth::Caller caller;
  absl::Time deadline = absl::InfiniteFuture();
  std::string request_id;
  std::string correlation_id;
  // "/umkm.registry.v1.RegistryService/GetBusiness"; a constant of the
  // method's policy, which outlives every call. Empty for background work.
  absl::string_view method;
  // The `x-umkm-purpose` header as sent (at most kMaxPurposeHeaderBytes + 1
  // bytes of it); empty when none.
  std::string purpose;

  // Time left before the deadline at `now` (zero once it passed;
  // InfiniteDuration without a deadline). Deadlines are real time: pass
  // absl::Now(), never an injected test clock.
  absl::Duration Remaining(absl::Time now) const {
    if (deadline == absl::InfiniteFuture()) return absl::InfiniteDuration();
    return std::max(deadline - now, absl::ZeroDuration());
  }

  // DEADLINE_EXCEEDED naming `what` when the deadline passed at `now`.
  absl::Status CheckDeadline(absl::Time now, absl::string_view what) const;
};

// The metadata key of the request id, in both directions.
inline constexpr char kRequestIdHeader[] = "x-request-id";

// The metadata key of the purpose a caller states for reading personal
// data (common/audit/purpose.h says what it may hold). Longer values are
// cut to one byte over the limit, so that they fail the check.
inline constexpr char kPurposeHeader[] = "x-umkm-purpose";
inline constexpr size_t kMaxPurposeHeaderBytes = 128;

// Whether `id` may be taken from a caller as a request id:
// [A-Za-z0-9._-]{1,64}. Anything else (too long, spaces, quotes, control
// characters that could forge log lines) is replaced by a new id.
bool IsAcceptableRequestId(absl::string_view id);

// `header` when acceptable, otherwise a new UUIDv7 made at `now`.
std::string RequestIdFrom(absl::string_view header, absl::Time now);

// A context for work no caller waits on (event handlers, background jobs):
// the given caller, no deadline, correlated with `correlation_id` (a new id
// when empty).
RequestContext BackgroundContext(auth::Caller caller,
                                 absl::string_view correlation_id,
                                 absl::Time now);

}  // namespace umkm
