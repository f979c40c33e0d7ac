// A fixed pool of threads for blocking work (SQLite, Redis) so that gRPC's
// callback reactor threads never block.
//
// Thread-safe. The destructor stops accepting work, runs what is queued and
// joins every thread: destroy the pool only after the gRPC server has shut
// down (otherwise a late callback could schedule into a dead pool).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace umkm::server {

class WorkerPool {
 public:
  // Starts `threads` threads (at least 1).
  explicit WorkerPool(int threads);
  // Shutdown(), then waits for every queued task to run and joins.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`. Returns false (and drops the task) once shutdown started.
  bool Schedule(std::function<void()> task);

  // Starts shutdown: every later Schedule returns false, from any thread and
  // from tasks too. Tasks already queued still run. Idempotent; does not
  // wait (the destructor does).
  void Shutdown();

  // Number of tasks queued but not yet started.
  size_t QueueLength() const;

 private:
  void Run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace umkm::server
