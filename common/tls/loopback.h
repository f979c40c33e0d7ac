// Whether a gRPC address stays on this machine: the rule that decides where
// plaintext is allowed (only there; everything else needs TLS).
#pragma once

#include <string_view>

namespace umkm::tls {

// True when `address` (a listen address or a channel target, "host:port")
// can only be reached from this machine: 127.0.0.0/8, ::1 (also as
// ::ffff:127.x.y.z), the name "localhost", and unix: / unix-abstract:
// sockets. The gRPC schemes dns:, ipv4: and ipv6: are understood. Names are
// never resolved: any other name, 0.0.0.0, [::] and an empty host are not
// loopback.
bool IsLoopback(std::string_view address);

}  // namespace umkm::tls
