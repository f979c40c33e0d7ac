// umkm-registry-bench: throughput and latency of the real umkm-registry
// binary against its ceilings, in one run.
//
//   umkm-registry-bench [--duration=10s] [--rounds=3] [--connections=4]
//       [--streams=32] [--registry_binary=...] [--echo_binary=...]
//       [--dir=/tmp]
//
// Steps: a real redis-server and umkm-registry (temp data dir, temp
// keys) on 127.0.0.1, the demo data (tools/demo_loader, in process) loaded
// through CreateBusiness, one GetBusiness per business to warm the cache,
// and three closed-loop loads of C connections x S calls in flight:
//   (a) EchoService/Echo on umkm-bench-echo, an empty handler on the same
//       ServiceHost: the ceiling for GetBusiness;
//   (b) GetBusiness of random loaded businesses (warm cache);
//   (b2) with --loads=...,getfull: the same, view FULL, by an admin with a
//       purpose: full-NIK reads, each committing its audit record before
//       the answer (off the reactor fast path, on the worker pool);
//   (c) CreateBusiness with a distinct NIB and request_id per call, right
//       after (d) raw SQLite durable commits on the same disk (one INSERT
//       per transaction, WAL, synchronous=FULL, one thread): its ceiling.
// The loads run --rounds times, interleaved, and the median is reported.
// All calls but (b2) carry the same official's bearer token (Echo ignores
// it), so the loads differ only in the handler's work. Prints a table and the
// two ratios against the targets. A benchmark, not a test: exits 0 whatever the
// figures, 1 only when something could not run.
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/registry/load_generator.h"
#include "common/auth/token.h"
#include "common/config/config.h"
#include "common/status/macros.h"
#include "common/testing/redis_server.h"
#include "common/testing/subprocess.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "testdata/echo.grpc.pb.h"
#include "tools/demo_loader/demo_data.h"
#include "tools/demo_loader/demo_loader.h"
#include "umkm/registry/v1/registry.grpc.pb.h"

namespace umkm::bench {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::umkm::registry::v1;
using ::umkm::testing::Subprocess;
using ::umkm::testing::WaitForPortFile;
using ::umkm::testing::v1::EchoRequest;
using ::umkm::testing::v1::EchoResponse;
using ::umkm::testing::v1::EchoService;

const std::vector<config::FlagSpec> kFlags = {
    {"duration", "10s", "measured time per load"},
    {"warmup", "2s", "unmeasured time before each load's measurement"},
    {"connections", "4", "gRPC connections (channels) per load"},
    {"streams", "32", "calls in flight per connection"},
    {"registry_binary", "",
     "umkm-registry to run (default: from this build tree)"},
    {"echo_binary", "", "umkm-bench-echo to run (default: beside this binary)"},
    {"dir", "",
     "directory for the temp data dir (decides the disk measured; default "
     "$TMPDIR or /tmp)"},
    {"count", "600", "demo businesses to load"},
    {"seed", "1", "demo data seed"},
    {"worker_threads", "", "passed to umkm-registry when set"},
    {"sqlite_duration", "3s", "duration of the raw SQLite commit loop"},
    {"loads", "echo,get,create",
     "which loads to run (echo, get, getfull, create)"},
    {"rounds", "3",
     "rounds of the loads, interleaved; the median round is reported"},
    {"keep_dir", "false", "keep the temp dir (logs, database) afterwards"},
};

struct Flags {
  absl::Duration duration, warmup, sqlite_duration;
  int connections = 0, streams = 0, count = 0, rounds = 0;
  uint64_t seed = 0;
  std::string registry_binary, echo_binary, dir, worker_threads;
  bool run_echo = false, run_get = false, run_get_full = false,
       run_create = false, keep_dir = false;
};

absl::StatusOr<Flags> ReadFlags(const config::Config& config) {
  Flags flags;
  UMKM_ASSIGN_OR_RETURN(flags.duration, config.GetDuration("duration"));
  UMKM_ASSIGN_OR_RETURN(flags.warmup, config.GetDuration("warmup"));
  UMKM_ASSIGN_OR_RETURN(flags.sqlite_duration,
                        config.GetDuration("sqlite_duration"));
  UMKM_ASSIGN_OR_RETURN(int64_t connections, config.GetInt("connections"));
  UMKM_ASSIGN_OR_RETURN(int64_t streams, config.GetInt("streams"));
  UMKM_ASSIGN_OR_RETURN(int64_t count, config.GetInt("count"));
  UMKM_ASSIGN_OR_RETURN(int64_t rounds, config.GetInt("rounds"));
  UMKM_ASSIGN_OR_RETURN(int64_t seed, config.GetInt("seed"));
  UMKM_ASSIGN_OR_RETURN(flags.registry_binary,
                        config.GetString("registry_binary"));
  UMKM_ASSIGN_OR_RETURN(flags.echo_binary, config.GetString("echo_binary"));
  UMKM_ASSIGN_OR_RETURN(flags.dir, config.GetString("dir"));
  UMKM_ASSIGN_OR_RETURN(flags.worker_threads,
                        config.GetString("worker_threads"));
  UMKM_ASSIGN_OR_RETURN(std::string loads, config.GetString("loads"));
  UMKM_ASSIGN_OR_RETURN(flags.keep_dir, config.GetBool("keep_dir"));
  if (connections < 1 || connections > 64 || streams < 1 || streams > 1000 ||
      count < 1 || count > 100000 || seed < 0 || rounds < 1 || rounds > 100 ||
      flags.duration <= absl::ZeroDuration() ||
      flags.warmup < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "need 1 <= connections <= 64, 1 <= streams <= 1000, 1 <= count <= "
        "100000, seed >= 0, 1 <= rounds <= 100, duration > 0, warmup >= 0");
  }
  flags.connections = static_cast<int>(connections);
  flags.streams = static_cast<int>(streams);
  flags.count = static_cast<int>(count);
  flags.rounds = static_cast<int>(rounds);
  flags.seed = static_cast<uint64_t>(seed);
  for (absl::string_view load : absl::StrSplit(loads, ',', absl::SkipEmpty())) {
    if (load == "echo") {
      flags.run_echo = true;
    } else if (load == "get") {
      flags.run_get = true;
    } else if (load == "getfull") {
      flags.run_get_full = true;
    } else if (load == "create") {
      flags.run_create = true;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "--loads: unknown load \"", load, "\" (echo, get, getfull, create)"));
    }
  }
  // Defaults from the build tree: this binary is
  // <build>/bench/registry/umkm-registry-bench.
  const fs::path self = fs::read_symlink("/proc/self/exe");
  if (flags.registry_binary.empty()) {
    flags.registry_binary =
        (self.parent_path() / "../../services/registry/umkm-registry")
            .lexically_normal();
  }
  if (flags.echo_binary.empty()) {
    flags.echo_binary = self.parent_path() / "umkm-bench-echo";
  }
  if (flags.dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    flags.dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  for (const std::string& binary : {flags.registry_binary, flags.echo_binary}) {
    if (access(binary.c_str(), X_OK) != 0) {
      return absl::NotFoundError(absl::StrCat(binary, " is not executable"));
    }
  }
  return flags;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return absl::StrCat(one, " ", five, " ", fifteen);
}

absl::Duration OwnCpuTime() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return absl::DurationFromTimeval(usage.ru_utime) +
         absl::DurationFromTimeval(usage.ru_stime);
}

std::string RandomHex(int bytes) {
  std::random_device device;  // /dev/urandom
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    absl::StrAppend(&out, absl::Hex(device() & 0xFF, absl::kZeroPad2));
  }
  return out;
}

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text << "\n";
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  return absl::OkStatus();
}

int64_t FileSize(const std::string& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  return error ? 0 : static_cast<int64_t>(size);
}

// --- raw SQLite ------------------------------------------------------------

absl::Status SqliteExec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return absl::InternalError(absl::StrCat(sql, ": ", sqlite3_errmsg(db)));
  }
  return absl::OkStatus();
}

// Durable commits per second: one connection, WAL, synchronous=FULL, one
// INSERT of `payload_bytes` per transaction, so every commit waits for its
// own fsync. The same method as bench/store's sqlite_commit_bench.
absl::StatusOr<double> RawCommitsPerSecond(const std::string& path,
                                           size_t payload_bytes,
                                           absl::Duration duration) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return absl::InternalError(absl::StrCat("cannot open ", path));
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(db, sqlite3_close);
  UMKM_RETURN_IF_ERROR(SqliteExec(db, "PRAGMA journal_mode=WAL"));
  UMKM_RETURN_IF_ERROR(SqliteExec(db, "PRAGMA synchronous=FULL"));
  UMKM_RETURN_IF_ERROR(SqliteExec(
      db,
      "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload BLOB)"));
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT INTO t (payload) VALUES (?)", -1, &insert,
                         nullptr) != SQLITE_OK) {
    return absl::InternalError(sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> finalizer(
      insert, sqlite3_finalize);
  const std::string payload(payload_bytes, 'x');
  int64_t commits = 0;
  const absl::Time start = absl::Now();
  absl::Time now = start;
  while (now < start + duration) {
    UMKM_RETURN_IF_ERROR(SqliteExec(db, "BEGIN IMMEDIATE"));
    sqlite3_bind_blob(insert, 1, payload.data(),
                      static_cast<int>(payload.size()), SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      return absl::InternalError(sqlite3_errmsg(db));
    }
    sqlite3_reset(insert);
    UMKM_RETURN_IF_ERROR(SqliteExec(db, "COMMIT"));
    ++commits;
    now = absl::Now();
  }
  return static_cast<double>(commits) / absl::ToDoubleSeconds(now - start);
}

// --- call slots ------------------------------------------------------------

// Every load sends the same authorization header.
class AuthorizedSlot : public CallSlot {
 public:
  explicit AuthorizedSlot(const std::string* bearer) : bearer_(bearer) {}

 protected:
  void Authorize(grpc::ClientContext* context) {
    context->AddMetadata("authorization", *bearer_);
  }

 private:
  const std::string* bearer_;
};

class EchoSlot final : public AuthorizedSlot {
 public:
  EchoSlot(const std::shared_ptr<grpc::Channel>& channel,
           const std::string* bearer)
      : AuthorizedSlot(bearer), stub_(EchoService::NewStub(channel)) {}

  void Start(grpc::ClientContext* context,
             std::function<void(grpc::Status)> done) override {
    Authorize(context);
    stub_->async()->Echo(context, &request_, &response_, std::move(done));
  }

 private:
  std::unique_ptr<EchoService::Stub> stub_;
  EchoRequest request_;
  EchoResponse response_;
};

// `full`: view FULL with a purpose (for an admin's token: full-NIK reads).
class GetSlot final : public AuthorizedSlot {
 public:
  GetSlot(const std::shared_ptr<grpc::Channel>& channel,
          const std::string* bearer, const std::vector<std::string>* names,
          uint64_t seed, bool full = false)
      : AuthorizedSlot(bearer),
        stub_(v1::RegistryService::NewStub(channel)),
        names_(names),
        random_(seed),
        full_(full) {
    if (full_) request_.set_view(v1::BUSINESS_VIEW_FULL);
  }

  void Start(grpc::ClientContext* context,
             std::function<void(grpc::Status)> done) override {
    Authorize(context);
    if (full_) context->AddMetadata("x-umkm-purpose", "duplicate_check");
    request_.set_name((*names_)[random_() % names_->size()]);
    stub_->async()->GetBusiness(context, &request_, &response_,
                                std::move(done));
  }

 private:
  std::unique_ptr<v1::RegistryService::Stub> stub_;
  const std::vector<std::string>* names_;
  std::minstd_rand random_;
  const bool full_;
  v1::GetBusinessRequest request_;
  v1::Business response_;
};

// Creates from a pool of pre-generated demo requests (so the client spends
// no time generating), each with a fresh NIB and request_id.
class CreateSlot final : public AuthorizedSlot {
 public:
  CreateSlot(const std::shared_ptr<grpc::Channel>& channel,
             const std::string* bearer,
             const std::vector<v1::CreateBusinessRequest>* pool,
             std::atomic<int64_t>* counter, const std::string* run_id)
      : AuthorizedSlot(bearer),
        stub_(v1::RegistryService::NewStub(channel)),
        pool_(pool),
        counter_(counter),
        run_id_(run_id) {}

  void Start(grpc::ClientContext* context,
             std::function<void(grpc::Status)> done) override {
    Authorize(context);
    const int64_t n = (*counter_)++;
    request_ = (*pool_)[n % pool_->size()];
    // "7" + 12 digits: demo NIBs start with 9, so none collide.
    request_.mutable_business()->set_nib(absl::StrFormat("7%012d", n));
    request_.set_request_id(absl::StrCat("bench-", *run_id_, "-", n));
    stub_->async()->CreateBusiness(context, &request_, &response_,
                                   std::move(done));
  }

 private:
  std::unique_ptr<v1::RegistryService::Stub> stub_;
  const std::vector<v1::CreateBusinessRequest>* pool_;
  std::atomic<int64_t>* counter_;
  const std::string* run_id_;
  v1::CreateBusinessRequest request_;
  v1::Business response_;
};

// --- reporting -------------------------------------------------------------

struct Row {
  std::string label;
  LoadResult result;
  double server_cpu = 0;  // share of one core, over the whole phase
  double client_cpu = 0;
  double server_us_per_call = 0;  // server CPU time per completed call
  double client_us_per_call = 0;
  double log_bytes_per_call = -1;
};

std::string Ms(int64_t nanos) {
  return absl::StrFormat("%.2f", static_cast<double>(nanos) / 1e6);
}

void PrintRow(const Row& row) {
  int64_t errors = 0;
  for (const auto& [code, count] : row.result.errors) errors += count;
  std::printf("%-34s %8.0f %7s %7s %8s %6lld %5.0f%% %5.0f%% %7.1f %7.1f\n",
              row.label.c_str(), row.result.qps(),
              Ms(row.result.latency.Percentile(0.50)).c_str(),
              Ms(row.result.latency.Percentile(0.99)).c_str(),
              Ms(row.result.latency.Percentile(0.999)).c_str(),
              static_cast<long long>(errors), row.server_cpu * 100,
              row.client_cpu * 100, row.server_us_per_call,
              row.client_us_per_call);
  for (const auto& [code, count] : row.result.errors) {
    std::printf(
        "    %lld x %s (first: %s)\n", static_cast<long long>(count),
        absl::StatusCodeToString(static_cast<absl::StatusCode>(code)).c_str(),
        row.result.first_error.c_str());
  }
}

std::string Verdict(double ratio, double target) {
  return ratio >= target ? "PASS (meets the target)"
                         : "MISS (below the target)";
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid]
                                : (values[mid - 1] + values[mid]) / 2;
}

// The round whose QPS is the median (the lower middle one for an even
// count): its latencies are shown as the load's.
const Row& MedianRow(const std::vector<Row>& rows) {
  std::vector<const Row*> sorted;
  for (const Row& row : rows) sorted.push_back(&row);
  std::sort(sorted.begin(), sorted.end(), [](const Row* a, const Row* b) {
    return a->result.qps() < b->result.qps();
  });
  return *sorted[(sorted.size() - 1) / 2];
}

// Runs one load against `target`, measuring the server's and this
// process's CPU over the phase and the growth of `log_path`.
absl::StatusOr<Row> Measure(const std::string& label, const std::string& target,
                            const Flags& flags, Subprocess& server,
                            const std::string& log_path,
                            const SlotFactory& factory) {
  std::printf("  %s: load average %s\n", label.c_str(), LoadAverage().c_str());
  std::fflush(stdout);
  auto channels = ConnectChannels(target, flags.connections, absl::Seconds(10));
  for (const auto& channel : channels) {
    if (channel == nullptr) {
      return absl::UnavailableError(absl::StrCat("cannot connect to ", target));
    }
  }
  LoadOptions options;
  options.connections = flags.connections;
  options.streams = flags.streams;
  options.warmup = flags.warmup;
  options.duration = flags.duration;
  const absl::Duration server_before = server.CpuTime();
  const absl::Duration client_before = OwnCpuTime();
  const int64_t log_before = FileSize(log_path);
  const absl::Time start = absl::Now();
  Row row{label, RunLoad(channels, factory, options)};
  const double wall = absl::ToDoubleSeconds(absl::Now() - start);
  const double server_seconds =
      absl::ToDoubleSeconds(server.CpuTime() - server_before);
  const double client_seconds =
      absl::ToDoubleSeconds(OwnCpuTime() - client_before);
  row.server_cpu = server_seconds / wall;
  row.client_cpu = client_seconds / wall;
  if (row.result.all_calls > 0) {
    const double calls = static_cast<double>(row.result.all_calls);
    row.server_us_per_call = server_seconds * 1e6 / calls;
    row.client_us_per_call = client_seconds * 1e6 / calls;
    row.log_bytes_per_call =
        static_cast<double>(FileSize(log_path) - log_before) / calls;
  }
  return row;
}

absl::Status Run(const Flags& flags) {
  // --- header
  std::printf("umkm-registry-bench  %s\n",
              absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", absl::Now(),
                               absl::LocalTimeZone())
                  .c_str());
#ifdef NDEBUG
  const char* build = "optimised (NDEBUG)";
#else
  const char* build = "DEBUG (assertions on: figures are not representative)";
#endif
  std::printf("  build: %s; gRPC %s\n", build, grpc::Version().c_str());
  std::printf(
      "  machine: %u CPUs, shared by this load generator, umkm-registry, "
      "redis-server and umkm-bench-echo\n"
      "  (and by anything else running: see the load averages). The client "
      "takes CPU from the server,\n"
      "  so absolute QPS is lower than on a dedicated server; the ratios "
      "compare like with like.\n",
      std::thread::hardware_concurrency());
  std::printf("  load average before the run: %s\n", LoadAverage().c_str());
  std::printf(
      "  loads: closed loop, %d connections x %d streams = %d calls in flight, "
      "%s warm-up + %s measured each, %d interleaved round%s\n",
      flags.connections, flags.streams, flags.connections * flags.streams,
      absl::FormatDuration(flags.warmup).c_str(),
      absl::FormatDuration(flags.duration).c_str(), flags.rounds,
      flags.rounds == 1 ? "" : "s");
  std::printf(
      "  registry: %s%s\n", flags.registry_binary.c_str(),
      flags.worker_threads.empty()
          ? ""
          : absl::StrCat(" --worker_threads=", flags.worker_threads).c_str());

  // --- scratch dir on the disk under test
  std::string pattern = flags.dir + "/umkm-registry-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp in ", flags.dir));
  }
  const std::string dir = pattern;
  struct Cleanup {
    std::string dir;
    bool keep;
    ~Cleanup() {
      if (keep) {
        std::printf("  kept %s\n", dir.c_str());
      } else {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
      }
    }
  } cleanup{dir, flags.keep_dir};
  std::printf("  data: %s\n\n", dir.c_str());

  // Raw SQLite rows are about the size of a serialized business.
  const size_t row_bytes =
      tools::DemoCreateRequest(flags.seed, 0).business().ByteSizeLong();

  // --- keys, tokens, redis, registry
  const std::string auth_key = RandomHex(32);
  UMKM_RETURN_IF_ERROR(WriteFile(dir + "/auth.key", auth_key));
  UMKM_RETURN_IF_ERROR(WriteFile(dir + "/privacy.key", RandomHex(32)));
  fs::create_directory(dir + "/data");
  const absl::Time now = absl::Now();
  const std::string bearer = absl::StrCat(
      "Bearer ", auth::MintToken(auth_key, {.sub = "bench-official",
                                            .role = auth::Role::kOfficial,
                                            .agency = "DISKOPINDAG",
                                            .exp = now + absl::Hours(4),
                                            .iat = now}));
  const std::string token = bearer.substr(7);
  const std::string admin_bearer = absl::StrCat(
      "Bearer ", auth::MintToken(auth_key, {.sub = "bench-admin",
                                            .role = auth::Role::kAdmin,
                                            .exp = now + absl::Hours(4),
                                            .iat = now}));

  UMKM_ASSIGN_OR_RETURN(std::unique_ptr<testing::RedisServer> redis,
                        testing::RedisServer::Create());
  const std::string registry_log = dir + "/registry.log";
  std::vector<std::string> registry_args = {
      flags.registry_binary,
      "--listen=127.0.0.1:0",
      absl::StrCat("--port_file=", dir, "/registry.port"),
      absl::StrCat("--data_dir=", dir, "/data"),
      absl::StrCat("--redis_url=", redis->url()),
      absl::StrCat("--auth_key_file=", dir, "/auth.key"),
      absl::StrCat("--privacy_key_file=", dir, "/privacy.key"),
      "--readiness_grace=0s",
      "--drain_timeout=5s",
  };
  if (!flags.worker_threads.empty()) {
    registry_args.push_back(
        absl::StrCat("--worker_threads=", flags.worker_threads));
  }
  UMKM_ASSIGN_OR_RETURN(std::unique_ptr<Subprocess> registry,
                        Subprocess::Start(registry_args, registry_log));
  absl::StatusOr<int> registry_port =
      WaitForPortFile(dir + "/registry.port", *registry, absl::Seconds(30));
  if (!registry_port.ok()) {
    return absl::UnavailableError(absl::StrCat("umkm-registry did not start (",
                                               registry_port.status().message(),
                                               "); see ", registry_log));
  }
  const std::string registry_target =
      absl::StrCat("127.0.0.1:", *registry_port);

  // --- demo data through CreateBusiness, then one Get each (warm cache)
  auto load_channel =
      grpc::CreateChannel(registry_target, grpc::InsecureChannelCredentials());
  auto stub = v1::RegistryService::NewStub(load_channel);
  UMKM_ASSIGN_OR_RETURN(
      tools::LoadResult loaded,
      tools::LoadDemoBusinesses(*stub, token, flags.seed, flags.count));
  std::vector<std::string> names;
  for (const std::string& name : loaded.names) {
    if (!name.empty()) names.push_back(name);
  }
  std::printf("  demo data: %d created, %d failed in %.1f s\n", loaded.created,
              loaded.failed, absl::ToDoubleSeconds(loaded.elapsed));
  for (const std::string& error : loaded.errors) {
    std::printf("    failed: %s\n", error.c_str());
  }
  if (names.empty()) return absl::InternalError("no business was loaded");
  int warm_failures = 0;
  for (const std::string& name : names) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", bearer);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::GetBusinessRequest request;
    request.set_name(name);
    v1::Business business;
    if (!stub->GetBusiness(&context, request, &business).ok()) ++warm_failures;
  }
  std::printf("  cache warmed: %zu GetBusiness calls, %d failed\n",
              names.size(), warm_failures);

  // --- the loads, interleaved round by round so that a change in the
  // machine's background load hits all of them alike
  std::unique_ptr<Subprocess> echo;
  std::string echo_target;
  const std::string echo_log = dir + "/echo.log";
  if (flags.run_echo) {
    UMKM_ASSIGN_OR_RETURN(
        echo,
        Subprocess::Start({flags.echo_binary, "--listen=127.0.0.1:0",
                           absl::StrCat("--port_file=", dir, "/echo.port")},
                          echo_log));
    UMKM_ASSIGN_OR_RETURN(
        int echo_port,
        WaitForPortFile(dir + "/echo.port", *echo, absl::Seconds(30)));
    echo_target = absl::StrCat("127.0.0.1:", echo_port);
  }
  std::vector<v1::CreateBusinessRequest> pool;
  for (int i = 0; i < 512; ++i) {
    pool.push_back(tools::DemoCreateRequest(flags.seed + 1000, i));
  }
  std::atomic<int64_t> create_counter{0};
  const std::string run_id = RandomHex(4);
  std::atomic<uint64_t> slot_seed{flags.seed * 7919};

  std::vector<Row> echo_rows, get_rows, get_full_rows, create_rows;
  std::vector<double> raw_commits;  // per round
  for (int round = 1; round <= flags.rounds; ++round) {
    std::printf("  round %d of %d\n", round, flags.rounds);
    if (flags.run_echo) {
      UMKM_ASSIGN_OR_RETURN(
          Row row,
          Measure("(a) Echo, empty handler (ceiling)", echo_target, flags,
                  *echo, echo_log,
                  [&](int, const std::shared_ptr<grpc::Channel>& channel) {
                    return std::make_unique<EchoSlot>(channel, &bearer);
                  }));
      echo_rows.push_back(std::move(row));
    }
    if (flags.run_get) {
      UMKM_ASSIGN_OR_RETURN(
          Row row,
          Measure("(b) GetBusiness, warm cache", registry_target, flags,
                  *registry, registry_log,
                  [&](int, const std::shared_ptr<grpc::Channel>& channel) {
                    return std::make_unique<GetSlot>(channel, &bearer, &names,
                                                     ++slot_seed);
                  }));
      get_rows.push_back(std::move(row));
    }
    if (flags.run_get_full) {
      UMKM_ASSIGN_OR_RETURN(
          Row row,
          Measure("(b2) GetBusiness FULL, audited", registry_target, flags,
                  *registry, registry_log,
                  [&](int, const std::shared_ptr<grpc::Channel>& channel) {
                    return std::make_unique<GetSlot>(channel, &admin_bearer,
                                                     &names, ++slot_seed,
                                                     /*full=*/true);
                  }));
      get_full_rows.push_back(std::move(row));
    }
    if (flags.run_create) {
      // The ceiling right before the load it bounds: fsync speed on a
      // shared disk changes by an order of magnitude with others' I/O.
      std::printf("  raw SQLite commits: load average %s\n",
                  LoadAverage().c_str());
      std::fflush(stdout);
      UMKM_ASSIGN_OR_RETURN(
          const double commits,
          RawCommitsPerSecond(absl::StrCat(dir, "/raw_commits.db"), row_bytes,
                              flags.sqlite_duration));
      raw_commits.push_back(commits);
      UMKM_ASSIGN_OR_RETURN(
          Row row,
          Measure("(c) CreateBusiness, new NIB each", registry_target, flags,
                  *registry, registry_log,
                  [&](int, const std::shared_ptr<grpc::Channel>& channel) {
                    return std::make_unique<CreateSlot>(
                        channel, &bearer, &pool, &create_counter, &run_id);
                  }));
      create_rows.push_back(std::move(row));
    }
  }
  if (echo != nullptr) echo->Stop(SIGTERM, absl::Seconds(5));
  const int registry_status = registry->Stop(SIGTERM, absl::Seconds(10));
  redis->Stop();

  // --- report
  std::printf(
      "\n%s (median of %d round%s by QPS; CPU as share of one core, 200%% = "
      "both; us/call = CPU time per call)\n",
      "results", flags.rounds, flags.rounds == 1 ? "" : "s");
  std::printf("%-34s %8s %7s %7s %8s %6s %6s %6s %7s %7s\n", "load", "QPS",
              "p50 ms", "p99 ms", "p99.9ms", "errors", "srvCPU", "cliCPU",
              "srv us", "cli us");
  auto all_qps = [](const std::vector<Row>& rows) {
    std::string out;
    for (const Row& row : rows) {
      absl::StrAppend(&out, out.empty() ? "" : " / ",
                      absl::StrFormat("%.0f", row.result.qps()));
    }
    return out;
  };
  for (const std::vector<Row>* rows :
       {&echo_rows, &get_rows, &get_full_rows, &create_rows}) {
    if (rows->empty()) continue;
    PrintRow(MedianRow(*rows));
    if (rows->size() > 1) {
      std::printf("%-34s QPS per round: %s\n", "", all_qps(*rows).c_str());
    }
  }
  if (!raw_commits.empty()) {
    std::printf(
        "%-34s %8.0f   (one INSERT per transaction, WAL, synchronous=FULL, "
        "one thread, %zu-byte rows)\n",
        "(d) raw SQLite durable commits/s", Median(raw_commits), row_bytes);
    if (raw_commits.size() > 1) {
      std::string listed;
      for (double commits : raw_commits) {
        absl::StrAppend(&listed, listed.empty() ? "" : " / ",
                        absl::StrFormat("%.0f", commits));
      }
      std::printf("%-34s per round: %s\n", "", listed.c_str());
    }
  }
  if (!get_rows.empty() || !create_rows.empty()) {
    std::printf("\n  registry log volume:");
    if (!get_rows.empty()) {
      std::printf(" GetBusiness %.0f B/call;",
                  MedianRow(get_rows).log_bytes_per_call);
    }
    if (!create_rows.empty()) {
      std::printf(" CreateBusiness %.0f B/call;",
                  MedianRow(create_rows).log_bytes_per_call);
    }
    std::printf("\n");
  }
  std::printf("\n");
  if (!echo_rows.empty() && !get_rows.empty()) {
    // Paired per round: each Get load ran right after its Echo load.
    std::vector<double> ratios;
    std::string listed;
    for (size_t i = 0; i < get_rows.size() && i < echo_rows.size(); ++i) {
      if (echo_rows[i].result.qps() <= 0) continue;
      ratios.push_back(get_rows[i].result.qps() / echo_rows[i].result.qps());
      absl::StrAppend(&listed, listed.empty() ? "" : " / ",
                      absl::StrFormat("%.0f%%", ratios.back() * 100));
    }
    const double ratio = Median(ratios);
    std::printf(
        "  GetBusiness QPS / empty-handler QPS       = %5.1f%%  target >= "
        "80%%: "
        "%s\n",
        ratio * 100, Verdict(ratio, 0.80).c_str());
    if (ratios.size() > 1) {
      std::printf("    (median of the per-round ratios %s)\n", listed.c_str());
    }
    // QPS on a shared, busy machine depends on what else runs; CPU time per
    // call does not. What the ratio would be when CPU is the only limit:
    const Row& echo_median = MedianRow(echo_rows);
    const Row& get_median = MedianRow(get_rows);
    if (get_median.server_us_per_call > 0) {
      std::printf(
          "    by CPU time per call: server only %.0f%% (%.1f vs %.1f us), "
          "server + client %.0f%%\n",
          100 * echo_median.server_us_per_call / get_median.server_us_per_call,
          echo_median.server_us_per_call, get_median.server_us_per_call,
          100 *
              (echo_median.server_us_per_call +
               echo_median.client_us_per_call) /
              (get_median.server_us_per_call + get_median.client_us_per_call));
    }
  }
  if (!create_rows.empty()) {
    // Paired per round, like the Get ratio.
    std::vector<double> ratios;
    std::string listed;
    for (size_t i = 0; i < create_rows.size() && i < raw_commits.size(); ++i) {
      if (raw_commits[i] <= 0) continue;
      ratios.push_back(create_rows[i].result.qps() / raw_commits[i]);
      absl::StrAppend(&listed, listed.empty() ? "" : " / ",
                      absl::StrFormat("%.0f%%", ratios.back() * 100));
    }
    const double ratio = Median(ratios);
    std::printf(
        "  CreateBusiness QPS / raw SQLite commits/s = %5.1f%%  target >= "
        "50%%: %s\n",
        ratio * 100, Verdict(ratio, 0.50).c_str());
    if (ratios.size() > 1) {
      std::printf("    (median of the per-round ratios %s)\n", listed.c_str());
    }
  }
  if (registry_status != 0) {
    std::printf("  note: umkm-registry exited with status %d on SIGTERM\n",
                registry_status);
  }
  std::fflush(stdout);
  return absl::OkStatus();
}

}  // namespace
}  // namespace umkm::bench

int main(int argc, char** argv) {
#ifdef NDEBUG
  // The client shares the CPUs with the servers: do not spend them on
  // Debian Abseil's mutex deadlock detector (see style.md).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  const umkm::config::Config config = umkm::config::Config::ParseOrExit(
      argc, argv, umkm::bench::kFlags, "umkm-registry-bench");
  absl::StatusOr<umkm::bench::Flags> flags = umkm::bench::ReadFlags(config);
  if (!flags.ok()) {
    std::fprintf(stderr, "umkm-registry-bench: %s\n",
                 std::string(flags.status().message()).c_str());
    return 2;
  }
  const absl::Status status = umkm::bench::Run(*flags);
  if (!status.ok()) {
    std::fprintf(stderr, "umkm-registry-bench: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}
