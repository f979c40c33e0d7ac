#include "common/log/json_log.h"

#include "gtest/gtest.h"

namespace umkm::log {
namespace {

TEST(FormatLineTest, WritesTimestampLevelMessageAndFields) {
  std::string line =
      FormatLine(1'700'000'000'123'000, Level::kInfo, "rpc",
                 {{"method", "/umkm.registry.v1.RegistryService/GetBusiness"},
                  {"code", 0},
                  {"latency_ms", 1.5},
                  {"cached", true}});
  EXPECT_EQ(line,
            "{\"ts\":\"2023-11-14T22:13:20.123Z\",\"level\":\"info\","
            "\"msg\":\"rpc\",\"method\":\"/umkm.registry.v1.RegistryService/"
            "GetBusiness\",\"code\":0,\"latency_ms\":1.500,\"cached\":true}\n");
}

TEST(FormatLineTest, FormatsRealsWithThreeDecimals) {
  struct Case {
    double value;
    const char* text;
  };
  for (const Case& c :
       std::initializer_list<Case>{{0.0, "0.000"},
                                   {0.0004, "0.000"},
                                   {0.0005, "0.001"},
                                   {1.5, "1.500"},
                                   {123.4567, "123.457"},
                                   {-2.25, "-2.250"},
                                   {1e20, "100000000000000000000.000"}}) {
    std::string line = FormatLine(0, Level::kInfo, "x", {{"v", c.value}});
    EXPECT_NE(line.find(std::string("\"v\":") + c.text + "}"),
              std::string::npos)
        << line;
  }
}

TEST(FormatLineTest, EscapesControlCharactersAndQuotes) {
  std::string line = FormatLine(0, Level::kError, "a\"b\\c\nd\x01", {});
  EXPECT_NE(line.find(R"("msg":"a\"b\\c\nd\u0001")"), std::string::npos)
      << line;
}

TEST(MaskPersonalDataTest, MasksLongDigitRuns) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"nik 3573021508900001 bad", "nik 3573**********01 bad"},
           {"+6281234567890", "+6281*******90"},
           {"code 35.73.02.1004", "code 35.73.02.1004"},
           {"123456789", "123456789"},
           {"", ""},
       }) {
    EXPECT_EQ(MaskPersonalData(c.in), c.out) << c.in;
  }
}

TEST(FormatLineTest, MasksFieldValuesButNotNumbers) {
  std::string line = FormatLine(
      0, Level::kWarning, "x",
      {{"nik", "3573021508900001"}, {"count", int64_t{3573021508900001}}});
  EXPECT_NE(line.find("\"nik\":\"3573**********01\""), std::string::npos);
  EXPECT_NE(line.find("\"count\":3573021508900001"), std::string::npos);
}

}  // namespace
}  // namespace umkm::log
