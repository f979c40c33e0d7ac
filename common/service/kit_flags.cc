#include "common/service/kit_flags.h"

#include "absl/strings/str_cat.h"

namespace umkm::service {

std::vector<config::FlagSpec> KitFlags(int default_port) {
  return {
      {"listen", absl::StrCat("0.0.0.0:", default_port),
       "address to serve gRPC on (port 0: any)"},
      {"port_file", "", "write the bound port to this file after start"},
      {"data_dir", "/var/lib/umkm", "directory of the SQLite file"},
      {"sqlite_synchronous", "full",
       "full (survives power loss) or normal (survives process crash)"},
      {"worker_threads", "32", "threads for blocking store and cache work"},
      {"redis_url", "",
       "shared cache and events topic, redis://host:port[/db]; empty: none"},
      {"auth_key_file", "/etc/umkm/auth.key",
       "file holding the HS256 token key (>= 32 characters)"},
      {"privacy_key_file", "/etc/umkm/privacy.key",
       "file holding the master secret that encrypts personal data at rest"},
      {"registry_target", "",
       "the registry's gRPC address, for services that read businesses"},
      {"registry_deadline", "2s", "deadline of each call to the registry"},
      // Transport security (common/tls, common/redis/password_file.h).
      {"tls_cert_file", "",
       "PEM certificate chain of this service: with --tls_key_file, TLS on "
       "its listener, and its client certificate on calls to others; "
       "required unless --listen is loopback"},
      {"tls_key_file", "", "PEM private key of --tls_cert_file"},
      {"tls_client_ca_file", "",
       "PEM CA certificates: when set, every caller must present a "
       "certificate they signed (mutual TLS)"},
      {"tls_ca_file", "",
       "PEM CA certificates that sign the servers this service calls (the "
       "registry); required for a non-loopback --registry_target"},
      {"redis_password_file", "",
       "file holding the Redis ACL user and password (\"user password\" on "
       "one line) or a password alone for the default user"},
      {"events_stream", "umkm:events", "Redis stream of the events topic"},
      {"events_dead_letter_stream", "umkm:events:dead",
       "where events that cannot be handled go"},
      {"events_max_len", "1000000", "approximate length the stream is kept at"},
      {"events_claim_idle", "30s",
       "pending events idle this long are reclaimed and retried"},
      {"events_max_deliveries", "5",
       "deliveries after which a failing event goes to the dead letters"},
      {"events_stats_interval", "60s",
       "how often the outbox backlog, consumer lag and dead letters are "
       "logged"},
      {"consumer_name", "",
       "this replica's name in the consumer group (default: host name)"},
      {"drain_timeout", "10s", "time in-flight calls get on SIGTERM"},
      {"readiness_grace", "2s",
       "time between readiness NOT_SERVING and closing the listener"},
      {"testing_clock_file", "",
       "tests only: a file holding an RFC 3339 instant that is the "
       "service's time (re-read every second); never in production"},
      {"testing_crash_after_event_commit", "false",
       "fault injection for crash tests: exit after an event's effect "
       "committed, before it is acknowledged; never in production"},
  };
}

}  // namespace umkm::service
