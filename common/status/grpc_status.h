// The single mapping from absl::Status to grpc::Status, used at the gRPC edge.
//
// The result carries a serialized google.rpc.Status in the
// "grpc-status-details-bin" trailer with every detail attached to the
// absl::Status (BadRequest, ErrorInfo, PreconditionFailure), so any gRPC
// client can read them with its rich-error API.
#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace umkm {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients inside the suite that call other services: keeps
// the code and message and re-attaches the details as payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace umkm
