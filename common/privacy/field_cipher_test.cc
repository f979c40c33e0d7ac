#include "common/privacy/field_cipher.h"

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::privacy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

constexpr absl::string_view kSecret = "test-master-secret-0123456789abcdef";
constexpr absl::string_view kOtherSecret = "another-master-secret-0123456789ab";
constexpr absl::string_view kNik = "3573021508900001";
constexpr absl::string_view kRow = "businesses/42";

FieldCipher MakeCipher(absl::string_view secret = kSecret) {
  auto cipher = FieldCipher::FromSecret(secret);
  EXPECT_THAT(cipher, IsOk());
  return *std::move(cipher);
}

TEST(FieldCipherTest, RoundTrips) {
  FieldCipher cipher = MakeCipher();
  const std::vector<std::string> plaintexts = {
      "", std::string(kNik), "+6281234567890", "Siti \xC3\x84 \"quoted\"",
      std::string(1000, '\0')};
  for (const std::string& plaintext : plaintexts) {
    auto sealed = cipher.Encrypt(plaintext, kRow);
    ASSERT_THAT(sealed, IsOk());
    EXPECT_EQ(sealed->size(), plaintext.size() + FieldCipher::kOverheadBytes);
    EXPECT_EQ(static_cast<uint8_t>((*sealed)[0]), FieldCipher::kVersion);
    if (!plaintext.empty()) {
      EXPECT_THAT(*sealed, Not(HasSubstr(plaintext)));
    }
    EXPECT_THAT(cipher.Decrypt(*sealed, kRow), IsOkAndHolds(plaintext));
  }
}

TEST(FieldCipherTest, AnotherInstanceFromTheSameSecretDecrypts) {
  auto sealed = MakeCipher().Encrypt(kNik, kRow);
  ASSERT_THAT(sealed, IsOk());
  EXPECT_THAT(MakeCipher().Decrypt(*sealed, kRow), IsOkAndHolds(kNik));
}

TEST(FieldCipherTest, EveryModifiedByteIsDetected) {
  FieldCipher cipher = MakeCipher();
  auto sealed = cipher.Encrypt(kNik, kRow);
  ASSERT_THAT(sealed, IsOk());
  // Version byte, each nonce byte, each ciphertext byte, each tag byte.
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string tampered = *sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_THAT(cipher.Decrypt(tampered, kRow),
                StatusIs(absl::StatusCode::kDataLoss))
        << "byte " << i;
  }
}

TEST(FieldCipherTest, TruncatedOrExtendedIsDetected) {
  FieldCipher cipher = MakeCipher();
  auto sealed = cipher.Encrypt(kNik, kRow);
  ASSERT_THAT(sealed, IsOk());
  for (size_t size : {size_t{0}, size_t{1}, FieldCipher::kOverheadBytes - 1,
                      FieldCipher::kOverheadBytes, sealed->size() - 1}) {
    EXPECT_THAT(cipher.Decrypt(sealed->substr(0, size), kRow),
                StatusIs(absl::StatusCode::kDataLoss))
        << size;
  }
  EXPECT_THAT(cipher.Decrypt(*sealed + "x", kRow),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(FieldCipherTest, AssociatedDataMismatchIsDetected) {
  FieldCipher cipher = MakeCipher();
  auto sealed = cipher.Encrypt(kNik, kRow);
  ASSERT_THAT(sealed, IsOk());
  for (absl::string_view other :
       {"businesses/43", "", "businesses/42 ", "businesses/4"}) {
    EXPECT_THAT(cipher.Decrypt(*sealed, other),
                StatusIs(absl::StatusCode::kDataLoss))
        << other;
  }
}

TEST(FieldCipherTest, OtherKeyCannotDecrypt) {
  auto sealed = MakeCipher().Encrypt(kNik, kRow);
  ASSERT_THAT(sealed, IsOk());
  EXPECT_THAT(MakeCipher(kOtherSecret).Decrypt(*sealed, kRow),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(FieldCipherTest, NoncesAreFreshForEveryEncryption) {
  FieldCipher cipher = MakeCipher();
  std::set<std::string> nonces;
  std::set<std::string> outputs;
  for (int i = 0; i < 100; ++i) {
    auto sealed = cipher.Encrypt(kNik, kRow);
    ASSERT_THAT(sealed, IsOk());
    nonces.insert(sealed->substr(1, FieldCipher::kNonceBytes));
    outputs.insert(*sealed);
  }
  EXPECT_EQ(nonces.size(), 100u);
  EXPECT_EQ(outputs.size(), 100u);
}

TEST(FieldCipherTest, BlindIndexIsDeterministicHexAndKeyDependent) {
  FieldCipher cipher = MakeCipher();
  const std::string index = cipher.BlindIndex(kNik);
  EXPECT_EQ(index.size(), 64u);
  EXPECT_EQ(index.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(MakeCipher().BlindIndex(kNik), index);
  EXPECT_NE(MakeCipher(kOtherSecret).BlindIndex(kNik), index);
  EXPECT_NE(cipher.BlindIndex("3573055508900002"), index);
  EXPECT_NE(cipher.BlindIndex(""), index);
}

TEST(FieldCipherTest, BlindIndexMatchesIndependentComputation) {
  // HMAC-SHA256(HKDF-SHA256(secret, salt "umkm.malangkota.go.id/privacy",
  // info "umkm/privacy/v1/blind-index"), NIK), computed with Python's hmac
  // and hashlib. Stored indexes depend on this value never changing.
  EXPECT_EQ(MakeCipher().BlindIndex(kNik),
            "9697e42a2d54b0d4682a69e3be447750512b6215889971cb5a6919802d81e2db");
}

TEST(FieldCipherTest, SecretMustBeLongEnough) {
  EXPECT_THAT(FieldCipher::FromSecret(std::string(31, 's')),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldCipher::FromSecret(std::string(32, 's')), IsOk());
}

TEST(FieldCipherTest, KeyFileIsTrimmed) {
  const std::string path = ::testing::TempDir() + "/privacy_secret";
  std::ofstream(path, std::ios::trunc) << "  " << kSecret << "\n";
  auto cipher = FieldCipher::FromKeyFile(path);
  ASSERT_THAT(cipher, IsOk());
  EXPECT_EQ(cipher->BlindIndex(kNik), MakeCipher().BlindIndex(kNik));
  EXPECT_THAT(FieldCipher::FromKeyFile(path + ".missing"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace umkm::privacy
