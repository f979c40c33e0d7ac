// Test certificates from the openssl command line; see test_pki.h.
#include "common/testing/test_pki.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/testing/subprocess.h"

namespace umkm::testing {
namespace {

constexpr char kValidDays[] = "2";

}  // namespace

absl::StatusOr<std::unique_ptr<TestPki>> TestPki::Create() {
  std::unique_ptr<TestPki> pki(new TestPki);
  absl::StatusOr<std::string> ca = pki->MakeCa("ca");
  if (!ca.ok()) return ca.status();
  pki->ca_file_ = *ca;
  absl::StatusOr<Identity> server =
      pki->Issue("server", *ca, "DNS:localhost,IP:127.0.0.1");
  if (!server.ok()) return server.status();
  pki->server_ = *server;
  absl::StatusOr<Identity> client =
      pki->Issue("client", *ca, "DNS:umkm-visits");
  if (!client.ok()) return client.status();
  pki->client_ = *client;
  absl::StatusOr<std::string> other = pki->MakeCa("other-ca");
  if (!other.ok()) return other.status();
  pki->other_ca_file_ = *other;
  absl::StatusOr<Identity> other_client =
      pki->Issue("other-client", *other, "DNS:umkm-visits");
  if (!other_client.ok()) return other_client.status();
  pki->other_client_ = *other_client;
  return pki;
}

const TestPki& TestPki::Shared() {
  // Destroyed at exit, which removes the directory.
  static const std::unique_ptr<TestPki> shared = [] {
    absl::StatusOr<std::unique_ptr<TestPki>> pki = Create();
    if (!pki.ok()) {
      std::fprintf(stderr, "TestPki: %s\n", pki.status().ToString().c_str());
      std::abort();
    }
    return *std::move(pki);
  }();
  return *shared;
}

absl::Status TestPki::OpenSsl(std::vector<std::string> args) {
  const std::string log = dir_.File("openssl.log");
  std::remove(log.c_str());
  const std::string command = absl::StrJoin(args, " ");
  args.insert(args.begin(), "openssl");
  absl::StatusOr<std::unique_ptr<Subprocess>> process =
      Subprocess::Start(std::move(args), log);
  if (!process.ok()) return process.status();
  const std::optional<int> code = (*process)->Wait(absl::Seconds(60));
  if (code != 0) {
    return absl::InternalError(absl::StrCat(
        "openssl ", command, " failed (",
        code.has_value() ? absl::StrCat("exit ", *code) : "timed out",
        "): ", FileTail(log)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> TestPki::MakeCa(const std::string& name) {
  const std::string cert = dir_.File(name + ".crt");
  absl::Status made = OpenSsl({"req",
                               "-x509",
                               "-new",
                               "-newkey",
                               "ec",
                               "-pkeyopt",
                               "ec_paramgen_curve:prime256v1",
                               "-nodes",
                               "-keyout",
                               dir_.File(name + ".key"),
                               "-out",
                               cert,
                               "-days",
                               kValidDays,
                               "-subj",
                               absl::StrCat("/CN=umkm test ", name),
                               "-addext",
                               "basicConstraints=critical,CA:TRUE",
                               "-addext",
                               "keyUsage=critical,keyCertSign,cRLSign"});
  if (!made.ok()) return made;
  return cert;
}

absl::StatusOr<TestPki::Identity> TestPki::Issue(const std::string& name,
                                                 const std::string& ca,
                                                 const std::string& san) {
  Identity identity{.cert_file = dir_.File(name + ".crt"),
                    .key_file = dir_.File(name + ".key")};
  const std::string csr = dir_.File(name + ".csr");
  const std::string extensions = dir_.File(name + ".ext");
  {
    std::ofstream out(extensions, std::ios::trunc);
    out << "basicConstraints=CA:FALSE\n"
        << "keyUsage=critical,digitalSignature\n"
        << "extendedKeyUsage=serverAuth,clientAuth\n"
        << "subjectAltName=" << san << "\n";
    if (!out) return absl::InternalError("cannot write " + extensions);
  }
  absl::Status status = OpenSsl({"req", "-new", "-newkey", "ec", "-pkeyopt",
                                 "ec_paramgen_curve:prime256v1", "-nodes",
                                 "-keyout", identity.key_file, "-out", csr,
                                 "-subj", absl::StrCat("/CN=", name)});
  if (!status.ok()) return status;
  std::string ca_key = ca;
  ca_key.replace(ca_key.size() - 4, 4, ".key");
  status = OpenSsl({"x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                    "-set_serial", absl::StrCat(serial_++), "-days", kValidDays,
                    "-extfile", extensions, "-out", identity.cert_file});
  if (!status.ok()) return status;
  return identity;
}

}  // namespace umkm::testing
