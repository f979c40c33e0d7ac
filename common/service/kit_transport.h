// The kit's transport security, from its flags (kit_flags.cc): TLS for the
// listener and for outgoing channels (common/tls), the Redis credentials
// (--redis_password_file), and the start-up line that says whether Redis
// lets this service in.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/config/config.h"
#include "common/redis/password_file.h"
#include "common/redis/redis_client.h"
#include "common/tls/credentials.h"

namespace umkm::service {

// --tls_cert_file, --tls_key_file, --tls_client_ca_file.
absl::StatusOr<tls::ServerTlsFiles> ListenerTlsFiles(
    const config::Config& config);

// --tls_ca_file, with the service's own --tls_cert_file / --tls_key_file as
// its client certificate.
absl::StatusOr<tls::ClientTlsFiles> ChannelTlsFiles(
    const config::Config& config);

// The credentials in --redis_password_file; nullopt when it is empty.
absl::StatusOr<std::optional<redis::RedisCredentials>> RedisCredentialsOf(
    const config::Config& config);

// Asks Redis once whether this service may use `stream` (EXISTS, bounded
// by the client's timeouts) and logs the answer: "redis connected"; an
// error naming --redis_password_file when Redis refuses the credentials or
// wants some (NOAUTH, WRONGPASS, NOPERM); a warning when Redis is down. The
// service starts either way (it serves without Redis); the line is for
// whoever reads the log. Never logs the password.
void LogRedisAccess(redis::RedisClient& redis, const std::string& stream);

}  // namespace umkm::service
