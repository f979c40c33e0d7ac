// A real redis-server for tests, on a free port of 127.0.0.1.
//
//   auto redis = umkm::testing::RedisServer::Create();
//   ASSERT_TRUE(redis.ok()) << redis.status();
//   auto client = RedisClient::Create((*redis)->url());
//   (*redis)->Stop();   // Redis down
//   (*redis)->Start();  // back, same port, empty (no persistence)
//
//   // Password required, as in the manifests (k8s/base/redis):
//   auto locked = RedisServer::Create(RedisServer::WithPassword("umkm", "pw"));
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/testing/subprocess.h"
#include "common/testing/temp_dir.h"

namespace umkm::testing {

// Runs `redis-server` (found on PATH) with persistence off and its working
// directory and log in a private temp dir. The server gets SIGKILL if the
// thread that started it dies, so a crashed test leaves no stray server
// behind; start it from the test's main thread. Not thread-safe.
class RedisServer {
 public:
  struct Options {
    // ACL rules, one "user ..." line each, written to an aclfile; empty:
    // Redis's default (no password).
    std::vector<std::string> acl;
  };

  // The manifests' access rules: the default user may only PING (for
  // probes), `user` may do everything, with `password`.
  static Options WithPassword(const std::string& user,
                              const std::string& password);

  // Picks a free port (bind port 0, read it, close), starts the server and
  // waits until it answers PING; retries with another port when the server
  // does not come up (the port was taken meanwhile). UNAVAILABLE with the
  // server's log when it never does.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Create(
      Options options = {});

  // Stops the server if it is running.
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Starts the server again on the same port and waits for PING.
  // FAILED_PRECONDITION if it is already running.
  absl::Status Start();
  // SIGTERM, then waits for the process to exit (SIGKILL if it takes more
  // than a few seconds). No-op when not running.
  void Stop();
  // SIGKILL and wait. No-op when not running.
  void Kill();

  bool running() { return process_ != nullptr && process_->Running(); }
  int port() const { return port_; }
  // "127.0.0.1:<port>"
  std::string host_port() const;
  // "redis://127.0.0.1:<port>"
  std::string url() const;

 private:
  RedisServer(int port, Options options)
      : port_(port), options_(std::move(options)) {}
  // Spawns the process and waits until it answers PING.
  absl::Status Launch();
  // The end of the server's log, for error messages.
  std::string LogTail() const;

  TempDir dir_;
  int port_;
  Options options_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace umkm::testing
