// HandlerRegistry: where a service's reactions to events are registered.
//
// Both the EventConsumer and the service kit's Runtime take registrations,
// so a service's event wiring (e.g. the registry's RegisterEventHandlers,
// RegistryClient::InvalidateOn) is written once against this interface and
// does not care whether a consumer exists yet.
#pragma once

#include <functional>

#include "absl/status/status.h"
#include "common/store/connection.h"
#include "umkm/events/v1/events.pb.h"

namespace umkm::events {

// A handler applies an event's effect with `conn`, inside the transaction
// that also records the event id (consumer.h). An error rolls both back.
using Handler =
    std::function<absl::Status(store::Connection& conn, const v1::Event&)>;
// Runs after the effect committed; must be idempotent (consumer.h).
using PostCommitHook = std::function<void(const v1::Event&)>;

class HandlerRegistry {
 public:
  virtual ~HandlerRegistry() = default;

  // Registers a reaction to events carrying `payload`. Only before the
  // consumer starts.
  virtual void On(v1::Event::PayloadCase payload, Handler handler,
                  PostCommitHook after_commit = nullptr) = 0;
};

}  // namespace umkm::events
