// WorkerPool: every queued task runs, tasks run in parallel, QueueLength()
// counts what waits, and Schedule is refused once shutdown started.
// Synchronised with latches only: no sleeps, no timed assertions.
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
    ASSERT_TRUE(pool.Schedule([&] {
      both_running.arrive_and_wait();
      finished.count_down();
    }));
  }
  finished.wait();
}

TEST(WorkerPoolTest, FewerThanOneThreadMeansOne) {
  std::latch ran(1);
  WorkerPool pool(0);
  ASSERT_TRUE(pool.Schedule([&ran] { ran.count_down(); }));
  ran.wait();
}

TEST(WorkerPoolTest, QueueLengthCountsTasksWaitingForABusyWorker) {
  WorkerPool pool(2);
  std::latch started(2);
  std::latch release(1);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(pool.Schedule([&] {
      started.count_down();
      release.wait();
    }));
  }
  started.wait();  // both workers are busy: the next tasks stay queued
  EXPECT_EQ(pool.QueueLength(), 0u);
  std::latch done(3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(pool.Schedule([&done] { done.count_down(); }));
    EXPECT_EQ(pool.QueueLength(), static_cast<size_t>(i + 1));
  }
  release.count_down();
  done.wait();  // a task is dequeued before it runs
  EXPECT_EQ(pool.QueueLength(), 0u);
}

TEST(WorkerPoolTest, ShutdownRefusesNewTasksAndStillRunsQueuedOnes) {
  std::atomic<bool> queued_ran{false};
  std::atomic<bool> refused_ran{false};
  std::atomic<bool> scheduled_from_task{true};
  {
    WorkerPool pool(1);
    std::latch started(1);
    std::latch release(1);
    ASSERT_TRUE(pool.Schedule([&] {
      started.count_down();
      release.wait();
    }));
    started.wait();
    ASSERT_TRUE(pool.Schedule([&] {
      queued_ran = true;
      // A task that schedules follow-up work during shutdown is refused too.
      scheduled_from_task =
          pool.Schedule([&refused_ran] { refused_ran = true; });
    }));
    pool.Shutdown();
    EXPECT_FALSE(pool.Schedule([&refused_ran] { refused_ran = true; }));
    EXPECT_EQ(pool.QueueLength(), 1u);  // the refused task was not queued
    pool.Shutdown();                    // idempotent
    release.count_down();
  }
  EXPECT_TRUE(queued_ran);
  EXPECT_FALSE(scheduled_from_task);
  EXPECT_FALSE(refused_ran);
}

}  // namespace
}  // namespace umkm::server
