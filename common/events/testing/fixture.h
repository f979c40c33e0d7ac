// Test fixture pieces for events_test: a real redis-server, a SQLite file
// with the test schema, direct stream access and bounded polling.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/events/envelope.h"
#include "common/events/stream_entry.h"
#include "common/events/testing/test_schema.h"
#include "common/redis/redis_client.h"
#include "common/store/database.h"
#include "common/testing/eventually.h"
#include "common/testing/redis_server.h"
#include "common/testing/status_matchers.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"

namespace umkm::events::testing {

using ::umkm::testing::Eventually;

inline redis::RedisOptions FastRetryRedisOptions() {
  return {.initial_backoff = absl::Milliseconds(10),
          .max_backoff = absl::Milliseconds(100)};
}

inline v1::Event VisitCompletedEvent(const std::string& business) {
  v1::VisitCompleted payload;
  payload.set_visit("visits/1");
  payload.set_business(business);
  return NewEvent(payload, "umkm-visits", "visits/1", "req-1");
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = umkm::testing::RedisServer::Create();
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = *std::move(server);
    auto client = redis::RedisClient::Create(redis_server_->url(),
                                             FastRetryRedisOptions());
    ASSERT_TRUE(client.ok()) << client.status();
    redis_ = *std::move(client);
    db_ = OpenDatabase("service.db");
  }

  std::unique_ptr<store::Database> OpenDatabase(const std::string& name) {
    auto db = store::Database::Open(dir_.File(name));
    EXPECT_TRUE(db.ok()) << db.status();
    EXPECT_TRUE((*db)->Migrate(kTestMigrations).ok());
    return *std::move(db);
  }

  // XADDs raw fields to `stream`; returns the entry id.
  std::string AddEntry(const Fields& fields, const std::string& stream =
                                                 std::string(kDefaultStream)) {
    std::vector<std::string> argv = {"XADD", stream, "*"};
    for (const auto& [field, value] : fields) {
      argv.push_back(field);
      argv.push_back(value);
    }
    auto reply = redis_->Command(argv);
    EXPECT_TRUE(reply.ok() && !reply->is_error());
    return reply.ok() ? reply->str : "";
  }
  std::string Publish(const v1::Event& event) {
    return AddEntry({{std::string(kEventField), Serialize(event)}});
  }

  std::vector<StreamEntry> Range(
      const std::string& stream = std::string(kDefaultStream)) {
    auto reply = redis_->Command({"XRANGE", stream, "-", "+"});
    if (!reply.ok()) return {};
    auto entries = ParseEntries(*reply);
    return entries.ok() ? *entries : std::vector<StreamEntry>();
  }

  int64_t Integer(const std::vector<std::string>& argv) {
    auto reply = redis_->Command(argv);
    return reply.ok() && reply->type == redis::Reply::Type::kInteger
               ? reply->integer
               : -1;
  }
  int64_t Length(const std::string& stream = std::string(kDefaultStream)) {
    return Integer({"XLEN", stream});
  }
  // Entries pending in `group` (XPENDING summary), -1 on error.
  int64_t Pending(const std::string& group) {
    auto reply =
        redis_->Command({"XPENDING", std::string(kDefaultStream), group});
    if (!reply.ok() || reply->elements.empty()) return -1;
    return reply->elements[0].integer;
  }

  // Rows of `sql` (a single COUNT query with one text parameter).
  int64_t Count(store::Database& db, const std::string& sql,
                const std::string& arg = "") {
    int64_t count = -1;
    absl::Status status = db.Read([&](store::Connection& conn) -> absl::Status {
      auto stmt = conn.Prepare(sql);
      if (!stmt.ok()) return stmt.status();
      if (!arg.empty()) stmt->BindAll(arg);
      auto row = stmt->Step();
      if (!row.ok()) return row.status();
      count = stmt->ColumnInt64(0);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return count;
  }
  int64_t Effects(store::Database& db, const std::string& event_id) {
    return Count(db, "SELECT count(*) FROM effects WHERE event_id = ?",
                 event_id);
  }

  umkm::testing::TempDir dir_;
  std::unique_ptr<umkm::testing::RedisServer> redis_server_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace umkm::events::testing
