#include "common/context/uuid.h"

#include <cstdint>

#include "absl/random/random.h"

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
  // Formatted by hand: this runs on every call without an x-request-id.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(36, '-');
  int pos = 0;
  auto put = [&](uint64_t bits, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      id[pos++] = kHex[(bits >> shift) & 0xf];
    }
  };
  put(hi, 16);
  put(lo, 16);
  return id;
}

}  // namespace umkm
