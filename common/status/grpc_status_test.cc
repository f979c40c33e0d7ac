#include "common/status/grpc_status.h"

#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace umkm {
namespace {

TEST(ToGrpcStatusTest, OkIsOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(ToGrpcStatusTest, CarriesCodeMessageAndDetails) {
  grpc::Status status =
      ToGrpcStatus(InvalidField("business.owner.nik", "must be 16 digits"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc_status;
  ASSERT_TRUE(rpc_status.ParseFromString(status.error_details()));
  EXPECT_EQ(rpc_status.code(), 3);
  bool saw_bad_request = false, saw_error_info = false;
  for (const auto& detail : rpc_status.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&bad_request)) {
      saw_bad_request = true;
      ASSERT_EQ(bad_request.field_violations_size(), 1);
      EXPECT_EQ(bad_request.field_violations(0).field(), "business.owner.nik");
    } else if (detail.UnpackTo(&info)) {
      saw_error_info = true;
      EXPECT_EQ(info.reason(), "INVALID_FIELD");
      EXPECT_EQ(info.domain(), kErrorDomain);
    }
  }
  EXPECT_TRUE(saw_bad_request);
  EXPECT_TRUE(saw_error_info);
}

TEST(FromGrpcStatusTest, RoundTripsDetails) {
  absl::Status original =
      WithReason(absl::NotFoundError("no such business"), "BUSINESS_NOT_FOUND");
  absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(back.message(), "no such business");
  EXPECT_EQ(ReasonOf(back), "BUSINESS_NOT_FOUND");
}

}  // namespace
}  // namespace umkm
