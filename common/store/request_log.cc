#include "common/store/request_log.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/strings/escaping.h"
#include "common/base/string_view.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/row_codec.h"
#include "google/protobuf/descriptor.h"

namespace umkm::store {
namespace {

void PutLength(std::string& out, size_t n) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(
        static_cast<char>((static_cast<uint64_t>(n) >> shift) & 0xff));
  }
}

}  // namespace

RequestKey RequestKeyOf(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
    std::fprintf(stderr, "RequestKeyOf: %s has no string field request_id\n",
                 request.GetDescriptor()->full_name().c_str());
    std::abort();
  }
  std::unique_ptr<google::protobuf::Message> rest(request.New());
  rest->CopyFrom(request);
  const google::protobuf::Reflection* reflection = rest->GetReflection();
  RequestKey key;
  key.request_id = reflection->GetString(*rest, field);
  reflection->ClearField(rest.get(), field);
  key.request = internal::SerializeDeterministic(*rest);
  return key;
}

RequestLog::RequestLog(absl::string_view fingerprint_key, const Clock& clock,
                       RequestLogOptions options)
    : mac_(fingerprint_key), clock_(clock), options_(options) {}

std::string RequestLog::Fingerprint(absl::string_view method,
                                    absl::string_view request) const {
  std::string framed;
  framed.reserve(16 + method.size() + request.size());
  PutLength(framed, method.size());
  framed.append(method.data(), method.size());
  PutLength(framed, request.size());
  framed.append(request.data(), request.size());
  const auth::HmacSha256::Digest digest = mac_.Compute(framed);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
}

absl::StatusOr<std::optional<std::string>> RequestLog::Find(
    Connection& conn, absl::string_view method, const RequestKey& key) const {
  if (key.request_id.empty()) return std::nullopt;
  UMKM_ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("SELECT method, fingerprint, resource FROM request_log "
                   "WHERE request_id = ?"));
  stmt.Bind(1, key.request_id);
  UMKM_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  if (stmt.ColumnText(0) != ToStd(method) ||
      stmt.ColumnText(1) != Fingerprint(method, key.request)) {
    return PreconditionFailed(
        "REQUEST_ID", key.request_id,
        "request_id was already used for a different request",
        "REQUEST_ID_REUSED");
  }
  return std::string(stmt.ColumnText(2));
}

absl::Status RequestLog::Record(Connection& conn, absl::string_view method,
                                const RequestKey& key,
                                absl::string_view resource) const {
  if (key.request_id.empty()) return absl::OkStatus();
  const absl::Time now = clock_.Now();
  UMKM_RETURN_IF_ERROR(conn.Execute(
      "INSERT INTO request_log (request_id, method, fingerprint, resource, "
      "create_time) VALUES (?, ?, ?, ?, ?)",
      key.request_id, ToStd(method), Fingerprint(method, key.request),
      ToStd(resource), absl::ToUnixMicros(now)));
  if (options_.prune_interval <= absl::ZeroDuration()) return absl::OkStatus();
  int64_t due = next_prune_micros_.load(std::memory_order_relaxed);
  const int64_t now_micros = absl::ToUnixMicros(now);
  // One caller per interval wins the exchange and prunes.
  if (now_micros < due ||
      !next_prune_micros_.compare_exchange_strong(
          due, absl::ToUnixMicros(now + options_.prune_interval),
          std::memory_order_relaxed)) {
    return absl::OkStatus();
  }
  return Prune(conn, now - options_.retention).status();
}

absl::StatusOr<int64_t> RequestLog::Prune(Connection& conn, absl::Time cutoff) {
  UMKM_RETURN_IF_ERROR(
      conn.Execute("DELETE FROM request_log WHERE create_time < ?",
                   absl::ToUnixMicros(cutoff)));
  return conn.changes();
}

}  // namespace umkm::store
