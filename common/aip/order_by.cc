#include "common/aip/order_by.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/aip/sql_identifier.h"
#include "common/status/errors.h"

namespace umkm::aip {
namespace {

constexpr size_t kMaxOrderByLength = 512;

absl::Status OrderByError(absl::string_view why) {
  return InvalidField("order_by", std::string(why));
}

}  // namespace

absl::StatusOr<OrderBy> ParseOrderBy(absl::string_view order_by,
                                     absl::Span<const OrderableField> allowed) {
  for (const OrderableField& field : allowed) {
    internal::CheckSqlIdentifier(field.column);
  }
  OrderBy order;
  if (order_by.size() > kMaxOrderByLength) {
    return OrderByError(
        absl::StrCat("longer than ", kMaxOrderByLength, " characters"));
  }
  if (absl::StripAsciiWhitespace(order_by).empty()) return order;

  for (absl::string_view term : absl::StrSplit(order_by, ',')) {
    std::vector<absl::string_view> words =
        absl::StrSplit(term, absl::ByAnyChar(" \t\n\r"), absl::SkipEmpty());
    if (words.empty()) return OrderByError("empty term between commas");
    if (words.size() > 2) {
      return OrderByError(absl::StrCat(
          "term '", absl::StripAsciiWhitespace(term),
          "' must be a field name optionally followed by asc or desc"));
    }
    OrderTerm out;
    if (words.size() == 2) {
      if (absl::EqualsIgnoreCase(words[1], "desc")) {
        out.descending = true;
      } else if (!absl::EqualsIgnoreCase(words[1], "asc")) {
        return OrderByError(absl::StrCat("'", words[1], "' after '", words[0],
                                         "' must be asc or desc"));
      }
    }
    const OrderableField* field = nullptr;
    for (const OrderableField& f : allowed) {
      if (f.name == words[0]) field = &f;
    }
    if (field == nullptr) {
      std::vector<absl::string_view> names;
      for (const OrderableField& f : allowed) names.push_back(f.name);
      return OrderByError(
          absl::StrCat("cannot order by '", words[0],
                       "'; allowed fields are: ", absl::StrJoin(names, ", ")));
    }
    for (const OrderTerm& seen : order.terms) {
      if (seen.field == field->name) {
        return OrderByError(
            absl::StrCat("field '", field->name, "' appears twice"));
      }
    }
    out.field = field->name;
    out.column = field->column;
    out.type = field->type;
    order.terms.push_back(std::move(out));
  }
  return order;
}

void AddTiebreak(OrderBy& order, OrderTerm term) {
  internal::CheckSqlIdentifier(term.column);
  for (const OrderTerm& seen : order.terms) {
    if (seen.field == term.field) return;
  }
  order.terms.push_back(std::move(term));
}

std::string OrderBySql(const OrderBy& order) {
  if (order.terms.empty()) return "";
  return absl::StrCat(
      "ORDER BY ",
      absl::StrJoin(
          order.terms, ", ", [](std::string* out, const OrderTerm& t) {
            absl::StrAppend(out, t.column, t.descending ? " DESC" : " ASC");
          }));
}

absl::StatusOr<SqlWhere> KeysetAfter(const OrderBy& order,
                                     absl::Span<const SqlValue> last) {
  SqlWhere out;
  if (last.size() != order.terms.size()) {
    return InvalidField("page_token",
                        "page token does not match the request's order_by");
  }
  if (order.terms.empty()) return out;
  std::vector<std::string> alternatives;
  for (size_t i = 0; i < order.terms.size(); ++i) {
    std::string alternative = "(";
    for (size_t j = 0; j < i; ++j) {
      absl::StrAppend(&alternative, order.terms[j].column, " = ? AND ");
      out.params.push_back(last[j]);
    }
    absl::StrAppend(&alternative, order.terms[i].column,
                    order.terms[i].descending ? " < ?)" : " > ?)");
    out.params.push_back(last[i]);
    alternatives.push_back(std::move(alternative));
  }
  out.sql = absl::StrCat("(", absl::StrJoin(alternatives, " OR "), ")");
  return out;
}

}  // namespace umkm::aip
