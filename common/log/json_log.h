// Structured logging as JSON lines on stderr.
//
// One line per record: {"ts":"2026-11-26T19:03:18.123Z","level":"info",
// "msg":"rpc",...}. Lines are buffered and written by a background thread so
// that request paths never wait on the terminal or the log collector; Flush()
// writes everything logged so far (called on shutdown).
//
// Personal data: every string value passes through MaskPersonalData(), which
// masks groups of 10 or more digits (NIK, phone numbers), also when they are
// written with separators ("3573-0215-0890-0001"), the way domain rules ask
// (`3573**********01`). Callers still must not log names or addresses.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <variant>

#include "absl/strings/string_view.h"

namespace umkm::log {

enum class Level { kDebug, kInfo, kWarning, kError };

// A field value: text, integer, floating point or boolean. Text is a view:
// fields live only for the Write() call they are passed to, which formats
// them before it returns, so no copy is made.
using Value = std::variant<absl::string_view, int64_t, double, bool>;

struct Field {
  Field(absl::string_view k, absl::string_view v) : key(k), value(v) {}
  Field(absl::string_view k, const char* v)
      : key(k), value(absl::string_view(v)) {}
  Field(absl::string_view k, const std::string& v)
      : key(k), value(absl::string_view(v)) {}
  Field(absl::string_view k, int v) : key(k), value(int64_t{v}) {}
  Field(absl::string_view k, int64_t v) : key(k), value(v) {}
  Field(absl::string_view k, uint64_t v)
      : key(k), value(static_cast<int64_t>(v)) {}
  Field(absl::string_view k, double v) : key(k), value(v) {}
  Field(absl::string_view k, bool v) : key(k), value(v) {}
  absl::string_view key;
  Value value;
};

// Writes one record. Thread-safe; never blocks on I/O.
void Write(Level level, absl::string_view message,
           std::initializer_list<Field> fields = {});

inline void Info(absl::string_view message,
                 std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, message, fields);
}
inline void Warning(absl::string_view message,
                    std::initializer_list<Field> fields = {}) {
  Write(Level::kWarning, message, fields);
}
inline void Error(absl::string_view message,
                  std::initializer_list<Field> fields = {}) {
  Write(Level::kError, message, fields);
}

// Records below `level` are dropped. Default: kInfo.
void SetMinLevel(Level level);

// Blocks until every record written before the call is on stderr (or the
// test output, below).
void Flush();

// Test hook: the background writer sends what it writes from now on to
// `fd` instead of stderr; SetOutputFdForTesting(STDERR_FILENO) restores it.
// The log neither owns nor closes `fd`, which must stay open until the
// output is switched back. Call Flush() before switching, or records logged
// earlier may land on the new side. Thread-safe.
void SetOutputFdForTesting(int fd);

// Formats one record as a JSON line (with trailing newline); exposed for
// tests.
std::string FormatLine(int64_t unix_micros, Level level,
                       absl::string_view message,
                       std::initializer_list<Field> fields);

// Masks each group of 10+ digits, keeping its first 4 and last 2 digits. A
// group is digits joined by runs of at most three of ' ', '-', '.', '_',
// '(' and ')' ("0812-3456-7890", "(0341) 551234"); the separators stay, so
// "3573-0215-0890-0001" becomes "3573-****-****-**01". Kelurahan codes
// ("35.73.02.1004") are places, not people, and stay as they are.
std::string MaskPersonalData(absl::string_view text);

}  // namespace umkm::log
