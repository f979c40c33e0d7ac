// One page of an aip::ListQuery read from SQLite: the loop every List method
// runs (page rows, next page token from the last row's sort keys, the count
// for total_size), written once.
//
//   ListPage page;
//   UMKM_RETURN_IF_ERROR(database.Read([&](Connection& conn) -> absl::Status {
//     UMKM_ASSIGN_OR_RETURN(
//         PageEnd end, ReadPage(conn, query, [&](const Statement& row) {
//           UMKM_ASSIGN_OR_RETURN(Thing thing, Decode(row));
//           page.things.push_back(std::move(thing));
//           return absl::OkStatus();
//         }));
//     page.next_page_token = std::move(end.next_page_token);
//     page.total_size = end.total_size;
//     return absl::OkStatus();
//   }));
#pragma once

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/aip/list_query.h"
#include "common/store/connection.h"

namespace umkm::store {

// What follows the rows of a page.
struct PageEnd {
  std::string next_page_token;  // empty on the last page
  int64_t total_size = 0;       // rows of the whole listing
};

// Runs `query` on `conn` (inside Database::Read, so that the page and the
// count see one snapshot): calls `row` for each row of the page, in order,
// at most query.page_size() times, with the statement positioned on it
// (columns as query.page() selects them); builds the next page token when a
// row beyond the page exists; counts with query.Count(). An error from
// `row` or the store stops it and is returned. Not thread-safe (like
// Connection).
absl::StatusOr<PageEnd> ReadPage(
    Connection& conn, const aip::ListQuery& query,
    absl::FunctionRef<absl::Status(const Statement& row)> row);

}  // namespace umkm::store
