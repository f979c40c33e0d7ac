#include "common/aip/filter.h"

#include <ostream>
#include <string>
#include <vector>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::aip {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::umkm::testing::StatusIs;

// The registry's filter, as a service would declare it.
const FilterSchema& Schema() {
  static const FilterSchema* const schema = new FilterSchema({
      {"kecamatan_code", "b.kecamatan_code", FieldKind::kString, {}},
      {"kelurahan_code", "b.kelurahan_code", FieldKind::kString, {}},
      {"owner_nik", "b.owner_nik", FieldKind::kString, {}},
      {"capital_idr", "b.capital_idr", FieldKind::kInt, {}},
      {"location.latitude", "b.latitude", FieldKind::kDouble, {}},
      {"has_nib", "b.has_nib", FieldKind::kBool, {}},
      {"scale",
       "b.scale",
       FieldKind::kEnum,
       {{"SCALE_MIKRO", int64_t{1}},
        {"SCALE_KECIL", int64_t{2}},
        {"SCALE_MENENGAH", int64_t{3}}}},
  });
  return *schema;
}

std::string Description(const absl::Status& status) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  return violations.size() == 1 ? violations[0].description : "";
}

TEST(CompileFilterTest, IssueExample) {
  absl::StatusOr<SqlWhere> where = CompileFilter(
      R"(kecamatan_code = "35.73.02" AND scale = SCALE_MIKRO AND )"
      R"(capital_idr >= 1000000)",
      Schema());
  ASSERT_TRUE(where.ok()) << where.status();
  EXPECT_EQ(where->sql,
            "(b.kecamatan_code = ? AND b.scale = ? AND b.capital_idr >= ?)");
  EXPECT_THAT(where->params,
              ElementsAre(SqlValue("35.73.02"), SqlValue(int64_t{1}),
                          SqlValue(int64_t{1000000})));
}

TEST(CompileFilterTest, EmptyFilterMatchesAll) {
  for (const char* text : {"", "   ", "\t\n"}) {
    absl::StatusOr<SqlWhere> where = CompileFilter(text, Schema());
    ASSERT_TRUE(where.ok()) << where.status();
    EXPECT_EQ(where->sql, "");
    EXPECT_TRUE(where->params.empty());
  }
}

struct SqlCase {
  std::string filter;
  std::string sql;
  std::vector<SqlValue> params;
};

void PrintTo(const SqlCase& c, std::ostream* os) { *os << c.filter; }

class CompileFilterSqlTest : public ::testing::TestWithParam<SqlCase> {};

TEST_P(CompileFilterSqlTest, Translates) {
  absl::StatusOr<SqlWhere> where = CompileFilter(GetParam().filter, Schema());
  ASSERT_TRUE(where.ok()) << where.status();
  EXPECT_EQ(where->sql, GetParam().sql);
  EXPECT_EQ(where->params, GetParam().params);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CompileFilterSqlTest,
    ::testing::Values(
        SqlCase{"capital_idr=5", "b.capital_idr = ?", {int64_t{5}}},
        SqlCase{"capital_idr != -5", "b.capital_idr <> ?", {int64_t{-5}}},
        SqlCase{"capital_idr<5", "b.capital_idr < ?", {int64_t{5}}},
        SqlCase{"capital_idr<=5", "b.capital_idr <= ?", {int64_t{5}}},
        SqlCase{"capital_idr>5", "b.capital_idr > ?", {int64_t{5}}},
        SqlCase{"capital_idr>=5", "b.capital_idr >= ?", {int64_t{5}}},
        SqlCase{"capital_idr = 9223372036854775807",
                "b.capital_idr = ?",
                {int64_t{9223372036854775807}}},
        SqlCase{"location.latitude < -7.95", "b.latitude < ?", {double{-7.95}}},
        SqlCase{"location.latitude > -8", "b.latitude > ?", {double{-8}}},
        SqlCase{"has_nib = true", "b.has_nib = ?", {int64_t{1}}},
        SqlCase{"has_nib != false", "b.has_nib <> ?", {int64_t{0}}},
        SqlCase{R"(scale = "SCALE_KECIL")", "b.scale = ?", {int64_t{2}}},
        SqlCase{"scale = SCALE_MIKRO OR scale = SCALE_KECIL",
                "(b.scale = ? OR b.scale = ?)",
                {int64_t{1}, int64_t{2}}},
        SqlCase{R"((scale = SCALE_MIKRO OR scale = SCALE_KECIL) AND )"
                R"(kecamatan_code = "35.73.05")",
                "((b.scale = ? OR b.scale = ?) AND b.kecamatan_code = ?)",
                {int64_t{1}, int64_t{2}, std::string("35.73.05")}},
        SqlCase{"((capital_idr = 1))", "b.capital_idr = ?", {int64_t{1}}},
        SqlCase{R"(owner_nik = "a\"b\\c\n")",
                "b.owner_nik = ?",
                {std::string("a\"b\\c\n")}},
        SqlCase{R"(kecamatan_code = "Kec. Klojen — ünïcode")",
                "b.kecamatan_code = ?",
                {std::string("Kec. Klojen — ünïcode")}}));

TEST(CompileFilterTest, InjectionAttemptsStayBoundValues) {
  const std::string hostile[] = {
      R"('; DROP TABLE businesses; --)",
      R"(" OR 1=1 --)",
      R"(35.73.02' OR '1'='1)",
      R"(x") OR ("1"="1)",
  };
  for (const std::string& value : hostile) {
    std::string escaped;
    for (char c : value) {
      if (c == '"' || c == '\\') escaped.push_back('\\');
      escaped.push_back(c);
    }
    absl::StatusOr<SqlWhere> where =
        CompileFilter("kecamatan_code = \"" + escaped + "\"", Schema());
    ASSERT_TRUE(where.ok()) << where.status();
    EXPECT_EQ(where->sql, "b.kecamatan_code = ?");
    EXPECT_THAT(where->params, ElementsAre(SqlValue(value)));
  }
}

TEST(CompileFilterTest, UnknownFieldIsNamed) {
  absl::StatusOr<SqlWhere> where = CompileFilter(R"(password = "x")", Schema());
  EXPECT_THAT(where, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(where.status()),
              ElementsAre(Field(&FieldViolation::field, "filter")));
  EXPECT_THAT(Description(where.status()),
              HasSubstr("unknown field 'password'"));
  EXPECT_THAT(Description(where.status()), HasSubstr("kecamatan_code"));
}

TEST(CompileFilterTest, ColumnNamesComeOnlyFromSchema) {
  // A field name that looks like SQL never reaches the SQL text.
  absl::StatusOr<SqlWhere> where =
      CompileFilter("b.owner_nik = \"1\"", Schema());
  EXPECT_THAT(where, StatusIs(absl::StatusCode::kInvalidArgument));
}

struct ErrorCase {
  std::string filter;
  std::string message;  // substring of the description
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.filter; }

class CompileFilterErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(CompileFilterErrorTest, InvalidArgumentOnFilter) {
  absl::StatusOr<SqlWhere> where = CompileFilter(GetParam().filter, Schema());
  ASSERT_THAT(where, StatusIs(absl::StatusCode::kInvalidArgument))
      << GetParam().filter;
  EXPECT_THAT(FieldViolationsOf(where.status()),
              ElementsAre(Field(&FieldViolation::field, "filter")));
  EXPECT_THAT(Description(where.status()), HasSubstr(GetParam().message))
      << GetParam().filter;
}

INSTANTIATE_TEST_SUITE_P(
    Syntax, CompileFilterErrorTest,
    ::testing::Values(
        ErrorCase{"scale = SCALE_MIKRO AND", "found the end"},
        ErrorCase{"AND scale = SCALE_MIKRO", "expected a field name"},
        ErrorCase{"scale SCALE_MIKRO", "expected one of ="},
        ErrorCase{"scale =", "expected a value"},
        ErrorCase{"scale = SCALE_MIKRO scale = SCALE_KECIL",
                  "expected AND or OR"},
        ErrorCase{"scale = SCALE_MIKRO and capital_idr = 1",
                  "expected AND or OR"},
        ErrorCase{"capital_idr = 1 AND scale = SCALE_MIKRO OR has_nib = true",
                  "mixing AND and OR needs parentheses"},
        ErrorCase{"(capital_idr = 1", "'(' is not closed"},
        ErrorCase{"capital_idr = 1)", "unbalanced ')'"},
        ErrorCase{"NOT capital_idr = 1", "NOT is not supported"},
        ErrorCase{"-capital_idr = 1", "negation"},
        ErrorCase{"owner_nik:\"35\"", "':' (has)"},
        ErrorCase{"kecamatan_code = 'x'", "double quotes"},
        ErrorCase{"kecamatan_code = \"x", "unterminated string"},
        ErrorCase{R"(kecamatan_code = "\x41")", "unsupported escape"},
        ErrorCase{"capital_idr = 99999999999999999999", "out of range"},
        ErrorCase{"location.latitude = 1e999", "out of range"},
        ErrorCase{"kecamatan_code = 35.73.02", "malformed number"},
        ErrorCase{"capital_idr = 12abc", "malformed number"},
        ErrorCase{"capital_idr ! 1", "expected '!='"},
        ErrorCase{"capital_idr = 1 ; DROP TABLE x", "unexpected character"},
        ErrorCase{"owner..nik = \"1\"", "malformed field name"},
        ErrorCase{"a = 1 AND ((((((((((a = 1))))))))))", "nested deeper"}));

INSTANTIATE_TEST_SUITE_P(
    Types, CompileFilterErrorTest,
    ::testing::Values(
        ErrorCase{"kecamatan_code = 3573", "needs a double-quoted string"},
        ErrorCase{"kecamatan_code = Klojen", "needs a double-quoted string"},
        ErrorCase{"capital_idr = \"1000\"", "needs an integer"},
        ErrorCase{"capital_idr = 1.5", "needs an integer"},
        ErrorCase{"location.latitude = \"x\"", "needs a number"},
        ErrorCase{"has_nib = 1", "true or false"},
        ErrorCase{"has_nib = TRUE", "true or false"},
        ErrorCase{"has_nib < true", "supports only = and !="},
        ErrorCase{"scale = SCALE_BESAR", "one of SCALE_MIKRO, SCALE_KECIL"},
        ErrorCase{"scale = 1", "one of SCALE_MIKRO"},
        ErrorCase{"scale > SCALE_MIKRO", "supports only = and !="}));

TEST(CompileFilterTest, LimitsBoundWork) {
  std::string many = "capital_idr = 0";
  for (int i = 1; i <= kMaxFilterComparisons; ++i) {
    many += " AND capital_idr = " + std::to_string(i);
  }
  EXPECT_THAT(Description(CompileFilter(many, Schema()).status()),
              HasSubstr("more than"));
  EXPECT_THAT(CompileFilter(std::string(kMaxFilterLength + 1, ' '), Schema()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseFilterTest, BuildsTree) {
  absl::StatusOr<Filter> filter =
      ParseFilter(R"(a = 1 AND (b = "x" OR c >= 2.5))");
  ASSERT_TRUE(filter.ok()) << filter.status();
  ASSERT_TRUE(filter->root.has_value());
  const FilterNode& root = *filter->root;
  EXPECT_EQ(root.kind, FilterNode::Kind::kAnd);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].comparison.field, "a");
  EXPECT_EQ(root.children[0].comparison.value.kind, Literal::Kind::kInteger);
  EXPECT_EQ(root.children[0].comparison.value.integer, 1);
  const FilterNode& any = root.children[1];
  EXPECT_EQ(any.kind, FilterNode::Kind::kOr);
  ASSERT_EQ(any.children.size(), 2u);
  EXPECT_EQ(any.children[0].comparison.value.kind, Literal::Kind::kString);
  EXPECT_EQ(any.children[0].comparison.value.text, "x");
  EXPECT_EQ(any.children[1].comparison.op, CompareOp::kGe);
  EXPECT_EQ(any.children[1].comparison.value.kind, Literal::Kind::kNumber);
  EXPECT_DOUBLE_EQ(any.children[1].comparison.value.number, 2.5);
}

TEST(FilterFieldTest, OperatorsLimitWhatAFieldAccepts) {
  const FilterSchema schema({{.name = "capital_idr",
                              .column = "capital_idr",
                              .kind = FieldKind::kInt,
                              .operators = {CompareOp::kGe, CompareOp::kLe}},
                             {.name = "code",
                              .column = "code",
                              .kind = FieldKind::kString,
                              .operators = {CompareOp::kEq}}});
  EXPECT_TRUE(
      CompileFilter("capital_idr >= 1 AND capital_idr <= 9", schema).ok());
  EXPECT_EQ(Description(CompileFilter("capital_idr = 1", schema).status()),
            "field 'capital_idr' supports only >= and <=");
  EXPECT_EQ(Description(CompileFilter("code != \"x\"", schema).status()),
            "field 'code' supports only =");
}

TEST(FilterFieldTest, RewriteChangesTheBoundValueOrRefusesIt) {
  int calls = 0;
  const FilterSchema schema(
      {{.name = "owner_nik",
        .column = "owner_nik_index",
        .kind = FieldKind::kString,
        .operators = {CompareOp::kEq, CompareOp::kNe},
        .rewrite = [&calls](Literal& value) -> absl::Status {
          ++calls;
          if (value.kind != Literal::Kind::kString || value.text.size() != 4) {
            return InvalidField("filter", "owner_nik must be 4 characters");
          }
          value.text = "index:" + value.text;
          return absl::OkStatus();
        }}});
  absl::StatusOr<SqlWhere> where =
      CompileFilter(R"(owner_nik = "3573" OR owner_nik != "3574")", schema);
  ASSERT_TRUE(where.ok()) << where.status();
  EXPECT_EQ(where->sql, "(owner_nik_index = ? OR owner_nik_index <> ?)");
  EXPECT_THAT(where->params,
              ElementsAre(SqlValue("index:3573"), SqlValue("index:3574")));
  EXPECT_EQ(calls, 2);
  // The operator is checked before the hook sees the value.
  EXPECT_EQ(
      Description(CompileFilter(R"(owner_nik < "3573")", schema).status()),
      "field 'owner_nik' supports only = and !=");
  EXPECT_EQ(calls, 2);
  absl::StatusOr<SqlWhere> refused = CompileFilter(R"(owner_nik = 12)", schema);
  EXPECT_THAT(FieldViolationsOf(refused.status()),
              ElementsAre(Field(&FieldViolation::field, "filter")));
  EXPECT_EQ(Description(refused.status()), "owner_nik must be 4 characters");
}

// owner_nik is personal: a caller may filter on it only when allowed to,
// and the compiled filter says it was used. No audit, no oracle otherwise.
const FilterSchema& PersonalSchema() {
  static const FilterSchema* const schema = new FilterSchema({
      {"kecamatan_code", "kecamatan_code", FieldKind::kString, {}},
      {.name = "owner_nik",
       .column = "owner_nik_index",
       .kind = FieldKind::kString,
       .personal = true},
      {.name = "owner_phone",
       .column = "owner_phone_index",
       .kind = FieldKind::kString,
       .personal = true},
  });
  return *schema;
}

TEST(PersonalFieldTest, RefusedUnlessAllowedNamingTheField) {
  const absl::string_view phone_only[] = {"owner_phone"};
  for (const absl::Span<const absl::string_view> allowed :
       {absl::Span<const absl::string_view>(),
        absl::MakeConstSpan(phone_only)}) {
    // Also when the value is malformed or the comparison is nested: the
    // refusal depends on the field alone.
    for (const char* text :
         {R"(owner_nik = "3573021508900001")", R"(owner_nik = 12)",
          R"(kecamatan_code = "35.73.02" AND (owner_nik = "1" OR )"
          R"(kecamatan_code = "x"))"}) {
      absl::StatusOr<SqlWhere> where =
          CompileFilter(text, PersonalSchema(), allowed);
      EXPECT_THAT(where, StatusIs(absl::StatusCode::kPermissionDenied)) << text;
      EXPECT_EQ(ReasonOf(where.status()), kPersonalFilterDeniedReason);
      EXPECT_THAT(where.status().message(), HasSubstr("'owner_nik'"));
    }
  }
}

TEST(PersonalFieldTest, AllowedFieldsAreReportedOnce) {
  const absl::string_view both[] = {"owner_nik", "owner_phone"};
  absl::StatusOr<SqlWhere> where = CompileFilter(
      R"(owner_nik = "1" OR owner_phone = "2" OR owner_nik = "3")",
      PersonalSchema(), both);
  ASSERT_TRUE(where.ok()) << where.status();
  EXPECT_THAT(where->personal_fields, ElementsAre("owner_nik", "owner_phone"));
  absl::StatusOr<SqlWhere> plain =
      CompileFilter(R"(kecamatan_code = "35.73.02")", PersonalSchema(), both);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TRUE(plain->personal_fields.empty());
}

TEST(ValuesTableTest, MatchesWhenAnyValueMatches) {
  const FilterSchema schema(
      {{.name = "resource",
        .column = "resource",
        .kind = FieldKind::kString,
        .values_in = ValuesTable{.table = "audit_resource",
                                 .key = "record_id",
                                 .row = "audit_record.id"}},
       {"subject", "subject", FieldKind::kString, {}}});
  absl::StatusOr<SqlWhere> where = CompileFilter(
      R"(resource = "businesses/b1" AND subject = "siti")", schema);
  ASSERT_TRUE(where.ok()) << where.status();
  EXPECT_EQ(where->sql,
            "(EXISTS (SELECT 1 FROM audit_resource WHERE "
            "audit_resource.record_id = audit_record.id AND "
            "audit_resource.resource = ?) AND subject = ?)");
  EXPECT_THAT(where->params,
              ElementsAre(SqlValue("businesses/b1"), SqlValue("siti")));
}

TEST(FilterSchemaDeathTest, RejectsValuesTableThatIsNotAnIdentifier) {
  EXPECT_DEATH(
      FilterSchema({{.name = "resource",
                     .column = "resource",
                     .kind = FieldKind::kString,
                     .values_in = ValuesTable{.table = "t; DROP TABLE y",
                                              .key = "k",
                                              .row = "r"}}}),
      "not a SQL identifier");
}

TEST(FilterSchemaDeathTest, RejectsColumnThatIsNotAnIdentifier) {
  EXPECT_DEATH(FilterSchema({{"x", "x; DROP TABLE y", FieldKind::kString, {}}}),
               "not a SQL identifier");
}

}  // namespace
}  // namespace umkm::aip
