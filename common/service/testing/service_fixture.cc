#include "common/service/testing/service_fixture.h"

#include <fstream>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/token.h"
#include "common/status/macros.h"
#include "grpcpp/create_channel.h"

namespace umkm::service::testing {
namespace {

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceFixture>> ServiceFixture::Start(
    ServiceSpec spec, FixtureOptions options) {
  std::unique_ptr<ServiceFixture> fixture(new ServiceFixture);
  const std::string& dir = fixture->dir_.path();
  // Fixed test keys: the fixture's data never leaves the temporary dir.
  fixture->auth_key_ = "fixture-auth-key-0123456789abcdef0123456789";
  UMKM_RETURN_IF_ERROR(WriteFile(dir + "/auth.key", fixture->auth_key_));
  UMKM_RETURN_IF_ERROR(WriteFile(
      dir + "/privacy.key", "fixture-privacy-secret-0123456789abcdef01234"));
  fixture->clock_file_ = dir + "/clock";
  fixture->SetTime(options.start_time);

  std::map<std::string, std::string> flags = {
      {"listen", "127.0.0.1:0"},
      {"data_dir", dir},
      {"auth_key_file", dir + "/auth.key"},
      {"privacy_key_file", dir + "/privacy.key"},
      {"testing_clock_file", fixture->clock_file_},
      {"worker_threads", "4"},
      {"readiness_grace", "0s"},
      {"drain_timeout", "5s"},
      {"events_stats_interval", "1h"},
  };
  if (options.with_redis) {
    UMKM_ASSIGN_OR_RETURN(fixture->redis_,
                          umkm::testing::RedisServer::Create());
    flags["redis_url"] = fixture->redis_->url();
  }
  for (const std::string& flag : options.flags) {
    const size_t eq = flag.find('=');
    if (!absl::StartsWith(flag, "--") || eq == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("fixture flags are --name=value, not ", flag));
    }
    flags[flag.substr(2, eq - 2)] = flag.substr(eq + 1);
  }
  std::vector<std::string> args = {spec.name};
  for (const auto& [name, value] : flags) {
    args.push_back(absl::StrCat("--", name, "=", value));
  }
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  UMKM_ASSIGN_OR_RETURN(
      config::Config config,
      config::Config::Parse(
          static_cast<int>(argv.size()), argv.data(), AllFlags(spec),
          [](const std::string&) { return std::optional<std::string>(); }));
  UMKM_ASSIGN_OR_RETURN(fixture->runtime_,
                        Runtime::Create(std::move(spec), std::move(config)));
  UMKM_RETURN_IF_ERROR(fixture->runtime_->Start());
  fixture->channel_ = grpc::CreateChannel(
      fixture->target(), options.channel_credentials != nullptr
                             ? options.channel_credentials
                             : grpc::InsecureChannelCredentials());
  return fixture;
}

ServiceFixture::~ServiceFixture() { Stop(); }

void ServiceFixture::Stop() {
  if (runtime_ != nullptr) runtime_->Shutdown();
}

std::string ServiceFixture::target() const {
  return absl::StrCat("127.0.0.1:", runtime_->port());
}

std::string ServiceFixture::Token(auth::Role role, const std::string& subject) {
  auth::Claims claims{
      .sub = subject, .role = role, .exp = absl::Now() + absl::Hours(1)};
  if (role == auth::Role::kOfficial) claims.agency = "DISKOPINDAG";
  if (role == auth::Role::kBank) claims.partner = "BANK_JATIM";
  return auth::MintToken(auth_key_, claims);
}

void ServiceFixture::Authorize(grpc::ClientContext& context, auth::Role role) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  context.AddMetadata("authorization", "Bearer " + Token(role));
}

void ServiceFixture::SetTime(absl::Time now) {
  // Written to a new file and renamed, so the service never reads half.
  const std::string next = clock_file_ + ".next";
  absl::Status written = WriteFile(
      next, absl::FormatTime(absl::RFC3339_full, now, absl::UTCTimeZone()));
  if (written.ok() && std::rename(next.c_str(), clock_file_.c_str()) != 0) {
    written = absl::InternalError("cannot rename the clock file");
  }
  if (!written.ok()) std::abort();  // a broken test environment
}

}  // namespace umkm::service::testing
