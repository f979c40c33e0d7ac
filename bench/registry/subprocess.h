// Child processes for the benchmark: the registry and the echo server run
// as real binaries, each with its output in a log file.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace umkm::bench {

// A running child. It gets SIGKILL when the thread that started it dies
// (PR_SET_PDEATHSIG), so an aborted benchmark leaves nothing behind; start
// it from the main thread. Not thread-safe.
class Subprocess {
 public:
  // Runs argv[0] (a path) with `argv`, stdout and stderr appended to
  // `log_path`. INTERNAL when it cannot be started.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv, const std::string& log_path);

  // Kills the child if it still runs.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  // False once the child has exited (reaps it).
  bool Running();
  // SIGTERM, then SIGKILL after `grace`; returns the exit status as
  // waitpid reports it (-1 when it was not running).
  int Stop(absl::Duration grace);
  // User plus system CPU time the child has used so far, from
  // /proc/<pid>/stat; zero when it cannot be read.
  absl::Duration CpuTime() const;

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
};

// Waits until `path` holds a port number written by a ServiceHost
// (--port_file) and returns it; FAILED_PRECONDITION when `process` exits
// first, DEADLINE_EXCEEDED after `timeout`.
absl::StatusOr<int> WaitForPortFile(const std::string& path,
                                    Subprocess& process,
                                    absl::Duration timeout);

}  // namespace umkm::bench
