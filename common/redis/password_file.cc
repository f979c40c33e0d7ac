#include "common/redis/password_file.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/config/secret_file.h"
#include "common/status/macros.h"

namespace umkm::redis {

absl::StatusOr<RedisCredentials> ReadRedisPasswordFile(
    const std::string& path) {
  UMKM_ASSIGN_OR_RETURN(
      std::string text,
      config::ReadSecretFile(path, 1, "--redis_password_file"));
  if (text.find_first_of("\r\n") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--redis_password_file ", path,
                     ": must be one line, \"user password\" or \"password\""));
  }
  const std::vector<std::string> words =
      absl::StrSplit(text, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (words.size() == 1) return RedisCredentials{.password = words[0]};
  if (words.size() == 2) {
    return RedisCredentials{.user = words[0], .password = words[1]};
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--redis_password_file ", path,
                   ": expected \"user password\" or "
                   "\"password\" on one line, found ",
                   words.size(), " words"));
}

}  // namespace umkm::redis
