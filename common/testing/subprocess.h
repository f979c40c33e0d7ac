// A child process for cross-process tests and benchmarks.
//
//   auto child = Subprocess::Start({"redis-server", "--port", "6390"}, log);
//   ...
//   absl::StatusOr<int> code = (*child)->Stop(SIGTERM, absl::Seconds(10));
//
// The child gets SIGKILL if the thread that started it dies
// (PR_SET_PDEATHSIG), so a crashed test leaves nothing behind: start it from
// the test's main thread. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace umkm::testing {

class Subprocess {
 public:
  // Runs argv[0] (looked up on PATH when it has no '/') with `argv`. Its
  // stdout and stderr are appended to `log_path` (/dev/null when empty) and
  // stdin is /dev/null. INTERNAL when fork fails; a missing program shows
  // as exit code 127.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      std::vector<std::string> argv, const std::string& log_path = "");

  // SIGKILLs the child if it still runs.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }

  // False once the child has exited (reaps it; see exit_code()).
  bool Running();

  // The exit code once the child has exited: its status, or 128 + signal.
  std::optional<int> exit_code() const { return exit_code_; }

  // Sends `signal`, waits up to `timeout` for the exit, then SIGKILLs.
  // Returns the exit code (128 + 9 when it had to be killed). A child that
  // already exited just returns its code.
  int Stop(int signal, absl::Duration timeout);

  // Waits up to `timeout` for the child to exit on its own; its exit code,
  // or std::nullopt when it still runs.
  std::optional<int> Wait(absl::Duration timeout);

  // User plus system CPU time the child has used so far, from
  // /proc/<pid>/stat; zero when it cannot be read.
  absl::Duration CpuTime() const;

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  // Waits up to `timeout` for the exit; true when it happened.
  bool WaitFor(absl::Duration timeout);

  pid_t pid_;
  std::optional<int> exit_code_;
};

// Waits until `path` holds a port number written by a ServiceHost
// (--port_file) and returns it; FAILED_PRECONDITION when `process` exits
// first, DEADLINE_EXCEEDED after `timeout`.
absl::StatusOr<int> WaitForPortFile(const std::string& path,
                                    Subprocess& process,
                                    absl::Duration timeout);

// The last `bytes` of the file at `path` ("" when unreadable); for error
// messages that show what a child logged.
std::string FileTail(const std::string& path, size_t bytes = 2000);

}  // namespace umkm::testing
