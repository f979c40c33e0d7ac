// Reply parsing for stream commands.
#include "common/events/stream_entry.h"

#include "absl/strings/str_cat.h"

namespace umkm::events {
namespace {

using redis::Reply;

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("unexpected Redis reply shape: ", what));
}

}  // namespace

std::optional<std::string_view> FindField(const Fields& fields,
                                          std::string_view name) {
  for (const auto& [field, value] : fields) {
    if (field == name) return std::string_view(value);
  }
  return std::nullopt;
}

absl::StatusOr<std::vector<StreamEntry>> ParseEntries(const Reply& reply) {
  std::vector<StreamEntry> entries;
  if (reply.is_nil()) return entries;
  if (reply.type != Reply::Type::kArray) return Malformed("entries");
  for (const Reply& element : reply.elements) {
    if (element.type != Reply::Type::kArray || element.elements.size() != 2 ||
        element.elements[0].type != Reply::Type::kString) {
      return Malformed("entry");
    }
    StreamEntry entry{.id = element.elements[0].str};
    const Reply& fields = element.elements[1];
    if (fields.is_nil()) {
      entry.deleted = true;
    } else if (fields.type == Reply::Type::kArray &&
               fields.elements.size() % 2 == 0) {
      for (size_t i = 0; i < fields.elements.size(); i += 2) {
        entry.fields.emplace_back(fields.elements[i].str,
                                  fields.elements[i + 1].str);
      }
    } else {
      return Malformed("entry fields");
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<std::vector<StreamEntry>> ParseReadReply(const Reply& reply) {
  if (reply.is_nil()) return std::vector<StreamEntry>();
  if (reply.type != Reply::Type::kArray || reply.elements.size() != 1 ||
      reply.elements[0].type != Reply::Type::kArray ||
      reply.elements[0].elements.size() != 2) {
    return Malformed("XREADGROUP");
  }
  return ParseEntries(reply.elements[0].elements[1]);
}

Fields ParseFlatMap(const Reply& reply) {
  Fields fields;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    const Reply& value = reply.elements[i + 1];
    fields.emplace_back(reply.elements[i].str,
                        value.type == Reply::Type::kInteger
                            ? absl::StrCat(value.integer)
                            : value.str);
  }
  return fields;
}

absl::Status ReplyStatus(const Reply& reply) {
  if (!reply.is_error()) return absl::OkStatus();
  return redis::ErrorReplyStatus(reply.str);
}

}  // namespace umkm::events
