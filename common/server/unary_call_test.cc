#include "common/server/unary_call.h"

#include <memory>

#include "absl/time/clock.h"
#include "common/auth/token.h"
#include "common/server/host.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "health/v1/health.grpc.pb.h"
#include "testdata/echo.grpc.pb.h"

namespace umkm::server {
namespace {

using ::umkm::testing::v1::EchoRequest;
using ::umkm::testing::v1::EchoResponse;
using ::umkm::testing::v1::EchoService;

constexpr char kKey[] = "test-key-0123456789-0123456789-0123456789";
constexpr MethodPolicy kEcho{"/umkm.testing.v1.EchoService/Echo",
                             {auth::Role::kAdmin, auth::Role::kOfficial}};

// Echoes; "fail" answers with a field violation, "fast" on the inline path.
class EchoServiceImpl : public EchoService::CallbackService {
 public:
  explicit EchoServiceImpl(const CallEnvironment& env) : env_(env) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const EchoRequest* request,
                                 EchoResponse* response) override {
    return ServeUnary(
        context, env_, kEcho,
        [=](CallContext& call) -> std::optional<absl::Status> {
          if (request->text() != "fast") return std::nullopt;
          response->set_text("fast:" + call.request.caller.subject);
          return absl::OkStatus();
        },
        [=](CallContext& call) {
          if (request->text() == "id") {
            response->set_text(call.request.request_id + "|" +
                               call.request.correlation_id);
            return absl::OkStatus();
          }
          if (request->text() == "fail") {
            return InvalidField("text", "must not be fail");
          }
          response->set_text(request->text() + ":" +
                             call.request.caller.subject);
          return absl::OkStatus();
        });
  }

 private:
  const CallEnvironment& env_;
};

class UnaryCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<auth::TokenVerifier> verifier =
        auth::TokenVerifier::FromKey(kKey);
    ASSERT_TRUE(verifier.ok());
    verifier_ = std::make_unique<auth::TokenVerifier>(*std::move(verifier));
    env_.verifier = verifier_.get();
    env_.pool = &pool_;
    service_ = std::make_unique<EchoServiceImpl>(env_);
    host_ = std::make_unique<ServiceHost>(HostOptions{
        .listen = "127.0.0.1:0", .readiness_grace = absl::ZeroDuration()});
    host_->AddService(service_.get());
    ASSERT_THAT(host_->Start(), umkm::testing::IsOk());
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(host_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = EchoService::NewStub(channel_);
  }

  std::string Token(auth::Role role) {
    auth::Claims claims{
        .sub = "tester", .role = role, .exp = absl::Now() + absl::Hours(1)};
    if (role == auth::Role::kOfficial) claims.agency = "DISKOPINDAG";
    if (role == auth::Role::kBank) claims.partner = "BANK_JATIM";
    return auth::MintToken(kKey, claims);
  }

  grpc::Status Call(const std::string& text, const std::string& token,
                    EchoResponse* response) {
    grpc::ClientContext context;
    return Call(context, text, token, response);
  }

  grpc::Status Call(grpc::ClientContext& context, const std::string& text,
                    const std::string& token, EchoResponse* response) {
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    EchoRequest request;
    request.set_text(text);
    return stub_->Echo(&context, request, response);
  }

  WorkerPool pool_{2};
  CallEnvironment env_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::unique_ptr<EchoServiceImpl> service_;
  std::unique_ptr<ServiceHost> host_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<EchoService::Stub> stub_;
};

TEST_F(UnaryCallTest, AllowedRoleGetsAnswerFromPool) {
  EchoResponse response;
  grpc::Status status = Call("hello", Token(auth::Role::kOfficial), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.text(), "hello:tester");
}

TEST_F(UnaryCallTest, FastPathAnswersInline) {
  EchoResponse response;
  ASSERT_TRUE(Call("fast", Token(auth::Role::kAdmin), &response).ok());
  EXPECT_EQ(response.text(), "fast:tester");
}

TEST_F(UnaryCallTest, MissingTokenIsUnauthenticated) {
  EchoResponse response;
  EXPECT_EQ(Call("hello", "", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(UnaryCallTest, ForgedTokenIsUnauthenticated) {
  EchoResponse response;
  std::string forged = auth::MintToken("another-key-0123456789-0123456789-0123",
                                       {.sub = "x",
                                        .role = auth::Role::kAdmin,
                                        .exp = absl::Now() + absl::Hours(1)});
  EXPECT_EQ(Call("hello", forged, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(UnaryCallTest, RoleNotAllowedIsPermissionDenied) {
  EchoResponse response;
  EXPECT_EQ(Call("hello", Token(auth::Role::kBank), &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(UnaryCallTest, HandlerErrorCarriesFieldViolation) {
  EchoResponse response;
  grpc::Status status = Call("fail", Token(auth::Role::kAdmin), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<FieldViolation> violations =
      FieldViolationsOf(FromGrpcStatus(status));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "text");
}

// The request id the server put in the initial metadata.
std::string ReturnedRequestId(const grpc::ClientContext& context) {
  const auto& metadata = context.GetServerInitialMetadata();
  auto it = metadata.find("x-request-id");
  if (it == metadata.end()) return "<none>";
  return std::string(it->second.data(), it->second.size());
}

TEST_F(UnaryCallTest, WellFormedRequestIdIsKeptAndReturned) {
  grpc::ClientContext context;
  context.AddMetadata("x-request-id", "ngombe-2027.01_04-17");
  EchoResponse response;
  ASSERT_TRUE(
      Call(context, "id", Token(auth::Role::kOfficial), &response).ok());
  EXPECT_EQ(response.text(), "ngombe-2027.01_04-17|ngombe-2027.01_04-17");
  EXPECT_EQ(ReturnedRequestId(context), "ngombe-2027.01_04-17");
}

TEST_F(UnaryCallTest, MissingOrBadRequestIdIsReplacedByAUuidV7) {
  for (const char* header : {"", "two words", "\"quoted\""}) {
    grpc::ClientContext context;
    if (*header != '\0') context.AddMetadata("x-request-id", header);
    EchoResponse response;
    ASSERT_TRUE(
        Call(context, "id", Token(auth::Role::kOfficial), &response).ok());
    const std::string id = ReturnedRequestId(context);
    EXPECT_THAT(id, ::testing::MatchesRegex(
                        "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                        "-[0-9a-f]{12}"))
        << header;
    EXPECT_EQ(response.text(), id + "|" + id);
  }
}

TEST_F(UnaryCallTest, RefusedCallsStillReturnTheirRequestId) {
  grpc::ClientContext context;
  context.AddMetadata("x-request-id", "refused-1");
  EchoResponse response;
  EXPECT_EQ(Call(context, "hello", "", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ReturnedRequestId(context), "refused-1");
}

TEST_F(UnaryCallTest, HealthNeedsNoTokenAndTracksReadiness) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  auto check = [&](const std::string& service) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.status();
  };
  EXPECT_EQ(check(""), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(check(kReadinessService),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  host_->SetReady(true);
  EXPECT_EQ(check(kReadinessService),
            grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(UnaryCallTest, SecondHostOnTakenPortFailsLoudly) {
  ServiceHost second(
      HostOptions{.listen = "127.0.0.1:" + std::to_string(host_->port())});
  EchoServiceImpl service(env_);
  second.AddService(&service);
  EXPECT_THAT(second.Start(),
              umkm::testing::StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace umkm::server
