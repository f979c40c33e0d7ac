#include "common/auth/token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

constexpr absl::string_view kKey = "test-key-0123456789abcdef-0123456789";
constexpr absl::string_view kOtherKey = "other-key-0123456789abcdef-012345678";
constexpr absl::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
const absl::Time kNow = absl::FromUnixSeconds(1750000000);
constexpr int64_t kNowSeconds = 1750000000;

TokenVerifier MakeVerifier() {
  auto verifier = TokenVerifier::FromKey(std::string(kKey));
  EXPECT_THAT(verifier, IsOk());
  return *std::move(verifier);
}

// A claim set as "name":value JSON fragments, so cases can drop or replace
// single members.
std::string Payload(std::vector<std::string> members) {
  return absl::StrCat("{", absl::StrJoin(members, ","), "}");
}

std::string Exp(int64_t offset) {
  return absl::StrCat("\"exp\":", kNowSeconds + offset);
}

std::string OfficialPayload() {
  return Payload({R"("sub":"officer-1")", R"("role":"official")",
                  R"("agency":"DISKOPINDAG")", Exp(3600)});
}

std::string Sign(absl::string_view payload, absl::string_view header = kHeader,
                 absl::string_view key = kKey) {
  return SignCompactJwt(key, header, payload);
}

std::string HmacSha512Token(absl::string_view key, absl::string_view header,
                            absl::string_view payload) {
  std::string input = absl::StrCat(absl::WebSafeBase64Escape(header), ".",
                                   absl::WebSafeBase64Escape(payload));
  unsigned char mac[64];
  unsigned int length = 0;
  HMAC(EVP_sha512(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
       &length);
  return absl::StrCat(input, ".",
                      absl::WebSafeBase64Escape(absl::string_view(
                          reinterpret_cast<const char*>(mac), length)));
}

// Replaces part `index` (0 header, 1 payload, 2 signature) of a token.
std::string WithPart(const std::string& token, int index,
                     absl::string_view part) {
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  parts[index] = std::string(part);
  return absl::StrJoin(parts, ".");
}

// Flips one character of part `index` to another base64url character.
std::string Tamper(const std::string& token, int index) {
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  char& c = parts[index][parts[index].size() / 2];
  c = c == 'A' ? 'B' : 'A';
  return absl::StrJoin(parts, ".");
}

TEST(TokenTest, MintedTokenRoundTrips) {
  TokenVerifier verifier = MakeVerifier();
  const std::vector<Claims> cases = {
      {"officer-1", Role::kOfficial, "DISKOPINDAG", "", kNow + absl::Hours(8),
       kNow},
      {"bank-gw", Role::kBank, "", "BPR_TUGU_ARTHA", kNow + absl::Hours(1)},
      {"ops@malangkota.go.id", Role::kAdmin, "", "", kNow + absl::Minutes(5)},
      {"umkm-visits", Role::kService, "", "", kNow + absl::Seconds(1)},
      {"nama \"aneh\" \xC3\xA9", Role::kAdmin, "", "", kNow + absl::Hours(1)},
  };
  for (const Claims& claims : cases) {
    ASSERT_THAT(ValidateClaims(claims), IsOk());
    auto caller = verifier.Verify(MintToken(kKey, claims), kNow);
    ASSERT_THAT(caller, IsOk()) << claims.sub;
    EXPECT_EQ(caller->subject, claims.sub);
    EXPECT_EQ(caller->role, claims.role);
    EXPECT_EQ(caller->agency, claims.agency);
    EXPECT_EQ(caller->partner, claims.partner);
    EXPECT_EQ(caller->expires, claims.exp);
  }
}

struct RejectCase {
  std::string name;
  std::string token;
  std::string reason;
};

std::vector<RejectCase> RejectCases() {
  const std::string good = Sign(OfficialPayload());
  const std::string b64_payload = absl::WebSafeBase64Escape(OfficialPayload());
  const std::string none_header =
      absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})");
  return {
      {"WrongKey", Sign(OfficialPayload(), kHeader, kOtherKey),
       "TOKEN_INVALID"},
      {"TamperedHeader", Tamper(good, 0), "TOKEN_INVALID"},
      {"TamperedPayload", Tamper(good, 1), "TOKEN_INVALID"},
      {"TamperedSignature", Tamper(good, 2), "TOKEN_INVALID"},
      {"PayloadSwapped",
       WithPart(good, 1,
                absl::WebSafeBase64Escape(Payload(
                    {R"("sub":"officer-1")", R"("role":"admin")", Exp(3600)}))),
       "TOKEN_INVALID"},
      {"AlgNoneUnsigned", absl::StrCat(none_header, ".", b64_payload, "."),
       "TOKEN_INVALID"},
      {"AlgNoneSigned", Sign(OfficialPayload(), R"({"alg":"none"})"),
       "TOKEN_INVALID"},
      {"AlgHs512",
       HmacSha512Token(kKey, R"({"alg":"HS512","typ":"JWT"})",
                       OfficialPayload()),
       "TOKEN_INVALID"},
      {"AlgHs512SignedHs256",
       Sign(OfficialPayload(), R"({"alg":"HS512","typ":"JWT"})"),
       "TOKEN_INVALID"},
      {"AlgRs256", Sign(OfficialPayload(), R"({"alg":"RS256"})"),
       "TOKEN_INVALID"},
      {"AlgLowerCase", Sign(OfficialPayload(), R"({"alg":"hs256"})"),
       "TOKEN_INVALID"},
      {"AlgMissing", Sign(OfficialPayload(), R"({"typ":"JWT"})"),
       "TOKEN_INVALID"},
      {"Crit", Sign(OfficialPayload(), R"({"alg":"HS256","crit":"exp"})"),
       "TOKEN_INVALID"},
      {"TypNotJwt", Sign(OfficialPayload(), R"({"alg":"HS256","typ":"JOSE"})"),
       "TOKEN_INVALID"},
      {"HeaderDuplicateAlg",
       Sign(OfficialPayload(), R"({"alg":"HS256","alg":"none"})"),
       "TOKEN_INVALID"},
      {"Expired", Sign(Payload({R"("sub":"a")", R"("role":"admin")", Exp(-1)})),
       "TOKEN_EXPIRED"},
      {"ExpiresNow",
       Sign(Payload({R"("sub":"a")", R"("role":"admin")", Exp(0)})),
       "TOKEN_EXPIRED"},
      {"NbfInFuture",
       Sign(Payload({R"("sub":"a")", R"("role":"admin")", Exp(3600),
                     absl::StrCat("\"nbf\":", kNowSeconds + 60)})),
       "TOKEN_INVALID"},
      {"IatInFuture",
       Sign(Payload({R"("sub":"a")", R"("role":"admin")", Exp(3600),
                     absl::StrCat("\"iat\":", kNowSeconds + 3000)})),
       "TOKEN_INVALID"},
      {"MissingSub", Sign(Payload({R"("role":"admin")", Exp(3600)})),
       "TOKEN_INVALID"},
      {"EmptySub", Sign(Payload({R"("sub":"")", R"("role":"admin")", Exp(60)})),
       "TOKEN_INVALID"},
      {"NumericSub",
       Sign(Payload({R"("sub":7)", R"("role":"admin")", Exp(60)})),
       "TOKEN_INVALID"},
      {"ControlCharInSub",
       Sign(Payload({R"("sub":"a\nb")", R"("role":"admin")", Exp(60)})),
       "TOKEN_INVALID"},
      {"MissingRole", Sign(Payload({R"("sub":"a")", Exp(3600)})),
       "TOKEN_INVALID"},
      {"MissingExp", Sign(Payload({R"("sub":"a")", R"("role":"admin")"})),
       "TOKEN_INVALID"},
      {"StringExp",
       Sign(Payload({R"("sub":"a")", R"("role":"admin")",
                     absl::StrCat("\"exp\":\"", kNowSeconds + 60, "\"")})),
       "TOKEN_INVALID"},
      {"NegativeExp",
       Sign(Payload({R"("sub":"a")", R"("role":"admin")", R"("exp":-5)"})),
       "TOKEN_INVALID"},
      {"HugeExp",
       Sign(Payload({R"("sub":"a")", R"("role":"admin")", R"("exp":1e300)"})),
       "TOKEN_INVALID"},
      {"OfficialWithoutAgency",
       Sign(Payload({R"("sub":"a")", R"("role":"official")", Exp(60)})),
       "TOKEN_INVALID"},
      {"OfficialLowerCaseAgency",
       Sign(Payload({R"("sub":"a")", R"("role":"official")",
                     R"("agency":"diskopindag")", Exp(60)})),
       "TOKEN_INVALID"},
      {"OfficialWithPartner",
       Sign(Payload({R"("sub":"a")", R"("role":"official")",
                     R"("agency":"DISKOPINDAG")", R"("partner":"BRI")",
                     Exp(60)})),
       "TOKEN_INVALID"},
      {"BankWithoutPartner",
       Sign(Payload({R"("sub":"a")", R"("role":"bank")", Exp(60)})),
       "TOKEN_INVALID"},
      {"BankWithAgency",
       Sign(Payload({R"("sub":"a")", R"("role":"bank")", R"("partner":"BRI")",
                     R"("agency":"DISKOPINDAG")", Exp(60)})),
       "TOKEN_INVALID"},
      {"AdminWithAgency",
       Sign(Payload({R"("sub":"a")", R"("role":"admin")",
                     R"("agency":"DISKOPINDAG")", Exp(60)})),
       "TOKEN_INVALID"},
      {"UnknownRole",
       Sign(Payload({R"("sub":"a")", R"("role":"root")", Exp(60)})),
       "TOKEN_INVALID"},
      {"RoleNotString",
       Sign(Payload({R"("sub":"a")", R"("role":true)", Exp(60)})),
       "TOKEN_INVALID"},
      {"DuplicateRole",
       Sign(Payload({R"("sub":"a")", R"("role":"service")", R"("role":"admin")",
                     Exp(60)})),
       "TOKEN_INVALID"},
      {"Audience",
       Sign(Payload(
           {R"("sub":"a")", R"("role":"admin")", R"("aud":"x")", Exp(60)})),
       "TOKEN_INVALID"},
      {"PayloadNotJson", Sign("not json"), "TOKEN_INVALID"},
      {"PayloadNested",
       Sign(Payload(
           {R"("sub":"a")", R"("role":"admin")", R"("x":{"y":1})", Exp(60)})),
       "TOKEN_INVALID"},
      {"HeaderNotJson", Sign(OfficialPayload(), "HS256"), "TOKEN_INVALID"},
      {"Base64Padding", WithPart(good, 1, b64_payload + "="), "TOKEN_INVALID"},
      {"Base64StandardAlphabet",
       WithPart(good, 2, absl::StrCat("+/", good.substr(good.rfind('.') + 3))),
       "TOKEN_INVALID"},
      {"Base64BadLength", WithPart(good, 0, "A"), "TOKEN_INVALID"},
      {"Base64Whitespace", WithPart(good, 1, " " + b64_payload),
       "TOKEN_INVALID"},
      {"TwoParts", good.substr(0, good.rfind('.')), "TOKEN_INVALID"},
      {"FourParts", good + ".x", "TOKEN_INVALID"},
      {"EmptyParts", "..", "TOKEN_INVALID"},
      {"NotAToken", "hello", "TOKEN_INVALID"},
      {"Oversized", std::string(kMaxTokenBytes + 1, 'a'), "TOKEN_INVALID"},
      {"Empty", "", "TOKEN_MISSING"},
  };
}

TEST(TokenTest, RejectsBadTokensWithGenericUnauthenticated) {
  TokenVerifier verifier = MakeVerifier();
  // The baseline the cases are derived from is accepted, so each rejection
  // below is due to the one thing the case changes.
  ASSERT_THAT(verifier.Verify(Sign(OfficialPayload()), kNow), IsOk());
  for (const RejectCase& c : RejectCases()) {
    absl::StatusOr<Caller> result = verifier.Verify(c.token, kNow);
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnauthenticated)) << c.name;
    EXPECT_EQ(ReasonOf(result.status()), c.reason) << c.name;
    if (c.reason == "TOKEN_INVALID") {
      EXPECT_EQ(result.status().message(), "invalid token") << c.name;
    }
  }
}

TEST(TokenTest, NonCanonicalSignatureEncodingIsRejected) {
  TokenVerifier verifier = MakeVerifier();
  const std::string good = Sign(OfficialPayload());
  // 32 bytes encode to 43 characters; the last carries 2 unused bits. Setting
  // them keeps the decoded bytes under a lenient decoder but changes the text.
  std::string signature = good.substr(good.rfind('.') + 1);
  ASSERT_EQ(signature.size(), 43u);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t value = alphabet.find(signature.back());
  ASSERT_EQ(value % 4, 0u);
  signature.back() = alphabet[value + 1];
  EXPECT_THAT(verifier.Verify(WithPart(good, 2, signature), kNow),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(TokenTest, LeewayAcceptsSmallClockDifferences) {
  TokenVerifier verifier = MakeVerifier();
  const std::string token =
      Sign(Payload({R"("sub":"a")", R"("role":"admin")", Exp(3600),
                    absl::StrCat("\"nbf\":", kNowSeconds + 10),
                    absl::StrCat("\"iat\":", kNowSeconds + 10)}));
  EXPECT_THAT(verifier.Verify(token, kNow), IsOk());
  const std::string lower_typ = Sign(OfficialPayload(), R"({"alg":"HS256"})");
  EXPECT_THAT(verifier.Verify(lower_typ, kNow), IsOk());
  const std::string fractional_exp =
      Sign(Payload({R"("sub":"a")", R"("role":"admin")",
                    absl::StrCat("\"exp\":", kNowSeconds + 60, ".5")}));
  EXPECT_THAT(verifier.Verify(fractional_exp, kNow), IsOk());
}

TEST(TokenTest, UnknownClaimsAreIgnored) {
  TokenVerifier verifier = MakeVerifier();
  const std::string token =
      Sign(Payload({R"("sub":"a")", R"("role":"service")", R"("jti":"x1")",
                    R"("iss":"umkm-token")", Exp(60)}),
           R"({"alg":"HS256","typ":"jwt","kid":"k1"})");
  EXPECT_THAT(verifier.Verify(token, kNow), IsOk());
}

TEST(TokenTest, CacheReturnsSameResult) {
  TokenVerifier verifier = MakeVerifier();
  const std::string token = Sign(OfficialPayload());
  auto first = verifier.Verify(token, kNow);
  auto second = verifier.Verify(token, kNow + absl::Seconds(1));
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(first->subject, second->subject);
  EXPECT_EQ(first->role, second->role);
  EXPECT_EQ(first->agency, second->agency);
  EXPECT_EQ(first->expires, second->expires);
}

TEST(TokenTest, CachedTokenStopsWorkingWhenItExpires) {
  TokenVerifier verifier = MakeVerifier();
  const std::string token = Sign(OfficialPayload());  // exp = now + 3600
  ASSERT_THAT(verifier.Verify(token, kNow), IsOk());
  auto later = verifier.Verify(token, kNow + absl::Seconds(3600));
  EXPECT_THAT(later, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(ReasonOf(later.status()), "TOKEN_EXPIRED");
  // Still expired on the next call (the entry was dropped, not revived).
  EXPECT_EQ(ReasonOf(verifier.Verify(token, kNow + absl::Hours(2)).status()),
            "TOKEN_EXPIRED");
}

TEST(TokenTest, CachedTokenStillHonoursNotBefore) {
  TokenVerifier verifier = MakeVerifier();
  const std::string token =
      Sign(Payload({R"("sub":"a")", R"("role":"admin")", Exp(3600),
                    absl::StrCat("\"nbf\":", kNowSeconds)}));
  ASSERT_THAT(verifier.Verify(token, kNow), IsOk());
  EXPECT_THAT(verifier.Verify(token, kNow - absl::Minutes(5)),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(TokenTest, CacheIsBoundedAndKeepsWorkingWhenFull) {
  TokenVerifier verifier = MakeVerifier();
  std::vector<std::string> tokens;
  for (size_t i = 0; i < kVerifiedCacheCapacity + 10; ++i) {
    tokens.push_back(MintToken(kKey, {absl::StrCat("svc-", i), Role::kService,
                                      "", "", kNow + absl::Hours(1)}));
  }
  for (const std::string& token : tokens) {
    ASSERT_THAT(verifier.Verify(token, kNow), IsOk());
  }
  for (const std::string& token : tokens) {
    ASSERT_THAT(verifier.Verify(token, kNow), IsOk());
  }
}

TEST(TokenTest, ConcurrentVerifyAgreesAcrossThreads) {
  TokenVerifier verifier = MakeVerifier();
  const std::string good = Sign(OfficialPayload());
  const std::string bad = Tamper(good, 2);
  std::vector<std::thread> threads;
  std::vector<int> accepted(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (verifier.Verify(good, kNow).ok()) ++accepted[t];
        if (verifier.Verify(bad, kNow).ok()) --accepted[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : accepted) EXPECT_EQ(count, 500);
}

TEST(TokenTest, KeyMustBeLongEnough) {
  EXPECT_THAT(TokenVerifier::FromKey(std::string(31, 'k')),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TokenVerifier::FromKey(std::string(32, 'k')), IsOk());
}

TEST(TokenTest, KeyFileIsTrimmed) {
  const std::string path = ::testing::TempDir() + "/auth_key";
  std::ofstream(path, std::ios::trunc) << "\n  " << kKey << "  \n";
  auto verifier = TokenVerifier::FromKeyFile(path);
  ASSERT_THAT(verifier, IsOk());
  EXPECT_THAT(verifier->Verify(Sign(OfficialPayload()), kNow), IsOk());

  const std::string short_path = ::testing::TempDir() + "/auth_key_short";
  std::ofstream(short_path, std::ios::trunc) << "too-short\n";
  auto short_key = TokenVerifier::FromKeyFile(short_path);
  EXPECT_THAT(short_key, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(short_key.status().message(), HasSubstr(short_path));
  EXPECT_THAT(short_key.status().message(), Not(HasSubstr("too-short")));
  EXPECT_THAT(TokenVerifier::FromKeyFile(path + ".missing"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(TokenTest, AuthenticateHeaderAcceptsBearerInAnyCase) {
  TokenVerifier verifier = MakeVerifier();
  const std::string token = Sign(OfficialPayload());
  for (const std::string& value :
       {"Bearer " + token, "bearer " + token, "BEARER   " + token,
        " Bearer " + token + " "}) {
    auto caller = AuthenticateHeader(verifier, value, kNow);
    ASSERT_THAT(caller, IsOk()) << value;
    EXPECT_EQ(caller->agency, "DISKOPINDAG");
  }
}

TEST(TokenTest, AuthenticateHeaderRejectsOtherForms) {
  TokenVerifier verifier = MakeVerifier();
  const std::string token = Sign(OfficialPayload());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "TOKEN_MISSING"},
      {"   ", "TOKEN_MISSING"},
      {"Bearer", "TOKEN_MISSING"},
      {"Bearer ", "TOKEN_MISSING"},
      {token, "TOKEN_INVALID"},
      {"Basic dXNlcjpwYXNz", "TOKEN_INVALID"},
      {"Token " + token, "TOKEN_INVALID"},
      {"Bearer" + token, "TOKEN_INVALID"},
      {"Bearer " + token + " extra", "TOKEN_INVALID"},
      {"Bearer " + Tamper(token, 1), "TOKEN_INVALID"},
  };
  for (const auto& [value, reason] : cases) {
    auto caller = AuthenticateHeader(verifier, value, kNow);
    EXPECT_THAT(caller, StatusIs(absl::StatusCode::kUnauthenticated)) << value;
    EXPECT_EQ(ReasonOf(caller.status()), reason) << value;
  }
}

TEST(TokenTest, ValidateClaimsNamesTheBadClaim) {
  const absl::Time exp = kNow + absl::Hours(1);
  const std::vector<std::pair<Claims, std::string>> cases = {
      {{"", Role::kAdmin, "", "", exp}, "sub"},
      {{"a", Role::kOfficial, "", "", exp}, "agency"},
      {{"a", Role::kOfficial, "Diskopindag", "", exp}, "agency"},
      {{"a", Role::kAdmin, "DISKOPINDAG", "", exp}, "agency"},
      {{"a", Role::kBank, "", "", exp}, "partner"},
      {{"a", Role::kService, "", "BRI", exp}, "partner"},
      {{"a", Role::kAdmin, "", "", absl::InfinitePast()}, "exp"},
  };
  for (const auto& [claims, field] : cases) {
    absl::Status status = ValidateClaims(claims);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << field;
    ASSERT_EQ(FieldViolationsOf(status).size(), 1u) << field;
    EXPECT_EQ(FieldViolationsOf(status)[0].field, field);
  }
}

}  // namespace
}  // namespace umkm::auth
