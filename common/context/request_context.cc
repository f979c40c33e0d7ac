#include "common/context/request_context.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/context/uuid.h"

namespace umkm {

absl::Status RequestContext::CheckDeadline(absl::Time now,
                                           absl::string_view what) const {
  if (now < deadline) return absl::OkStatus();
  return absl::DeadlineExceededError(absl::StrCat("deadline passed ", what));
}

bool IsAcceptableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string RequestIdFrom(absl::string_view header, absl::Time now) {
  if (IsAcceptableRequestId(header)) return std::string(header);
  return NewUuidV7(now);
}

RequestContext BackgroundContext(auth::Caller caller,
                                 absl::string_view correlation_id,
                                 absl::Time now) {
  RequestContext context;
  context.caller = std::move(caller);
  context.request_id = NewUuidV7(now);
  context.correlation_id =
      correlation_id.empty() ? context.request_id : std::string(correlation_id);
  return context;
}

}  // namespace umkm
