// A latency histogram for the benchmark's load generator: log-linear
// buckets (HdrHistogram style) with 128 sub-buckets per power of two, so a
// reported percentile is within 1% of the true value, at a fixed 30 KiB
// and O(1) per sample.
#pragma once

#include <array>
#include <cstdint>

namespace umkm::bench {

// Not thread-safe: give each recording thread (or call slot) its own and
// Merge() them afterwards.
class LatencyHistogram {
 public:
  // Records one latency in nanoseconds (negative counts as 0).
  void Record(int64_t nanos);
  // Adds `other`'s samples to this one.
  void Merge(const LatencyHistogram& other);

  int64_t count() const { return count_; }
  int64_t max_nanos() const { return max_; }
  // The latency at or below which `fraction` (0..1] of the samples lie, in
  // nanoseconds (the midpoint of its bucket); 0 when empty.
  int64_t Percentile(double fraction) const;

 private:
  static constexpr int kSubBits = 7;  // 128 sub-buckets per octave
  // Indices run up to (63 - (kSubBits - 1)) * 2^(kSubBits-1) + 2^kSubBits - 1.
  static constexpr int kBuckets = (64 - kSubBits + 2) << (kSubBits - 1);

  static int IndexOf(uint64_t value);
  static uint64_t LowerBound(int index);

  std::array<int64_t, kBuckets> buckets_{};
  int64_t count_ = 0;
  int64_t max_ = 0;
};

}  // namespace umkm::bench
