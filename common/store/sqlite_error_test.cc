// Tests for the sqlite3 result code mapping.
#include "common/store/sqlite_error.h"

#include <sqlite3.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::store {
namespace {

using ::testing::HasSubstr;

struct CodeCase {
  int rc;
  absl::StatusCode code;
};

class SqliteCodeTest : public ::testing::TestWithParam<CodeCase> {};

TEST_P(SqliteCodeTest, MapsToCanonicalCode) {
  EXPECT_EQ(SqliteCode(GetParam().rc), GetParam().code)
      << sqlite3_errstr(GetParam().rc);
}

INSTANTIATE_TEST_SUITE_P(
    Codes, SqliteCodeTest,
    ::testing::Values(
        CodeCase{SQLITE_OK, absl::StatusCode::kOk},
        CodeCase{SQLITE_DONE, absl::StatusCode::kOk},
        CodeCase{SQLITE_CONSTRAINT_UNIQUE, absl::StatusCode::kAlreadyExists},
        CodeCase{SQLITE_CONSTRAINT_PRIMARYKEY,
                 absl::StatusCode::kAlreadyExists},
        CodeCase{SQLITE_CONSTRAINT_FOREIGNKEY,
                 absl::StatusCode::kFailedPrecondition},
        CodeCase{SQLITE_CONSTRAINT_NOTNULL, absl::StatusCode::kInvalidArgument},
        CodeCase{SQLITE_CONSTRAINT_CHECK, absl::StatusCode::kInvalidArgument},
        CodeCase{SQLITE_BUSY, absl::StatusCode::kUnavailable},
        CodeCase{SQLITE_BUSY_SNAPSHOT, absl::StatusCode::kUnavailable},
        CodeCase{SQLITE_LOCKED, absl::StatusCode::kUnavailable},
        CodeCase{SQLITE_IOERR_FSYNC, absl::StatusCode::kInternal},
        CodeCase{SQLITE_FULL, absl::StatusCode::kInternal},
        CodeCase{SQLITE_CORRUPT, absl::StatusCode::kDataLoss},
        CodeCase{SQLITE_NOTADB, absl::StatusCode::kDataLoss},
        CodeCase{SQLITE_READONLY, absl::StatusCode::kFailedPrecondition},
        CodeCase{SQLITE_ERROR, absl::StatusCode::kInternal}));

TEST(SqliteStatusTest, MessageNamesOperationAndSqliteText) {
  absl::Status status = SqliteStatus(SQLITE_BUSY, nullptr, "commit");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), HasSubstr("commit: "));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr(sqlite3_errstr(SQLITE_BUSY)));
}

}  // namespace
}  // namespace umkm::store
