#include "common/config/config.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::config {
namespace {

using ::testing::HasSubstr;
using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

const std::vector<FlagSpec>& Specs() {
  static const auto* const kSpecs = new std::vector<FlagSpec>{
      {"listen", "0.0.0.0:50051", "address to serve gRPC on"},
      {"data_dir", "/var/lib/umkm", "directory of the SQLite files"},
      {"workers", "4", "store worker threads"},
      {"verbose", "false", "log every request"},
      {"drain", "5s", "graceful drain deadline"},
      {"key_file", "", "token signing key", "UMKM_AUTH_KEY_FILE"},
  };
  return *kSpecs;
}

// Environment stand-in so tests never depend on the real environment.
EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](
             const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

absl::StatusOr<Config> ParseArgs(std::vector<const char*> args,
                                 std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "umkm-test");
  return Config::Parse(static_cast<int>(args.size()), args.data(), Specs(),
                       FakeEnv(std::move(env)));
}

TEST(ConfigTest, EnvNameIsUpperCasedWithPrefix) {
  EXPECT_EQ(EnvNameFor("data_dir"), "UMKM_DATA_DIR");
  EXPECT_EQ(EnvNameFor("auth_key_file"), "UMKM_AUTH_KEY_FILE");
}

TEST(ConfigTest, DefaultsApplyWhenNothingIsSet) {
  auto config = ParseArgs({});
  ASSERT_THAT(config, IsOk());
  EXPECT_THAT(config->GetString("data_dir"), IsOkAndHolds("/var/lib/umkm"));
  EXPECT_EQ(config->SourceOf("data_dir"), Source::kDefault);
  EXPECT_FALSE(config->help_requested());
}

struct PrecedenceCase {
  std::vector<const char*> args;
  std::map<std::string, std::string> env;
  std::string want;
  Source want_source;
};

TEST(ConfigTest, FlagBeatsEnvironmentBeatsDefault) {
  const std::vector<PrecedenceCase> cases = {
      {{}, {}, "/var/lib/umkm", Source::kDefault},
      {{}, {{"UMKM_DATA_DIR", "/env"}}, "/env", Source::kEnvironment},
      {{"--data_dir=/flag"}, {}, "/flag", Source::kFlag},
      {{"--data_dir=/flag"},
       {{"UMKM_DATA_DIR", "/env"}},
       "/flag",
       Source::kFlag},
      // An environment variable set to "" counts as set.
      {{}, {{"UMKM_DATA_DIR", ""}}, "", Source::kEnvironment},
      // A flag may set a value to "" explicitly.
      {{"--data_dir="}, {{"UMKM_DATA_DIR", "/env"}}, "", Source::kFlag},
      // Values may contain '='.
      {{"--data_dir=a=b"}, {}, "a=b", Source::kFlag},
  };
  for (const PrecedenceCase& c : cases) {
    auto config = ParseArgs(c.args, c.env);
    ASSERT_THAT(config, IsOk());
    EXPECT_THAT(config->GetString("data_dir"), IsOkAndHolds(c.want));
    EXPECT_EQ(config->SourceOf("data_dir"), c.want_source);
  }
}

TEST(ConfigTest, EnvNameOverrideIsUsed) {
  auto config = ParseArgs({}, {{"UMKM_AUTH_KEY_FILE", "/secrets/key"},
                               {"UMKM_KEY_FILE", "/wrong"}});
  ASSERT_THAT(config, IsOk());
  EXPECT_THAT(config->GetString("key_file"), IsOkAndHolds("/secrets/key"));
}

TEST(ConfigTest, RejectsBadCommandLines) {
  const std::vector<std::vector<const char*>> cases = {
      {"--nope=1"},     {"--data_dir=/a", "--data_dir=/b"},
      {"positional"},   {"--data_dir", "/path"},
      {"-data_dir=/x"}, {"--"},
  };
  for (const auto& args : cases) {
    EXPECT_THAT(ParseArgs(args), StatusIs(absl::StatusCode::kInvalidArgument))
        << args.front();
  }
  EXPECT_THAT(ParseArgs({"--nope=1"}).status().message(),
              HasSubstr("unknown flag --nope"));
}

TEST(ConfigTest, RejectsBadSpecs) {
  const char* argv[] = {"umkm-test"};
  const std::vector<std::vector<FlagSpec>> cases = {
      {{"Bad", "", ""}},
      {{"", "", ""}},
      {{"x-y", "", ""}},
      {{"help", "", ""}},
      {{"a", "", ""}, {"a", "", ""}},
      {{"a", "", "", "UMKM_X"}, {"b", "", "", "UMKM_X"}},
  };
  for (const auto& specs : cases) {
    EXPECT_THAT(Config::Parse(1, argv, specs, FakeEnv({})),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

TEST(ConfigTest, HelpIsReportedAndUsageListsEveryFlag) {
  auto config = ParseArgs({"--help"});
  ASSERT_THAT(config, IsOk());
  EXPECT_TRUE(config->help_requested());
  const std::string usage = Config::Usage("umkm-test", Specs());
  EXPECT_THAT(usage, HasSubstr("--data_dir"));
  EXPECT_THAT(usage, HasSubstr("UMKM_DATA_DIR"));
  EXPECT_THAT(usage, HasSubstr("\"/var/lib/umkm\""));
  EXPECT_THAT(usage, HasSubstr("directory of the SQLite files"));
  EXPECT_THAT(usage, HasSubstr("UMKM_AUTH_KEY_FILE"));
}

TEST(ConfigTest, TypedGettersConvert) {
  auto config = ParseArgs({"--workers=16", "--verbose", "--drain=250ms"});
  ASSERT_THAT(config, IsOk());
  EXPECT_THAT(config->GetInt("workers"), IsOkAndHolds(16));
  EXPECT_THAT(config->GetBool("verbose"), IsOkAndHolds(true));
  EXPECT_THAT(config->GetDuration("drain"),
              IsOkAndHolds(absl::Milliseconds(250)));
}

TEST(ConfigTest, BoolAndDurationSpellings) {
  const std::vector<std::pair<const char*, bool>> bools = {
      {"--verbose=true", true}, {"--verbose=YES", true},
      {"--verbose=1", true},    {"--verbose=false", false},
      {"--verbose=no", false},  {"--verbose=0", false},
  };
  for (const auto& [arg, want] : bools) {
    auto config = ParseArgs({arg});
    ASSERT_THAT(config, IsOk());
    EXPECT_THAT(config->GetBool("verbose"), IsOkAndHolds(want)) << arg;
  }
  const std::vector<std::pair<const char*, absl::Duration>> durations = {
      {"--drain=5s", absl::Seconds(5)},
      {"--drain=1m", absl::Minutes(1)},
      {"--drain=1h30m", absl::Minutes(90)},
      {"--drain=0", absl::ZeroDuration()},
  };
  for (const auto& [arg, want] : durations) {
    auto config = ParseArgs({arg});
    ASSERT_THAT(config, IsOk());
    EXPECT_THAT(config->GetDuration("drain"), IsOkAndHolds(want)) << arg;
  }
}

TEST(ConfigTest, ConversionErrorsNameTheFlagAndSource) {
  auto from_flag = ParseArgs({"--workers=many"});
  ASSERT_THAT(from_flag, IsOk());
  auto bad_int = from_flag->GetInt("workers");
  EXPECT_THAT(bad_int, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(bad_int.status().message(), HasSubstr("--workers"));
  EXPECT_THAT(bad_int.status().message(), HasSubstr("many"));

  auto from_env = ParseArgs({}, {{"UMKM_DRAIN", "5 seconds"}});
  ASSERT_THAT(from_env, IsOk());
  auto bad_duration = from_env->GetDuration("drain");
  EXPECT_THAT(bad_duration, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(bad_duration.status().message(), HasSubstr("--drain"));
  EXPECT_THAT(bad_duration.status().message(), HasSubstr("UMKM_DRAIN"));

  auto bad_bool = ParseArgs({"--verbose=maybe"});
  ASSERT_THAT(bad_bool, IsOk());
  EXPECT_THAT(bad_bool->GetBool("verbose"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(bad_bool->GetInt("verbose"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ConfigTest, UndeclaredNameIsNotFound) {
  auto config = ParseArgs({});
  ASSERT_THAT(config, IsOk());
  EXPECT_THAT(config->GetString("nope"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(config->GetInt("nope"), StatusIs(absl::StatusCode::kNotFound));
}

TEST(ConfigTest, DescribeListsValuesWithSources) {
  auto config = ParseArgs({"--workers=2"}, {{"UMKM_LISTEN", "127.0.0.1:0"}});
  ASSERT_THAT(config, IsOk());
  const std::string text = config->Describe();
  EXPECT_THAT(text, HasSubstr("workers=2 (flag)"));
  EXPECT_THAT(text, HasSubstr("listen=127.0.0.1:0 (environment)"));
  EXPECT_THAT(text, HasSubstr("data_dir=/var/lib/umkm (default)"));
}

}  // namespace
}  // namespace umkm::config
