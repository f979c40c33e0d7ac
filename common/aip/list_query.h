// AIP-132 List methods compiled to SQL. A collection declares once what its
// List offers (ListSchema: filterable fields, sortable fields, the unique
// key); per request, ListQuery::Compile checks filter, order_by and
// page_token and gives back the SQL that reads one page, the SQL that counts
// total_size, and the page token that continues after a page.
//
//   UMKM_ASSIGN_OR_RETURN(aip::ListQuery query,
//                         aip::ListQuery::Compile(schema, params, token_key));
//   // query.page(): SELECT <columns>, <sort keys> ... LIMIT page_size + 1
//   // Read up to page_size rows. If a row beyond them comes back, another
//   // page follows: next_page_token = query.NextPageToken(sort keys of the
//   // last row kept), read as query.sort_key_types() from column
//   // query.first_sort_key() on.
//   // query.Count(): SELECT COUNT(*) over the same rows, for total_size.
//
// Pagination is keyset (seek) pagination: the token carries the sort keys of
// the last row returned and the next page starts strictly after them, so a
// listing neither skips nor repeats rows when others are inserted or deleted
// meanwhile, and a deep page costs what the first does. Tokens are signed
// and bound to the collection, filter, order_by and the request's
// token_binding (page_token.h).
//
// Values never enter the SQL text: every statement comes with the values to
// bind to its `?` placeholders, in order. Table, column and order names come
// only from the schema; ListParams::conditions are SQL from code.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/aip/filter.h"
#include "common/aip/order_by.h"
#include "common/aip/sql_value.h"

namespace umkm::aip {

// What one List method offers, declared once per collection in code.
// Immutable once built; thread-safe to share (as far as the filter's
// rewrite hooks are).
struct ListSchema {
  // The collection, e.g. "businesses"; bound into page tokens.
  std::string collection;
  // The table rows are read from.
  std::string table;
  // Columns selected for each row, before the sort keys; identifiers.
  std::vector<std::string> columns;
  // The fields `filter` may name.
  FilterSchema filter{{}};
  // The fields `order_by` may name, with the type of their columns. Sort
  // columns should be NOT NULL: keyset pagination compares them.
  std::vector<OrderableField> order_by;
  // The order of a request without order_by, e.g. "create_time".
  std::string default_order_by;
  // Appended (ascending) to every order unless already in it, so that the
  // order is total and a page token names one position, e.g.
  // {"name", "id", SqlType::kText}.
  OrderableField unique_key;
};

// One request's List parameters. The views must outlive Compile().
struct ListParams {
  absl::string_view filter;
  absl::string_view order_by;  // empty: the schema's default_order_by
  // Rows per page, already clamped (ClampPageSize); at least 1.
  int page_size = 50;
  absl::string_view page_token;  // empty: the first page
  // Conditions every listed row must meet besides the filter, e.g.
  // "state = 1" unless show_deleted. SQL text from code, inserted as is:
  // constants only, never request data.
  std::vector<absl::string_view> conditions;
  // Whatever else shapes the listing (e.g. show_deleted ? "1" : "0"): bound
  // into page tokens with filter and order_by, so that a token is refused
  // when any of them changes.
  std::vector<absl::string_view> token_binding;
  // The personal fields of the schema (FilterField::personal) this caller
  // may filter on; any other is PERMISSION_DENIED (see ToSql). Empty: none.
  std::vector<absl::string_view> personal_allowed;
};

// A SQL statement and the values of its `?` placeholders, in order.
struct SqlQuery {
  std::string sql;
  std::vector<SqlValue> params;
};

// `conditions` AND the compiled `filter`, without the WHERE keyword (empty
// when both are). For other queries over the rows a listing covers, e.g.
// grouped counts. Errors as ToSql() (INVALID_ARGUMENT on "filter",
// PERMISSION_DENIED for a personal field not in `personal_allowed`).
absl::StatusOr<SqlWhere> CompileWhere(
    const FilterSchema& schema, absl::string_view filter,
    absl::Span<const absl::string_view> conditions,
    absl::Span<const absl::string_view> personal_allowed = {});

class ListQuery {
 public:
  // Checks the request against `schema` and builds its statements.
  // `page_token_key` signs and checks page tokens (a server secret of at
  // least 32 bytes; page_token.h). INVALID_ARGUMENT on "filter",
  // "order_by" or "page_token" (malformed, forged, or issued for another
  // filter, order, binding or collection), in that order of checking;
  // PERMISSION_DENIED for a filter on a personal field the caller may not
  // use (params.personal_allowed), found while the filter is checked.
  // Terminates the program on a schema whose table or columns are not SQL
  // identifiers (a bug in code).
  static absl::StatusOr<ListQuery> Compile(const ListSchema& schema,
                                           const ListParams& params,
                                           absl::string_view page_token_key);

  // SELECT <columns>, <sort keys> FROM <table> WHERE <rows of the listing>
  // AND <after the token's position> ORDER BY <order> LIMIT <page_size + 1>.
  const SqlQuery& page() const { return page_; }

  // SELECT COUNT(*) FROM <table> WHERE <rows of the listing>: total_size.
  // A separate statement, so that a cheaper count can replace it without
  // touching the page query.
  SqlQuery Count() const;

  // The rows of the listing, whatever page: conditions AND filter. Its
  // personal_fields are the personal fields the filter used (to audit).
  const SqlWhere& where() const { return where_; }

  int page_size() const { return page_size_; }
  // Column index (0-based) of the first sort key in page() rows: the
  // sort keys follow the schema's columns.
  int first_sort_key() const { return first_sort_key_; }
  // The type of each sort key column, in order.
  const std::vector<SqlType>& sort_key_types() const { return types_; }

  // The next_page_token after a page whose last row had sort keys `last`
  // (one per sort_key_types(), in order).
  std::string NextPageToken(std::vector<SqlValue> last) const;

 private:
  ListQuery() = default;

  std::string table_;
  SqlWhere where_;
  SqlQuery page_;
  int page_size_ = 0;
  int first_sort_key_ = 0;
  std::vector<SqlType> types_;
  std::string fingerprint_;
  std::string page_token_key_;
};

}  // namespace umkm::aip
