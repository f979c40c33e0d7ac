#include "common/store/row_codec.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace umkm::store::internal {

std::string SerializeDeterministic(
    const google::protobuf::MessageLite& record) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    record.SerializeToCodedStream(&coded);
  }
  return bytes;
}

absl::Status ParseRecord(std::string_view bytes, absl::string_view resource,
                         google::protobuf::Message& record) {
  if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("corrupt record for ", resource));
  }
  record.DiscardUnknownFields();
  return absl::OkStatus();
}

}  // namespace umkm::store::internal
