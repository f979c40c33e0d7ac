// The JSON log: line format, masking, and what reaches the output (levels,
// Flush) through the test output hook.
#include "common/log/json_log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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

TEST(MaskPersonalDataTest, MasksDigitGroupsSplitBySeparators) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"3573-0215-0890-0001", "3573-****-****-**01"},
           {"nik 3573 0215 0890 0001.", "nik 3573 **** **** **01."},
           {"3573.0215.0890.0001", "3573.****.****.**01"},
           {"3573_0215_0890_0001", "3573_****_****_**01"},
           {"35.73.02.150890.0001", "35.73.**.******.**01"},
           {"0812-3456-7890", "0812-****-**90"},
           {"+62 812-3456-7890", "+62 81*-****-**90"},
           {"(0341) 551234", "(0341) ****34"},
           {"0812 - 3456 - 7890", "0812 - **** - **90"},
           // Not people: short groups, times and dates, place codes.
           {"2027-01-04T08:00:00+07:00", "2027-01-04T08:00:00+07:00"},
           {"127.0.0.1:50051", "127.0.0.1:50051"},
           {"35.73.02.1004", "35.73.02.1004"},
           {"page 12 of 345", "page 12 of 345"},
       }) {
    EXPECT_EQ(MaskPersonalData(c.in), c.out) << c.in;
  }
}

TEST(FormatLineTest, MasksSeparatedDigitGroupsInFieldValues) {
  std::string line = FormatLine(0, Level::kInfo, "rpc",
                                {{"request_id", "3573-0215-0890-0001"}});
  EXPECT_NE(line.find("\"request_id\":\"3573-****-****-**01\""),
            std::string::npos)
      << line;
}

TEST(FormatLineTest, MasksFieldValuesButNotNumbers) {
  std::string line = FormatLine(
      0, Level::kWarning, "x",
      {{"nik", "3573021508900001"}, {"count", int64_t{3573021508900001}}});
  EXPECT_NE(line.find("\"nik\":\"3573**********01\""), std::string::npos);
  EXPECT_NE(line.find("\"count\":3573021508900001"), std::string::npos);
}

TEST(FormatLineTest, NamesEveryLevel) {
  struct Case {
    Level level;
    const char* name;
  };
  for (const Case& c : std::initializer_list<Case>{{Level::kDebug, "debug"},
                                                   {Level::kInfo, "info"},
                                                   {Level::kWarning, "warning"},
                                                   {Level::kError, "error"}}) {
    EXPECT_NE(FormatLine(0, c.level, "x", {})
                  .find(absl::StrCat("\"level\":\"", c.name, "\"")),
              std::string::npos)
        << c.name;
  }
}

// Sends the log to a temporary file for the test, and back to stderr after.
class LogOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::tmpfile();
    ASSERT_NE(file_, nullptr);
    Flush();  // nothing logged before the test lands in the file
    SetOutputFdForTesting(fileno(file_));
    SetMinLevel(Level::kInfo);
  }
  void TearDown() override {
    Flush();
    SetOutputFdForTesting(STDERR_FILENO);
    SetMinLevel(Level::kInfo);
    std::fclose(file_);
  }

  // Every line in the file so far, without newlines. Does not flush: the
  // tests call Flush() themselves, since that is what they check.
  std::vector<std::string> Lines() const {
    struct stat info;
    if (::fstat(fileno(file_), &info) != 0) return {};
    std::string text(static_cast<size_t>(info.st_size), '\0');
    if (::pread(fileno(file_), text.data(), text.size(), 0) !=
        static_cast<ssize_t>(text.size())) {
      return {};
    }
    std::vector<std::string> lines = absl::StrSplit(text, '\n');
    // Each line ends in a newline, so the last piece is empty (or partial,
    // which the tests would then see).
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
  }

  std::FILE* file_ = nullptr;
};

TEST_F(LogOutputTest, FlushWritesEveryEarlierLineInOrder) {
  // More than the writer's 64 KiB batch, so some lines go out on size and
  // the rest on Flush.
  constexpr int kLines = 2000;
  for (int i = 0; i < kLines; ++i) {
    Info("flush test", {{"i", i}, {"pad", std::string(40, 'x')}});
  }
  Flush();
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kLines));
  for (int i = 0; i < kLines; ++i) {
    EXPECT_NE(lines[i].find(absl::StrCat("\"i\":", i, ",")), std::string::npos)
        << lines[i];
    EXPECT_EQ(lines[i].back(), '}') << lines[i];
  }
}

TEST_F(LogOutputTest, RecordsBelowTheMinimumLevelAreDropped) {
  SetMinLevel(Level::kWarning);
  Write(Level::kDebug, "dropped debug");
  Info("dropped info");
  Warning("kept warning");
  Error("kept error");
  Flush();
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(R"("level":"warning","msg":"kept warning")"),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find(R"("level":"error","msg":"kept error")"),
            std::string::npos)
      << lines[1];
}

TEST_F(LogOutputTest, DebugIsWrittenOnceTheMinimumAllowsIt) {
  Write(Level::kDebug, "dropped at info");
  SetMinLevel(Level::kDebug);
  Write(Level::kDebug, "kept at debug");
  Flush();
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(R"("level":"debug","msg":"kept at debug")"),
            std::string::npos)
      << lines[0];
}

TEST_F(LogOutputTest, FlushWithNothingPendingReturns) {
  Flush();
  Flush();
  EXPECT_TRUE(Lines().empty());
}

}  // namespace
}  // namespace umkm::log
