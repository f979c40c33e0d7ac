#include "common/base/json_string.h"

namespace umkm {

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  AppendJsonStringBody(text, out);
  out->push_back('"');
}

void AppendJsonStringBody(absl::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Bytes that need no escape are appended a run at a time: log lines run
  // through here on every RPC, and most of their text is plain.
  size_t plain_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + plain_start, i - plain_start);
    plain_start = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default: {
        const char escape[] = {'\\', 'u',          '0',
                               '0',  kHex[c >> 4], kHex[c & 0xF]};
        out->append(escape, sizeof(escape));
      }
    }
  }
  out->append(text.data() + plain_start, text.size() - plain_start);
}

}  // namespace umkm
