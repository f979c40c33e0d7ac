// Service configuration from command-line flags with UMKM_* environment
// equivalents.
//
// A binary declares its flags as FlagSpecs; Config::Parse resolves each one
// with the precedence
//
//   --flag=value  >  UMKM_FLAG environment variable  >  declared default
//
// (`--data_dir` <-> `UMKM_DATA_DIR`). Values are kept as text and converted by
// the typed getters, whose errors name the flag and where the value came
// from, so a bad Kubernetes env entry is as easy to find as a bad flag.
//
//   const std::vector<FlagSpec> kFlags = {
//       {"listen", "0.0.0.0:50051", "address to serve gRPC on"},
//       {"data_dir", "/var/lib/umkm", "directory of the SQLite files"},
//   };
//   Config config = Config::ParseOrExit(argc, argv, kFlags, "umkm-registry");
//   UMKM_ASSIGN_OR_RETURN(std::string dir, config.GetString("data_dir"));
//
// Secrets are never flag values: declare a `*_file` flag and read it with
// ReadSecretFile (secret_file.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace umkm::config {

// One declared flag. `name` is lower snake_case ([a-z0-9_], starting with a
// letter). `env_name` overrides the derived environment name
// ("UMKM_" + upper-cased name) when a tool must share a variable with the
// services under another flag name; leave it empty otherwise.
struct FlagSpec {
  std::string name;
  std::string default_value;
  std::string help;
  std::string env_name = {};
};

// Looks an environment variable up; nullopt when it is not set. A variable
// set to the empty string counts as set (to "").
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment (getenv).
std::optional<std::string> GetEnv(const std::string& name);

// "UMKM_" + upper-cased `flag_name`.
std::string EnvNameFor(absl::string_view flag_name);

// Where a resolved value came from.
enum class Source { kDefault, kEnvironment, kFlag };

// Resolved configuration. Immutable after Parse, so it may be read from any
// thread.
class Config {
 public:
  // Parses `argv[1..argc)` against `specs`. Accepted forms: `--name=value`,
  // `--name` alone (means "true", for booleans), `--help`/`-h`. Errors
  // (INVALID_ARGUMENT, naming the offending argument): an unknown flag, a
  // flag given twice, a positional argument (including `--name value`, which
  // must be written `--name=value`), an invalid or duplicate spec.
  // When --help is given the result is OK with help_requested() set; the
  // caller prints Usage() and exits.
  static absl::StatusOr<Config> Parse(int argc, const char* const* argv,
                                      const std::vector<FlagSpec>& specs,
                                      const EnvLookup& env = GetEnv);

  // For main(): Parse, then on --help print Usage() to stdout and exit(0); on
  // an error print it and a hint to stderr and exit(2).
  static Config ParseOrExit(int argc, const char* const* argv,
                            const std::vector<FlagSpec>& specs,
                            absl::string_view program,
                            const EnvLookup& env = GetEnv);

  // The help text: every flag with its environment name, default and help.
  static std::string Usage(absl::string_view program,
                           const std::vector<FlagSpec>& specs);

  bool help_requested() const { return help_requested_; }

  // Typed getters. Errors: NOT_FOUND when `name` was not declared (a
  // programming error), INVALID_ARGUMENT naming the flag, its source and the
  // bad value when the text does not convert.
  absl::StatusOr<std::string> GetString(absl::string_view name) const;
  // Decimal int64.
  absl::StatusOr<int64_t> GetInt(absl::string_view name) const;
  // true/false, yes/no, 1/0, t/f, y/n (any case).
  absl::StatusOr<bool> GetBool(absl::string_view name) const;
  // absl::ParseDuration syntax: "250ms", "5s", "1m", "1h30m", "0".
  absl::StatusOr<absl::Duration> GetDuration(absl::string_view name) const;

  // Where `name`'s value came from (kDefault for undeclared names).
  Source SourceOf(absl::string_view name) const;

  // One line per flag, "name=value (source)", for a start-up log line.
  std::string Describe() const;

 private:
  struct Value {
    std::string text;
    Source source = Source::kDefault;
    std::string env_name;
  };

  absl::StatusOr<const Value*> Find(absl::string_view name) const;
  static absl::Status BadValue(absl::string_view name, const Value& value,
                               absl::string_view expected);

  std::map<std::string, Value> values_;
  bool help_requested_ = false;
};

}  // namespace umkm::config
