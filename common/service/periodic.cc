#include "common/service/periodic.h"

#include <algorithm>
#include <utility>

namespace umkm::service {

PeriodicTasks::~PeriodicTasks() { Stop(); }

void PeriodicTasks::Add(std::string name, absl::Duration interval,
                        std::function<void()> task) {
  tasks_.push_back(Task{.name = std::move(name),
                        .interval = absl::ToChronoNanoseconds(
                            std::max(interval, absl::Milliseconds(1))),
                        .run = std::move(task)});
}

void PeriodicTasks::Start() {
  if (tasks_.empty() || thread_.joinable()) return;
  const auto now = std::chrono::steady_clock::now();
  for (Task& task : tasks_) task.next = now + task.interval;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicTasks::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t PeriodicTasks::runs(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Task& task : tasks_) {
    if (task.name == name) return task.runs;
  }
  return 0;
}

void PeriodicTasks::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    auto due = std::min_element(
        tasks_.begin(), tasks_.end(),
        [](const Task& a, const Task& b) { return a.next < b.next; });
    if (cv_.wait_until(lock, due->next, [this] { return stopping_; })) break;
    if (std::chrono::steady_clock::now() < due->next) continue;
    // Run without the lock so that Stop() is not held up by the wait.
    lock.unlock();
    due->run();
    lock.lock();
    ++due->runs;
    due->next = std::chrono::steady_clock::now() + due->interval;
  }
}

}  // namespace umkm::service
