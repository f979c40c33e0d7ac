#include "common/store/request_log.h"

#include <fstream>
#include <sstream>

#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/database.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "umkm/registry/v1/registry.pb.h"

namespace umkm::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::umkm::registry::v1::CreateBusinessRequest;
using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

constexpr char kKey[] = "request-fingerprint-key-for-tests-012345";
constexpr char kNik[] = "3573021508900001";

constexpr Migration kMigrations[] = {
    {1, "request_log", kRequestLogSchema},
};

CreateBusinessRequest Request(const std::string& request_id,
                              const std::string& display_name = "Bu Sri") {
  CreateBusinessRequest request;
  request.set_request_id(request_id);
  request.mutable_business()->set_display_name(display_name);
  request.mutable_business()->mutable_owner()->set_nik(kNik);
  return request;
}

class RequestLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("service.db"));
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
    ASSERT_THAT(db_->Migrate(kMigrations), IsOk());
  }

  // Find, then Record when new, in one transaction, as a store does.
  absl::StatusOr<std::string> Run(const RequestLog& log,
                                  absl::string_view method,
                                  const RequestKey& key,
                                  const std::string& resource) {
    std::string result;
    UMKM_RETURN_IF_ERROR(db_->Write([&](Connection& conn) -> absl::Status {
      UMKM_ASSIGN_OR_RETURN(std::optional<std::string> prior,
                            log.Find(conn, method, key));
      if (prior) {
        result = *prior;
        return absl::OkStatus();
      }
      result = resource;
      return log.Record(conn, method, key, resource);
    }));
    return result;
  }

  int64_t Rows() {
    int64_t rows = -1;
    EXPECT_THAT(db_->Read([&](Connection& conn) -> absl::Status {
      UMKM_ASSIGN_OR_RETURN(Statement stmt,
                            conn.Prepare("SELECT COUNT(*) FROM request_log"));
      UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (row) rows = stmt.ColumnInt64(0);
      return absl::OkStatus();
    }),
                IsOk());
    return rows;
  }

  umkm::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
};

TEST(RequestKeyOfTest, TakesTheRequestIdAndTheRestOfTheMessage) {
  const RequestKey key = RequestKeyOf(Request("req-1"));
  EXPECT_EQ(key.request_id, "req-1");
  CreateBusinessRequest rest;
  ASSERT_TRUE(rest.ParseFromString(key.request));
  EXPECT_TRUE(rest.request_id().empty());
  EXPECT_EQ(rest.business().display_name(), "Bu Sri");
  // A retry under another request_id asks for the same thing.
  EXPECT_EQ(RequestKeyOf(Request("req-2")).request, key.request);
  EXPECT_NE(RequestKeyOf(Request("req-1", "Pak Budi")).request, key.request);
}

TEST(RequestKeyOfDeathTest, AMessageWithoutRequestIdIsABug) {
  EXPECT_DEATH(RequestKeyOf(registry::v1::Business()), "no string field");
}

TEST(RequestLogFingerprintTest, IsKeyedAndFramed) {
  const RequestLog log(kKey);
  const RequestLog other("another-fingerprint-key-for-tests-0123456");
  EXPECT_EQ(log.Fingerprint("Create", "x"), log.Fingerprint("Create", "x"));
  EXPECT_EQ(log.Fingerprint("Create", "x").size(), 64u);
  EXPECT_NE(log.Fingerprint("Create", "x"), other.Fingerprint("Create", "x"));
  EXPECT_NE(log.Fingerprint("Create", "x"), log.Fingerprint("Delete", "x"));
  EXPECT_NE(log.Fingerprint("ab", "c"), log.Fingerprint("a", "bc"));
}

TEST_F(RequestLogTest, ARetryGetsTheFirstResult) {
  const RequestLog log(kKey, clock_);
  const RequestKey key = RequestKeyOf(Request("req-1"));
  EXPECT_THAT(Run(log, "CreateBusiness", key, "first"), IsOkAndHolds("first"));
  EXPECT_THAT(Run(log, "CreateBusiness", key, "second"), IsOkAndHolds("first"));
  EXPECT_EQ(Rows(), 1);
}

TEST_F(RequestLogTest, NoRequestIdIsNeverLogged) {
  const RequestLog log(kKey, clock_);
  const RequestKey key = RequestKeyOf(Request(""));
  EXPECT_THAT(Run(log, "CreateBusiness", key, "a"), IsOkAndHolds("a"));
  EXPECT_THAT(Run(log, "CreateBusiness", key, "b"), IsOkAndHolds("b"));
  EXPECT_EQ(Rows(), 0);
}

TEST_F(RequestLogTest, ReuseForOtherDataOrAnotherMethodIsRefused) {
  const RequestLog log(kKey, clock_);
  ASSERT_THAT(Run(log, "CreateBusiness", RequestKeyOf(Request("req-1")), "a"),
              IsOk());
  for (const auto& [method, key] :
       {std::pair{"CreateBusiness", RequestKeyOf(Request("req-1", "Lain"))},
        std::pair{"DeleteBusiness", RequestKeyOf(Request("req-1"))}}) {
    absl::StatusOr<std::string> reused = Run(log, method, key, "b");
    EXPECT_THAT(reused, StatusIs(absl::StatusCode::kFailedPrecondition))
        << method;
    EXPECT_EQ(ReasonOf(reused.status()), "REQUEST_ID_REUSED");
  }
}

TEST_F(RequestLogTest, TheFileHoldsNoRequestData) {
  {
    const RequestLog log(kKey, clock_);
    ASSERT_THAT(
        Run(log, "CreateBusiness", RequestKeyOf(Request("req-1")), "id-1"),
        IsOk());
  }
  db_.reset();  // checkpoint and close
  std::ifstream file(dir_.File("service.db"), std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  EXPECT_THAT(bytes.str(), HasSubstr("req-1"));
  EXPECT_THAT(bytes.str(), Not(HasSubstr(kNik)));
  EXPECT_THAT(bytes.str(), Not(HasSubstr("Bu Sri")));
}

TEST_F(RequestLogTest, RowsPastTheRetentionArePrunedByRecord) {
  const RequestLog log(
      kKey, clock_,
      {.retention = absl::Hours(24), .prune_interval = absl::Hours(1)});
  const RequestKey old_key = RequestKeyOf(Request("old"));
  ASSERT_THAT(Run(log, "CreateBusiness", old_key, "a"), IsOk());
  clock_.Advance(absl::Hours(23));
  ASSERT_THAT(Run(log, "CreateBusiness", RequestKeyOf(Request("mid")), "b"),
              IsOk());
  EXPECT_EQ(Rows(), 2);
  clock_.Advance(absl::Hours(2));  // "old" is 25 h old, "mid" 2 h
  ASSERT_THAT(Run(log, "CreateBusiness", RequestKeyOf(Request("new")), "c"),
              IsOk());
  EXPECT_EQ(Rows(), 2);
  // A retry of the forgotten request is a new request now.
  EXPECT_THAT(Run(log, "CreateBusiness", old_key, "d"), IsOkAndHolds("d"));
}

TEST_F(RequestLogTest, PruneDeletesWhatIsOlderThanTheCutoff) {
  const RequestLog log(kKey, clock_, {.prune_interval = absl::ZeroDuration()});
  ASSERT_THAT(Run(log, "M", RequestKeyOf(Request("a")), "1"), IsOk());
  clock_.Advance(absl::Minutes(10));
  ASSERT_THAT(Run(log, "M", RequestKeyOf(Request("b")), "2"), IsOk());
  absl::StatusOr<int64_t> pruned;
  ASSERT_THAT(db_->Write([&](Connection& conn) {
    pruned = RequestLog::Prune(conn, clock_.Now() - absl::Minutes(5));
    return pruned.status();
  }),
              IsOk());
  EXPECT_THAT(pruned, IsOkAndHolds(1));
  EXPECT_EQ(Rows(), 1);
}

}  // namespace
}  // namespace umkm::store
