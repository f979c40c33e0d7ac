#include "common/context/uuid.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/str_format.h"

namespace umkm {

std::string NewUuidV7(absl::Time now) {
  // absl::BitGen is seeded from the OS; one per thread so no locking.
  thread_local absl::BitGen bitgen;
  const uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(now));
  const uint64_t rand_a = absl::Uniform<uint64_t>(bitgen) & 0xfff;
  const uint64_t rand_b = absl::Uniform<uint64_t>(bitgen);
  // 48 bits time, version 7, 12 random bits, variant 10, 62 random bits.
  const uint64_t hi = (millis << 16) | (uint64_t{7} << 12) | rand_a;
  const uint64_t lo = (rand_b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32,
                         (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48,
                         lo & 0xffffffffffffULL);
}

}  // namespace umkm
