#include "common/testing/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace umkm::testing {
namespace {

constexpr absl::Duration kPollInterval = absl::Milliseconds(10);

int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    std::vector<std::string> args, const std::string& log_path) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string output = log_path.empty() ? "/dev/null" : log_path;

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);  // parent already gone
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (in >= 0) dup2(in, STDIN_FILENO);
    if (out >= 0) {
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
    }
    // Signals blocked by the parent (e.g. a test host) stay blocked across
    // exec; the child must see SIGTERM.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid));
}

Subprocess::~Subprocess() {
  if (!exit_code_) Stop(SIGKILL, absl::Seconds(10));
}

bool Subprocess::Running() {
  if (exit_code_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_code_ = ExitCode(status);
    return false;
  }
  return true;
}

bool Subprocess::WaitFor(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (Running()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(kPollInterval);
  }
  return true;
}

int Subprocess::Stop(int signal, absl::Duration timeout) {
  if (!Running()) return *exit_code_;
  kill(pid_, signal);
  if (!WaitFor(timeout)) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_code_ = ExitCode(status);
  }
  return *exit_code_;
}

std::optional<int> Subprocess::Wait(absl::Duration timeout) {
  if (!WaitFor(timeout)) return std::nullopt;
  return exit_code_;
}

absl::Duration Subprocess::CpuTime() const {
  if (exit_code_) return absl::ZeroDuration();
  std::ifstream in(absl::StrCat("/proc/", pid_, "/stat"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string stat = buffer.str();
  // Fields after the command name (which may hold spaces) start after ')';
  // utime and stime are then the 12th and 13th.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 > stat.size()) {
    return absl::ZeroDuration();
  }
  std::vector<std::string> fields =
      absl::StrSplit(stat.substr(close + 2), ' ', absl::SkipEmpty());
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return absl::ZeroDuration();
  }
  return absl::Seconds(static_cast<double>(utime + stime) /
                       static_cast<double>(sysconf(_SC_CLK_TCK)));
}

absl::StatusOr<int> WaitForPortFile(const std::string& path,
                                    Subprocess& process,
                                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) return port;
    if (!process.Running()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "exited with code ", *process.exit_code(), " before writing ", path));
    }
    absl::SleepFor(kPollInterval);
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "no port in ", path, " after ", absl::FormatDuration(timeout)));
}

std::string FileTail(const std::string& path, size_t bytes) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string text = contents.str();
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

}  // namespace umkm::testing
