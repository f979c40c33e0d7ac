// Tests for prepared statements: typed binds and columns, the statement
// cache, and error reporting.
#include "common/store/connection.h"

#include <cstdint>
#include <optional>
#include <string>

#include "common/status/macros.h"
#include "common/store/database.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::store {
namespace {

using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("test.db"));
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
    ASSERT_THAT(db_->Write([](Connection& conn) {
      return conn.ExecuteScript(
          "CREATE TABLE value (id INTEGER PRIMARY KEY, i INTEGER, d REAL, "
          "t TEXT, b BLOB);");
    }),
                IsOk());
  }

  umkm::testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(ConnectionTest, TypedValuesRoundTrip) {
  const std::string binary("\0\x01\xff quote' \"; DROP TABLE value; --", 33);
  const std::string text = "Warung Bu Sri \xe2\x80\x94 'kopi' \"tubruk\"";
  ASSERT_THAT(db_->Write([&](Connection& conn) {
    return conn.Execute(
        "INSERT INTO value (id, i, d, t, b) VALUES (?, ?, ?, ?, ?)", 1,
        int64_t{9'000'000'000'000}, 7.25, text, Blob{binary});
  }),
              IsOk());
  ASSERT_THAT(db_->Write([&](Connection& conn) {
    return conn.Execute(
        "INSERT INTO value (id, i, d, t, b) VALUES (?, ?, ?, ?, ?)", 2,
        std::optional<int64_t>(), std::nullopt, std::optional<std::string>(),
        Blob{std::string_view()});
  }),
              IsOk());

  ASSERT_THAT(db_->Read([&](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(
        Statement stmt,
        conn.Prepare("SELECT i, d, t, b FROM value ORDER BY id"));
    UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
    EXPECT_TRUE(row);
    EXPECT_EQ(stmt.ColumnInt64(0), 9'000'000'000'000);
    EXPECT_EQ(stmt.ColumnDouble(1), 7.25);
    EXPECT_EQ(stmt.ColumnText(2), text);
    EXPECT_EQ(stmt.ColumnBlob(3), binary);
    UMKM_ASSIGN_OR_RETURN(row, stmt.Step());
    EXPECT_TRUE(row);
    EXPECT_EQ(stmt.ColumnOptionalInt64(0), std::nullopt);
    EXPECT_EQ(stmt.ColumnOptionalDouble(1), std::nullopt);
    EXPECT_EQ(stmt.ColumnOptionalText(2), std::nullopt);
    EXPECT_FALSE(stmt.ColumnIsNull(3));  // empty blob, not NULL
    EXPECT_EQ(stmt.ColumnBlob(3), "");
    UMKM_ASSIGN_OR_RETURN(row, stmt.Step());
    EXPECT_FALSE(row);
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_F(ConnectionTest, SameQueryCanBeOpenTwiceAndIsReused) {
  ASSERT_THAT(db_->Write([](Connection& conn) -> absl::Status {
    for (int id = 1; id <= 3; ++id) {
      UMKM_RETURN_IF_ERROR(
          conn.Execute("INSERT INTO value (id, i) VALUES (?, ?)", id, id * 10));
    }
    return absl::OkStatus();
  }),
              IsOk());
  constexpr std::string_view kQuery = "SELECT i FROM value WHERE id = ?";
  ASSERT_THAT(db_->Read([&](Connection& conn) -> absl::Status {
    for (int round = 0; round < 3; ++round) {
      UMKM_ASSIGN_OR_RETURN(Statement outer, conn.Prepare(kQuery));
      UMKM_ASSIGN_OR_RETURN(Statement inner, conn.Prepare(kQuery));
      outer.BindAll(1);
      inner.BindAll(3);
      UMKM_ASSIGN_OR_RETURN(bool outer_row, outer.Step());
      UMKM_ASSIGN_OR_RETURN(bool inner_row, inner.Step());
      EXPECT_TRUE(outer_row && inner_row);
      EXPECT_EQ(outer.ColumnInt64(0), 10);
      EXPECT_EQ(inner.ColumnInt64(0), 30);
    }
    // A reused statement comes back reset with its bindings cleared.
    UMKM_ASSIGN_OR_RETURN(Statement again, conn.Prepare(kQuery));
    UMKM_ASSIGN_OR_RETURN(bool row, again.Step());
    EXPECT_FALSE(row);  // id = NULL matches nothing
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_F(ConnectionTest, UncachedStatementsRunAndLeaveNoTrace) {
  ASSERT_THAT(db_->Write([](Connection& conn) {
    return conn.Execute("INSERT INTO value (id, t) VALUES (?, ?)", 1, "satu");
  }),
              IsOk());
  ASSERT_THAT(db_->Read([&](Connection& conn) -> absl::Status {
    const size_t before = conn.cached_statements();
    for (int shape = 0; shape < 5; ++shape) {
      // A different text each time, as request-shaped SQL would be.
      UMKM_ASSIGN_OR_RETURN(
          Statement stmt,
          conn.PrepareUncached("SELECT t FROM value WHERE id = ? AND " +
                               std::to_string(shape) + " = " +
                               std::to_string(shape)));
      stmt.BindAll(1);
      UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
      EXPECT_TRUE(row);
      EXPECT_EQ(stmt.ColumnText(0), "satu");
    }
    EXPECT_EQ(conn.cached_statements(), before);
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_F(ConnectionTest, RejectsSeveralStatementsInPrepare) {
  EXPECT_THAT(db_->Read([](Connection& conn) {
    return conn.Prepare("SELECT 1; SELECT 2").status();
  }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ConnectionTest, BadSqlIsInternal) {
  EXPECT_THAT(db_->Read([](Connection& conn) {
    return conn.Prepare("SELEC 1").status();
  }),
              StatusIs(absl::StatusCode::kInternal));
}

TEST_F(ConnectionTest, BindErrorIsReportedByStep) {
  EXPECT_THAT(db_->Read([](Connection& conn) -> absl::Status {
    UMKM_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("SELECT ?"));
    stmt.BindAll(1, 2);  // parameter 2 does not exist
    return stmt.Step().status();
  }),
              StatusIs(absl::StatusCode::kInternal));
}

TEST_F(ConnectionTest, ReadConnectionCannotWrite) {
  EXPECT_THAT(db_->Read([](Connection& conn) {
    return conn.Execute("INSERT INTO value (id) VALUES (1)");
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace umkm::store
