// The value type bound to a `?` placeholder of the SQL fragments that the
// AIP helpers build (filter.h, order_by.h) and carried in page tokens.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace umkm::aip {

// Bind int64_t with sqlite3_bind_int64, std::string with sqlite3_bind_text
// and double with sqlite3_bind_double.
using SqlValue = std::variant<int64_t, std::string, double>;

// Which alternative of SqlValue a column's values take (e.g. when a sort key
// is read back from a row for a page token).
enum class SqlType { kInt64, kText, kDouble };

}  // namespace umkm::aip
