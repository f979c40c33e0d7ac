#include "common/server/testing/raw_calls.h"

#include <chrono>
#include <future>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"

namespace umkm::server::testing {

grpc::Status CallWithBytes(const std::shared_ptr<grpc::Channel>& channel,
                           grpc::ClientContext& context,
                           const std::string& method, absl::string_view request,
                           std::string* response) {
  if (context.deadline() == std::chrono::system_clock::time_point::max()) {
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
  }
  grpc::GenericStub stub(channel);
  grpc::Slice slice(request.data(), request.size());
  grpc::ByteBuffer request_bytes(&slice, 1);
  grpc::ByteBuffer response_bytes;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_bytes,
                 &response_bytes,
                 [&done](grpc::Status status) { done.set_value(status); });
  grpc::Status status = done.get_future().get();
  if (response != nullptr) {
    response->clear();
    std::vector<grpc::Slice> slices;
    if (status.ok() && response_bytes.Dump(&slices).ok()) {
      for (const grpc::Slice& part : slices) {
        response->append(reinterpret_cast<const char*>(part.begin()),
                         part.size());
      }
    }
  }
  return status;
}

void ExpectEveryMethodRefusesMalformedBytes(
    const std::shared_ptr<grpc::Channel>& channel,
    absl::string_view service_name, const std::string& token) {
  // A length-delimited field 1 that claims more bytes than follow, and a
  // tag whose varint never ends: no message type parses either.
  const std::string kMalformed[] = {std::string("\x0a\x05"
                                                "ab"),
                                    std::string("\x80", 1)};
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(service_name));
  ASSERT_NE(service, nullptr) << service_name;
  for (int i = 0; i < service->method_count(); ++i) {
    const std::string method = absl::StrCat("/", service->full_name(), "/",
                                            service->method(i)->name());
    for (const std::string& bytes : kMalformed) {
      grpc::ClientContext authorized;
      authorized.AddMetadata("authorization", "Bearer " + token);
      EXPECT_EQ(CallWithBytes(channel, authorized, method, bytes).error_code(),
                grpc::StatusCode::INVALID_ARGUMENT)
          << method;
      grpc::ClientContext anonymous;
      EXPECT_EQ(CallWithBytes(channel, anonymous, method, bytes).error_code(),
                grpc::StatusCode::UNAUTHENTICATED)
          << method;
    }
  }
}

}  // namespace umkm::server::testing
