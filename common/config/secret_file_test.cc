#include "common/config/secret_file.h"

#include <fstream>
#include <string>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

TEST(SecretFileTest, TrimsSurroundingWhitespace) {
  const std::string path =
      WriteFile("secret_trim", "  \t0123456789abcdef0123456789abcdef\n\n");
  EXPECT_THAT(ReadSecretFile(path, 32, "test key"),
              IsOkAndHolds("0123456789abcdef0123456789abcdef"));
}

TEST(SecretFileTest, KeepsInnerWhitespace) {
  const std::string path = WriteFile("secret_inner", "ab cd\n");
  EXPECT_THAT(ReadSecretFile(path, 5, "test key"), IsOkAndHolds("ab cd"));
}

TEST(SecretFileTest, TooShortIsRejectedWithoutEchoingTheSecret) {
  const std::string path = WriteFile("secret_short", "short-secret-value\n");
  auto result = ReadSecretFile(path, 32, "test key");
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(result.status().message(), HasSubstr("at least 32"));
  EXPECT_THAT(result.status().message(), Not(HasSubstr("short-secret-value")));
}

TEST(SecretFileTest, WhitespaceOnlyIsTooShort) {
  const std::string path = WriteFile("secret_blank", std::string(40, ' '));
  EXPECT_THAT(ReadSecretFile(path, 32, "test key"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SecretFileTest, MissingFileIsNotFound) {
  EXPECT_THAT(
      ReadSecretFile(::testing::TempDir() + "/no/such/file", 32, "test key"),
      StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ReadSecretFile("", 32, "test key"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SecretFileTest, HugeFileIsRejected) {
  const std::string path =
      WriteFile("secret_huge", std::string(kMaxSecretFileBytes + 1, 'k'));
  EXPECT_THAT(ReadSecretFile(path, 32, "test key"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace umkm::config
