// Free text people type: names, streets, descriptions.
//
// Such text never needs a control character, and the invisible format
// characters do harm there: a right-to-left override makes "Warung
// Sari\u202e" display differently from what is stored, a zero-width space
// makes two names that look the same differ, an escape sequence rewrites
// a terminal that shows the record. They are refused, not stripped: the
// record keeps exactly what was sent (a client that means something else
// must say so).
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace umkm::validate {

enum class TextKind {
  kLine,       // a name, a street: one line
  kParagraph,  // a description: line breaks (LF, CR LF) allowed
};

// OK when `text` is valid UTF-8 and holds none of
//   - C0 and C1 controls (U+0000-001F, U+007F-009F), tab included; a
//     kParagraph may break lines with LF or CR LF;
//   - format characters (Unicode category Cf): bidi marks, embeddings,
//     overrides and isolates (U+061C, U+200E-200F, U+202A-202E,
//     U+2066-2069), zero-width space and word joiners (U+200B,
//     U+2060-2064), the BOM (U+FEFF), soft hyphen (U+00AD), tags
//     (U+E0001, U+E0020-E007F) and the rest of Cf, except ZWNJ and ZWJ
//     (U+200C, U+200D), which Indic scripts and emoji sequences need;
//   - line and paragraph separators (U+2028, U+2029);
// otherwise INVALID_ARGUMENT naming `field`, with the first offending
// character as U+XXXX (the text itself is not quoted). Thread-safe.
absl::Status ValidateText(absl::string_view text, absl::string_view field,
                          TextKind kind = TextKind::kLine);

}  // namespace umkm::validate
