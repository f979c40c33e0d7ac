// umkm-bench-echo: the empty-handler ceiling for the registry benchmark.
//
//   umkm-bench-echo --listen=127.0.0.1:0 --port_file=/tmp/x/echo.port
//
// Serves umkm.testing.v1.EchoService on the same ServiceHost as the real
// services (health, reflection, limits), with a callback handler that
// finishes OK at once: no auth, no logging, no work. Whatever a real
// handler costs on top of this is the service's own overhead. Runs until
// SIGTERM or SIGINT.
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/config/config.h"
#include "common/server/host.h"
#include "common/server/signals.h"
#include "testdata/echo.grpc.pb.h"

namespace {

class EmptyEchoService final
    : public umkm::testing::v1::EchoService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const umkm::testing::v1::EchoRequest*,
                                 umkm::testing::v1::EchoResponse*) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

const std::vector<umkm::config::FlagSpec> kFlags = {
    {"listen", "127.0.0.1:0", "address to serve on (port 0: any)"},
    {"port_file", "", "write the bound port to this file after start"},
};

}  // namespace

int main(int argc, char** argv) {
  umkm::server::BlockTerminationSignals();
#ifdef NDEBUG
  // As in the services' main(): Debian's Abseil runs the mutex deadlock
  // detector unless told not to; the ceiling must not pay for it either.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  const umkm::config::Config config =
      umkm::config::Config::ParseOrExit(argc, argv, kFlags, "umkm-bench-echo");
  auto listen = config.GetString("listen");
  auto port_file = config.GetString("port_file");
  if (!listen.ok() || !port_file.ok()) return 2;

  EmptyEchoService service;
  umkm::server::ServiceHost host({.listen = *listen,
                                  .port_file = *port_file,
                                  .drain_timeout = absl::Seconds(1),
                                  .readiness_grace = absl::ZeroDuration()});
  host.AddService(&service);
  if (absl::Status status = host.Start(); !status.ok()) return 1;
  host.SetReady(true);
  umkm::server::WaitForTerminationSignal();
  host.Shutdown();
  return 0;
}
