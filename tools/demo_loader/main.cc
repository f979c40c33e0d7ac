// umkm-demo-loader: creates synthetic demo businesses in a running registry.
//
//   umkm-demo-loader --target=127.0.0.1:50051 --token_file=loader.token
//       --count=600 --seed=1
//
// The same seed always produces the same businesses with the same request
// ids, so running it twice creates nothing new. Exit status 0 when every
// record is there (new or already), 1 when some failed, 2 on bad flags.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "common/config/config.h"
#include "common/config/secret_file.h"
#include "common/validate/places.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/demo_loader/demo_loader.h"

namespace {

const std::vector<umkm::config::FlagSpec> kFlags = {
    {"target", "127.0.0.1:50051", "the registry's host:port"},
    {"token", "", "bearer token of an admin or official (or --token_file)"},
    {"token_file", "", "file holding the bearer token"},
    {"count", "600", "number of businesses"},
    {"seed", "1", "data set; the same seed gives the same businesses"},
    {"concurrency", "8", "calls in flight at once"},
    {"call_timeout", "10s", "deadline of each call"},
    {"attempts", "20", "attempts per call while the server is UNAVAILABLE"},
};

int Fail(const std::string& message, int code) {
  std::cerr << "umkm-demo-loader: " << message << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  const umkm::config::Config config =
      umkm::config::Config::ParseOrExit(argc, argv, kFlags, "umkm-demo-loader");
  auto target = config.GetString("target");
  auto token = config.GetString("token");
  auto token_file = config.GetString("token_file");
  auto count = config.GetInt("count");
  auto seed = config.GetInt("seed");
  auto concurrency = config.GetInt("concurrency");
  auto call_timeout = config.GetDuration("call_timeout");
  auto attempts = config.GetInt("attempts");
  for (const absl::Status& status :
       {target.status(), token.status(), token_file.status(), count.status(),
        seed.status(), concurrency.status(), call_timeout.status(),
        attempts.status()}) {
    if (!status.ok()) return Fail(std::string(status.message()), 2);
  }
  // Both may be set when one comes from the environment (UMKM_TOKEN is
  // what umkm_call.py reads too); only two flags are a contradiction.
  if (config.SourceOf("token") == umkm::config::Source::kFlag &&
      config.SourceOf("token_file") == umkm::config::Source::kFlag) {
    return Fail("give --token or --token_file, not both", 2);
  }
  const bool file_wins = !token_file->empty() &&
                         (token->empty() || config.SourceOf("token_file") >=
                                                config.SourceOf("token"));
  if (file_wins) {
    auto from_file = umkm::config::ReadSecretFile(*token_file, 1, "token");
    if (!from_file.ok())
      return Fail(std::string(from_file.status().message()), 2);
    *token = *std::move(from_file);
  }
  if (token->empty()) return Fail("--token or --token_file is required", 2);
  if (*count < 0 || *count > 1'000'000 || *seed < 0 || *concurrency < 1 ||
      *concurrency > 256 || *attempts < 1) {
    return Fail(
        "need 0 <= count <= 1000000, seed >= 0, 1 <= concurrency <= 256, "
        "attempts >= 1",
        2);
  }

  auto channel =
      grpc::CreateChannel(*target, grpc::InsecureChannelCredentials());
  auto stub = umkm::registry::v1::RegistryService::NewStub(channel);
  umkm::tools::LoadOptions options;
  options.concurrency = static_cast<int>(*concurrency);
  options.call_timeout = *call_timeout;
  options.max_attempts = static_cast<int>(*attempts);

  std::printf("umkm-demo-loader: %lld synthetic businesses (seed %lld) -> %s\n",
              static_cast<long long>(*count), static_cast<long long>(*seed),
              target->c_str());
  std::fflush(stdout);
  absl::StatusOr<umkm::tools::LoadResult> result =
      umkm::tools::LoadDemoBusinesses(*stub, *token,
                                      static_cast<uint64_t>(*seed),
                                      static_cast<int>(*count), options);
  if (!result.ok()) return Fail(std::string(result.status().message()), 1);

  std::printf("  created %d, already there %d, failed %d in %.1f s\n",
              result->created, result->existing, result->failed,
              absl::ToDoubleSeconds(result->elapsed));
  for (const umkm::validate::Kecamatan& kecamatan :
       umkm::validate::AllKecamatan()) {
    const auto it = result->per_kecamatan.find(kecamatan.code);
    int kelurahan = 0;
    for (const auto& [code, n] : result->per_kelurahan) {
      if (code.rfind(kecamatan.code + ".", 0) == 0) ++kelurahan;
    }
    std::printf("  %s %-14s %5d businesses in %2d of %2d kelurahan\n",
                kecamatan.code.c_str(), kecamatan.name.c_str(),
                it == result->per_kecamatan.end() ? 0 : it->second, kelurahan,
                kecamatan.kelurahan_count);
  }
  std::printf("  kelurahan covered: %zu of %zu\n", result->per_kelurahan.size(),
              umkm::validate::AllKelurahan().size());
  for (const std::string& error : result->errors) {
    std::fprintf(stderr, "  failed: %s\n", error.c_str());
  }
  return result->failed == 0 ? 0 : 1;
}
