#include "common/service/periodic.h"

#include <condition_variable>
#include <mutex>

#include "gtest/gtest.h"

namespace umkm::service {
namespace {

// Counts runs and lets the test wait for the n-th without sleeping.
class RunCounter {
 public:
  void Run() {
    std::lock_guard<std::mutex> lock(mu_);
    ++runs_;
    cv_.notify_all();
  }
  void WaitFor(int runs) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return runs_ >= runs; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int runs_ = 0;
};

TEST(PeriodicTasksTest, RunsEachTaskRepeatedly) {
  RunCounter fast, slow;
  PeriodicTasks tasks;
  tasks.Add("fast", absl::Milliseconds(1), [&] { fast.Run(); });
  tasks.Add("slow", absl::Milliseconds(2), [&] { slow.Run(); });
  tasks.Start();
  fast.WaitFor(3);
  slow.WaitFor(2);
  tasks.Stop();
  EXPECT_GE(tasks.runs("fast"), 3);
  EXPECT_GE(tasks.runs("slow"), 2);
  EXPECT_EQ(tasks.runs("absent"), 0);
}

TEST(PeriodicTasksTest, StopEndsRunsAndIsIdempotent) {
  RunCounter counter;
  PeriodicTasks tasks;
  tasks.Add("job", absl::Milliseconds(1), [&] { counter.Run(); });
  tasks.Start();
  counter.WaitFor(1);
  tasks.Stop();
  const int64_t after_stop = tasks.runs("job");
  tasks.Stop();
  EXPECT_EQ(tasks.runs("job"), after_stop);
}

TEST(PeriodicTasksTest, NothingRunsBeforeTheFirstInterval) {
  PeriodicTasks tasks;
  tasks.Add("daily", absl::Hours(24), [] { FAIL() << "ran too early"; });
  tasks.Start();
  tasks.Stop();  // returns at once: the wait is interrupted
  EXPECT_EQ(tasks.runs("daily"), 0);
}

}  // namespace
}  // namespace umkm::service
