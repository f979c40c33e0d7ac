// Fuzzes ParseFilter() and ToSql(): no crash, errors are INVALID_ARGUMENT,
// and accepted filters yield SQL made only of schema columns, operators,
// parentheses and placeholders, with one bound value per placeholder. That
// is the injection-proofing property: no byte of a value reaches the SQL.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/aip/filter.h"
#include "common/validate/fuzz/fuzz_check.h"

namespace {

const umkm::aip::FilterSchema& Schema() {
  using umkm::aip::FieldKind;
  static const auto* const schema = new umkm::aip::FilterSchema({
      {"kecamatan_code", "kecamatan_code", FieldKind::kString, {}},
      {"capital_idr", "capital_idr", FieldKind::kInt, {}},
      {"location.latitude", "latitude", FieldKind::kDouble, {}},
      {"has_nib", "has_nib", FieldKind::kBool, {}},
      {"scale",
       "scale",
       FieldKind::kEnum,
       {{"SCALE_MIKRO", int64_t{1}}, {"SCALE_KECIL", std::string("K")}}},
  });
  return *schema;
}

bool SafeSqlChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == ' ' || c == '(' || c == ')' || c == '?' || c == '=' || c == '<' ||
         c == '>';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<umkm::aip::Filter> filter = umkm::aip::ParseFilter(input);
  if (!filter.ok()) {
    FUZZ_CHECK(filter.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  absl::StatusOr<umkm::aip::SqlWhere> where =
      umkm::aip::ToSql(*filter, Schema());
  if (!where.ok()) {
    FUZZ_CHECK(where.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  size_t placeholders = 0;
  for (char c : where->sql) {
    FUZZ_CHECK(SafeSqlChar(c));
    placeholders += c == '?';
  }
  FUZZ_CHECK(placeholders == where->params.size());
  FUZZ_CHECK(where->sql.empty() == !filter->root.has_value());
  return 0;
}
