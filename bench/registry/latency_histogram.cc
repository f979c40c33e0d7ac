#include "bench/registry/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace umkm::bench {

// Values below 2^kSubBits have a bucket each. Above, a value with its top
// bit at position msb is shifted right by shift = msb - (kSubBits - 1), so
// it keeps kSubBits significant bits: (value >> shift) lies in
// [2^(kSubBits-1), 2^kSubBits), and the index is shift * 2^(kSubBits-1)
// plus that, which continues the linear range without gaps.
int LatencyHistogram::IndexOf(uint64_t value) {
  if (value < (uint64_t{1} << kSubBits)) return static_cast<int>(value);
  const int msb = 63 - std::countl_zero(value);
  const int shift = msb - (kSubBits - 1);
  return (shift << (kSubBits - 1)) + static_cast<int>(value >> shift);
}

uint64_t LatencyHistogram::LowerBound(int index) {
  constexpr int kHalf = 1 << (kSubBits - 1);
  if (index < (1 << kSubBits)) return static_cast<uint64_t>(index);
  const int shift = index / kHalf - 1;
  const uint64_t sub = static_cast<uint64_t>(index - shift * kHalf);
  return sub << shift;
}

void LatencyHistogram::Record(int64_t nanos) {
  const uint64_t value = nanos < 0 ? 0 : static_cast<uint64_t>(nanos);
  ++buckets_[IndexOf(value)];
  ++count_;
  max_ = std::max<int64_t>(max_, static_cast<int64_t>(value));
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (int i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

int64_t LatencyHistogram::Percentile(double fraction) const {
  if (count_ == 0) return 0;
  const int64_t rank = std::clamp<int64_t>(
      static_cast<int64_t>(std::ceil(fraction * static_cast<double>(count_))),
      1, count_);
  int64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const uint64_t lo = LowerBound(i);
      const uint64_t hi = i + 1 < kBuckets ? LowerBound(i + 1) : lo;
      return std::min<int64_t>(static_cast<int64_t>(lo + (hi - lo) / 2), max_);
    }
  }
  return max_;
}

}  // namespace umkm::bench
