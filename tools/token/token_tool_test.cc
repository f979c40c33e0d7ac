#include "tools/token/token_tool.h"

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/auth/token.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::tools {
namespace {

using ::testing::HasSubstr;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

constexpr absl::string_view kKey = "tool-test-key-0123456789abcdef-012345";
const absl::Time kNow = absl::FromUnixSeconds(1750000000);

// This test process's own scratch directory: ctest runs each test case as a
// process of its own, in parallel, so a shared path (gtest's TempDir()) let
// one case truncate the key while another read it.
const umkm::testing::TempDir& Scratch() {
  static const umkm::testing::TempDir dir;
  return dir;
}

std::string KeyFile() {
  const std::string path = Scratch().File("token_tool_key");
  std::ofstream(path, std::ios::trunc) << kKey << "\n";
  return path;
}

config::Config Parse(std::vector<const char*> args,
                     std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "umkm-token");
  auto config = config::Config::Parse(
      static_cast<int>(args.size()), args.data(), TokenToolFlags(),
      [env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
      });
  EXPECT_THAT(config, IsOk());
  return *std::move(config);
}

TEST(TokenToolTest, MintsATokenTheServicesAccept) {
  const std::string key_flag = "--key_file=" + KeyFile();
  auto token = MintFromConfig(
      Parse({key_flag.c_str(), "--sub=officer-1", "--role=official",
             "--agency=DISKOPINDAG", "--ttl=1h"}),
      kNow);
  ASSERT_THAT(token, IsOk());
  auto verifier = auth::TokenVerifier::FromKeyFile(KeyFile());
  ASSERT_THAT(verifier, IsOk());
  auto caller = verifier->Verify(*token, kNow);
  ASSERT_THAT(caller, IsOk());
  EXPECT_EQ(caller->subject, "officer-1");
  EXPECT_EQ(caller->role, auth::Role::kOfficial);
  EXPECT_EQ(caller->agency, "DISKOPINDAG");
  EXPECT_EQ(caller->expires, kNow + absl::Hours(1));
}

TEST(TokenToolTest, KeyFileComesFromTheServicesEnvironmentVariable) {
  auto token = MintFromConfig(
      Parse({"--sub=bank-gw", "--role=bank", "--partner=BPR_TUGU_ARTHA"},
            {{"UMKM_AUTH_KEY_FILE", KeyFile()}}),
      kNow);
  ASSERT_THAT(token, IsOk());
  auto verifier = auth::TokenVerifier::FromKey(std::string(kKey));
  ASSERT_THAT(verifier, IsOk());
  auto caller = verifier->Verify(*token, kNow);
  ASSERT_THAT(caller, IsOk());
  EXPECT_EQ(caller->partner, "BPR_TUGU_ARTHA");
  // Default ttl is 8h.
  EXPECT_EQ(caller->expires, kNow + absl::Hours(8));
}

TEST(TokenToolTest, RejectsBadInputNamingTheFlag) {
  const std::vector<std::pair<std::vector<const char*>, std::string>> cases = {
      {{"--role=admin"}, "--sub"},
      {{"--sub=a"}, "--role"},
      {{"--sub=a", "--role=root"}, "--role"},
      {{"--sub=a", "--role=Admin"}, "--role"},
      {{"--sub=a", "--role=official"}, "--agency"},
      {{"--sub=a", "--role=official", "--agency=diskopindag"}, "--agency"},
      {{"--sub=a", "--role=bank"}, "--partner"},
      {{"--sub=a", "--role=admin", "--agency=DISKOPINDAG"}, "--agency"},
      {{"--sub=a", "--role=official", "--agency=DISKOPINDAG", "--partner=BRI"},
       "--partner"},
      {{"--sub=a", "--role=admin", "--ttl=0s"}, "--ttl"},
      {{"--sub=a", "--role=admin", "--ttl=-1h"}, "--ttl"},
      {{"--sub=a", "--role=admin", "--ttl=745h"}, "--ttl"},
      {{"--sub=a", "--role=admin", "--ttl=8 hours"}, "--ttl"},
  };
  for (const auto& [args, flag] : cases) {
    auto claims = ClaimsFromConfig(Parse(args), kNow);
    EXPECT_THAT(claims, StatusIs(absl::StatusCode::kInvalidArgument)) << flag;
    EXPECT_THAT(claims.status().message(), HasSubstr(flag));
  }
}

TEST(TokenToolTest, MissingOrShortKeyIsAnError) {
  EXPECT_THAT(MintFromConfig(Parse({"--sub=a", "--role=admin"}), kNow),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string short_key = Scratch().File("token_tool_short");
  std::ofstream(short_key, std::ios::trunc) << "short\n";
  const std::string flag = "--key_file=" + short_key;
  EXPECT_THAT(
      MintFromConfig(Parse({flag.c_str(), "--sub=a", "--role=admin"}), kNow),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace umkm::tools
