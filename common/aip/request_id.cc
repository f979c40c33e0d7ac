#include "common/aip/request_id.h"

#include <string>

#include "absl/strings/ascii.h"
#include "common/status/errors.h"

namespace umkm::aip {

absl::Status ValidateRequestId(absl::string_view request_id,
                               absl::string_view field) {
  bool ok = request_id.size() <= 64;
  for (char c : request_id) {
    ok = ok && (absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                c == '-' || c == '_');
  }
  if (!ok) {
    return InvalidField(std::string(field),
                        "request_id must be a UUID or 1-64 characters of "
                        "A-Z, a-z, 0-9, '-' and '_'");
  }
  return absl::OkStatus();
}

}  // namespace umkm::aip
