// aip::ListQuery run against a real SQLite table with ReadPage: every row
// once, in order, across pages, with ties on the sort key and rows inserted
// between pages; and the SqlValue helpers underneath.
#include "common/store/list_page.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/aip/list_query.h"
#include "common/status/macros.h"
#include "common/store/database.h"
#include "common/store/sql_values.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::store {
namespace {

using ::testing::ElementsAre;
using ::umkm::testing::IsOk;

constexpr char kKey[] = "page-token-key-for-sql-values-tests-0123";

constexpr Migration kMigrations[] = {{1, "thing", R"sql(
CREATE TABLE thing (
  id    TEXT PRIMARY KEY,
  score INTEGER NOT NULL,
  ratio REAL NOT NULL,
  kind  TEXT NOT NULL
) STRICT;
)sql"}};

const aip::ListSchema& Schema() {
  static const aip::ListSchema* const schema = new aip::ListSchema{
      .collection = "things",
      .table = "thing",
      .columns = {"id"},
      .filter =
          aip::FilterSchema({{"kind", "kind", aip::FieldKind::kString, {}},
                             {"ratio", "ratio", aip::FieldKind::kDouble, {}}}),
      .order_by = {{"score", "score", aip::SqlType::kInt64},
                   {"ratio", "ratio", aip::SqlType::kDouble}},
      .default_order_by = "score",
      .unique_key = {"name", "id", aip::SqlType::kText},
  };
  return *schema;
}

class ListPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("things.db"));
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
    ASSERT_THAT(db_->Migrate(kMigrations), IsOk());
  }

  void Insert(const std::string& id, int64_t score, double ratio,
              const std::string& kind = "a") {
    ASSERT_THAT(db_->Write([&](Connection& conn) {
      return conn.Execute("INSERT INTO thing VALUES (?, ?, ?, ?)", id, score,
                          ratio, kind);
    }),
                IsOk());
  }

  struct Page {
    std::vector<std::string> ids;
    std::string next_page_token;
    int64_t total_size = 0;
  };

  // One page the way a store reads it.
  absl::StatusOr<Page> List(aip::ListParams params) {
    UMKM_ASSIGN_OR_RETURN(aip::ListQuery query,
                          aip::ListQuery::Compile(Schema(), params, kKey));
    Page page;
    UMKM_RETURN_IF_ERROR(db_->Read([&](Connection& conn) -> absl::Status {
      UMKM_ASSIGN_OR_RETURN(PageEnd end,
                            ReadPage(conn, query, [&](const Statement& row) {
                              page.ids.emplace_back(row.ColumnText(0));
                              return absl::OkStatus();
                            }));
      page.next_page_token = std::move(end.next_page_token);
      page.total_size = end.total_size;
      return absl::OkStatus();
    }));
    return page;
  }

  // Every id, page by page.
  std::vector<std::string> All(aip::ListParams params, int* pages) {
    std::vector<std::string> ids;
    std::string token;
    *pages = 0;
    do {
      params.page_token = token;
      absl::StatusOr<Page> page = List(params);
      EXPECT_THAT(page, IsOk());
      if (!page.ok()) break;
      ids.insert(ids.end(), page->ids.begin(), page->ids.end());
      token = page->next_page_token;
    } while (!token.empty() && ++*pages < 20);
    return ids;
  }

  umkm::testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(ListPageTest, PagesCoverEveryRowOnceWithTiesBrokenById) {
  for (int i = 0; i < 7; ++i) {
    Insert(absl::StrCat("t", i), /*score=*/i % 3, /*ratio=*/0.5 * (7 - i));
  }
  int pages = 0;
  EXPECT_THAT(All({.page_size = 3}, &pages),
              ElementsAre("t0", "t3", "t6", "t1", "t4", "t2", "t5"));
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(All({.order_by = "ratio desc", .page_size = 2}, &pages),
              ElementsAre("t0", "t1", "t2", "t3", "t4", "t5", "t6"));
}

TEST_F(ListPageTest, FilterAndCountAgree) {
  Insert("a1", 1, 0.1, "a");
  Insert("b1", 2, 0.2, "b");
  Insert("a2", 3, 0.3, "a");
  absl::StatusOr<Page> page =
      List({.filter = R"(kind = "a" AND ratio >= 0.1)", .page_size = 1});
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page->ids, ElementsAre("a1"));
  EXPECT_EQ(page->total_size, 2);
  EXPECT_FALSE(page->next_page_token.empty());
}

TEST_F(ListPageTest, RowsInsertedBetweenPagesNeitherRepeatNorShift) {
  for (int i = 0; i < 4; ++i) Insert(absl::StrCat("t", i), i * 10, 0);
  absl::StatusOr<Page> first = List({.page_size = 2});
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(first->ids, ElementsAre("t0", "t1"));
  Insert("early", -1, 0);  // sorts before the token's position
  Insert("late", 15, 0);   // between t1 and t2
  absl::StatusOr<Page> second =
      List({.page_size = 2, .page_token = first->next_page_token});
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(second->ids, ElementsAre("late", "t2"));
}

TEST_F(ListPageTest, AnErrorFromTheRowStopsTheRead) {
  Insert("t1", 1, 0);
  Insert("t2", 2, 0);
  absl::StatusOr<aip::ListQuery> query =
      aip::ListQuery::Compile(Schema(), {.page_size = 5}, kKey);
  ASSERT_THAT(query, IsOk());
  int rows = 0;
  absl::Status status = db_->Read([&](Connection& conn) {
    return ReadPage(conn, *query,
                    [&](const Statement&) {
                      ++rows;
                      return absl::DataLossError("corrupt record");
                    })
        .status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(rows, 1);
}

TEST_F(ListPageTest, ValuesBindAndReadBackByType) {
  ASSERT_THAT(db_->Write([&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(
        Statement insert,
        conn.Prepare("INSERT INTO thing VALUES (?, ?, ?, ?)"));
    const aip::SqlValue values[] = {std::string("x"), int64_t{-7}, 2.5,
                                    std::string("k")};
    BindValues(insert, values);
    return insert.Run();
  }),
              IsOk());
  ASSERT_THAT(db_->Read([&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(
        Statement select,
        conn.Prepare("SELECT 0, score, ratio, id FROM thing WHERE kind = ?"));
    const aip::SqlValue kind[] = {std::string("k")};
    BindValues(select, kind);
    UMKM_ASSIGN_OR_RETURN(bool found, select.Step());
    EXPECT_TRUE(found);
    const aip::SqlType types[] = {aip::SqlType::kInt64, aip::SqlType::kDouble,
                                  aip::SqlType::kText};
    EXPECT_THAT(ColumnValues(select, 1, types),
                ElementsAre(aip::SqlValue(int64_t{-7}), aip::SqlValue(2.5),
                            aip::SqlValue(std::string("x"))));
    return absl::OkStatus();
  }),
              IsOk());
}

}  // namespace
}  // namespace umkm::store
