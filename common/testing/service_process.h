// A umkm-* service binary running as a child process, for integration
// tests and benchmarks: started on 127.0.0.1 with a free port, and ready
// when its health service says "readiness" is SERVING.
//
//   ServiceProcess::Options options{.binary = registry_path,
//                                   .flags = {"--data_dir=" + dir.path()}};
//   auto registry = ServiceProcess::Start(options);
//   auto stub = Registry::NewStub(grpc::CreateChannel((*registry)->target(),
//                                 grpc::InsecureChannelCredentials()));
//   (*registry)->Kill();       // crash
//   (*registry)->Restart();    // same flags, same data
//
// Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/testing/subprocess.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/security/credentials.h"

namespace umkm::testing {

class ServiceProcess {
 public:
  struct Options {
    std::string binary;              // path of the umkm-* binary
    std::vector<std::string> flags;  // besides --listen and --port_file
    absl::Duration ready_timeout = absl::Seconds(30);
    // For the readiness check; null: plaintext. A service given --tls_*
    // flags needs TLS credentials here.
    std::shared_ptr<grpc::ChannelCredentials> channel_credentials;
  };

  // Starts the binary with --listen=127.0.0.1:0 and a port file, then waits
  // until readiness is SERVING. UNAVAILABLE (with the log's end) when the
  // process exits or does not become ready in time.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(Options options);

  // "127.0.0.1:<port>" of the running process.
  std::string target() const;
  int port() const { return port_; }
  Subprocess& process() { return *process_; }

  // SIGTERM and wait for the drain; returns the exit code.
  int Terminate(absl::Duration timeout = absl::Seconds(30));
  // SIGKILL: a crash.
  void Kill();
  // Starts again with the same options (a new port), after Kill/Terminate.
  absl::Status Restart();

  // Everything the process logged so far (its JSON lines).
  std::string Log() const;

 private:
  explicit ServiceProcess(Options options) : options_(std::move(options)) {}
  absl::Status Launch();

  Options options_;
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace umkm::testing
