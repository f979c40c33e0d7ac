#include "common/server/host.h"

#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/json_log.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace umkm::server {

ServiceHost::ServiceHost(HostOptions options) : options_(std::move(options)) {}

ServiceHost::~ServiceHost() {
  if (server_ != nullptr && !stopped_) {
    options_.readiness_grace = absl::ZeroDuration();
    Shutdown();
  }
}

void ServiceHost::AddService(grpc::Service* service) {
  services_.push_back(service);
}

absl::Status ServiceHost::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  absl::StatusOr<tls::ListenerSecurity> security =
      tls::ListenerCredentials(options_.listen, options_.tls);
  if (!security.ok()) return security.status();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen, security->credentials, &port_);
  for (grpc::Service* service : services_) builder.RegisterService(service);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_send_message_bytes);
  // A second server on a taken port must fail, not silently share traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(
      GRPC_ARG_KEEPALIVE_TIME_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options_.keepalive_time)));
  builder.AddChannelArgument(
      GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options_.keepalive_timeout)));
  // Accept client pings as often as every 10 s without calls in flight.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);

  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen));
  }
  SetReady(false);
  if (!options_.port_file.empty()) {
    // Write then rename, so a reader never sees a partial number.
    const std::string temp = options_.port_file + ".tmp";
    {
      std::ofstream out(temp, std::ios::trunc);
      out << port_ << "\n";
      if (!out.good()) {
        return absl::InternalError(
            absl::StrCat("cannot write port file ", options_.port_file));
      }
    }
    if (std::rename(temp.c_str(), options_.port_file.c_str()) != 0) {
      return absl::InternalError(
          absl::StrCat("cannot write port file ", options_.port_file));
    }
  }
  if (security->mode == "plaintext") {
    log::Info("listening", {{"address", options_.listen},
                            {"port", port_},
                            {"transport", security->mode}});
  } else {
    log::Info("listening",
              {{"address", options_.listen},
               {"port", port_},
               {"transport", security->mode},
               {"certificate", security->subject},
               {"certificate_expires",
                absl::FormatTime(absl::RFC3339_sec, security->not_after,
                                 absl::UTCTimeZone())}});
  }
  return absl::OkStatus();
}

void ServiceHost::SetReady(bool ready) {
  if (server_ == nullptr) return;
  server_->GetHealthCheckService()->SetServingStatus(kReadinessService, ready);
}

void ServiceHost::Shutdown() {
  if (server_ == nullptr || stopped_) return;
  stopped_ = true;
  SetReady(false);
  if (options_.readiness_grace > absl::ZeroDuration()) {
    absl::SleepFor(options_.readiness_grace);
  }
  log::Info("draining", {{"timeout_ms",
                          absl::ToInt64Milliseconds(options_.drain_timeout)}});
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.drain_timeout));
  server_->Wait();
  log::Info("stopped");
}

}  // namespace umkm::server
