#include "common/auth/flat_json.h"

#include <string>
#include <vector>

#include "common/base/json_string.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::auth {
namespace {

using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

TEST(FlatJsonTest, ParsesEveryScalarKind) {
  auto object = ParseFlatJsonObject(
      R"( {"s":"x","n":-12.5e1,"i":1700000000,"t":true,"f":false,"z":null} )");
  ASSERT_THAT(object, IsOk());
  EXPECT_EQ(object->at("s").kind, JsonValue::Kind::kString);
  EXPECT_EQ(object->at("s").string, "x");
  EXPECT_EQ(object->at("n").kind, JsonValue::Kind::kNumber);
  EXPECT_EQ(object->at("n").number, -125.0);
  EXPECT_EQ(object->at("i").number, 1700000000.0);
  EXPECT_TRUE(object->at("t").boolean);
  EXPECT_EQ(object->at("f").kind, JsonValue::Kind::kBool);
  EXPECT_FALSE(object->at("f").boolean);
  EXPECT_EQ(object->at("z").kind, JsonValue::Kind::kNull);
}

TEST(FlatJsonTest, EmptyObject) {
  auto object = ParseFlatJsonObject("{}");
  ASSERT_THAT(object, IsOk());
  EXPECT_TRUE(object->empty());
}

TEST(FlatJsonTest, DecodesStringEscapes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"k":"a\"b\\c\/d"})", "a\"b\\c/d"},
      {R"({"k":"\b\f\n\r\t"})", "\b\f\n\r\t"},
      {R"({"k":"\u0041\u00e9\u20AC"})", "A\xC3\xA9\xE2\x82\xAC"},
      // Surrogate pair: U+1F600.
      {R"({"k":"\ud83d\ude00"})", "\xF0\x9F\x98\x80"},
      // Raw UTF-8 passes through.
      {"{\"k\":\"Malang \xC3\xA9\"}", "Malang \xC3\xA9"},
      {R"({"k":"\u0000"})", std::string(1, '\0')},
  };
  for (const auto& [json, want] : cases) {
    auto object = ParseFlatJsonObject(json);
    ASSERT_THAT(object, IsOk()) << json;
    EXPECT_EQ(object->at("k").string, want) << json;
  }
}

TEST(FlatJsonTest, RejectsMalformedInput) {
  const std::vector<std::string> cases = {
      "",
      "[]",
      "\"s\"",
      "{",
      R"({"a":1,})",
      R"({"a" 1})",
      R"({a:1})",
      R"({"a":1}x)",
      R"({"a":1}{})",
      R"({"a":1,"a":2})",  // duplicate member
      R"({"a":{"b":1}})",  // nesting
      R"({"a":[1]})",
      R"({"a":01})",
      R"({"a":1.})",
      R"({"a":.5})",
      R"({"a":1e})",
      R"({"a":+1})",
      R"({"a":1e999})",
      R"({"a":tru})",
      R"({"a":nul})",
      R"({"a":"\x"})",
      R"({"a":"\u12"})",
      R"({"a":"\u12G4"})",
      R"({"a":"\ud83d"})",             // lone high surrogate
      R"({"a":"\ud83d\u0041"})",       // high surrogate + non-low
      R"({"a":"\ude00"})",             // lone low surrogate
      "{\"a\":\"tab\there\"}",         // unescaped control character
      "{\"a\":\"\xC3\"}",              // truncated UTF-8
      "{\"a\":\"\xC0\xAF\"}",          // overlong
      "{\"a\":\"\xED\xA0\x80\"}",      // encoded surrogate
      "{\"a\":\"\xF4\x90\x80\x80\"}",  // above U+10FFFF
      "{\"a\":\"\xFF\"}",
      R"({"a":"unterminated})",
  };
  for (const std::string& json : cases) {
    EXPECT_THAT(ParseFlatJsonObject(json),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << json;
  }
}

TEST(FlatJsonTest, RejectsOversizedInput) {
  std::string json = R"({"a":")" + std::string(kMaxFlatJsonBytes, 'x') + "\"}";
  EXPECT_THAT(ParseFlatJsonObject(json),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FlatJsonTest, WriterOutputParsesBackToTheSameString) {
  const std::vector<std::string> values = {"", "plain", "quote\" back\\slash",
                                           "ctl\x01\x1f\n\t\r",
                                           "unicode \xE2\x82\xAC"};
  for (const std::string& value : values) {
    std::string json = "{\"k\":";
    umkm::AppendJsonString(value, &json);
    json += "}";
    auto object = ParseFlatJsonObject(json);
    ASSERT_THAT(object, IsOk()) << json;
    EXPECT_EQ(object->at("k").string, value);
  }
}

}  // namespace
}  // namespace umkm::auth
