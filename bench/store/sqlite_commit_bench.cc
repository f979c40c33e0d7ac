// Measures durable SQLite commits per second on this disk, then the store's
// Database::Write throughput with 1, 4 and 16 concurrent writers, so the
// CreateBusiness benchmark has a ceiling to compare against.
//
//   sqlite_commit_bench [--seconds=5] [--dir=/path/on/the/disk/to/test]
//
// --seconds is the number of rounds; each round runs every configuration for
// one second, interleaved, and the figures are averages over the rounds.
// Raw: one INSERT per transaction (BEGIN IMMEDIATE; INSERT; COMMIT), WAL,
// synchronous=FULL, one connection: every commit waits for its own fsync.
// Store: each writer thread calls Database::Write with one INSERT; concurrent
// writes share a commit (group commit). Measures; asserts nothing.
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/store/database.h"

namespace {

constexpr std::string_view kSchema =
    "CREATE TABLE IF NOT EXISTS business (id INTEGER PRIMARY KEY, "
    "payload TEXT NOT NULL)";

// About the size of a business row.
const std::string& Payload() {
  static const std::string* payload = new std::string(300, 'x');
  return *payload;
}

void Die(const char* what, sqlite3* db) {
  std::fprintf(stderr, "%s: %s\n", what,
               db != nullptr ? sqlite3_errmsg(db) : "error");
  std::exit(1);
}

void Exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    Die(sql, db);
  }
}

// Raw durable commits per second on one connection.
double RawCommitsPerSecond(const std::string& path, absl::Duration duration) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("open", db);
  Exec(db, "PRAGMA journal_mode=WAL");
  Exec(db, "PRAGMA synchronous=FULL");
  Exec(db, std::string(kSchema).c_str());
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT INTO business (payload) VALUES (?)", -1,
                         &insert, nullptr) != SQLITE_OK) {
    Die("prepare", db);
  }
  int64_t commits = 0;
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  absl::Time now = start;
  while (now < end) {
    Exec(db, "BEGIN IMMEDIATE");
    sqlite3_bind_text(insert, 1, Payload().data(),
                      static_cast<int>(Payload().size()), SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) Die("insert", db);
    sqlite3_reset(insert);
    Exec(db, "COMMIT");
    ++commits;
    now = absl::Now();
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return static_cast<double>(commits) / absl::ToDoubleSeconds(now - start);
}

struct StoreResult {
  double writes_per_second;
  double commits_per_second;
  int64_t failures;
};

StoreResult StoreWrites(umkm::store::Database& db, int writers,
                        absl::Duration duration) {
  const auto before = db.write_stats();
  std::atomic<int64_t> writes{0};
  std::atomic<int64_t> failures{0};
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      while (absl::Now() < end) {
        absl::Status status = db.Write([](umkm::store::Connection& conn) {
          return conn.Execute("INSERT INTO business (payload) VALUES (?)",
                              Payload());
        });
        if (status.ok()) {
          ++writes;
        } else {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const auto after = db.write_stats();
  return StoreResult{
      static_cast<double>(writes.load()) / seconds,
      static_cast<double>(after.transactions - before.transactions) / seconds,
      failures.load()};
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 5;
  std::string base =
      std::getenv("TMPDIR") != nullptr ? std::getenv("TMPDIR") : "/tmp";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--seconds=")) {
      if (!absl::SimpleAtoi(std::string(arg.substr(10)), &seconds) ||
          seconds <= 0) {
        std::fprintf(stderr, "bad --seconds\n");
        return 2;
      }
    } else if (arg.starts_with("--dir=")) {
      base = std::string(arg.substr(6));
    } else {
      std::fprintf(stderr,
                   "usage: %s [--seconds=5] [--dir=/directory/on/disk]\n",
                   argv[0]);
      return 2;
    }
  }
  std::string pattern = base + "/sqlite_commit_bench_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::filesystem::path dir = pattern;

  std::printf(
      "SQLite %s, WAL, synchronous=FULL, files in %s\n"
      "%d rounds; each round runs every configuration for 1 s in turn, so\n"
      "drift in fsync latency (a disk shared with other work) hits them "
      "all.\n\n",
      sqlite3_libversion(), dir.c_str(), seconds);

  auto db = umkm::store::Database::Open(dir / "store.db");
  if (!db.ok()) {
    std::fprintf(stderr, "open: %s\n",
                 std::string(db.status().message()).c_str());
    return 1;
  }
  absl::Status schema = (*db)->Write([](umkm::store::Connection& conn) {
    return conn.ExecuteScript(kSchema);
  });
  if (!schema.ok()) {
    std::fprintf(stderr, "schema: %s\n", std::string(schema.message()).c_str());
    return 1;
  }

  constexpr int kWriters[] = {1, 4, 16};
  constexpr int kConfigs = 3;
  double raw_sum = 0;
  double raw_min = std::numeric_limits<double>::infinity();
  double raw_max = 0;
  double writes_sum[kConfigs] = {};
  double commits_sum[kConfigs] = {};
  int64_t failures[kConfigs] = {};
  for (int round = 0; round < seconds; ++round) {
    const double raw = RawCommitsPerSecond(dir / "raw.db", absl::Seconds(1));
    raw_sum += raw;
    raw_min = std::min(raw_min, raw);
    raw_max = std::max(raw_max, raw);
    for (int c = 0; c < kConfigs; ++c) {
      const StoreResult result =
          StoreWrites(**db, kWriters[c], absl::Seconds(1));
      writes_sum[c] += result.writes_per_second;
      commits_sum[c] += result.commits_per_second;
      failures[c] += result.failures;
    }
  }
  const double raw = raw_sum / seconds;
  std::printf("%-32s %8.0f commits/s  (ceiling; rounds ranged %.0f..%.0f)\n",
              "raw sqlite, 1 INSERT per COMMIT", raw, raw_min, raw_max);
  for (int c = 0; c < kConfigs; ++c) {
    const double writes = writes_sum[c] / seconds;
    const double commits = commits_sum[c] / seconds;
    std::printf(
        "Database::Write, %2d writer%s      %8.0f writes/s   %5.2fx raw, "
        "%.0f commits/s, %.1f writes/commit%s\n",
        kWriters[c], kWriters[c] == 1 ? " " : "s", writes, writes / raw,
        commits, writes / std::max(commits, 1e-9),
        failures[c] > 0 ? "  (some writes FAILED)" : "");
  }
  db->reset();
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  return 0;
}
