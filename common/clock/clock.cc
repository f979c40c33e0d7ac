#include "common/clock/clock.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/json_log.h"

namespace umkm {
namespace {

class RealClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<absl::Time> ReadInstant(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWhole(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<absl::Time> instant = ParseRfc3339(*text);
  if (!instant.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", instant.status().message()));
  }
  return instant;
}

}  // namespace

const Clock& SystemClock() {
  static const RealClock* const clock = new RealClock;
  return *clock;
}

absl::StatusOr<absl::Time> ParseRfc3339(absl::string_view text) {
  const std::string trimmed(absl::StripAsciiWhitespace(text));
  absl::Time time;
  std::string error;
  // %Y-%m-%d%ET%H:%M:%E*S%Ez accepts "T" or "t", fractional seconds, and
  // "Z" or a numeric offset.
  if (trimmed.empty() ||
      !absl::ParseTime(absl::RFC3339_full, trimmed, &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an RFC 3339 instant: \"", trimmed, "\"",
                     error.empty() ? "" : absl::StrCat(" (", error, ")")));
  }
  return time;
}

absl::StatusOr<std::unique_ptr<FileClock>> FileClock::Open(
    std::string path, const Clock& cadence) {
  absl::StatusOr<absl::Time> now = ReadInstant(path);
  if (!now.ok()) return now.status();
  return std::unique_ptr<FileClock>(
      new FileClock(std::move(path), cadence, *now));
}

FileClock::FileClock(std::string path, const Clock& cadence, absl::Time now)
    : path_(std::move(path)),
      cadence_(cadence),
      now_(now),
      last_read_(cadence.Now()) {}

absl::Time FileClock::Now() const {
  std::lock_guard<std::mutex> lock(mu_);
  const absl::Time real_now = cadence_.Now();
  if (real_now - last_read_ < absl::Seconds(1)) return now_;
  last_read_ = real_now;
  absl::StatusOr<absl::Time> read = ReadInstant(path_);
  if (read.ok()) {
    now_ = *read;
    failing_ = false;
  } else if (!failing_) {
    failing_ = true;
    log::Warning("testing clock file unreadable; keeping the last instant",
                 {{"path", path_}, {"error", read.status().message()}});
  }
  return now_;
}

}  // namespace umkm
