#include "common/server/parsed_call.h"

#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/slice.h"

namespace umkm::server {
namespace {

// Message::DiscardUnknownFields, without its cost on the hot path: that
// allocates an unknown-field set on every message it visits, and a field
// list, even when nothing is unknown (most requests). Maps are left to it.
void DropUnknownFields(google::protobuf::Message& message) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) {
    reflection->MutableUnknownFields(&message)->Clear();
  }
  const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->cpp_type() !=
        google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    if (field->is_map()) {
      message.DiscardUnknownFields();
      return;
    }
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(message, field);
      for (int j = 0; j < size; ++j) {
        DropUnknownFields(
            *reflection->MutableRepeatedMessage(&message, field, j));
      }
    } else if (reflection->HasField(message, field)) {
      DropUnknownFields(*reflection->MutableMessage(&message, field));
    }
  }
}

}  // namespace

absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message& message) {
  grpc::Slice slice;
  bool parsed;
  if (bytes.TrySingleSlice(&slice).ok()) {
    parsed =
        message.ParseFromArray(slice.begin(), static_cast<int>(slice.size()));
  } else {
    // The reader only reads, but takes a mutable buffer; a copy shares the
    // slices.
    grpc::ByteBuffer copy(bytes);
    grpc::ProtoBufferReader reader(&copy);
    parsed = reader.status().ok() && message.ParseFromZeroCopyStream(&reader);
  }
  if (!parsed) return absl::InvalidArgumentError("malformed request message");
  DropUnknownFields(message);
  return absl::OkStatus();
}

absl::Status SerializeResponse(const google::protobuf::Message& message,
                               grpc::ByteBuffer& bytes) {
  bytes.Clear();  // the writer for large messages wants an empty buffer
  bool own_buffer = false;
  grpc::Status status =
      grpc::SerializationTraits<google::protobuf::Message>::Serialize(
          message, &bytes, &own_buffer);
  if (!status.ok()) {
    return absl::InternalError("response cannot be serialized");
  }
  return absl::OkStatus();
}

}  // namespace umkm::server
