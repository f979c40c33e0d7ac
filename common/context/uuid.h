// UUIDv7 (RFC 9562): time-ordered random ids for requests and events.
#pragma once

#include <string>

#include "absl/time/time.h"

namespace umkm {

// A new UUIDv7 in its 8-4-4-4-12 lower-case form: 48 bits of Unix
// milliseconds of `now`, then 74 random bits, so ids made later sort later
// (to the millisecond). Thread-safe; seeded from the OS.
std::string NewUuidV7(absl::Time now);

}  // namespace umkm
