// PeriodicTasks: one maintenance thread running a service's periodic jobs
// (request-log pruning, deadline scans) at fixed intervals.
//
// Intervals are measured on the steady clock, not the service's injected
// clock: a test that moves domain time forward gets the effect on the next
// run (within one interval), not a burst of runs. A task that throws or
// blocks holds back the others, so tasks must be short and never throw.
//
// Thread safety: Add before Start; Start and Stop from the owner.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace umkm::service {

class PeriodicTasks {
 public:
  PeriodicTasks() = default;
  // Calls Stop().
  ~PeriodicTasks();
  PeriodicTasks(const PeriodicTasks&) = delete;
  PeriodicTasks& operator=(const PeriodicTasks&) = delete;

  // Runs `task` every `interval` (> 0), the first time one interval after
  // Start. Only before Start.
  void Add(std::string name, absl::Duration interval,
           std::function<void()> task);

  // Starts the thread (only when there are tasks). At most once.
  void Start();

  // Lets a running task finish, runs no more, joins. Idempotent.
  void Stop();

  // How many times the task named `name` has run (for tests).
  int64_t runs(const std::string& name) const;

 private:
  struct Task {
    std::string name;
    std::chrono::steady_clock::duration interval;
    std::function<void()> run;
    std::chrono::steady_clock::time_point next;
    int64_t runs = 0;
  };
  void Loop();

  std::vector<Task> tasks_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace umkm::service
