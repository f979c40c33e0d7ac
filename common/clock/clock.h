// Clock: the one source of wall-clock time for deadlines, TTLs and
// retention, injected like LevelDB's Env so that tests control time.
//
//   const Clock& clock = SystemClock();       // production
//   FakeClock clock(absl::FromUnixSeconds(...));
//   clock.Advance(absl::Hours(25)); FileClock::Open("/tmp/now") //
//   --testing_clock_file
//
// Code that needs "now" takes a `const Clock&` (or a pointer that outlives
// it) and never calls absl::Now() itself. Monotonic intervals (latencies,
// backoff waits on a condition variable) may still use steady_clock: they
// measure, they do not decide what day it is.
//
// Every implementation is thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace umkm {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant.
  virtual absl::Time Now() const = 0;
};

// absl::Now(). Lives for the whole program.
const Clock& SystemClock();

// A clock that stands still until told to move. For unit tests.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1767225600))
      : micros_(absl::ToUnixMicros(start)) {}
  absl::Time Now() const override {
    return absl::FromUnixMicros(micros_.load(std::memory_order_relaxed));
  }
  void Set(absl::Time now) {
    micros_.store(absl::ToUnixMicros(now), std::memory_order_relaxed);
  }
  void Advance(absl::Duration by) {
    micros_.fetch_add(absl::ToInt64Microseconds(by), std::memory_order_relaxed);
  }

 private:
  std::atomic<int64_t> micros_;
};

// The clock behind --testing_clock_file: the instant written in a file as
// RFC 3339 (e.g. "2027-01-04T08:00:00+07:00"), so that a test can move a
// running service's time by rewriting the file. The file is re-read when the
// last read is a second or more old (by the system clock), so a change is
// seen within a second. Between reads the clock stands still.
//
// A file that cannot be read or parsed after a good read keeps the last good
// instant (a test rewriting the file non-atomically must not make time jump
// to the epoch); the error is logged once per failing streak. Production
// deployments never set the flag.
class FileClock : public Clock {
 public:
  // Reads the file once. INVALID_ARGUMENT when the text is not RFC 3339,
  // NOT_FOUND when it cannot be read. `cadence` decides when a second has
  // passed (the system clock; tests pass a FakeClock) and must outlive this.
  static absl::StatusOr<std::unique_ptr<FileClock>> Open(
      std::string path, const Clock& cadence = SystemClock());

  absl::Time Now() const override;

  const std::string& path() const { return path_; }

 private:
  FileClock(std::string path, const Clock& cadence, absl::Time now);

  const std::string path_;
  const Clock& cadence_;
  mutable std::mutex mu_;
  mutable absl::Time now_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time last_read_ ABSL_GUARDED_BY(mu_);
  mutable bool failing_ ABSL_GUARDED_BY(mu_) = false;
};

// Parses an RFC 3339 instant ("2027-01-04T08:00:00Z", fractional seconds
// and numeric offsets allowed). INVALID_ARGUMENT otherwise.
absl::StatusOr<absl::Time> ParseRfc3339(absl::string_view text);

}  // namespace umkm
