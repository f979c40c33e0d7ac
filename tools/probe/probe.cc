#include "tools/probe/probe.h"

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/string_view.h"
#include "common/status/grpc_status.h"
#include "common/status/macros.h"
#include "grpcpp/create_channel.h"
#include "health/v1/health.grpc.pb.h"

namespace umkm::tools {

absl::Status Probe(const ProbeOptions& options) {
  UMKM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> credentials,
                        tls::ChannelCredentials(options.target, options.tls));
  grpc::ChannelArguments arguments;
  if (!options.tls_server_name.empty()) {
    arguments.SetSslTargetNameOverride(options.tls_server_name);
  }
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateCustomChannel(
      options.target, std::move(credentials), arguments));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(options.service);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    return absl::UnavailableError(absl::StrCat(
        grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
            response.status()),
        " (service \"", options.service, "\" at ", options.target, ")"));
  }
  return absl::OkStatus();
}

std::string ProbeTarget(std::string_view listen) {
  absl::string_view text = ToAbsl(listen);
  const size_t colon = text.rfind(':');
  const absl::string_view host =
      colon == absl::string_view::npos ? text : text.substr(0, colon);
  const absl::string_view port =
      colon == absl::string_view::npos ? "" : text.substr(colon + 1);
  if (host.empty() || host == "0.0.0.0")
    return absl::StrCat("127.0.0.1:", port);
  if (host == "[::]") return absl::StrCat("[::1]:", port);
  return std::string(text);
}

std::vector<config::FlagSpec> ProbeFlags() {
  return {
      {"listen", "127.0.0.1:50051",
       "the service's --listen (UMKM_LISTEN); a wildcard host is probed on "
       "loopback"},
      {"service", "", "health service: \"\" (liveness) or readiness"},
      {"timeout", "2s", "deadline of the check"},
      {"tls_ca_file", "", "PEM CAs that sign the service's certificate"},
      {"tls_cert_file", "", "PEM client certificate (mutual TLS)"},
      {"tls_key_file", "", "PEM private key of --tls_cert_file"},
      {"tls_server_name", "",
       "name the service's certificate must carry (default: the target's "
       "host)"},
  };
}

absl::StatusOr<ProbeOptions> ProbeOptionsFrom(const config::Config& config) {
  ProbeOptions options;
  UMKM_ASSIGN_OR_RETURN(std::string listen, config.GetString("listen"));
  options.target = ProbeTarget(listen);
  UMKM_ASSIGN_OR_RETURN(options.service, config.GetString("service"));
  UMKM_ASSIGN_OR_RETURN(options.timeout, config.GetDuration("timeout"));
  UMKM_ASSIGN_OR_RETURN(options.tls.ca_file, config.GetString("tls_ca_file"));
  UMKM_ASSIGN_OR_RETURN(options.tls.cert_file,
                        config.GetString("tls_cert_file"));
  UMKM_ASSIGN_OR_RETURN(options.tls.key_file, config.GetString("tls_key_file"));
  UMKM_ASSIGN_OR_RETURN(options.tls_server_name,
                        config.GetString("tls_server_name"));
  return options;
}

}  // namespace umkm::tools
