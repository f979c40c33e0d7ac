#include "common/config/secret_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace umkm::config {

absl::StatusOr<std::string> ReadSecretFile(const std::string& path,
                                           std::size_t min_length,
                                           absl::string_view what) {
  if (path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " file: no path given"));
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    const std::string reason = error != 0 ? std::strerror(error) : "unknown";
    std::string message =
        absl::StrCat(what, " file ", path, ": cannot open: ", reason);
    if (error == ENOENT) return absl::NotFoundError(message);
    if (error == EACCES) return absl::PermissionDeniedError(message);
    return absl::InternalError(message);
  }
  std::string text;
  text.resize(kMaxSecretFileBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    return absl::InternalError(
        absl::StrCat(what, " file ", path, ": read error"));
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxSecretFileBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " file ", path, ": larger than ", kMaxSecretFileBytes, " bytes"));
  }
  std::string secret(absl::StripAsciiWhitespace(text));
  if (secret.size() < min_length) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " file ", path, ": the secret is ", secret.size(),
                     " characters after trimming whitespace; at least ",
                     min_length, " are required"));
  }
  return secret;
}

}  // namespace umkm::config
