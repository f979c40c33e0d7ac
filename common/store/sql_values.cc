#include "common/store/sql_values.h"

#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace umkm::store {

void BindValues(Statement& stmt, absl::Span<const aip::SqlValue> values,
                int first) {
  int index = first;
  for (const aip::SqlValue& value : values) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            stmt.Bind(index, std::string_view(v));
          } else {
            stmt.Bind(index, v);
          }
        },
        value);
    ++index;
  }
}

std::vector<aip::SqlValue> ColumnValues(const Statement& stmt, int first,
                                        absl::Span<const aip::SqlType> types) {
  std::vector<aip::SqlValue> values;
  values.reserve(types.size());
  int column = first;
  for (aip::SqlType type : types) {
    switch (type) {
      case aip::SqlType::kInt64:
        values.emplace_back(std::in_place_type<int64_t>,
                            stmt.ColumnInt64(column));
        break;
      case aip::SqlType::kText:
        values.emplace_back(std::in_place_type<std::string>,
                            stmt.ColumnText(column));
        break;
      case aip::SqlType::kDouble:
        values.emplace_back(std::in_place_type<double>,
                            stmt.ColumnDouble(column));
        break;
    }
    ++column;
  }
  return values;
}

}  // namespace umkm::store
