// Bounded polling for tests that wait on another thread or process:
//
//   ASSERT_TRUE(Eventually([&] { return StreamLength() >= 3; }));
//
// The bound only turns a hang into a failure; it is not a timing assertion.
#pragma once

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace umkm::testing {

// Calls `done` every 10 ms until it returns true or `timeout` has passed,
// then once more; returns its last answer.
template <typename Predicate>
bool Eventually(Predicate done, absl::Duration timeout = absl::Seconds(60)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return done();
}

}  // namespace umkm::testing
