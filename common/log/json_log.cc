#include "common/log/json_log.h"

#include <unistd.h>

#include <atomic>
#include <cinttypes>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/json_string.h"

namespace umkm::log {
namespace {

constexpr size_t kFlushBytes = 64 * 1024;
constexpr auto kFlushInterval = std::chrono::milliseconds(100);

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

// Where WriteAll writes: stderr, or a test's file (SetOutputFdForTesting).
std::atomic<int> output_fd{STDERR_FILENO};

void WriteAll(const std::string& data) {
  const int fd = output_fd.load(std::memory_order_relaxed);
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n <= 0) return;  // output gone: nothing sensible left to do
    written += static_cast<size_t>(n);
  }
}

// Collects lines and writes them from one background thread. Deliberately
// leaked (never destroyed) so that logging during static destruction is safe.
class Sink {
 public:
  Sink() : writer_([this] { Run(); }) { writer_.detach(); }

  void Append(std::string line) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ += line;
    ++appended_;
    if (pending_.size() >= kFlushBytes) cv_.notify_one();
  }

  void Flush() {
    std::unique_lock<std::mutex> lock(mu_);
    const uint64_t target = appended_;
    cv_.notify_one();
    flushed_cv_.wait(lock, [&] { return written_ >= target; });
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait_for(lock, kFlushInterval);
      if (pending_.empty()) {
        written_ = appended_;
        flushed_cv_.notify_all();
        continue;
      }
      std::string batch;
      batch.swap(pending_);
      const uint64_t batch_end = appended_;
      lock.unlock();
      WriteAll(batch);
      lock.lock();
      written_ = batch_end;
      flushed_cv_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable flushed_cv_;
  std::string pending_;
  uint64_t appended_ = 0;
  uint64_t written_ = 0;
  std::thread writer_;
};

Sink& GlobalSink() {
  static Sink* sink = new Sink();
  return *sink;
}

std::atomic<int> min_level{static_cast<int>(Level::kInfo)};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// What people put between the digit groups of a NIK or phone number
// ("3573-0215-0890-0001", "0812 3456 7890", "(0341) 551234", and "_"
// which request ids allow). Colons and slashes are not: times, ports and
// dates would join up.
bool IsDigitSeparator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '_' || c == '(' || c == ')';
}

// Longest run of separators that still joins two digit groups.
constexpr size_t kMaxSeparatorRun = 3;  // " - "
// Digits in a group from which it is masked (the shortest phone number).
constexpr size_t kMaskedDigits = 10;

// A Kemendagri kelurahan code, "35.73.02.1004": ten digits, but a place,
// not a person. No NIK or phone number is written in this shape.
bool IsPlaceCode(absl::string_view group) {
  if (group.size() != 13 || group[0] == '0') return false;
  for (size_t i = 0; i < group.size(); ++i) {
    const bool dot = i == 2 || i == 5 || i == 8;
    if (dot ? group[i] != '.' : !IsDigit(group[i])) return false;
  }
  return true;
}

// Appends the digit group starting at text[i] (a digit): digits, joined by
// runs of at most kMaxSeparatorRun separators. A group of kMaskedDigits or
// more digits (NIK, phone) has all but its first 4 and last 2 digits
// masked, separators kept; place codes stay. Returns the index after the
// group.
size_t AppendDigitGroup(std::string& out, absl::string_view text, size_t i) {
  size_t digits = 0;
  size_t end = i;
  for (size_t j = i; j < text.size();) {
    if (IsDigit(text[j])) {
      ++digits;
      end = ++j;
      continue;
    }
    size_t k = j;
    while (k < text.size() && k - j < kMaxSeparatorRun &&
           IsDigitSeparator(text[k])) {
      ++k;
    }
    if (k == j || k == text.size() || !IsDigit(text[k])) break;
    j = k;
  }
  // Digits and separators need no JSON escaping.
  if (digits < kMaskedDigits || IsPlaceCode(text.substr(i, end - i))) {
    out.append(text.data() + i, end - i);
    return end;
  }
  size_t seen = 0;
  for (size_t j = i; j < end; ++j) {
    if (!IsDigit(text[j])) {
      out.push_back(text[j]);
      continue;
    }
    out.push_back(seen < 4 || seen >= digits - 2 ? text[j] : '*');
    ++seen;
  }
  return end;
}

// Appends `text` as a JSON string literal with long digit groups masked,
// in one pass and without a temporary copy (this runs for every RPC): the
// text between digit groups goes through the shared escaper as it is.
void AppendMaskedJsonString(std::string& out, absl::string_view text) {
  out.push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    size_t digit = i;
    while (digit < text.size() && !IsDigit(text[digit])) ++digit;
    AppendJsonStringBody(text.substr(i, digit - i), &out);
    i = digit == text.size() ? digit : AppendDigitGroup(out, text, digit);
  }
  out.push_back('"');
}

// "2026-11-26T19:03:18.123Z". The part up to the second is formatted once
// per second per thread: absl::FormatTime is too slow to run per record.
void AppendTimestamp(std::string& out, int64_t unix_micros) {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached_prefix;
  const int64_t second = unix_micros >= 0 ? unix_micros / 1000000
                                          : (unix_micros - 999999) / 1000000;
  if (second != cached_second) {
    cached_prefix =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(second),
                         absl::UTCTimeZone());
    cached_second = second;
  }
  const int millis = static_cast<int>((unix_micros - second * 1000000) / 1000);
  out += '"';
  out += cached_prefix;
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += "Z\"";
}

// Appends `value` with three decimals ("1.500"). Latencies are formatted on
// every RPC, and absl::StrFormat costs more than the rest of the line.
void AppendFixed3(std::string& out, double value) {
  if (!std::isfinite(value) || std::fabs(value) >= 1e15) {
    absl::StrAppend(&out, absl::StrFormat("%.3f", value));
    return;
  }
  int64_t thousandths = std::llround(value * 1000);
  if (thousandths < 0) {
    out.push_back('-');
    thousandths = -thousandths;
  }
  absl::StrAppend(&out, thousandths / 1000);
  const int fraction = static_cast<int>(thousandths % 1000);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + fraction / 100));
  out.push_back(static_cast<char>('0' + fraction / 10 % 10));
  out.push_back(static_cast<char>('0' + fraction % 10));
}

}  // namespace

std::string MaskPersonalData(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (IsDigit(text[i])) {
      i = AppendDigitGroup(out, text, i);
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

std::string FormatLine(int64_t unix_micros, Level level,
                       absl::string_view message,
                       std::initializer_list<Field> fields) {
  std::string line;
  line.reserve(256);
  line += "{\"ts\":";
  AppendTimestamp(line, unix_micros);
  absl::StrAppend(&line, ",\"level\":\"", LevelName(level), "\",\"msg\":");
  AppendMaskedJsonString(line, message);
  for (const Field& field : fields) {
    line.push_back(',');
    AppendJsonString(field.key, &line);
    line.push_back(':');
    if (const auto* text = std::get_if<absl::string_view>(&field.value)) {
      AppendMaskedJsonString(line, *text);
    } else if (const auto* integer = std::get_if<int64_t>(&field.value)) {
      absl::StrAppend(&line, *integer);
    } else if (const auto* real = std::get_if<double>(&field.value)) {
      AppendFixed3(line, *real);
    } else {
      absl::StrAppend(&line, std::get<bool>(field.value) ? "true" : "false");
    }
  }
  line += "}\n";
  return line;
}

void Write(Level level, absl::string_view message,
           std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < min_level.load(std::memory_order_relaxed)) {
    return;
  }
  GlobalSink().Append(
      FormatLine(absl::ToUnixMicros(absl::Now()), level, message, fields));
}

void SetMinLevel(Level level) {
  min_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

void Flush() { GlobalSink().Flush(); }

void SetOutputFdForTesting(int fd) {
  output_fd.store(fd, std::memory_order_relaxed);
}

}  // namespace umkm::log
