// Test helpers for raw methods (common/server/parsed_call.h): calls with
// bytes chosen by the test, through a real channel.
//
//   server::testing::ExpectEveryMethodRefusesMalformedBytes(
//       channel, v1::RegistryService::service_full_name(), admin_token);
#pragma once

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace umkm::server::testing {

// Calls `method` ("/umkm.registry.v1.RegistryService/GetBusiness") over
// `channel` with `request` as the request's bytes, on `context` (a 20 s
// deadline is set when it has none). The response's bytes go to
// `response` when given. Blocks until the call ends.
grpc::Status CallWithBytes(const std::shared_ptr<grpc::Channel>& channel,
                           grpc::ClientContext& context,
                           const std::string& method, absl::string_view request,
                           std::string* response = nullptr);

// Calls every method of the service named `service` (its full name, as
// the generated class's service_full_name() gives it; it must be linked
// in) over `channel` with bytes that are no
// message at all, and expects (gtest) INVALID_ARGUMENT for a caller with
// `token` (pass one allowed on every method), and UNAUTHENTICATED for a
// caller without a token: authentication comes before parsing.
void ExpectEveryMethodRefusesMalformedBytes(
    const std::shared_ptr<grpc::Channel>& channel, absl::string_view service,
    const std::string& token);

}  // namespace umkm::server::testing
