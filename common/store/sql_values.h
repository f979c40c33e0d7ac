// aip::SqlValue on SQLite statements: binding the values that come with the
// SQL the AIP helpers build (filters, list queries), and reading sort keys
// back from a row for a page token.
//
//   UMKM_ASSIGN_OR_RETURN(Statement stmt,
//                         conn.PrepareUncached(query.page().sql));
//   BindValues(stmt, query.page().params);
//   ...
//   last = ColumnValues(stmt, query.first_sort_key(), query.sort_key_types());
//
// Not thread-safe (like Statement).
#pragma once

#include <vector>

#include "absl/types/span.h"
#include "common/aip/sql_value.h"
#include "common/store/connection.h"

namespace umkm::store {

// Binds `values` to parameters first, first + 1, ... (int64_t as INTEGER,
// std::string as TEXT, double as REAL). Bind errors surface at Step/Run.
void BindValues(Statement& stmt, absl::Span<const aip::SqlValue> values,
                int first = 1);

// Columns first, first + 1, ... of the current row, one per entry of
// `types`, as values of those types.
std::vector<aip::SqlValue> ColumnValues(const Statement& stmt, int first,
                                        absl::Span<const aip::SqlType> types);

}  // namespace umkm::store
