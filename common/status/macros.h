// Early-return helpers for absl::Status / absl::StatusOr<T>.
//
// Abseil 20220623 (Debian 12) ships neither of these, so the project defines
// them once here.
//
//   UMKM_RETURN_IF_ERROR(DoThing());
//   UMKM_ASSIGN_OR_RETURN(Row row, store.Read(id));
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define UMKM_STATUS_CONCAT_INNER_(a, b) a##b
#define UMKM_STATUS_CONCAT_(a, b) UMKM_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function when it is not OK.
#define UMKM_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::absl::Status umkm_status_ = (expr);        \
    if (!umkm_status_.ok()) return umkm_status_; \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from
// the enclosing function, otherwise moves the value into `lhs`, which may be a
// declaration (`auto x`) or an existing variable.
#define UMKM_ASSIGN_OR_RETURN(lhs, rexpr)                                    \
  UMKM_ASSIGN_OR_RETURN_IMPL_(UMKM_STATUS_CONCAT_(umkm_statusor_, __LINE__), \
                              lhs, rexpr)

#define UMKM_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr)  \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
