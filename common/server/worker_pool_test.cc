#include "common/server/worker_pool.h"

#include <atomic>
#include <latch>

#include "gtest/gtest.h"

namespace umkm::server {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskBeforeDestruction) {
  std::atomic<int> done{0};
  {
    WorkerPool pool(3);
    for (int i = 0; i < 1000; ++i) {
      ASSERT_TRUE(pool.Schedule([&done] { done.fetch_add(1); }));
    }
  }
  EXPECT_EQ(done.load(), 1000);
}

TEST(WorkerPoolTest, RunsTasksInParallel) {
  WorkerPool pool(2);
  std::latch both_running(2);
  std::latch finished(2);
  // Each task waits for the other: only passes if two threads run at once.
  for (int i = 0; i < 2; ++i) {
    pool.Schedule([&] {
      both_running.arrive_and_wait();
      finished.count_down();
    });
  }
  finished.wait();
}

}  // namespace
}  // namespace umkm::server
