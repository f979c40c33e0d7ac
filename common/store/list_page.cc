#include "common/store/list_page.h"

#include <utility>
#include <vector>

#include "common/status/macros.h"
#include "common/store/sql_values.h"

namespace umkm::store {

absl::StatusOr<PageEnd> ReadPage(
    Connection& conn, const aip::ListQuery& query,
    absl::FunctionRef<absl::Status(const Statement& row)> row) {
  PageEnd end;
  {
    UMKM_ASSIGN_OR_RETURN(Statement stmt,
                          conn.PrepareUncached(query.page().sql));
    BindValues(stmt, query.page().params);
    std::vector<aip::SqlValue> last;
    for (int rows = 0;; ++rows) {
      UMKM_ASSIGN_OR_RETURN(bool more, stmt.Step());
      if (!more) break;
      if (rows == query.page_size()) {
        // The extra row only says that another page follows.
        end.next_page_token = query.NextPageToken(std::move(last));
        break;
      }
      UMKM_RETURN_IF_ERROR(row(stmt));
      last = ColumnValues(stmt, query.first_sort_key(), query.sort_key_types());
    }
  }
  const aip::SqlQuery count = query.Count();
  UMKM_ASSIGN_OR_RETURN(Statement counter, conn.PrepareUncached(count.sql));
  BindValues(counter, count.params);
  UMKM_ASSIGN_OR_RETURN(bool counted, counter.Step());
  if (counted) end.total_size = counter.ColumnInt64(0);
  return end;
}

}  // namespace umkm::store
