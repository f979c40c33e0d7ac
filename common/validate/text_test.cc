#include "common/validate/text.h"

#include <string>
#include <vector>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::validate {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

TEST(ValidateTextTest, OrdinaryTextOfAnyScriptPasses) {
  for (const char* text : {
           "Keripik Tempe \"Bu Sri\" - Sanan",
           "Warung Mbok Darmi ☕ Ngalam",
           "Jl. Bulu Tangkis No. 12, RT 01/RW 02",
           "\u0645\u0637\u0639\u0645",  // Arabic
           "\u0915\u094d\u200d\u0937",  // Devanagari with ZWJ (U+200D)
           "\U0001F469\u200d\U0001F373 Dapur Bu Ani",  // ZWJ emoji sequence
           "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  // ZWNJ
           "",
       }) {
    EXPECT_THAT(ValidateText(text, "display_name"), IsOk()) << text;
  }
}

TEST(ValidateTextTest, ControlAndFormatCharactersAreRefused) {
  for (const std::string& text : {
           std::string("Warung\tSari"), std::string("Warung\nSari"),
           std::string("Warung\rSari"),
           std::string("Warung\x1b[2JSari"),       // terminal escape
           std::string("Warung\0Sari", 11),        // NUL
           std::string("Warung\x7fSari"),          // DEL
           std::string("Warung\xc2\x85Sari"),      // U+0085 NEL (C1)
           std::string("Warung Sari\u202e"),       // RIGHT-TO-LEFT OVERRIDE
           std::string("Warung\u2066Sari\u2069"),  // isolates
           std::string("Warung\u200fSari"),        // RLM
           std::string("Warung\u200bSari"),        // zero-width space
           std::string("\ufeffWarung Sari"),       // BOM
           std::string("Warung\u00adSari"),        // soft hyphen
           std::string("Warung\u2028Sari"),        // line separator
           std::string("Warung\U000E0041Sari"),    // tag
       }) {
    absl::Status status = ValidateText(text, "business.display_name");
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << text;
    EXPECT_THAT(
        FieldViolationsOf(status),
        ElementsAre(Field(&FieldViolation::field, "business.display_name")))
        << text;
  }
}

TEST(ValidateTextTest, TheMessageNamesTheCharacterNotTheText) {
  absl::Status status = ValidateText("Sari\u202e", "owner.full_name");
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u);
  const std::string& why = violations[0].description;
  EXPECT_THAT(why, HasSubstr("U+202E"));
  EXPECT_THAT(why, ::testing::Not(HasSubstr("Sari")));
}

TEST(ValidateTextTest, ParagraphsMayBreakLinesButNothingElse) {
  EXPECT_THAT(ValidateText("Keripik renyah.\nTanpa pengawet.\r\nHalal.",
                           "description", TextKind::kParagraph),
              IsOk());
  for (const char* text : {"a\tb", "a\rb", "a\u202eb", "a\r"}) {
    EXPECT_THAT(ValidateText(text, "description", TextKind::kParagraph),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << text;
  }
}

TEST(ValidateTextTest, MalformedUtf8IsRefused) {
  for (const std::string& text : {
           std::string("\xc3\x28"),          // bad continuation
           std::string("\xc0\xaf"),          // overlong "/"
           std::string("\xed\xa0\x80"),      // surrogate
           std::string("\xf4\x90\x80\x80"),  // past U+10FFFF
           std::string("abc\xe2\x82"),       // truncated
           std::string("\xff"),
       }) {
    EXPECT_THAT(ValidateText(text, "display_name"),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

}  // namespace
}  // namespace umkm::validate
