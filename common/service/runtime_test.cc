// The kit end to end: a small service assembled from a ServiceSpec and
// served in process (ServiceFixture) with a real gRPC channel, a real SQLite
// file and a real redis-server.
#include "common/service/runtime.h"

#include <atomic>
#include <memory>
#include <string>

#include "common/audit/audit_log.h"
#include "common/events/envelope.h"
#include "common/events/outbox.h"
#include "common/events/schema.h"
#include "common/server/testing/raw_calls.h"
#include "common/server/unary_call.h"
#include "common/service/testing/service_fixture.h"
#include "common/status/macros.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "health/v1/health.grpc.pb.h"
#include "testdata/echo.grpc.pb.h"
#include "umkm/audit/v1/audit.grpc.pb.h"

namespace umkm::service {
namespace {

using ::testing::HasSubstr;
using ::umkm::service::testing::FixtureOptions;
using ::umkm::service::testing::ServiceFixture;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;
using ::umkm::testing::v1::EchoRequest;
using ::umkm::testing::v1::EchoResponse;
using ::umkm::testing::v1::EchoService;
namespace ev = ::umkm::events::v1;

constexpr server::MethodPolicy kEcho{"/umkm.testing.v1.EchoService/Echo",
                                     {auth::Role::kOfficial}};

// "time" answers with the service clock; "note" records a row and an event
// in one transaction; "audit" records a disclosure in the audit trail;
// anything else is echoed.
class EchoImpl : public EchoService::CallbackService {
 public:
  EchoImpl(Runtime* runtime) : runtime_(runtime) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const EchoRequest* request,
                                 EchoResponse* response) override {
    return server::ServeUnary(
        context, runtime_->call_environment(), kEcho,
        [=, this](server::CallContext& call) -> absl::Status {
          if (request->text() == "time") {
            response->set_text(absl::FormatTime(absl::RFC3339_sec,
                                                runtime_->clock().Now(),
                                                absl::UTCTimeZone()));
            return absl::OkStatus();
          }
          if (request->text() == "audit") {
            UMKM_RETURN_IF_ERROR(runtime_->audit_log().Record(
                call.request,
                {{.action = umkm::audit::v1::AUDIT_ACTION_READ_PERSONAL_DATA,
                  .personal_fields = {"owner.nik"},
                  .resources = {"businesses/b1"}}}));
          }
          if (request->text() == "note") {
            ev::BusinessRegistered payload;
            payload.set_business("businesses/b1");
            const ev::Event event =
                events::NewEvent(payload, runtime_->name(), "businesses/b1",
                                 call.request.correlation_id);
            UMKM_RETURN_IF_ERROR(
                runtime_->database().Write([&](store::Connection& conn) {
                  UMKM_RETURN_IF_ERROR(
                      conn.Execute("INSERT INTO note (text) VALUES (?)",
                                   call.request.request_id));
                  return events::AppendToOutbox(conn, event);
                }));
            runtime_->events_committed()();
          }
          response->set_text(request->text());
          return absl::OkStatus();
        });
  }

 private:
  Runtime* runtime_;
};

// What the test service's event handler saw.
struct Seen {
  std::atomic<int> handled{0};
  std::atomic<int> hooks{0};
};

ServiceSpec EchoSpec(Seen* seen) {
  return ServiceSpec{
      .name = "umkm-echo",
      .flags = {{"greeting", "halo", "a flag of the service's own"}},
      .migrations = {{1, "note", "CREATE TABLE note (text TEXT NOT NULL);"},
                     {2, "events_outbox", events::kOutboxSchema},
                     {3, "events_processed", events::kProcessedSchema},
                     {4, "audit_log", umkm::audit::kAuditLogSchema}},
      .assemble = [seen](Runtime& runtime) -> absl::Status {
        if (seen != nullptr) {
          runtime.On(
              ev::Event::kBusinessRegistered,
              [seen](store::Connection&, const ev::Event&) {
                ++seen->handled;
                return absl::OkStatus();
              },
              [seen](const ev::Event&) { ++seen->hooks; });
        }
        runtime.AddService(std::make_unique<EchoImpl>(&runtime));
        return absl::OkStatus();
      }};
}

grpc::Status Echo(ServiceFixture& fixture, const std::string& text,
                  EchoResponse& response,
                  auth::Role role = auth::Role::kOfficial) {
  grpc::ClientContext context;
  fixture.Authorize(context, role);
  EchoRequest request;
  request.set_text(text);
  return EchoService::NewStub(fixture.channel())
      ->Echo(&context, request, &response);
}

TEST(RuntimeTest, ServesTheAssembledServiceWithHealthAndReadiness) {
  auto fixture = ServiceFixture::Start(EchoSpec(nullptr));
  ASSERT_THAT(fixture, IsOk());
  EchoResponse response;
  ASSERT_TRUE(Echo(**fixture, "halo", response).ok());
  EXPECT_EQ(response.text(), "halo");
  EXPECT_EQ(Echo(**fixture, "halo", response, auth::Role::kBank).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  auto health = grpc::health::v1::Health::NewStub((*fixture)->channel());
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("readiness");
  grpc::health::v1::HealthCheckResponse status;
  ASSERT_TRUE(health->Check(&context, request, &status).ok());
  EXPECT_EQ(status.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

// The services server reflection lists, asked with hand-encoded
// grpc.reflection.v1alpha messages (their protos are not compiled here):
// ServerReflectionRequest.list_services (field 7) = "*", answered by
// ServerReflectionResponse.list_services_response (6) .service (1) .name (1).
std::vector<std::string> ReflectedServices(
    const std::shared_ptr<grpc::Channel>& channel) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  auto call = stub.PrepareCall(
      &context,
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](int expected) {
    return queue.Next(&tag, &ok) && ok &&
           tag == reinterpret_cast<void*>(static_cast<intptr_t>(expected));
  };
  call->StartCall(reinterpret_cast<void*>(1));
  if (!step(1)) return {};
  grpc::Slice request(std::string("\x3a\x01*", 3));
  call->Write(grpc::ByteBuffer(&request, 1), reinterpret_cast<void*>(2));
  if (!step(2)) return {};
  grpc::ByteBuffer reply;
  call->Read(&reply, reinterpret_cast<void*>(3));
  if (!step(3)) return {};
  call->WritesDone(reinterpret_cast<void*>(4));
  if (!step(4)) return {};
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }

  std::vector<grpc::Slice> slices;
  if (!reply.Dump(&slices).ok()) return {};
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  // The length-delimited fields numbered `number` of `message`.
  auto fields = [](const std::string& message, int number) {
    std::vector<std::string> out;
    google::protobuf::UnknownFieldSet set;
    if (!set.ParseFromString(message)) return out;
    for (int i = 0; i < set.field_count(); ++i) {
      if (set.field(i).number() == number &&
          set.field(i).type() ==
              google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
        out.push_back(set.field(i).length_delimited());
      }
    }
    return out;
  };
  std::vector<std::string> names;
  for (const std::string& list : fields(bytes, 6)) {
    for (const std::string& service : fields(list, 1)) {
      for (const std::string& name : fields(service, 1)) names.push_back(name);
    }
  }
  return names;
}

grpc::Status ListAudit(ServiceFixture& fixture, auth::Role role,
                       umkm::audit::v1::ListAuditRecordsResponse& response) {
  grpc::ClientContext context;
  fixture.Authorize(context, role);
  return umkm::audit::v1::AuditService::NewStub(fixture.channel())
      ->ListAuditRecords(&context, {}, &response);
}

TEST(RuntimeTest, EveryServiceKeepsAndServesItsAuditTrail) {
  auto fixture = ServiceFixture::Start(EchoSpec(nullptr));
  ASSERT_THAT(fixture, IsOk());
  EchoResponse echoed;
  // No purpose: the disclosure is refused, and nothing is recorded.
  grpc::Status refused = Echo(**fixture, "audit", echoed);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  {
    grpc::ClientContext context;
    (*fixture)->Authorize(context, auth::Role::kOfficial);
    context.AddMetadata("x-umkm-purpose", "duplicate_check");
    context.AddMetadata("x-request-id", "kit-audit-1");
    EchoRequest request;
    request.set_text("audit");
    ASSERT_TRUE(EchoService::NewStub((*fixture)->channel())
                    ->Echo(&context, request, &echoed)
                    .ok());
  }

  umkm::audit::v1::ListAuditRecordsResponse records;
  ASSERT_TRUE(ListAudit(**fixture, auth::Role::kAdmin, records).ok());
  ASSERT_EQ(records.audit_records_size(), 1);
  const umkm::audit::v1::AuditRecord& record = records.audit_records(0);
  EXPECT_EQ(record.subject(), "tester");
  EXPECT_EQ(record.role(), "official");
  EXPECT_EQ(record.agency(), "DISKOPINDAG");
  EXPECT_EQ(record.method(), "/umkm.testing.v1.EchoService/Echo");
  EXPECT_EQ(record.purpose(), "duplicate_check");
  EXPECT_EQ(record.request_id(), "kit-audit-1");
  EXPECT_THAT(record.resources(), ::testing::ElementsAre("businesses/b1"));

  // Admins only.
  for (auth::Role role :
       {auth::Role::kOfficial, auth::Role::kService, auth::Role::kBank}) {
    EXPECT_EQ(ListAudit(**fixture, role, records).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_THAT(ReflectedServices((*fixture)->channel()),
              ::testing::IsSupersetOf({"umkm.audit.v1.AuditService",
                                       "umkm.testing.v1.EchoService"}));
}

TEST(RuntimeTest, TheAuditServiceRefusesMalformedBytes) {
  auto fixture = ServiceFixture::Start(EchoSpec(nullptr));
  ASSERT_THAT(fixture, IsOk());
  server::testing::ExpectEveryMethodRefusesMalformedBytes(
      (*fixture)->channel(), umkm::audit::v1::AuditService::service_full_name(),
      (*fixture)->Token(auth::Role::kAdmin));
}

TEST(RuntimeTest, AServiceWithoutTheAuditTablesDoesNotStart) {
  ServiceSpec spec = EchoSpec(nullptr);
  spec.migrations.pop_back();
  const absl::Status status = ServiceFixture::Start(std::move(spec)).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(status.message(), HasSubstr("audit::kAuditLogSchema"));
}

TEST(RuntimeTest, StartsAndServesWithoutRedis) {
  auto fixture =
      ServiceFixture::Start(EchoSpec(nullptr), {.with_redis = false});
  ASSERT_THAT(fixture, IsOk());
  EXPECT_EQ((*fixture)->runtime().redis(), nullptr);
  EchoResponse response;
  ASSERT_TRUE(Echo(**fixture, "note", response).ok());
  // The event waits in the outbox.
  int64_t pending = -1;
  ASSERT_THAT((*fixture)->runtime().database().Read([&](store::Connection& c) {
    UMKM_ASSIGN_OR_RETURN(store::Statement count,
                          c.Prepare("SELECT COUNT(*) FROM events_outbox WHERE "
                                    "published_time IS NULL"));
    UMKM_ASSIGN_OR_RETURN(bool row, count.Step());
    if (row) pending = count.ColumnInt64(0);
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(pending, 1);
}

TEST(RuntimeTest, TheServiceClockComesFromTheTestingClockFile) {
  auto fixture = ServiceFixture::Start(EchoSpec(nullptr));
  ASSERT_THAT(fixture, IsOk());
  EchoResponse response;
  ASSERT_TRUE(Echo(**fixture, "time", response).ok());
  EXPECT_EQ(response.text(), "2027-01-04T08:00:00+00:00");

  const absl::Time later = absl::FromUnixSeconds(1799049600) + absl::Hours(72);
  (*fixture)->SetTime(later);
  // Re-read within a second; a bounded wait, not a timed assertion.
  for (int i = 0; i < 300 && (*fixture)->runtime().clock().Now() != later;
       ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(Echo(**fixture, "time", response).ok());
  EXPECT_EQ(response.text(), "2027-01-07T08:00:00+00:00");
}

TEST(RuntimeTest, EventsCommittedByACallReachTheHandlersWithItsRequestId) {
  Seen seen;
  auto fixture = ServiceFixture::Start(EchoSpec(&seen));
  ASSERT_THAT(fixture, IsOk());
  grpc::ClientContext context;
  (*fixture)->Authorize(context, auth::Role::kOfficial);
  context.AddMetadata("x-request-id", "kit-test-1");
  EchoRequest request;
  request.set_text("note");
  EchoResponse response;
  ASSERT_TRUE(EchoService::NewStub((*fixture)->channel())
                  ->Echo(&context, request, &response)
                  .ok());
  for (int i = 0; i < 1000 && seen.hooks.load() < 1; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(seen.handled.load(), 1);
  EXPECT_EQ(seen.hooks.load(), 1);

  // The published envelope carries the call's request id.
  auto entries = (*fixture)->runtime().redis()->Command(
      {"XRANGE", "umkm:events", "-", "+"});
  ASSERT_THAT(entries, IsOk());
  ASSERT_EQ(entries->elements.size(), 1u);
  const auto& fields = entries->elements[0].elements[1].elements;
  ASSERT_EQ(fields.size(), 2u);
  ev::Event event;
  ASSERT_TRUE(event.ParseFromString(fields[1].str));
  EXPECT_EQ(event.correlation_id(), "kit-test-1");
  EXPECT_EQ(event.source(), "umkm-echo");
}

TEST(RuntimeTest, ServiceFlagsAreDeclaredBesideTheKitsAndClashesRefused) {
  auto fixture =
      ServiceFixture::Start(EchoSpec(nullptr), {.flags = {"--greeting=hai"}});
  ASSERT_THAT(fixture, IsOk());
  EXPECT_EQ(*(*fixture)->runtime().config().GetString("greeting"), "hai");
  (*fixture)->Stop();

  ServiceSpec clash = EchoSpec(nullptr);
  clash.flags.push_back({"data_dir", "/tmp", "the kit's already"});
  EXPECT_THAT(ServiceFixture::Start(std::move(clash)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RuntimeTest, RegistryClientNeedsItsTarget) {
  ServiceSpec spec = EchoSpec(nullptr);
  spec.assemble = [](Runtime& runtime) -> absl::Status {
    return runtime.registry_client().status();
  };
  const absl::Status status = ServiceFixture::Start(std::move(spec)).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(status.message(), HasSubstr("--registry_target"));
}

TEST(RuntimeTest, PeriodicTasksRunAndOwnedObjectsOutliveTheCalls) {
  struct Probe {
    explicit Probe(std::atomic<bool>* destroyed) : destroyed(destroyed) {}
    ~Probe() { *destroyed = true; }
    std::atomic<bool>* destroyed;
  };
  std::atomic<bool> destroyed{false};
  std::atomic<int> runs{0};
  ServiceSpec spec = EchoSpec(nullptr);
  auto assemble = spec.assemble;
  spec.assemble = [&, assemble](Runtime& runtime) -> absl::Status {
    runtime.Own(std::make_unique<Probe>(&destroyed));
    runtime.Every("tick", absl::Milliseconds(1), [&runs] { ++runs; });
    return assemble(runtime);
  };
  auto fixture = ServiceFixture::Start(std::move(spec));
  ASSERT_THAT(fixture, IsOk());
  for (int i = 0; i < 1000 && runs.load() < 2; ++i) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_GE(runs.load(), 2);
  EXPECT_FALSE(destroyed.load());
  (*fixture)->Stop();
  EXPECT_TRUE(destroyed.load());
}

}  // namespace
}  // namespace umkm::service
