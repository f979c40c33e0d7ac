#include "common/aip/list_query.h"

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
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

constexpr char kKey[] = "page-token-key-for-list-query-tests-0123";

// A collection as a service would declare it.
const ListSchema& Schema() {
  static const ListSchema* const schema = new ListSchema{
      .collection = "things",
      .table = "thing",
      .columns = {"id", "record"},
      .filter = FilterSchema({{"kind", "kind", FieldKind::kString, {}},
                              {"size", "size", FieldKind::kInt, {}},
                              {.name = "secret",
                               .column = "secret_index",
                               .kind = FieldKind::kString,
                               .operators = {CompareOp::kEq},
                               .rewrite = [](Literal& value) -> absl::Status {
                                 value.text = "h(" + value.text + ")";
                                 return absl::OkStatus();
                               }}}),
      .order_by = {{"create_time", "create_time", SqlType::kInt64},
                   {"display_name", "display_name", SqlType::kText}},
      .default_order_by = "create_time",
      .unique_key = {"name", "id", SqlType::kText},
  };
  return *schema;
}

std::vector<std::string> BadFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

TEST(ListQueryTest, FirstPageWithDefaultOrderAndConditions) {
  absl::StatusOr<ListQuery> query =
      ListQuery::Compile(Schema(),
                         {.filter = R"(kind = "a" OR size > 3)",
                          .page_size = 10,
                          .conditions = {"state = 1"}},
                         kKey);
  ASSERT_THAT(query, IsOk());
  EXPECT_EQ(query->page().sql,
            "SELECT id, record, create_time, id FROM thing WHERE state = 1 "
            "AND ((kind = ? OR size > ?)) ORDER BY create_time ASC, id ASC "
            "LIMIT ?");
  EXPECT_THAT(
      query->page().params,
      ElementsAre(SqlValue("a"), SqlValue(int64_t{3}), SqlValue(int64_t{11})));
  EXPECT_EQ(query->Count().sql,
            "SELECT COUNT(*) FROM thing WHERE state = 1 AND ((kind = ? OR "
            "size > ?))");
  EXPECT_THAT(query->Count().params,
              ElementsAre(SqlValue("a"), SqlValue(int64_t{3})));
  EXPECT_EQ(query->first_sort_key(), 2);
  EXPECT_THAT(query->sort_key_types(),
              ElementsAre(SqlType::kInt64, SqlType::kText));
  EXPECT_EQ(query->page_size(), 10);
}

TEST(ListQueryTest, NoConditionsNoFilterReadsEverything) {
  absl::StatusOr<ListQuery> query =
      ListQuery::Compile(Schema(), {.page_size = 2}, kKey);
  ASSERT_THAT(query, IsOk());
  EXPECT_EQ(query->page().sql,
            "SELECT id, record, create_time, id FROM thing ORDER BY "
            "create_time ASC, id ASC LIMIT ?");
  EXPECT_EQ(query->Count().sql, "SELECT COUNT(*) FROM thing");
  EXPECT_TRUE(query->where().sql.empty());
}

TEST(ListQueryTest, TheRewriteHookShapesTheBoundValue) {
  absl::StatusOr<ListQuery> query = ListQuery::Compile(
      Schema(), {.filter = R"(secret = "x")", .page_size = 1}, kKey);
  ASSERT_THAT(query, IsOk());
  EXPECT_THAT(query->where().params, ElementsAre(SqlValue("h(x)")));
  EXPECT_THAT(BadFields(ListQuery::Compile(Schema(),
                                           {.filter = R"(secret != "x")"}, kKey)
                            .status()),
              ElementsAre("filter"));
}

TEST(ListQueryTest, TokenContinuesAfterTheLastRow) {
  const ListParams first{.order_by = "display_name desc", .page_size = 2};
  absl::StatusOr<ListQuery> query = ListQuery::Compile(Schema(), first, kKey);
  ASSERT_THAT(query, IsOk());
  const std::string token =
      query->NextPageToken({std::string("Mango"), std::string("id-7")});

  ListParams next = first;
  next.page_token = token;
  absl::StatusOr<ListQuery> second = ListQuery::Compile(Schema(), next, kKey);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->page().sql,
            "SELECT id, record, display_name, id FROM thing WHERE "
            "((display_name < ?) OR (display_name = ? AND id > ?)) ORDER BY "
            "display_name DESC, id ASC LIMIT ?");
  EXPECT_THAT(second->page().params,
              ElementsAre(SqlValue("Mango"), SqlValue("Mango"),
                          SqlValue("id-7"), SqlValue(int64_t{3})));
  // The cursor restricts the page, not the count.
  EXPECT_EQ(second->Count().sql, "SELECT COUNT(*) FROM thing");
}

TEST(ListQueryTest, TokenIsBoundToEverythingThatShapesTheListing) {
  const ListParams params{.filter = R"(kind = "a")",
                          .order_by = "display_name",
                          .page_size = 2,
                          .token_binding = {"0"}};
  absl::StatusOr<ListQuery> query = ListQuery::Compile(Schema(), params, kKey);
  ASSERT_THAT(query, IsOk());
  const std::string token =
      query->NextPageToken({std::string("Mango"), std::string("id-7")});

  auto bad_token = [&](ListParams changed, absl::string_view key = kKey) {
    changed.page_token = token;
    return BadFields(ListQuery::Compile(Schema(), changed, key).status()) ==
           std::vector<std::string>{"page_token"};
  };
  ListParams same = params;
  same.page_token = token;
  EXPECT_THAT(ListQuery::Compile(Schema(), same, kKey), IsOk());
  ListParams other = params;
  other.filter = R"(kind = "b")";
  EXPECT_TRUE(bad_token(other));
  other = params;
  other.order_by = "display_name asc";
  EXPECT_TRUE(bad_token(other));
  other = params;
  other.token_binding = {"1"};
  EXPECT_TRUE(bad_token(other));
  EXPECT_TRUE(bad_token(params, "another-key-another-key-another-key-0"));
  ListSchema elsewhere = Schema();
  elsewhere.collection = "others";
  same.page_token = token;
  EXPECT_THAT(BadFields(ListQuery::Compile(elsewhere, same, kKey).status()),
              ElementsAre("page_token"));
}

TEST(ListQueryTest, TokenWithValuesOfTheWrongTypeIsRefused) {
  const ListParams params{.order_by = "display_name", .page_size = 2};
  absl::StatusOr<ListQuery> query = ListQuery::Compile(Schema(), params, kKey);
  ASSERT_THAT(query, IsOk());
  ListParams next = params;
  const std::string token = query->NextPageToken({int64_t{5}, int64_t{6}});
  next.page_token = token;
  EXPECT_THAT(BadFields(ListQuery::Compile(Schema(), next, kKey).status()),
              ElementsAre("page_token"));
}

TEST(ListQueryTest, ErrorsNameTheFieldInOrderOfChecking) {
  EXPECT_THAT(BadFields(ListQuery::Compile(Schema(),
                                           {.filter = "colour = 1",
                                            .order_by = "colour",
                                            .page_token = "junk"},
                                           kKey)
                            .status()),
              ElementsAre("filter"));
  EXPECT_THAT(BadFields(ListQuery::Compile(
                            Schema(),
                            {.order_by = "colour", .page_token = "junk"}, kKey)
                            .status()),
              ElementsAre("order_by"));
  EXPECT_THAT(ListQuery::Compile(Schema(), {.page_token = "junk"}, kKey),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ListQueryTest, PersonalFieldsOnlyForCallersAllowedThem) {
  const ListSchema schema{
      .collection = "people",
      .table = "person",
      .columns = {"id"},
      .filter = FilterSchema({{.name = "nik",
                               .column = "nik_index",
                               .kind = FieldKind::kString,
                               .personal = true}}),
      .order_by = {{"name", "id", SqlType::kText}},
      .default_order_by = "name",
      .unique_key = {"name", "id", SqlType::kText},
  };
  absl::StatusOr<ListQuery> refused =
      ListQuery::Compile(schema, {.filter = R"(nik = "1")"}, kKey);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ReasonOf(refused.status()), kPersonalFilterDeniedReason);
  absl::StatusOr<ListQuery> allowed = ListQuery::Compile(
      schema, {.filter = R"(nik = "1")", .personal_allowed = {"nik"}}, kKey);
  ASSERT_THAT(allowed, IsOk());
  EXPECT_THAT(allowed->where().personal_fields, ElementsAre("nik"));
  const absl::string_view nik[] = {"nik"};
  EXPECT_THAT(CompileWhere(schema.filter, R"(nik = "1")", {}),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CompileWhere(schema.filter, R"(nik = "1")", {}, nik), IsOk());
}

TEST(CompileWhereTest, ConditionsAndFilter) {
  absl::StatusOr<SqlWhere> where =
      CompileWhere(Schema().filter, "size >= 2", {"state = 1", "x IS NULL"});
  ASSERT_THAT(where, IsOk());
  EXPECT_EQ(where->sql, "state = 1 AND x IS NULL AND (size >= ?)");
  EXPECT_THAT(where->params, ElementsAre(SqlValue(int64_t{2})));
  absl::StatusOr<SqlWhere> none = CompileWhere(Schema().filter, "", {});
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->sql.empty());
}

}  // namespace
}  // namespace umkm::aip
