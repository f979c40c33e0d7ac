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
