#include "common/log/json_log.h"

#include <unistd.h>

#include <atomic>
#include <cinttypes>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

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

void WriteAll(const std::string& data) {
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n =
        ::write(STDERR_FILENO, data.data() + written, data.size() - written);
    if (n <= 0) return;  // stderr gone: nothing sensible left to do
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

}  // namespace

std::string MaskPersonalData(absl::string_view text) {
  std::string out(text);
  size_t i = 0;
  while (i < out.size()) {
    if (out[i] < '0' || out[i] > '9') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < out.size() && out[end] >= '0' && out[end] <= '9') ++end;
    if (end - i >= 10) {
      for (size_t j = i + 4; j < end - 2; ++j) out[j] = '*';
    }
    i = end;
  }
  return out;
}

void AppendJsonString(std::string& out, absl::string_view text) {
  out.push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

std::string FormatLine(int64_t unix_micros, Level level,
                       absl::string_view message,
                       std::initializer_list<Field> fields) {
  std::string line = "{\"ts\":";
  AppendJsonString(line, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ",
                                          absl::FromUnixMicros(unix_micros),
                                          absl::UTCTimeZone()));
  absl::StrAppend(&line, ",\"level\":\"", LevelName(level), "\",\"msg\":");
  AppendJsonString(line, MaskPersonalData(message));
  for (const Field& field : fields) {
    line.push_back(',');
    AppendJsonString(line, field.key);
    line.push_back(':');
    if (const auto* text = std::get_if<std::string>(&field.value)) {
      AppendJsonString(line, MaskPersonalData(*text));
    } else if (const auto* integer = std::get_if<int64_t>(&field.value)) {
      absl::StrAppend(&line, *integer);
    } else if (const auto* real = std::get_if<double>(&field.value)) {
      absl::StrAppend(&line, absl::StrFormat("%.3f", *real));
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

}  // namespace umkm::log
