// A real redis-server for tests; see redis_server.h.
#include "common/testing/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace umkm::testing {
namespace {

// Attempts while waiting for the server to answer PING or to exit, and the
// pause between them: up to ~10 s on a loaded machine, usually a few ms.
constexpr int kPollAttempts = 1000;
constexpr absl::Duration kPollInterval = absl::Milliseconds(10);
constexpr int kPortAttempts = 5;

// A port that was free a moment ago on 127.0.0.1 (0 on failure).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

// True when a server on `port` answers PING with PONG.
bool Pings(int port) {
  redisContext* context = redisConnectWithTimeout(
      "127.0.0.1", port, absl::ToTimeval(absl::Milliseconds(200)));
  if (context == nullptr) return false;
  bool pong = false;
  if (context->err == 0) {
    auto* reply = static_cast<redisReply*>(redisCommand(context, "PING"));
    pong = reply != nullptr && reply->type == REDIS_REPLY_STATUS &&
           std::string(reply->str, reply->len) == "PONG";
    if (reply != nullptr) freeReplyObject(reply);
  }
  redisFree(context);
  return pong;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Create() {
  absl::Status last = absl::UnavailableError("no free port found");
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    const int port = FreePort();
    if (port == 0) continue;
    auto server = std::unique_ptr<RedisServer>(new RedisServer(port));
    last = server->Launch();
    if (last.ok()) return server;
  }
  return last;
}

RedisServer::~RedisServer() { Stop(); }

std::string RedisServer::host_port() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::string RedisServer::url() const {
  return absl::StrCat("redis://127.0.0.1:", port_);
}

absl::Status RedisServer::Start() {
  if (running()) {
    return absl::FailedPreconditionError("redis-server is already running");
  }
  return Launch();
}

absl::Status RedisServer::Launch() {
  const std::string port = std::to_string(port_);
  const std::string log = dir_.File("redis.log");
  std::vector<std::string> args = {"redis-server",
                                   "--port",
                                   port,
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--dir",
                                   dir_.path(),
                                   "--logfile",
                                   log,
                                   "--daemonize",
                                   "no"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);  // parent already gone
    const int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, STDIN_FILENO);
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    execvp("redis-server", argv.data());
    _exit(127);
  }
  pid_ = pid;

  for (int attempt = 0; attempt < kPollAttempts; ++attempt) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(absl::StrCat(
          "redis-server on port ", port_, " exited with status ",
          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
          " (127: not on PATH); log: ", LogTail()));
    }
    if (Pings(port_)) return absl::OkStatus();
    absl::SleepFor(kPollInterval);
  }
  Kill();
  return absl::UnavailableError(
      absl::StrCat("redis-server on port ", port_,
                   " did not answer PING; log: ", LogTail()));
}

void RedisServer::Signal(int signal) {
  if (pid_ <= 0) return;
  kill(pid_, signal);
  for (int attempt = 0; attempt < kPollAttempts; ++attempt) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    absl::SleepFor(kPollInterval);
  }
  // Did not stop in time: force it.
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void RedisServer::Stop() { Signal(SIGTERM); }

void RedisServer::Kill() { Signal(SIGKILL); }

std::string RedisServer::LogTail() const {
  std::ifstream file(dir_.File("redis.log"));
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string text = contents.str();
  constexpr size_t kTail = 600;
  return text.size() > kTail ? text.substr(text.size() - kTail) : text;
}

}  // namespace umkm::testing
