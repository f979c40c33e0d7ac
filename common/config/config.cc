#include "common/config/config.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace umkm::config {
namespace {

bool IsValidFlagName(absl::string_view name) {
  if (name.empty() || !absl::ascii_islower(name.front())) return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

std::string EnvNameOf(const FlagSpec& spec) {
  return spec.env_name.empty() ? EnvNameFor(spec.name) : spec.env_name;
}

absl::string_view SourceName(Source source) {
  switch (source) {
    case Source::kDefault:
      return "default";
    case Source::kEnvironment:
      return "environment";
    case Source::kFlag:
      return "flag";
  }
  return "unknown";
}

}  // namespace

std::optional<std::string> GetEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string EnvNameFor(absl::string_view flag_name) {
  return absl::StrCat("UMKM_", absl::AsciiStrToUpper(flag_name));
}

absl::StatusOr<Config> Config::Parse(int argc, const char* const* argv,
                                     const std::vector<FlagSpec>& specs,
                                     const EnvLookup& env) {
  Config config;
  std::set<std::string> env_names;
  for (const FlagSpec& spec : specs) {
    if (!IsValidFlagName(spec.name) || spec.name == "help") {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid flag name '", spec.name, "'"));
    }
    std::string env_name = EnvNameOf(spec);
    if (config.values_.count(spec.name) != 0 ||
        !env_names.insert(env_name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("flag --", spec.name, " declared twice"));
    }
    Value value{spec.default_value, Source::kDefault, env_name};
    if (std::optional<std::string> from_env = env(env_name)) {
      value.text = *std::move(from_env);
      value.source = Source::kEnvironment;
    }
    config.values_.emplace(spec.name, std::move(value));
  }

  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h" || arg == "-help") {
      config.help_requested_ = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--") || arg.size() == 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument '", arg,
                       "': flags are written --name=value; see --help"));
    }
    const absl::string_view body = arg.substr(2);
    const size_t equals = body.find('=');
    const absl::string_view name = body.substr(0, equals);
    auto it = config.values_.find(std::string(name));
    if (it == config.values_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, "; see --help"));
    }
    Value& value = it->second;
    if (value.source == Source::kFlag) {
      return absl::InvalidArgumentError(
          absl::StrCat("flag --", name, " given more than once"));
    }
    value.text = equals == absl::string_view::npos
                     ? std::string("true")
                     : std::string(body.substr(equals + 1));
    value.source = Source::kFlag;
  }
  return config;
}

Config Config::ParseOrExit(int argc, const char* const* argv,
                           const std::vector<FlagSpec>& specs,
                           absl::string_view program, const EnvLookup& env) {
  absl::StatusOr<Config> config = Parse(argc, argv, specs, env);
  if (!config.ok()) {
    std::cerr << program << ": " << config.status().message() << "\nRun '"
              << program << " --help' for the flags.\n";
    std::exit(2);
  }
  if (config->help_requested()) {
    std::cout << Usage(program, specs);
    std::exit(0);
  }
  return *std::move(config);
}

std::string Config::Usage(absl::string_view program,
                          const std::vector<FlagSpec>& specs) {
  std::string text = absl::StrCat(
      "Usage: ", program, " [--flag=value ...]\n\n",
      "Each flag may also be set through the environment variable shown;\n",
      "a flag on the command line wins over the environment, which wins over\n",
      "the default.\n\n");
  for (const FlagSpec& spec : specs) {
    absl::StrAppend(&text, "  --", spec.name, "  (env ", EnvNameOf(spec),
                    ", default \"", spec.default_value, "\")\n      ",
                    spec.help, "\n");
  }
  absl::StrAppend(&text, "  --help\n      print this text and exit\n");
  return text;
}

absl::StatusOr<const Config::Value*> Config::Find(
    absl::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) {
    return absl::NotFoundError(
        absl::StrCat("flag --", name, " was not declared"));
  }
  return &it->second;
}

absl::Status Config::BadValue(absl::string_view name, const Value& value,
                              absl::string_view expected) {
  std::string origin;
  switch (value.source) {
    case Source::kFlag:
      origin = absl::StrCat("--", name);
      break;
    case Source::kEnvironment:
      origin = absl::StrCat("--", name, " (from ", value.env_name, ")");
      break;
    case Source::kDefault:
      origin = absl::StrCat("--", name, " (default)");
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("flag ", origin, ": '", value.text, "' is not ", expected));
}

absl::StatusOr<std::string> Config::GetString(absl::string_view name) const {
  auto found = Find(name);
  if (!found.ok()) return found.status();
  return (*found)->text;
}

absl::StatusOr<int64_t> Config::GetInt(absl::string_view name) const {
  auto found = Find(name);
  if (!found.ok()) return found.status();
  const Value& value = **found;
  int64_t result = 0;
  // SimpleAtoi tolerates surrounding whitespace; a value with inner garbage
  // ("12abc", "1e3", "") is rejected.
  if (!absl::SimpleAtoi(value.text, &result)) {
    return BadValue(name, value, "an integer");
  }
  return result;
}

absl::StatusOr<bool> Config::GetBool(absl::string_view name) const {
  auto found = Find(name);
  if (!found.ok()) return found.status();
  const Value& value = **found;
  bool result = false;
  if (!absl::SimpleAtob(value.text, &result)) {
    return BadValue(name, value, "a boolean (true/false, yes/no, 1/0)");
  }
  return result;
}

absl::StatusOr<absl::Duration> Config::GetDuration(
    absl::string_view name) const {
  auto found = Find(name);
  if (!found.ok()) return found.status();
  const Value& value = **found;
  absl::Duration result;
  if (!absl::ParseDuration(value.text, &result)) {
    return BadValue(name, value,
                    "a duration (e.g. \"250ms\", \"5s\", \"1m\", \"1h30m\")");
  }
  return result;
}

Source Config::SourceOf(absl::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? Source::kDefault : it->second.source;
}

std::string Config::Describe() const {
  std::string text;
  for (const auto& [name, value] : values_) {
    absl::StrAppend(&text, name, "=", value.text, " (",
                    SourceName(value.source), ")\n");
  }
  return text;
}

}  // namespace umkm::config
