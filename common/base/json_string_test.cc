#include "common/base/json_string.h"

#include <string>

#include "gtest/gtest.h"

namespace umkm {
namespace {

struct Case {
  std::string text;
  std::string literal;
};

TEST(AppendJsonStringTest, EscapesExactlyQuotesBackslashesAndControls) {
  const Case cases[] = {
      {"", R"("")"},
      {"plain text / 123", R"("plain text / 123")"},
      {"a\"b\\c", R"("a\"b\\c")"},
      {"\n\r\t", R"("\n\r\t")"},
      {std::string("\0\x01\x1f", 3), R"("\u0000\u0001\u001f")"},
      {"\x7f", "\"\x7f\""},                            // DEL is not a control
      {"Rp \xE2\x82\xAC 5", "\"Rp \xE2\x82\xAC 5\""},  // UTF-8 copied as is
      {"\xff", "\"\xff\""},                            // invalid UTF-8 too
      {"\b\f", R"("\u0008\u000c")"},                   // no \b, \f short forms
  };
  for (const Case& c : cases) {
    std::string out = "prefix:";
    AppendJsonString(c.text, &out);
    EXPECT_EQ(out, "prefix:" + c.literal) << c.text;
  }
}

TEST(AppendJsonStringTest, BodyIsTheLiteralWithoutQuotes) {
  std::string body;
  AppendJsonStringBody("say \"hi\"\n", &body);
  EXPECT_EQ(body, R"(say \"hi\"\n)");
}

}  // namespace
}  // namespace umkm
