// AIP-132 `order_by` strings ("display_name desc, create_time") checked
// against a whitelist, and the SQL built from them: the ORDER BY clause and
// the keyset condition that continues a listing after the last row seen.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/aip/filter.h"
#include "common/aip/sql_value.h"

namespace umkm::aip {

// A field callers may sort on. `column` is inserted into SQL as is: a
// constant from code (identifier or table.identifier); ParseOrderBy()
// terminates the program on anything else. Sort columns should be NOT NULL,
// because keyset pagination compares them.
struct OrderableField {
  std::string name;    // as written in order_by
  std::string column;  // SQL column
  // What the column holds: how a keyset cursor (list_query.h) reads its
  // values back from a row. ParseOrderBy itself does not look at it.
  SqlType type = SqlType::kInt64;
};

struct OrderTerm {
  std::string field;
  std::string column;
  bool descending = false;
  SqlType type = SqlType::kInt64;  // from the OrderableField
};

struct OrderBy {
  std::vector<OrderTerm> terms;  // empty: the method's default order
};

// Parses `order_by`: comma-separated `field [asc|desc]` (keywords in any
// case), whitespace around terms ignored, each field at most once, every
// field in `allowed`. Empty or all-whitespace gives no terms. Errors:
// INVALID_ARGUMENT on field "order_by" naming the bad term. Thread-safe.
absl::StatusOr<OrderBy> ParseOrderBy(absl::string_view order_by,
                                     absl::Span<const OrderableField> allowed);

// Appends `term` unless its field is already ordered on. Services append
// their unique key (e.g. the id) so that keyset pagination is total.
void AddTiebreak(OrderBy& order, OrderTerm term);

// "ORDER BY display_name DESC, id ASC"; "" when there are no terms.
std::string OrderBySql(const OrderBy& order);

// The condition selecting rows strictly after the row whose sort key values
// were `last` (one per term, in order), honouring each term's direction:
//   (a > ?) OR (a = ? AND b < ?) OR ...
// `last` comes from a page token, so a wrong count gives INVALID_ARGUMENT on
// field "page_token". No terms gives an empty SqlWhere.
absl::StatusOr<SqlWhere> KeysetAfter(const OrderBy& order,
                                     absl::Span<const SqlValue> last);

}  // namespace umkm::aip
