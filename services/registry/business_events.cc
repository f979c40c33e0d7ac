#include "services/registry/business_events.h"

#include "common/base/string_view.h"
#include "common/events/envelope.h"

namespace umkm::registry {
namespace {

// Copies the fields every business payload shares.
template <typename Payload>
void FillSummary(const v1::Business& business, Payload& payload) {
  payload.set_business(business.name());
  payload.set_display_name(business.display_name());
  payload.set_kelurahan_code(business.address().kelurahan_code());
  payload.set_kecamatan_code(business.address().kecamatan_code());
  payload.set_scale(business.scale());
  payload.set_kbli_code(business.kbli_code());
  if (business.has_location())
    *payload.mutable_location() = business.location();
}

}  // namespace

events::v1::Event RegisteredEvent(const v1::Business& business,
                                  absl::string_view correlation_id,
                                  absl::Time now) {
  events::v1::BusinessRegistered payload;
  FillSummary(business, payload);
  return events::NewEvent(payload, ToStd(kEventSource), business.name(),
                          ToStd(correlation_id), now);
}

events::v1::Event UpdatedEvent(const v1::Business& business,
                               const std::vector<std::string>& changed_fields,
                               absl::string_view correlation_id,
                               absl::Time now) {
  events::v1::BusinessUpdated payload;
  FillSummary(business, payload);
  for (const std::string& field : changed_fields) {
    payload.add_changed_fields(field);
  }
  return events::NewEvent(payload, ToStd(kEventSource), business.name(),
                          ToStd(correlation_id), now);
}

events::v1::Event DeactivatedEvent(const v1::Business& business,
                                   absl::string_view correlation_id,
                                   absl::Time now) {
  events::v1::BusinessDeactivated payload;
  payload.set_business(business.name());
  return events::NewEvent(payload, ToStd(kEventSource), business.name(),
                          ToStd(correlation_id), now);
}

}  // namespace umkm::registry
