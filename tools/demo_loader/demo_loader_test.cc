#include "tools/demo_loader/demo_loader.h"

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/aip/request_id.h"
#include "common/testing/status_matchers.h"
#include "common/validate/nik.h"
#include "common/validate/places.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "services/registry/business_rules.h"
#include "tools/demo_loader/demo_data.h"

namespace umkm::tools {
namespace {

namespace v1 = ::umkm::registry::v1;
using ::umkm::testing::IsOk;

constexpr int kCount = 600;

TEST(DemoDataTest, SameSeedAndIndexGiveTheSameRequest) {
  for (int index : {0, 56, 57, 599}) {
    EXPECT_EQ(DemoCreateRequest(1, index).SerializeAsString(),
              DemoCreateRequest(1, index).SerializeAsString());
  }
}

TEST(DemoDataTest, OtherSeedGivesOtherBusinesses) {
  EXPECT_NE(DemoCreateRequest(1, 100).business().SerializeAsString(),
            DemoCreateRequest(2, 100).business().SerializeAsString());
  EXPECT_NE(DemoCreateRequest(1, 100).request_id(),
            DemoCreateRequest(2, 100).request_id());
}

TEST(DemoDataTest, EveryRecordPassesTheRegistrysValidation) {
  for (int index = 0; index < 2000; ++index) {
    v1::CreateBusinessRequest request = DemoCreateRequest(7, index);
    ASSERT_THAT(aip::ValidateRequestId(request.request_id()), IsOk());
    v1::Business business = request.business();
    ASSERT_THAT(registry::NormalizeBusiness(business), IsOk())
        << business.DebugString();
  }
}

TEST(DemoDataTest, RoundRobinCoversEveryKelurahanFirst) {
  std::set<std::string> kelurahan;
  for (int index = 0; index < 57; ++index) {
    kelurahan.insert(
        DemoCreateRequest(1, index).business().address().kelurahan_code());
  }
  EXPECT_EQ(kelurahan.size(), validate::AllKelurahan().size());
}

TEST(DemoDataTest, RequestIdsAndNibsAreUniqueAndAboutFortyPercentHaveNib) {
  std::set<std::string> request_ids, nibs;
  int with_nib = 0;
  for (int index = 0; index < kCount; ++index) {
    const v1::CreateBusinessRequest request = DemoCreateRequest(1, index);
    request_ids.insert(request.request_id());
    if (!request.business().nib().empty()) {
      ++with_nib;
      nibs.insert(request.business().nib());
      EXPECT_EQ(request.business().nib().size(), 13u);
    }
  }
  EXPECT_EQ(request_ids.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(nibs.size(), static_cast<size_t>(with_nib));
  EXPECT_GT(with_nib, kCount * 30 / 100);
  EXPECT_LT(with_nib, kCount * 50 / 100);
}

TEST(DemoDataTest, MixLooksLikeMalang) {
  int local = 0, non_local = 0, female = 0;
  std::map<std::string, int> division;
  int kecil = 0, menengah = 0;
  for (int index = 0; index < kCount; ++index) {
    const v1::CreateBusinessRequest request = DemoCreateRequest(1, index);
    const v1::Business& business = request.business();
    absl::StatusOr<validate::NikInfo> nik =
        validate::ParseNik(business.owner().nik());
    ASSERT_THAT(nik.status(), IsOk()) << business.owner().nik();
    (nik->local ? local : non_local)++;
    female += nik->sex == validate::Sex::kFemale;
    ++division[business.kbli_code().substr(0, 2)];
    if (business.capital_idr() > 1'000'000'000 &&
        business.capital_idr() <= 5'000'000'000) {
      ++kecil;
    }
    if (business.capital_idr() > 5'000'000'000) ++menengah;
  }
  // Food and beverage first, then crafts, then fashion.
  const int food = division["10"] + division["56"];
  const int crafts = division["13"] + division["16"] + division["23"] +
                     division["31"] + division["32"];
  const int fashion = division["14"];
  EXPECT_GT(food, crafts);
  EXPECT_GT(crafts, fashion);
  EXPECT_GT(fashion, 0);
  EXPECT_GT(non_local, 0);
  EXPECT_GT(local, non_local * 5);
  EXPECT_GT(female, 0);
  EXPECT_GT(kecil, 0);
  EXPECT_GT(menengah, 0);
  EXPECT_LT(kecil + menengah, kCount / 5);
}

// A stand-in registry: CreateBusiness with request_id replay, answering
// UNAVAILABLE to the first `unavailable_first` calls.
class FakeRegistry final : public v1::RegistryService::Service {
 public:
  explicit FakeRegistry(int unavailable_first)
      : unavailable_left_(unavailable_first) {}

  grpc::Status CreateBusiness(grpc::ServerContext* context,
                              const v1::CreateBusinessRequest* request,
                              v1::Business* response) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto auth = context->client_metadata().find("authorization");
    if (auth == context->client_metadata().end() ||
        auth->second != "Bearer test-token") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "token");
    }
    if (unavailable_left_ > 0) {
      --unavailable_left_;
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "starting");
    }
    auto [it, inserted] = by_request_id_.try_emplace(request->request_id());
    if (inserted) {
      it->second = request->business();
      it->second.set_name(absl::StrCat("businesses/b", by_request_id_.size()));
      const std::string& kelurahan = it->second.address().kelurahan_code();
      it->second.mutable_address()->set_kecamatan_code(kelurahan.substr(0, 8));
      const absl::Time now = absl::Now();
      it->second.mutable_create_time()->set_seconds(absl::ToUnixSeconds(now));
      it->second.mutable_create_time()->set_nanos(
          static_cast<int32_t>(absl::ToInt64Nanoseconds(
              now - absl::FromUnixSeconds(absl::ToUnixSeconds(now)))));
    }
    *response = it->second;
    return grpc::Status::OK;
  }

  size_t size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return by_request_id_.size();
  }

 private:
  std::mutex mutex_;
  int unavailable_left_;
  std::map<std::string, v1::Business> by_request_id_;
};

class DemoLoaderTest : public ::testing::Test {
 protected:
  void StartServer(int unavailable_first) {
    fake_ = std::make_unique<FakeRegistry>(unavailable_first);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(fake_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::RegistryService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  LoadOptions FastRetries() {
    LoadOptions options;
    options.initial_backoff = absl::Milliseconds(1);
    options.max_backoff = absl::Milliseconds(5);
    return options;
  }

  std::unique_ptr<FakeRegistry> fake_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
};

TEST_F(DemoLoaderTest, CreatesAllThenFindsThemOnARerun) {
  StartServer(/*unavailable_first=*/0);
  absl::StatusOr<LoadResult> first =
      LoadDemoBusinesses(*stub_, "test-token", 1, 120, FastRetries());
  ASSERT_THAT(first.status(), IsOk());
  EXPECT_EQ(first->created, 120);
  EXPECT_EQ(first->existing, 0);
  EXPECT_EQ(first->failed, 0);
  EXPECT_EQ(first->per_kelurahan.size(), 57u);
  EXPECT_EQ(first->per_kecamatan.size(), 5u);
  EXPECT_EQ(first->names[119].rfind("businesses/", 0), 0u);

  absl::StatusOr<LoadResult> again =
      LoadDemoBusinesses(*stub_, "test-token", 1, 120, FastRetries());
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->existing, 120);
  EXPECT_EQ(fake_->size(), 120u);
  EXPECT_EQ(again->names, first->names);
}

TEST_F(DemoLoaderTest, RetriesUnavailableUntilTheServerAnswers) {
  StartServer(/*unavailable_first=*/5);
  absl::StatusOr<LoadResult> result =
      LoadDemoBusinesses(*stub_, "test-token", 3, 10, FastRetries());
  ASSERT_THAT(result.status(), IsOk());
  EXPECT_EQ(result->created, 10);
  EXPECT_EQ(result->failed, 0);
}

TEST_F(DemoLoaderTest, GivesUpAfterTheAttemptBudget) {
  StartServer(/*unavailable_first=*/1000);
  LoadOptions options = FastRetries();
  options.max_attempts = 3;
  absl::StatusOr<LoadResult> result =
      LoadDemoBusinesses(*stub_, "test-token", 1, 10, options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(fake_->size(), 0u);
}

TEST_F(DemoLoaderTest, ReportsRejectedRecordsAsFailures) {
  StartServer(/*unavailable_first=*/0);
  absl::StatusOr<LoadResult> result =
      LoadDemoBusinesses(*stub_, "wrong-token", 1, 5, FastRetries());
  ASSERT_THAT(result.status(), IsOk());
  EXPECT_EQ(result->failed, 5);
  EXPECT_EQ(result->created, 0);
  ASSERT_FALSE(result->errors.empty());
  EXPECT_NE(result->errors[0].find("UNAUTHENTICATED"), std::string::npos);
}

}  // namespace
}  // namespace umkm::tools
