// libFuzzer target for token verification. The input is used both as a raw
// token and as the payload of a correctly signed token, so the fuzzer reaches
// the claim checks behind the MAC. Invariant: an accepted token names a
// subject and carries exactly the organisation its role requires.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "common/auth/token.h"
#include "common/validate/fuzz/fuzz_check.h"

namespace {

constexpr absl::string_view kKey = "fuzz-key-0123456789abcdef-0123456789";

void Check(const umkm::auth::TokenVerifier& verifier, absl::string_view token,
           absl::Time now) {
  auto caller = verifier.Verify(token, now);
  if (!caller.ok()) {
    FUZZ_CHECK(caller.status().code() == absl::StatusCode::kUnauthenticated);
    return;
  }
  FUZZ_CHECK(!caller->subject.empty());
  FUZZ_CHECK(now < caller->expires);
  FUZZ_CHECK((caller->role == umkm::auth::Role::kOfficial) ==
             !caller->agency.empty());
  FUZZ_CHECK((caller->role == umkm::auth::Role::kBank) ==
             !caller->partner.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* const verifier = new umkm::auth::TokenVerifier(
      *umkm::auth::TokenVerifier::FromKey(std::string(kKey)));
  const absl::Time now = absl::FromUnixSeconds(1750000000);
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  Check(*verifier, input, now);
  Check(*verifier,
        umkm::auth::SignCompactJwt(kKey, R"({"alg":"HS256"})", input), now);
  auto header = umkm::auth::AuthenticateHeader(*verifier, input, now);
  FUZZ_CHECK(header.ok() ||
             header.status().code() == absl::StatusCode::kUnauthenticated);
  return 0;
}
