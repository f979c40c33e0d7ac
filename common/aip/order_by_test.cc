#include "common/aip/order_by.h"

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

const std::vector<OrderableField>& Allowed() {
  static const auto* const allowed = new std::vector<OrderableField>{
      {"display_name", "display_name"},
      {"create_time", "create_time_us"},
      {"capital_idr", "b.capital_idr"},
  };
  return *allowed;
}

struct OrderCase {
  std::string order_by;
  std::string sql;
};

void PrintTo(const OrderCase& c, std::ostream* os) { *os << c.order_by; }

class ParseOrderByTest : public ::testing::TestWithParam<OrderCase> {};

TEST_P(ParseOrderByTest, BuildsClause) {
  absl::StatusOr<OrderBy> order = ParseOrderBy(GetParam().order_by, Allowed());
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(OrderBySql(*order), GetParam().sql);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseOrderByTest,
    ::testing::Values(
        OrderCase{"", ""}, OrderCase{"  ", ""},
        OrderCase{"display_name desc, create_time",
                  "ORDER BY display_name DESC, create_time_us ASC"},
        OrderCase{"display_name", "ORDER BY display_name ASC"},
        OrderCase{" capital_idr   DESC ,display_name asc ",
                  "ORDER BY b.capital_idr DESC, display_name ASC"},
        OrderCase{"create_time Desc", "ORDER BY create_time_us DESC"}));

struct ErrorCase {
  std::string order_by;
  std::string message;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.order_by; }

class ParseOrderByErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseOrderByErrorTest, InvalidArgumentOnOrderBy) {
  absl::StatusOr<OrderBy> order = ParseOrderBy(GetParam().order_by, Allowed());
  ASSERT_THAT(order, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<FieldViolation> violations = FieldViolationsOf(order.status());
  ASSERT_THAT(violations,
              ElementsAre(Field(&FieldViolation::field, "order_by")));
  EXPECT_THAT(violations[0].description, HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseOrderByErrorTest,
    ::testing::Values(
        ErrorCase{"owner_nik", "cannot order by 'owner_nik'"},
        ErrorCase{"create_time_us", "cannot order by"},  // column, not field
        ErrorCase{"display_name; DROP TABLE businesses",
                  "must be a field name"},
        ErrorCase{"display_name desc; DROP TABLE x", "must be a field name"},
        ErrorCase{"display_name descending", "must be asc or desc"},
        ErrorCase{"display_name desc nulls", "optionally followed"},
        ErrorCase{"display_name,,create_time", "empty term"},
        ErrorCase{"display_name,", "empty term"},
        ErrorCase{"display_name, display_name desc", "appears twice"},
        ErrorCase{std::string(600, 'a'), "longer than"}));

TEST(AddTiebreakTest, AppendsOnce) {
  absl::StatusOr<OrderBy> order = ParseOrderBy("display_name", Allowed());
  ASSERT_TRUE(order.ok());
  AddTiebreak(*order, {"id", "id", false});
  AddTiebreak(*order, {"id", "id", true});
  EXPECT_EQ(OrderBySql(*order), "ORDER BY display_name ASC, id ASC");
}

TEST(KeysetAfterTest, HonoursDirections) {
  absl::StatusOr<OrderBy> order =
      ParseOrderBy("display_name desc, create_time", Allowed());
  ASSERT_TRUE(order.ok());
  AddTiebreak(*order, {"id", "id", false});
  const std::vector<SqlValue> last = {std::string("Bolen"), int64_t{100},
                                      std::string("abc")};
  absl::StatusOr<SqlWhere> where = KeysetAfter(*order, last);
  ASSERT_TRUE(where.ok()) << where.status();
  EXPECT_EQ(where->sql,
            "((display_name < ?) OR (display_name = ? AND create_time_us > ?) "
            "OR (display_name = ? AND create_time_us = ? AND id > ?))");
  EXPECT_THAT(
      where->params,
      ElementsAre(SqlValue("Bolen"), SqlValue("Bolen"), SqlValue(int64_t{100}),
                  SqlValue("Bolen"), SqlValue(int64_t{100}), SqlValue("abc")));
}

TEST(KeysetAfterTest, NoTermsIsEmpty) {
  absl::StatusOr<SqlWhere> where = KeysetAfter(OrderBy{}, {});
  ASSERT_TRUE(where.ok());
  EXPECT_EQ(where->sql, "");
}

TEST(KeysetAfterTest, WrongValueCountIsBadPageToken) {
  absl::StatusOr<OrderBy> order = ParseOrderBy("display_name", Allowed());
  ASSERT_TRUE(order.ok());
  absl::StatusOr<SqlWhere> where = KeysetAfter(*order, {});
  EXPECT_THAT(where, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(where.status()),
              ElementsAre(Field(&FieldViolation::field, "page_token")));
}

}  // namespace
}  // namespace umkm::aip
