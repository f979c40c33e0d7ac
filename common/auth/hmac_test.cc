#include "common/auth/hmac.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace umkm::auth {
namespace {

std::string Hex(const HmacSha256::Digest& digest) {
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
}

TEST(HmacTest, MatchesRfc4231Vectors) {
  // RFC 4231 test cases 2 and 6 (key longer than the block size).
  EXPECT_EQ(Hex(HmacSha256("Jefe").Compute("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(HmacSha256(std::string(131, '\xaa'))
                    .Compute("Test Using Larger Than Block-Size Key - Hash "
                             "Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacTest, RepeatedAndConcurrentUseGivesTheSameDigest) {
  const HmacSha256 mac("Jefe");
  const HmacSha256::Digest want = mac.Compute("what do ya want for nothing?");
  std::vector<std::thread> threads;
  std::vector<int> matches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (mac.Compute("what do ya want for nothing?") == want) ++matches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : matches) EXPECT_EQ(count, 200);
}

}  // namespace
}  // namespace umkm::auth
