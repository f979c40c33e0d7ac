// --redis_password_file: the Redis ACL user and password a service
// authenticates with (AUTH on every new connection).
//
// The file holds one line, either
//   umkm 3f9c...e1        an ACL user and its password (AUTH user password)
// or
//   3f9c...e1             a password alone, for Redis's default user
//                         (AUTH password, as with requirepass)
// separated by spaces or tabs; surrounding whitespace and the final newline
// are ignored, so a password cannot contain whitespace.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace umkm::redis {

struct RedisCredentials {
  std::string user;  // empty: the default user
  std::string password;
};

// Reads the file at `path` (config::ReadSecretFile). INVALID_ARGUMENT when
// it is empty, has more than one line or more than two words; the message
// names the file and never its content.
absl::StatusOr<RedisCredentials> ReadRedisPasswordFile(const std::string& path);

}  // namespace umkm::redis
