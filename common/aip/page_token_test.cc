#include "common/aip/page_token.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::aip {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

constexpr absl::string_view kKey = "test-key-of-at-least-thirty-two-bytes!!";

PageCursor Cursor(absl::string_view filter) {
  PageCursor cursor;
  cursor.fingerprint =
      RequestFingerprint({"businesses", filter, "display_name"});
  cursor.last_values = {std::string("Keripik \"Sanan\" ' OR 1=1"), int64_t{-42},
                        3.25, std::string(""), int64_t{9223372036854775807}};
  return cursor;
}

void ExpectBadToken(const absl::StatusOr<PageCursor>& decoded) {
  EXPECT_THAT(decoded, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(decoded.status()),
              ElementsAre(Field(&FieldViolation::field, "page_token")));
}

TEST(PageTokenTest, RoundTrips) {
  const PageCursor cursor = Cursor("scale = SCALE_MIKRO");
  const std::string token = EncodePageToken(cursor, kKey);
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
                                    "opqrstuvwxyz0123456789-_"),
            std::string::npos);
  absl::StatusOr<PageCursor> decoded =
      DecodePageToken(token, kKey, cursor.fingerprint);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->fingerprint, cursor.fingerprint);
  EXPECT_EQ(decoded->last_values, cursor.last_values);
}

TEST(PageTokenTest, EmptyCursorRoundTrips) {
  PageCursor cursor;
  cursor.fingerprint = RequestFingerprint({});
  absl::StatusOr<PageCursor> decoded =
      DecodePageToken(EncodePageToken(cursor, kKey), kKey, cursor.fingerprint);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(decoded->last_values.empty());
}

TEST(PageTokenTest, ReuseWithAnotherFilterIsRejected) {
  const PageCursor cursor = Cursor("scale = SCALE_MIKRO");
  const std::string token = EncodePageToken(cursor, kKey);
  absl::StatusOr<PageCursor> decoded =
      DecodePageToken(token, kKey,
                      RequestFingerprint({"businesses", "scale = SCALE_KECIL",
                                          "display_name"}));
  ExpectBadToken(decoded);
  EXPECT_THAT(FieldViolationsOf(decoded.status())[0].description,
              HasSubstr("different filter or order_by"));
}

TEST(PageTokenTest, ReuseWithAnotherOrderIsRejected) {
  const PageCursor cursor = Cursor("");
  ExpectBadToken(DecodePageToken(
      EncodePageToken(cursor, kKey), kKey,
      RequestFingerprint({"businesses", "", "display_name desc"})));
}

TEST(PageTokenTest, EveryChangedCharacterIsRejected) {
  const PageCursor cursor = Cursor("x");
  const std::string token = EncodePageToken(cursor, kKey);
  for (size_t i = 0; i < token.size(); ++i) {
    for (char replacement : {'A', 'z', '-', '_', '0'}) {
      if (token[i] == replacement) continue;
      std::string tampered = token;
      tampered[i] = replacement;
      SCOPED_TRACE(tampered);
      ExpectBadToken(DecodePageToken(tampered, kKey, cursor.fingerprint));
    }
  }
}

TEST(PageTokenTest, ForgedPayloadIsRejected) {
  // Re-encode the payload with other values but keep the old MAC.
  const PageCursor cursor = Cursor("x");
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(EncodePageToken(cursor, kKey), &raw));
  PageCursor other = cursor;
  other.last_values[1] = int64_t{0};
  std::string other_raw;
  ASSERT_TRUE(
      absl::WebSafeBase64Unescape(EncodePageToken(other, kKey), &other_raw));
  const std::string forged =
      other_raw.substr(0, other_raw.size() - 16) + raw.substr(raw.size() - 16);
  ExpectBadToken(DecodePageToken(absl::WebSafeBase64Escape(forged), kKey,
                                 cursor.fingerprint));
}

TEST(PageTokenTest, OtherKeyIsRejected) {
  const PageCursor cursor = Cursor("x");
  ExpectBadToken(DecodePageToken(EncodePageToken(cursor, kKey),
                                 "another-key-of-at-least-32-bytes-long",
                                 cursor.fingerprint));
}

TEST(PageTokenTest, GarbageIsRejected) {
  const std::string fingerprint = RequestFingerprint({"x"});
  const std::string token = EncodePageToken(Cursor("x"), kKey);
  for (const std::string& garbage :
       {std::string(""), std::string("abc"), std::string("!!!!"),
        std::string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), token + "=",
        token + "A", token.substr(0, token.size() - 1), " " + token,
        std::string(5000, 'A'), std::string("\0\0\0", 3)}) {
    ExpectBadToken(DecodePageToken(garbage, kKey, fingerprint));
  }
}

TEST(RequestFingerprintTest, FramesParts) {
  EXPECT_EQ(RequestFingerprint({"a", "b"}).size(), 16u);
  EXPECT_EQ(RequestFingerprint({"a", "b"}), RequestFingerprint({"a", "b"}));
  EXPECT_NE(RequestFingerprint({"ab", "c"}), RequestFingerprint({"a", "bc"}));
  EXPECT_NE(RequestFingerprint({"a", ""}), RequestFingerprint({"a"}));
}

TEST(ClampPageSizeTest, Rules) {
  EXPECT_THAT(ClampPageSize(0, 50, 1000), IsOkAndHolds(50));
  EXPECT_THAT(ClampPageSize(1, 50, 1000), IsOkAndHolds(1));
  EXPECT_THAT(ClampPageSize(1000, 50, 1000), IsOkAndHolds(1000));
  EXPECT_THAT(ClampPageSize(1001, 50, 1000), IsOkAndHolds(1000));
  EXPECT_THAT(ClampPageSize(2147483647, 50, 1000), IsOkAndHolds(1000));
  absl::StatusOr<int> negative = ClampPageSize(-1, 50, 1000);
  EXPECT_THAT(negative, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(negative.status()),
              ElementsAre(Field(&FieldViolation::field, "page_size")));
  EXPECT_THAT(ClampPageSize(-2147483647 - 1, 50, 1000),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace umkm::aip
