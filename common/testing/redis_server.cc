// A real redis-server for tests; see redis_server.h.
#include "common/testing/redis_server.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <utility>
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
    // PONG, or NOAUTH from a server that lets nobody in without a password:
    // either way it is up.
    pong = reply != nullptr &&
           ((reply->type == REDIS_REPLY_STATUS &&
             std::string(reply->str, reply->len) == "PONG") ||
            (reply->type == REDIS_REPLY_ERROR &&
             std::string(reply->str, reply->len).starts_with("NOAUTH")));
    if (reply != nullptr) freeReplyObject(reply);
  }
  redisFree(context);
  return pong;
}

}  // namespace

RedisServer::Options RedisServer::WithPassword(const std::string& user,
                                               const std::string& password) {
  return {
      .acl = {"user default on nopass -@all +ping",
              absl::StrCat("user ", user, " on >", password, " ~* &* +@all")}};
}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Create(
    Options options) {
  absl::Status last = absl::UnavailableError("no free port found");
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    const int port = FreePort();
    if (port == 0) continue;
    auto server = std::unique_ptr<RedisServer>(new RedisServer(port, options));
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
  if (!options_.acl.empty()) {
    const std::string acl_file = dir_.File("users.acl");
    std::ofstream out(acl_file, std::ios::trunc);
    for (const std::string& line : options_.acl) out << line << "\n";
    out.close();
    if (!out) return absl::InternalError("cannot write " + acl_file);
    args.insert(args.end(), {"--aclfile", acl_file});
  }
  absl::StatusOr<std::unique_ptr<Subprocess>> process =
      Subprocess::Start(std::move(args));
  if (!process.ok()) return process.status();
  process_ = *std::move(process);

  for (int attempt = 0; attempt < kPollAttempts; ++attempt) {
    if (!process_->Running()) {
      const int code = *process_->exit_code();
      process_.reset();
      return absl::UnavailableError(
          absl::StrCat("redis-server on port ", port_, " exited with status ",
                       code, " (127: not on PATH); log: ", LogTail()));
    }
    if (Pings(port_)) return absl::OkStatus();
    absl::SleepFor(kPollInterval);
  }
  Kill();
  return absl::UnavailableError(
      absl::StrCat("redis-server on port ", port_,
                   " did not answer PING; log: ", LogTail()));
}

void RedisServer::Stop() {
  if (process_ != nullptr) process_->Stop(SIGTERM, absl::Seconds(10));
  process_.reset();
}

void RedisServer::Kill() {
  if (process_ != nullptr) process_->Stop(SIGKILL, absl::Seconds(10));
  process_.reset();
}

std::string RedisServer::LogTail() const {
  return FileTail(dir_.File("redis.log"), 600);
}

}  // namespace umkm::testing
