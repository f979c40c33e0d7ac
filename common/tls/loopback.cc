#include "common/tls/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "common/base/string_view.h"

namespace umkm::tls {
namespace {

// "host:port", "[v6]:port" or a bare host -> the host.
std::string_view HostOf(std::string_view address) {
  if (address.starts_with("[")) {
    const size_t close = address.find(']');
    return close == std::string_view::npos ? std::string_view()
                                           : address.substr(1, close - 1);
  }
  const size_t colon = address.rfind(':');
  // More than one colon without brackets: a bare IPv6 address.
  if (colon == std::string_view::npos || address.find(':') != colon) {
    return address;
  }
  return address.substr(0, colon);
}

bool IsLoopbackIp(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace

bool IsLoopback(std::string_view address) {
  absl::string_view rest = ToAbsl(address);
  if (absl::StartsWith(rest, "unix:") ||
      absl::StartsWith(rest, "unix-abstract:")) {
    return true;
  }
  if (absl::ConsumePrefix(&rest, "dns:")) {
    // dns:[//authority/]host:port: the authority is the DNS server's.
    if (absl::ConsumePrefix(&rest, "//")) {
      const size_t slash = rest.find('/');
      if (slash == absl::string_view::npos) return false;
      rest.remove_prefix(slash + 1);
    }
  } else if (!absl::ConsumePrefix(&rest, "ipv4:")) {
    absl::ConsumePrefix(&rest, "ipv6:");
  }
  const std::string host(HostOf(ToStd(rest)));
  if (host.empty()) return false;
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  return IsLoopbackIp(host);
}

}  // namespace umkm::tls
