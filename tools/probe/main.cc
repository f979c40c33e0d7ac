// umkm-health-probe: exit 0 when the service in this container is SERVING;
// see probe.h.
#include <iostream>

#include "common/config/config.h"
#include "tools/probe/probe.h"

int main(int argc, char** argv) {
  const umkm::config::Config config = umkm::config::Config::ParseOrExit(
      argc, argv, umkm::tools::ProbeFlags(), "umkm-health-probe");
  absl::StatusOr<umkm::tools::ProbeOptions> options =
      umkm::tools::ProbeOptionsFrom(config);
  if (!options.ok()) {
    std::cerr << "umkm-health-probe: " << options.status().message() << "\n";
    return 2;
  }
  const absl::Status status = umkm::tools::Probe(*options);
  if (!status.ok()) {
    std::cerr << "umkm-health-probe: " << status.ToString() << "\n";
    return 1;
  }
  return 0;
}
