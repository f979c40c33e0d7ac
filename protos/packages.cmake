# Project proto packages, one library per package (see umkm_proto_library in
# CMakeLists.txt). Included by protos/CMakeLists.txt; paths are relative to
# protos/ so that import paths equal include paths.

umkm_proto_library(umkm_common_v1_protos
  PROTOS
    umkm/common/v1/business.proto
    umkm/common/v1/calendar.proto
    umkm/common/v1/geo.proto
    umkm/common/v1/lifecycle.proto
    umkm/common/v1/problem.proto)

umkm_proto_library(umkm_registry_v1_protos
  PROTOS umkm/registry/v1/registry.proto
  DEPS umkm_common_v1_protos googleapis_protos
  GRPC)

umkm_proto_library(umkm_visits_v1_protos
  PROTOS umkm/visits/v1/visits.proto
  DEPS umkm_common_v1_protos googleapis_protos
  GRPC)

umkm_proto_library(umkm_complaints_v1_protos
  PROTOS umkm/complaints/v1/complaints.proto
  DEPS umkm_common_v1_protos googleapis_protos
  GRPC)

umkm_proto_library(umkm_financing_v1_protos
  PROTOS
    umkm/financing/v1/bank_partner.proto
    umkm/financing/v1/financing.proto
  DEPS umkm_common_v1_protos googleapis_protos
  GRPC)

# The event envelope and payloads; messages only (no service). Imports only
# umkm.common.v1, so consumers need no service contracts to read the topic.
umkm_proto_library(umkm_events_v1_protos
  PROTOS umkm/events/v1/events.proto
  DEPS umkm_common_v1_protos)

# The audit trail every service serves (common/audit); messages and the
# AuditService, no other umkm package imported.
umkm_proto_library(umkm_audit_v1_protos
  PROTOS umkm/audit/v1/audit.proto
  DEPS googleapis_protos
  GRPC)
