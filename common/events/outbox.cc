// Outbox rows: insert with the state change, read in order, mark, prune.
#include "common/events/outbox.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace umkm::events {

absl::Status AppendToOutbox(store::Connection& conn, const v1::Event& event) {
  if (event.id().empty() || event.type().empty()) {
    return absl::InvalidArgumentError(
        "an outbox event needs an id and a type (build it with NewEvent)");
  }
  const std::string payload = Serialize(event);
  UMKM_ASSIGN_OR_RETURN(
      store::Statement stmt,
      conn.Prepare("INSERT INTO events_outbox(event_id, payload, "
                   "created_time) VALUES (?, ?, ?) "
                   "ON CONFLICT(event_id) DO NOTHING"));
  stmt.BindAll(event.id(), store::Blob{payload},
               absl::ToUnixMicros(absl::Now()));
  UMKM_RETURN_IF_ERROR(stmt.Run());
  if (conn.changes() == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("event ", event.id(), " is already in the outbox"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<OutboxRow>> ReadPendingOutbox(
    store::Connection& conn, int limit) {
  UMKM_ASSIGN_OR_RETURN(
      store::Statement stmt,
      conn.Prepare("SELECT sequence, event_id, payload FROM events_outbox "
                   "WHERE published_time IS NULL ORDER BY sequence LIMIT ?"));
  stmt.BindAll(limit);
  std::vector<OutboxRow> rows;
  while (true) {
    UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    rows.push_back({.sequence = stmt.ColumnInt64(0),
                    .event_id = std::string(stmt.ColumnText(1)),
                    .payload = std::string(stmt.ColumnBlob(2))});
  }
  return rows;
}

absl::Status MarkOutboxPublished(store::Connection& conn, int64_t first,
                                 int64_t last, absl::Time now) {
  return conn.Execute(
      "UPDATE events_outbox SET published_time = ? "
      "WHERE sequence BETWEEN ? AND ? AND published_time IS NULL",
      absl::ToUnixMicros(now), first, last);
}

absl::StatusOr<int64_t> PruneOutbox(store::Connection& conn,
                                    absl::Time before) {
  UMKM_RETURN_IF_ERROR(
      conn.Execute("DELETE FROM events_outbox WHERE published_time < ?",
                   absl::ToUnixMicros(before)));
  return conn.changes();
}

absl::StatusOr<OutboxBacklog> ReadOutboxBacklog(store::Connection& conn) {
  UMKM_ASSIGN_OR_RETURN(
      store::Statement stmt,
      conn.Prepare("SELECT count(*), min(created_time) FROM events_outbox "
                   "WHERE published_time IS NULL"));
  UMKM_ASSIGN_OR_RETURN(bool row, stmt.Step());
  OutboxBacklog backlog;
  if (row) {
    backlog.pending = stmt.ColumnInt64(0);
    if (!stmt.ColumnIsNull(1)) {
      backlog.oldest_created = absl::FromUnixMicros(stmt.ColumnInt64(1));
    }
  }
  return backlog;
}

}  // namespace umkm::events
