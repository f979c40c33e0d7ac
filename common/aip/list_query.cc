#include "common/aip/list_query.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/aip/page_token.h"
#include "common/aip/sql_identifier.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace umkm::aip {
namespace {

bool HoldsType(const SqlValue& value, SqlType type) {
  switch (type) {
    case SqlType::kInt64:
      return std::holds_alternative<int64_t>(value);
    case SqlType::kText:
      return std::holds_alternative<std::string>(value);
    case SqlType::kDouble:
      return std::holds_alternative<double>(value);
  }
  return false;
}

// `parts` joined with AND; each part is a complete condition.
std::string Conjunction(const std::vector<std::string>& parts) {
  return absl::StrJoin(parts, " AND ");
}

}  // namespace

absl::StatusOr<SqlWhere> CompileWhere(
    const FilterSchema& schema, absl::string_view filter,
    absl::Span<const absl::string_view> conditions,
    absl::Span<const absl::string_view> personal_allowed) {
  UMKM_ASSIGN_OR_RETURN(SqlWhere compiled,
                        CompileFilter(filter, schema, personal_allowed));
  std::vector<std::string> parts(conditions.begin(), conditions.end());
  if (!compiled.sql.empty())
    parts.push_back(absl::StrCat("(", compiled.sql, ")"));
  compiled.sql = Conjunction(parts);
  return compiled;
}

absl::StatusOr<ListQuery> ListQuery::Compile(const ListSchema& schema,
                                             const ListParams& params,
                                             absl::string_view page_token_key) {
  internal::CheckSqlIdentifier(schema.table);
  for (const std::string& column : schema.columns) {
    internal::CheckSqlIdentifier(column);
  }
  ListQuery query;
  query.table_ = schema.table;
  UMKM_ASSIGN_OR_RETURN(
      query.where_, CompileWhere(schema.filter, params.filter,
                                 params.conditions, params.personal_allowed));
  UMKM_ASSIGN_OR_RETURN(
      OrderBy order,
      ParseOrderBy(
          params.order_by.empty() ? schema.default_order_by : params.order_by,
          schema.order_by));
  AddTiebreak(order, {.field = schema.unique_key.name,
                      .column = schema.unique_key.column,
                      .descending = false,
                      .type = schema.unique_key.type});

  std::vector<absl::string_view> binding = {schema.collection, params.filter,
                                            params.order_by};
  binding.insert(binding.end(), params.token_binding.begin(),
                 params.token_binding.end());
  query.fingerprint_ = RequestFingerprint(binding);
  query.page_token_key_ = std::string(page_token_key);

  std::vector<std::string> parts;
  if (!query.where_.sql.empty()) parts.push_back(query.where_.sql);
  SqlWhere keyset;
  if (!params.page_token.empty()) {
    UMKM_ASSIGN_OR_RETURN(
        PageCursor cursor,
        DecodePageToken(params.page_token, page_token_key, query.fingerprint_));
    bool types_match = cursor.last_values.size() == order.terms.size();
    for (size_t i = 0; types_match && i < order.terms.size(); ++i) {
      types_match = HoldsType(cursor.last_values[i], order.terms[i].type);
    }
    if (!types_match) {
      return InvalidField("page_token",
                          "page token does not match the request's order_by");
    }
    UMKM_ASSIGN_OR_RETURN(keyset, KeysetAfter(order, cursor.last_values));
    parts.push_back(keyset.sql);
  }

  std::vector<std::string> selected = schema.columns;
  for (const OrderTerm& term : order.terms) {
    selected.push_back(term.column);
    query.types_.push_back(term.type);
  }
  query.first_sort_key_ = static_cast<int>(schema.columns.size());
  query.page_size_ = std::max(1, params.page_size);
  query.page_.sql = absl::StrCat(
      "SELECT ", absl::StrJoin(selected, ", "), " FROM ", schema.table,
      parts.empty() ? "" : absl::StrCat(" WHERE ", Conjunction(parts)), " ",
      OrderBySql(order), " LIMIT ?");
  query.page_.params = query.where_.params;
  query.page_.params.insert(query.page_.params.end(), keyset.params.begin(),
                            keyset.params.end());
  // In place: GCC 12 warns (maybe-uninitialized, a false positive) about
  // the string alternative of a temporary SqlValue moved in here.
  query.page_.params.emplace_back(std::in_place_type<int64_t>,
                                  int64_t{query.page_size_} + 1);
  return query;
}

SqlQuery ListQuery::Count() const {
  SqlQuery count;
  count.sql = absl::StrCat(
      "SELECT COUNT(*) FROM ", table_,
      where_.sql.empty() ? "" : absl::StrCat(" WHERE ", where_.sql));
  count.params = where_.params;
  return count;
}

std::string ListQuery::NextPageToken(std::vector<SqlValue> last) const {
  return EncodePageToken(PageCursor{fingerprint_, std::move(last)},
                         page_token_key_);
}

}  // namespace umkm::aip
