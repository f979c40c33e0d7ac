#include "common/auth/flat_json.h"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"

namespace umkm::auth {
namespace {

bool IsJsonWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Length of the well-formed UTF-8 sequence starting at `s[0]` (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
size_t Utf8SequenceLength(absl::string_view s) {
  const auto byte = [&s](size_t i) { return static_cast<uint8_t>(s[i]); };
  const auto is_continuation = [&](size_t i) {
    return i < s.size() && (byte(i) & 0xC0) == 0x80;
  };
  const uint8_t lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return is_continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!is_continuation(1) || !is_continuation(2)) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (lead == 0xED && byte(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!is_continuation(1) || !is_continuation(2) || !is_continuation(3)) {
      return 0;
    }
    if (lead == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (lead == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<JsonObject> ParseObject() {
    JsonObject object;
    SkipWhitespace();
    if (!Consume('{')) return Error("expected '{'");
    SkipWhitespace();
    if (!Consume('}')) {
      while (true) {
        SkipWhitespace();
        std::string name;
        if (absl::Status s = ParseString(&name); !s.ok()) return s;
        SkipWhitespace();
        if (!Consume(':')) return Error("expected ':'");
        SkipWhitespace();
        JsonValue value;
        if (absl::Status s = ParseValue(&value); !s.ok()) return s;
        if (!object.emplace(std::move(name), std::move(value)).second) {
          return Error("duplicate member name");
        }
        SkipWhitespace();
        if (Consume(',')) continue;
        if (Consume('}')) break;
        return Error("expected ',' or '}'");
      }
    }
    SkipWhitespace();
    if (pos_ != text_.size()) return Error("trailing data");
    return object;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  void SkipWhitespace() {
    while (!AtEnd() && IsJsonWhitespace(Peek())) ++pos_;
  }

  bool Consume(char c) {
    if (AtEnd() || Peek() != c) return false;
    ++pos_;
    return true;
  }

  bool ConsumeLiteral(absl::string_view literal) {
    if (text_.substr(pos_, literal.size()) != literal) return false;
    pos_ += literal.size();
    return true;
  }

  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON: ", what, " at offset ", pos_));
  }

  absl::Status ParseValue(JsonValue* out) {
    if (AtEnd()) return Error("expected a value");
    switch (Peek()) {
      case '"':
        out->kind = JsonValue::Kind::kString;
        return ParseString(&out->string);
      case 't':
      case 'f':
        out->kind = JsonValue::Kind::kBool;
        out->boolean = Peek() == 't';
        if (ConsumeLiteral(out->boolean ? "true" : "false")) {
          return absl::OkStatus();
        }
        return Error("bad literal");
      case 'n':
        out->kind = JsonValue::Kind::kNull;
        if (ConsumeLiteral("null")) return absl::OkStatus();
        return Error("bad literal");
      case '{':
      case '[':
        return Error("nested values are not accepted");
      default:
        out->kind = JsonValue::Kind::kNumber;
        return ParseNumber(&out->number);
    }
  }

  // RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  absl::Status ParseNumber(double* out) {
    const size_t start = pos_;
    const auto digits = [this] {
      size_t n = 0;
      while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
        ++pos_;
        ++n;
      }
      return n;
    };
    Consume('-');
    if (Consume('0')) {
      if (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
        return Error("leading zero");
      }
    } else if (digits() == 0) {
      return Error("expected a value");
    }
    if (Consume('.') && digits() == 0) return Error("bad fraction");
    if (Consume('e') || Consume('E')) {
      if (!Consume('+')) Consume('-');
      if (digits() == 0) return Error("bad exponent");
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    auto [end, error] = std::from_chars(first, last, *out);
    if (error != std::errc() || end != last || !std::isfinite(*out)) {
      return Error("number out of range");
    }
    return absl::OkStatus();
  }

  absl::Status ParseHex4(uint32_t* out) {
    if (text_.size() - pos_ < 4) return Error("short \\u escape");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Error("bad \\u escape");
      }
    }
    *out = value;
    return absl::OkStatus();
  }

  absl::Status ParseEscape(std::string* out) {
    if (AtEnd()) return Error("unterminated escape");
    const char c = text_[pos_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out->push_back(c);
        return absl::OkStatus();
      case 'b':
        out->push_back('\b');
        return absl::OkStatus();
      case 'f':
        out->push_back('\f');
        return absl::OkStatus();
      case 'n':
        out->push_back('\n');
        return absl::OkStatus();
      case 'r':
        out->push_back('\r');
        return absl::OkStatus();
      case 't':
        out->push_back('\t');
        return absl::OkStatus();
      case 'u':
        break;
      default:
        return Error("bad escape");
    }
    uint32_t code_point = 0;
    if (absl::Status s = ParseHex4(&code_point); !s.ok()) return s;
    if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
      return Error("lone low surrogate");
    }
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      uint32_t low = 0;
      if (!ConsumeLiteral("\\u")) return Error("lone high surrogate");
      if (absl::Status s = ParseHex4(&low); !s.ok()) return s;
      if (low < 0xDC00 || low > 0xDFFF) return Error("lone high surrogate");
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(code_point, out);
    return absl::OkStatus();
  }

  absl::Status ParseString(std::string* out) {
    if (!Consume('"')) return Error("expected a string");
    while (true) {
      if (AtEnd()) return Error("unterminated string");
      const char c = Peek();
      if (c == '"') {
        ++pos_;
        return absl::OkStatus();
      }
      if (c == '\\') {
        ++pos_;
        if (absl::Status s = ParseEscape(out); !s.ok()) return s;
        continue;
      }
      if (static_cast<uint8_t>(c) < 0x20) {
        return Error("unescaped control character");
      }
      const size_t length = Utf8SequenceLength(text_.substr(pos_));
      if (length == 0) return Error("invalid UTF-8");
      out->append(text_.data() + pos_, length);
      pos_ += length;
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<JsonObject> ParseFlatJsonObject(absl::string_view text) {
  if (text.size() > kMaxFlatJsonBytes) {
    return absl::InvalidArgumentError("JSON: input too large");
  }
  return Parser(text).ParseObject();
}

}  // namespace umkm::auth
