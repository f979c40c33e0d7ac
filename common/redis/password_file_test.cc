#include "common/redis/password_file.h"

#include <fstream>

#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::redis {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

class PasswordFileTest : public ::testing::Test {
 protected:
  std::string WithText(const std::string& text) {
    const std::string path = dir_.File("redis.password");
    std::ofstream(path, std::ios::trunc) << text;
    return path;
  }

  umkm::testing::TempDir dir_;
};

TEST_F(PasswordFileTest, UserAndPassword) {
  auto credentials = ReadRedisPasswordFile(WithText("umkm  s3cr3t-9f\n"));
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->user, "umkm");
  EXPECT_EQ(credentials->password, "s3cr3t-9f");
}

TEST_F(PasswordFileTest, PasswordAloneIsTheDefaultUsers) {
  auto credentials = ReadRedisPasswordFile(WithText("\ts3cr3t-9f \n"));
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->user, "");
  EXPECT_EQ(credentials->password, "s3cr3t-9f");
}

TEST_F(PasswordFileTest, MalformedFilesAreRefusedWithoutTheirContent) {
  for (const char* text :
       {"", " \n", "umkm s3cr3t-9f extra", "umkm\ns3cr3t-9f"}) {
    auto refused = ReadRedisPasswordFile(WithText(text));
    EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument,
                                  AllOf(HasSubstr("--redis_password_file"),
                                        Not(HasSubstr("s3cr3t")))))
        << "text: " << text;
  }
  EXPECT_THAT(ReadRedisPasswordFile(dir_.File("absent")),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace umkm::redis
