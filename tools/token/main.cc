// umkm-token: prints a signed bearer token for the given identity; see
// token_tool.h for the flags.
#include <iostream>

#include "absl/time/clock.h"
#include "common/config/config.h"
#include "tools/token/token_tool.h"

int main(int argc, char** argv) {
  const umkm::config::Config config = umkm::config::Config::ParseOrExit(
      argc, argv, umkm::tools::TokenToolFlags(), "umkm-token");
  absl::StatusOr<std::string> token =
      umkm::tools::MintFromConfig(config, absl::Now());
  if (!token.ok()) {
    std::cerr << "umkm-token: " << token.status().message() << "\n";
    return 2;
  }
  std::cout << *token << "\n";
  return 0;
}
