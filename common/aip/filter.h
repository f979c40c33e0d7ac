// AIP-160 filter strings: parsing into a small syntax tree and translation
// into a parameterised SQL condition against a per-resource whitelist.
//
//   kecamatan_code = "35.73.02" AND scale = SCALE_MIKRO
//   (scale = SCALE_MIKRO OR scale = SCALE_KECIL) AND capital_idr >= 1000000
//
// Supported: comparisons `field op value` with op one of = != < <= > >=;
// values are double-quoted strings (escapes \" \\ \n \r \t), integers,
// decimal numbers, true/false and bare identifiers (enum value names);
// AND, OR and parentheses. One level may not mix AND and OR without
// parentheses (AIP-160 binds OR tighter than AND, SQL the other way round;
// requiring parentheses keeps both readings equal). Not supported, rejected
// with a message saying so: NOT and '-' negation, ':' (has), implicit AND by
// juxtaposition, functions, wildcards.
//
// Values never enter the SQL text: ToSql() emits `?` placeholders and a list
// of values to bind, and column names come only from the schema.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/aip/sql_value.h"

namespace umkm::aip {

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

// A value as written in the filter; the schema decides what it means.
struct Literal {
  enum class Kind { kString, kInteger, kNumber, kIdentifier };
  Kind kind = Kind::kString;
  std::string text;     // kString (unescaped) and kIdentifier
  int64_t integer = 0;  // kInteger
  double number = 0;    // kNumber (a literal with '.' or an exponent)
};

struct Comparison {
  std::string field;  // may be dotted, "owner.nik"
  CompareOp op = CompareOp::kEq;
  Literal value;
};

struct FilterNode {
  enum class Kind { kComparison, kAnd, kOr };
  Kind kind = Kind::kComparison;
  Comparison comparison;             // kComparison only
  std::vector<FilterNode> children;  // kAnd and kOr: two or more
};

struct Filter {
  std::optional<FilterNode> root;  // nullopt: empty filter, matches all
};

// Limits that keep hostile filters cheap.
inline constexpr size_t kMaxFilterLength = 2048;
inline constexpr int kMaxFilterDepth = 8;  // nested parentheses
inline constexpr int kMaxFilterComparisons = 32;

// Parses `filter`. An empty or all-whitespace string is the empty filter.
// Syntax errors and exceeded limits give INVALID_ARGUMENT on field "filter"
// with a description naming the position (1-based character) and problem.
// Thread-safe.
absl::StatusOr<Filter> ParseFilter(absl::string_view filter);

enum class FieldKind { kString, kInt, kDouble, kBool, kEnum };

// Checks or rewrites the value of one comparison before it is bound, e.g.
// a NIK becomes its blind index so that it is compared without ever being
// stored in clear. An error refuses the filter; return INVALID_ARGUMENT on
// field "filter" (InvalidField) saying what the field accepts. Runs after
// the operator check and before the type check, so it may change the
// literal's kind too.
using FilterValueRewrite = std::function<absl::Status(Literal& value)>;

// A repeated field whose values are rows of another table, one per value
// (e.g. the resources an audit record names). A comparison on it matches a
// listed row when any of its values does:
//   EXISTS (SELECT 1 FROM <table> WHERE <table>.<key> = <row> AND
//           <table>.<column> <op> ?)
// All three are SQL identifiers from code, like FilterField::column.
struct ValuesTable {
  std::string table;  // "audit_resource"
  std::string key;    // its column naming the listed row: "record_id"
  std::string row;    // the listed row's column it refers to: "audit_record.id"
};

// One filterable field. `column` is inserted into SQL as is, so it must be a
// constant from code (an identifier, optionally `table.column`); the
// FilterSchema constructor terminates the program on anything else.
struct FilterField {
  std::string name;    // as written in filters: "kecamatan_code"
  std::string column;  // SQL column: "kecamatan_code" or "b.kecamatan_code"
  FieldKind kind = FieldKind::kString;
  // kEnum only: each allowed value name and what is bound for it, e.g.
  // {"SCALE_MIKRO", int64_t{1}}.
  std::vector<std::pair<std::string, SqlValue>> enum_values;
  // The operators the field accepts. Empty: all six for string, int and
  // double fields; = and != for bool and enum fields (which always allow
  // at most those two).
  std::vector<CompareOp> operators = {};
  // Optional; see FilterValueRewrite.
  FilterValueRewrite rewrite = nullptr;
  // Personal data (UU 27/2022), e.g. an owner's NIK: whoever may filter on
  // it learns whether a person's value matches, even when the answer shows
  // it masked, so a filter on it is refused unless the caller passes the
  // field's name as allowed (ToSql's `personal_allowed`). Filters that use
  // it are reported in SqlWhere::personal_fields, for the audit trail.
  bool personal = false;
  // Set when the field is repeated and kept in another table.
  std::optional<ValuesTable> values_in;
};

// The whitelist of fields a List method can filter on. Immutable after
// construction; thread-safe to share.
class FilterSchema {
 public:
  explicit FilterSchema(std::vector<FilterField> fields);

  // nullptr when `name` is not filterable.
  const FilterField* Find(absl::string_view name) const;
  const std::vector<FilterField>& fields() const { return fields_; }

 private:
  std::vector<FilterField> fields_;
};

// A boolean SQL expression with `?` placeholders, without the WHERE keyword,
// and the values to bind in order. `sql` is empty for the empty filter.
struct SqlWhere {
  std::string sql;
  std::vector<SqlValue> params;
  // The personal fields (FilterField::personal) the filter compares, each
  // once, in order of first use: what an audit record of the call names.
  std::vector<std::string> personal_fields;
};

// The ErrorInfo reason of a filter on a personal field the caller may not
// use.
inline constexpr absl::string_view kPersonalFilterDeniedReason =
    "PERSONAL_DATA_FILTER_NOT_ALLOWED";

// Translates `filter` against `schema`. Errors (INVALID_ARGUMENT on field
// "filter"): unknown field (the description names it and lists the allowed
// ones), an operator the field does not accept (an ordering operator on a
// bool or enum field, or one outside the field's `operators`), what the
// field's `rewrite` refuses, a value of the wrong type, an unknown enum
// value. Bool fields bind 1/0, double fields accept integers too. A row
// whose column is NULL matches no comparison. A personal field not named in
// `personal_allowed` is PERMISSION_DENIED with ErrorInfo reason
// kPersonalFilterDeniedReason and metadata {"field": <its name>}, checked
// before its value is looked at (so the refusal tells nothing about the
// value). Thread-safe as long as the schema's rewrite hooks are.
absl::StatusOr<SqlWhere> ToSql(
    const Filter& filter, const FilterSchema& schema,
    absl::Span<const absl::string_view> personal_allowed = {});

// ParseFilter() then ToSql().
absl::StatusOr<SqlWhere> CompileFilter(
    absl::string_view filter, const FilterSchema& schema,
    absl::Span<const absl::string_view> personal_allowed = {});

// The SQL text of `op`: "=", "<>", "<", "<=", ">", ">=".
absl::string_view CompareOpSql(CompareOp op);

}  // namespace umkm::aip
