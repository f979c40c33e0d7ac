// Row codec: a resource kept in one row as its protobuf record plus a
// version counter, and the version shown to clients as the AIP-154 etag.
//
//   CREATE TABLE thing (id TEXT PRIMARY KEY, version INTEGER NOT NULL,
//                       record BLOB NOT NULL, <columns lists filter on>);
//
//   // Write: the record without what the row derives (name, etag).
//   stmt.Bind(3, Blob{EncodeRecord(thing)});
//   // Read: the record with its etag, and the version for the next write.
//   UMKM_ASSIGN_OR_RETURN(Versioned<v1::Thing> row,
//                         DecodeRecord<v1::Thing>(stmt.ColumnBlob(2),
//                                                 stmt.ColumnInt64(1),
//                                                 "things/abc"));
//   UMKM_RETURN_IF_ERROR(row.CheckEtag(request.etag()));  // ABORTED if stale
//   ... write row.record at row.version + 1, then
//   SetEtag(row.record, row.version + 1);
//
// The etag is never stored: it is derived from the version column, so the
// two cannot disagree. A version starts at 1 and grows by one per write.
//
// All functions are thread-safe.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/aip/etag.h"
#include "google/protobuf/message.h"

namespace umkm::store {

// A protobuf resource message with an AIP-154 `etag` string field.
template <typename Record>
concept EtaggedRecord = std::derived_from<Record, google::protobuf::Message> &&
    requires(Record& record, const std::string& etag) {
  record.set_etag(etag);
  record.clear_etag();
};

// A record read from its row, with the row's version.
template <typename Record>
struct Versioned {
  Record record;  // etag set from `version`
  int64_t version = 0;

  // The check an Update or Delete makes before it changes the row (see
  // aip::CheckEtag): OK when `sent` is empty or names `version`;
  // INVALID_ARGUMENT on `field` when malformed; ABORTED with ErrorInfo
  // reason "ETAG_MISMATCH" when the row changed since the client read it.
  absl::Status CheckEtag(absl::string_view sent,
                         absl::string_view field = "etag") const {
    return aip::CheckEtag(sent, version, field);
  }
};

namespace internal {
std::string SerializeDeterministic(const google::protobuf::MessageLite& record);
absl::Status ParseRecord(std::string_view bytes, absl::string_view resource,
                         google::protobuf::Message& record);
}  // namespace internal

// The bytes for the record column: `record` without its etag, serialized
// deterministically (equal records give equal bytes). Clear other derived
// fields (the resource name, encrypted ones) before passing it in.
template <EtaggedRecord Record>
std::string EncodeRecord(Record record) {
  record.clear_etag();
  return internal::SerializeDeterministic(record);
}

// The record in `bytes` (the record column of a row at `version`) with its
// etag set and its unknown fields discarded at every depth: a row written
// before input was stripped of them (or by a binary with a newer contract)
// may hold data nobody validated, which is never served back. DATA_LOSS
// naming `resource` (e.g. "businesses/abc") when the bytes do not parse: a
// damaged file or a row of another type.
template <EtaggedRecord Record>
absl::StatusOr<Versioned<Record>> DecodeRecord(std::string_view bytes,
                                               int64_t version,
                                               absl::string_view resource) {
  Versioned<Record> row;
  absl::Status parsed = internal::ParseRecord(bytes, resource, row.record);
  if (!parsed.ok()) return parsed;
  row.record.set_etag(aip::MakeEtag(version));
  row.version = version;
  return row;
}

// Sets the etag of `record` for `version`, e.g. after writing it there.
template <EtaggedRecord Record>
void SetEtag(Record& record, int64_t version) {
  record.set_etag(aip::MakeEtag(version));
}

}  // namespace umkm::store
