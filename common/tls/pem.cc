#include "common/tls/pem.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/base/string_view.h"
#include "common/config/secret_file.h"
#include "common/status/macros.h"

namespace umkm::tls {
namespace {

// CA bundles (e.g. the system's) are a few hundred KiB.
constexpr std::size_t kMaxCertificateFileBytes = 4 * 1024 * 1024;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Certificate = std::unique_ptr<X509, X509Free>;
using PrivateKey = std::unique_ptr<EVP_PKEY, KeyFree>;

Bio MemoryBio(const std::string& text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string Where(std::string_view flag, const std::string& path) {
  return absl::StrCat(ToAbsl(flag), " (", path, ")");
}

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     std::string_view flag) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    const std::string message = absl::StrCat(
        Where(flag, path),
        ": cannot open: ", error != 0 ? std::strerror(error) : "unknown");
    if (error == ENOENT) return absl::NotFoundError(message);
    if (error == EACCES) return absl::PermissionDeniedError(message);
    return absl::InternalError(message);
  }
  std::string text(kMaxCertificateFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    return absl::InternalError(absl::StrCat(Where(flag, path), ": read error"));
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxCertificateFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(Where(flag, path), ": larger than ",
                     kMaxCertificateFileBytes, " bytes"));
  }
  return text;
}

// The first certificate in `pem`, or null. Text around the PEM blocks is
// allowed (OpenSSL and gRPC skip it).
Certificate FirstCertificate(const std::string& pem) {
  Bio bio = MemoryBio(pem);
  if (bio == nullptr) return nullptr;
  Certificate cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  return cert;
}

std::string SubjectOf(X509* cert) {
  char buffer[256];
  X509_NAME_oneline(X509_get_subject_name(cert), buffer, sizeof(buffer));
  return buffer;
}

absl::Time NotAfterOf(X509* cert) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) {
    return absl::InfinitePast();
  }
  return absl::FromTM(tm, absl::UTCTimeZone());
}

}  // namespace

absl::StatusOr<std::string> LoadCertificates(const std::string& path,
                                             std::string_view flag) {
  UMKM_ASSIGN_OR_RETURN(std::string pem, ReadFile(path, flag));
  if (FirstCertificate(pem) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(Where(flag, path),
                     ": no PEM certificate (-----BEGIN CERTIFICATE-----)"));
  }
  return pem;
}

absl::StatusOr<KeyPair> LoadKeyPair(const std::string& cert_file,
                                    const std::string& key_file) {
  KeyPair pair;
  UMKM_ASSIGN_OR_RETURN(pair.cert_chain,
                        LoadCertificates(cert_file, "--tls_cert_file"));
  // The key is a secret: read the way every secret is (trimmed, so the
  // final newline is put back for the PEM parser).
  UMKM_ASSIGN_OR_RETURN(
      std::string key,
      config::ReadSecretFile(key_file, 1, "--tls_key_file private key"));
  pair.private_key = key + "\n";
  Bio bio = MemoryBio(pair.private_key);
  // No passphrase: OpenSSL's default callback would ask on the terminal.
  pem_password_cb* no_passphrase = [](char*, int, int, void*) { return -1; };
  PrivateKey parsed(bio == nullptr
                        ? nullptr
                        : PEM_read_bio_PrivateKey(bio.get(), nullptr,
                                                  no_passphrase, nullptr));
  ERR_clear_error();
  if (parsed == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        Where("--tls_key_file", key_file), ": no unencrypted PEM private key"));
  }
  Certificate leaf = FirstCertificate(pair.cert_chain);
  const bool matches = X509_check_private_key(leaf.get(), parsed.get()) == 1;
  ERR_clear_error();
  if (!matches) {
    return absl::InvalidArgumentError(
        absl::StrCat(Where("--tls_key_file", key_file),
                     " is not the private key of the first certificate in ",
                     Where("--tls_cert_file", cert_file)));
  }
  pair.subject = SubjectOf(leaf.get());
  pair.not_after = NotAfterOf(leaf.get());
  return pair;
}

}  // namespace umkm::tls
