// Checks that a SQL column name taken from code is a plain identifier, so
// that whitelisted names can be inserted into SQL text. Not part of the
// public API of umkm_aip.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace umkm::aip::internal {

// True for `name` or `table.name` made of [A-Za-z_][A-Za-z0-9_]*.
inline bool IsSqlIdentifier(absl::string_view s) {
  bool start = true;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '.' && !start) {
      start = true;
    } else if (absl::ascii_isalpha(u) || c == '_' ||
               (!start && absl::ascii_isdigit(u))) {
      start = false;
    } else {
      return false;
    }
  }
  return !start;
}

// A column that is not an identifier is a programming error in a schema
// written in code: stop rather than build SQL from it.
inline void CheckSqlIdentifier(absl::string_view column) {
  if (!IsSqlIdentifier(column)) {
    std::fprintf(stderr, "umkm_aip: not a SQL identifier: '%.*s'\n",
                 static_cast<int>(column.size()), column.data());
    std::abort();
  }
}

}  // namespace umkm::aip::internal
