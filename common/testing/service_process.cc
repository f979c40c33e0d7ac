#include "common/testing/service_process.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "health/v1/health.grpc.pb.h"

namespace umkm::testing {
namespace {

constexpr absl::Duration kPollInterval = absl::Milliseconds(20);

// True when the health service at `target` reports readiness SERVING.
bool Ready(const std::string& target,
           std::shared_ptr<grpc::ChannelCredentials> credentials) {
  if (credentials == nullptr) credentials = grpc::InsecureChannelCredentials();
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(target, std::move(credentials)));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(500));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("readiness");
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, request, &response).ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(
    Options options) {
  auto service =
      std::unique_ptr<ServiceProcess>(new ServiceProcess(std::move(options)));
  absl::Status status = service->Launch();
  if (!status.ok()) return status;
  return service;
}

absl::Status ServiceProcess::Launch() {
  const std::string port_file = dir_.File("port");
  std::remove(port_file.c_str());
  std::vector<std::string> argv = {options_.binary, "--listen=127.0.0.1:0",
                                   "--port_file=" + port_file};
  argv.insert(argv.end(), options_.flags.begin(), options_.flags.end());
  absl::StatusOr<std::unique_ptr<Subprocess>> process =
      Subprocess::Start(std::move(argv), dir_.File("service.log"));
  if (!process.ok()) return process.status();
  process_ = *std::move(process);

  const absl::Time deadline = absl::Now() + options_.ready_timeout;
  absl::StatusOr<int> port =
      WaitForPortFile(port_file, *process_, options_.ready_timeout);
  if (!port.ok()) {
    process_->Stop(SIGKILL, absl::Seconds(5));
    return absl::UnavailableError(absl::StrCat(
        options_.binary, " did not start: ", port.status().message(),
        "; log: ", FileTail(dir_.File("service.log"))));
  }
  port_ = *port;
  while (absl::Now() < deadline) {
    if (!process_->Running()) {
      return absl::UnavailableError(absl::StrCat(
          options_.binary, " exited with code ", *process_->exit_code(),
          "; log: ", FileTail(dir_.File("service.log"))));
    }
    if (Ready(target(), options_.channel_credentials)) return absl::OkStatus();
    absl::SleepFor(kPollInterval);
  }
  process_->Stop(SIGKILL, absl::Seconds(5));
  return absl::UnavailableError(
      absl::StrCat(options_.binary, " did not become ready in ",
                   absl::FormatDuration(options_.ready_timeout),
                   "; log: ", FileTail(dir_.File("service.log"))));
}

std::string ServiceProcess::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

int ServiceProcess::Terminate(absl::Duration timeout) {
  return process_->Stop(SIGTERM, timeout);
}

void ServiceProcess::Kill() { process_->Stop(SIGKILL, absl::Seconds(10)); }

absl::Status ServiceProcess::Restart() {
  if (process_ != nullptr && process_->Running()) {
    return absl::FailedPreconditionError("the service is still running");
  }
  return Launch();
}

std::string ServiceProcess::Log() const {
  return FileTail(dir_.File("service.log"), size_t{1} << 24);
}

}  // namespace umkm::testing
