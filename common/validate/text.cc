#include "common/validate/text.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "common/status/errors.h"

namespace umkm::validate {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Unicode 15.1 category Cf, less ZWNJ and ZWJ, plus U+2028 and U+2029.
constexpr Range kRefusedFormat[] = {
    {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},
    {0x06DD, 0x06DD},   {0x070F, 0x070F},   {0x0890, 0x0891},
    {0x08E2, 0x08E2},   {0x180E, 0x180E},   {0x200B, 0x200B},
    {0x200E, 0x200F},   {0x2028, 0x202E},   {0x2060, 0x2064},
    {0x2066, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},
    {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F},
    {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
    {0xE0020, 0xE007F},
};

bool IsRefusedFormat(char32_t c) {
  for (const Range& range : kRefusedFormat) {
    if (c >= range.first && c <= range.last) return true;
  }
  return false;
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Decodes the UTF-8 character at text[*i] and moves *i past it; returns
// U+FFFFFFFF for a malformed sequence (overlong, surrogate, past U+10FFFF,
// truncated).
char32_t NextCharacter(absl::string_view text, size_t* i) {
  constexpr char32_t kBad = 0xFFFFFFFF;
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char lead = byte(*i);
  if (lead < 0x80) {
    ++*i;
    return lead;
  }
  size_t length;
  char32_t c;
  char32_t min;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, c = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, c = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, c = lead & 0x07, min = 0x10000;
  } else {
    return kBad;
  }
  if (text.size() - *i < length) return kBad;
  for (size_t k = 1; k < length; ++k) {
    const unsigned char next = byte(*i + k);
    if ((next & 0xC0) != 0x80) return kBad;
    c = (c << 6) | (next & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return kBad;
  *i += length;
  return c;
}

}  // namespace

absl::Status ValidateText(absl::string_view text, absl::string_view field,
                          TextKind kind) {
  for (size_t i = 0; i < text.size();) {
    const size_t at = i;
    const char32_t c = NextCharacter(text, &i);
    if (c == 0xFFFFFFFF) {
      return InvalidField(std::string(field), "not valid UTF-8");
    }
    if (kind == TextKind::kParagraph &&
        (c == '\n' ||
         (c == '\r' && at + 1 < text.size() && text[at + 1] == '\n'))) {
      continue;
    }
    if (IsControl(c) || IsRefusedFormat(c)) {
      return InvalidField(
          std::string(field),
          absl::StrFormat(
              "control or invisible format character U+%04X is "
              "not allowed%s",
              static_cast<uint32_t>(c),
              kind == TextKind::kParagraph ? " (line breaks are)" : ""));
    }
  }
  return absl::OkStatus();
}

}  // namespace umkm::validate
