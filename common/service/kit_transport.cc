#include "common/service/kit_transport.h"

#include "absl/time/clock.h"
#include "common/log/json_log.h"
#include "common/status/macros.h"

namespace umkm::service {

absl::StatusOr<tls::ServerTlsFiles> ListenerTlsFiles(
    const config::Config& config) {
  tls::ServerTlsFiles files;
  UMKM_ASSIGN_OR_RETURN(files.cert_file, config.GetString("tls_cert_file"));
  UMKM_ASSIGN_OR_RETURN(files.key_file, config.GetString("tls_key_file"));
  UMKM_ASSIGN_OR_RETURN(files.client_ca_file,
                        config.GetString("tls_client_ca_file"));
  return files;
}

absl::StatusOr<tls::ClientTlsFiles> ChannelTlsFiles(
    const config::Config& config) {
  tls::ClientTlsFiles files;
  UMKM_ASSIGN_OR_RETURN(files.ca_file, config.GetString("tls_ca_file"));
  UMKM_ASSIGN_OR_RETURN(files.cert_file, config.GetString("tls_cert_file"));
  UMKM_ASSIGN_OR_RETURN(files.key_file, config.GetString("tls_key_file"));
  return files;
}

absl::StatusOr<std::optional<redis::RedisCredentials>> RedisCredentialsOf(
    const config::Config& config) {
  UMKM_ASSIGN_OR_RETURN(std::string path,
                        config.GetString("redis_password_file"));
  if (path.empty()) return std::nullopt;
  UMKM_ASSIGN_OR_RETURN(redis::RedisCredentials credentials,
                        redis::ReadRedisPasswordFile(path));
  return credentials;
}

void LogRedisAccess(redis::RedisClient& redis, const std::string& stream) {
  const std::string address = redis.address().ToString();
  const std::string user =
      redis.address().user.empty() ? "default" : redis.address().user;
  absl::StatusOr<redis::Reply> reply = redis.Command(
      {"EXISTS", stream}, std::nullopt, absl::Now() + absl::Seconds(2));
  absl::Status status = reply.status();
  if (reply.ok() && reply->is_error()) {
    status = redis::ErrorReplyStatus(reply->str);
  }
  if (status.ok()) {
    log::Info("redis connected", {{"address", address}, {"user", user}});
    return;
  }
  if (absl::IsUnauthenticated(status) || absl::IsPermissionDenied(status)) {
    log::Error(
        "redis refused this service: check --redis_password_file "
        "(UMKM_REDIS_PASSWORD_FILE) and the user's ACL; the shared cache and "
        "the events topic are off until it is fixed",
        {{"address", address}, {"user", user}, {"error", status.message()}});
    return;
  }
  log::Warning(
      "redis unreachable at start; serving without it until it "
      "answers",
      {{"address", address}, {"error", status.message()}});
}

}  // namespace umkm::service
