// The events the registry publishes about businesses (umkm.events.v1):
// what each carries is what consumers need, never the owner's identity.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "umkm/events/v1/events.pb.h"
#include "umkm/registry/v1/registry.pb.h"

namespace umkm::registry {

inline constexpr absl::string_view kEventSource = "umkm-registry";

// Each event occurred at `now` (the change's update_time) and carries
// `correlation_id`, the RequestContext's: the request id of the call that
// made the change.

// BusinessRegistered for a newly stored business.
events::v1::Event RegisteredEvent(const v1::Business& business,
                                  absl::string_view correlation_id,
                                  absl::Time now);

// BusinessUpdated for a business as it is after an update of
// `changed_fields` (the update mask as applied).
events::v1::Event UpdatedEvent(const v1::Business& business,
                               const std::vector<std::string>& changed_fields,
                               absl::string_view correlation_id,
                               absl::Time now);

// BusinessDeactivated for a deleted business.
events::v1::Event DeactivatedEvent(const v1::Business& business,
                                   absl::string_view correlation_id,
                                   absl::Time now);

}  // namespace umkm::registry
