// Raw methods through a real channel: what malformed bytes, unknown fields
// and unauthenticated callers get, and the log line of each call.
#include "common/server/parsed_call.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/token.h"
#include "common/log/json_log.h"
#include "common/server/host.h"
#include "common/server/testing/raw_calls.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "testdata/echo.grpc.pb.h"

namespace umkm::server {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::umkm::testing::v1::EchoRequest;
using ::umkm::testing::v1::EchoResponse;
using ::umkm::testing::v1::EchoService;

constexpr char kKey[] = "test-key-0123456789-0123456789-0123456789";
constexpr MethodPolicy kEcho{"/umkm.testing.v1.EchoService/Echo",
                             {auth::Role::kAdmin, auth::Role::kOfficial}};

// How many unknown fields `message` carries at its top level.
int UnknownFieldCount(const google::protobuf::Message& message) {
  return message.GetReflection()->GetUnknownFields(message).field_count();
}

// Echoes the text and how many unknown fields reached the handler: "fast"
// on the inline path, anything else on the pool.
class RawEchoService final
    : public WithRawMethods<EchoService::CallbackService,
                            EchoService::WithRawCallbackMethod_Echo> {
 public:
  explicit RawEchoService(const CallEnvironment& env) : env_(env) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const grpc::ByteBuffer* request,
                                 grpc::ByteBuffer* response) override {
    return ServeParsed<EchoRequest, EchoResponse>(
        context, env_, kEcho, request, response,
        [](CallContext&, const EchoRequest& parsed,
           grpc::ByteBuffer& answer) -> std::optional<absl::Status> {
          if (parsed.text() != "fast") return std::nullopt;
          return SerializeResponse(Answer(parsed, "inline"), answer);
        },
        [](CallContext&, const EchoRequest& parsed, EchoResponse& answer) {
          answer = Answer(parsed, "pool");
          return absl::OkStatus();
        });
  }

 private:
  static EchoResponse Answer(const EchoRequest& request,
                             absl::string_view where) {
    EchoResponse answer;
    answer.set_text(absl::StrCat(request.text(), "|", where,
                                 "|unknown=", UnknownFieldCount(request)));
    return answer;
  }

  const CallEnvironment& env_;
};

class ParsedCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_file_ = std::tmpfile();
    ASSERT_NE(log_file_, nullptr);
    log::Flush();  // nothing logged before the test lands in the file
    log::SetOutputFdForTesting(fileno(log_file_));

    absl::StatusOr<auth::TokenVerifier> verifier =
        auth::TokenVerifier::FromKey(kKey);
    ASSERT_TRUE(verifier.ok());
    verifier_ = std::make_unique<auth::TokenVerifier>(*std::move(verifier));
    pool_ = std::make_unique<WorkerPool>(2);
    env_.verifier = verifier_.get();
    env_.pool = pool_.get();
    service_ = std::make_unique<RawEchoService>(env_);
    host_ = std::make_unique<ServiceHost>(HostOptions{
        .listen = "127.0.0.1:0", .readiness_grace = absl::ZeroDuration()});
    host_->AddService(service_.get());
    ASSERT_THAT(host_->Start(), umkm::testing::IsOk());
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(host_->port()),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    host_.reset();
    pool_.reset();
    log::Flush();
    log::SetOutputFdForTesting(STDERR_FILENO);
    std::fclose(log_file_);
  }

  static std::string Token() {
    return auth::MintToken(kKey, {.sub = "tester",
                                  .role = auth::Role::kAdmin,
                                  .exp = absl::Now() + absl::Hours(1)});
  }

  // Calls Echo with `bytes` as an admin; the answer's text goes to `text`.
  grpc::Status Call(const std::string& bytes, std::string* text = nullptr,
                    const std::string& request_id = "") {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + Token());
    if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
    std::string answer;
    grpc::Status status =
        testing::CallWithBytes(channel_, context, kEcho.name, bytes, &answer);
    EchoResponse response;
    if (text != nullptr && response.ParseFromString(answer)) {
      *text = response.text();
    }
    return status;
  }

  // Every log line of the test so far. Stops the server and the pool
  // first: a call's line is written after its answer has gone out.
  std::vector<std::string> LogLines() {
    host_.reset();
    pool_.reset();
    log::Flush();
    struct stat info;
    if (::fstat(fileno(log_file_), &info) != 0) return {};
    std::string text(static_cast<size_t>(info.st_size), '\0');
    if (::pread(fileno(log_file_), text.data(), text.size(), 0) !=
        static_cast<ssize_t>(text.size())) {
      return {};
    }
    return absl::StrSplit(text, '\n', absl::SkipEmpty());
  }

  std::FILE* log_file_ = nullptr;
  std::unique_ptr<auth::TokenVerifier> verifier_;
  std::unique_ptr<WorkerPool> pool_;
  CallEnvironment env_;
  std::unique_ptr<RawEchoService> service_;
  std::unique_ptr<ServiceHost> host_;
  std::shared_ptr<grpc::Channel> channel_;
};

// An EchoRequest with `text`, followed by an unknown field 99 holding
// `unknown` (a length-delimited field, as a newer client would send).
std::string WithUnknownField(const std::string& text,
                             const std::string& unknown) {
  EchoRequest request;
  request.set_text(text);
  google::protobuf::UnknownFieldSet* fields =
      request.GetReflection()->MutableUnknownFields(&request);
  fields->AddLengthDelimited(99, unknown);
  return request.SerializeAsString();
}

TEST_F(ParsedCallTest, WellFormedRequestIsAnsweredOnThePoolAndInline) {
  EchoRequest request;
  request.set_text("hello");
  std::string text;
  ASSERT_TRUE(Call(request.SerializeAsString(), &text).ok());
  EXPECT_EQ(text, "hello|pool|unknown=0");
  request.set_text("fast");
  ASSERT_TRUE(Call(request.SerializeAsString(), &text).ok());
  EXPECT_EQ(text, "fast|inline|unknown=0");
}

TEST_F(ParsedCallTest, MalformedBytesAreInvalidArgumentAndLogged) {
  testing::ExpectEveryMethodRefusesMalformedBytes(
      channel_, EchoService::service_full_name(), Token());
  ASSERT_EQ(Call(std::string("\x0a\x05"
                             "ab"),
                 nullptr, "malformed-1")
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(LogLines(),
              Contains(AllOf(HasSubstr("\"msg\":\"rpc\""),
                             HasSubstr("\"code\":\"INVALID_ARGUMENT\""),
                             HasSubstr("\"request_id\":\"malformed-1\""),
                             HasSubstr("malformed request message"))));
}

TEST_F(ParsedCallTest, UnknownFieldsNeverReachTheHandler) {
  const std::string nik = "3573021508900009";
  std::string text;
  ASSERT_TRUE(Call(WithUnknownField("hello", nik), &text).ok());
  EXPECT_EQ(text, "hello|pool|unknown=0");
  ASSERT_TRUE(Call(WithUnknownField("fast", nik), &text).ok());
  EXPECT_EQ(text, "fast|inline|unknown=0");
}

TEST_F(ParsedCallTest, RequestIdHoldingASeparatedNikIsMaskedInTheLog) {
  // The request-id rule lets dashes through, so a NIK written in groups is
  // a well-formed request id; the log must still not show it.
  EchoRequest request;
  request.set_text("hello");
  ASSERT_TRUE(
      Call(request.SerializeAsString(), nullptr, "3573-0215-0890-0001").ok());
  const std::vector<std::string> lines = LogLines();
  EXPECT_THAT(lines,
              Contains(HasSubstr("\"request_id\":\"3573-****-****-**01\"")));
  EXPECT_THAT(lines, Not(Contains(HasSubstr("0215-0890"))));
}

TEST(ParseRequestTest, DiscardsUnknownFieldsAtEveryDepth) {
  google::rpc::BadRequest request;
  google::rpc::BadRequest::FieldViolation* violation =
      request.add_field_violations();
  violation->set_field("business.owner.nik");
  violation->GetReflection()
      ->MutableUnknownFields(violation)
      ->AddLengthDelimited(77, "3573021508900009");
  request.GetReflection()->MutableUnknownFields(&request)->AddVarint(78, 1);
  const std::string bytes = request.SerializeAsString();
  grpc::Slice whole(bytes.data(), bytes.size());
  // Two slices, as a large request arrives: the stream path.
  grpc::Slice halves[] = {grpc::Slice(bytes.data(), 3),
                          grpc::Slice(bytes.data() + 3, bytes.size() - 3)};
  for (const grpc::ByteBuffer& buffer :
       {grpc::ByteBuffer(&whole, 1), grpc::ByteBuffer(halves, 2)}) {
    google::rpc::BadRequest parsed;
    ASSERT_THAT(ParseRequest(buffer, parsed), umkm::testing::IsOk());
    ASSERT_EQ(parsed.field_violations_size(), 1);
    EXPECT_EQ(parsed.field_violations(0).field(), "business.owner.nik");
    EXPECT_EQ(UnknownFieldCount(parsed), 0);
    EXPECT_EQ(UnknownFieldCount(parsed.field_violations(0)), 0);
    EXPECT_EQ(parsed.SerializeAsString().find("3573021508900009"),
              std::string::npos);
  }
}

TEST(ParseRequestTest, DiscardsUnknownFieldsInMapValues) {
  google::protobuf::Struct request;
  google::protobuf::Value& value = (*request.mutable_fields())["nik"];
  value.set_string_value("masked");
  value.GetReflection()->MutableUnknownFields(&value)->AddLengthDelimited(
      77, "3573021508900009");
  const std::string bytes = request.SerializeAsString();
  grpc::Slice whole(bytes.data(), bytes.size());
  google::protobuf::Struct parsed;
  ASSERT_THAT(ParseRequest(grpc::ByteBuffer(&whole, 1), parsed),
              umkm::testing::IsOk());
  EXPECT_EQ(parsed.fields().at("nik").string_value(), "masked");
  EXPECT_EQ(parsed.SerializeAsString().find("3573021508900009"),
            std::string::npos);
}

TEST(ParseRequestTest, InvalidUtf8InAStringFieldIsMalformed) {
  const std::string bytes = std::string("\x0a\x02\xc3\x28", 4);  // text
  grpc::Slice slice(bytes.data(), bytes.size());
  EchoRequest parsed;
  EXPECT_THAT(ParseRequest(grpc::ByteBuffer(&slice, 1), parsed),
              umkm::testing::StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace umkm::server
