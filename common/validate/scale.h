// Business scale (mikro, kecil, menengah, besar) under PP 7/2021 article 35.
//
// The server derives the scale; it never trusts a client's value. Capital
// (modal usaha, excluding land and buildings) is the criterion at
// registration; annual sales are used for support programmes. Upper bounds
// are inclusive.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace umkm::validate {

enum class Scale { kMikro, kKecil, kMenengah, kBesar };

// Inclusive upper bounds in whole rupiah.
inline constexpr int64_t kMikroMaxCapitalIdr = 1'000'000'000;
inline constexpr int64_t kKecilMaxCapitalIdr = 5'000'000'000;
inline constexpr int64_t kMenengahMaxCapitalIdr = 10'000'000'000;
inline constexpr int64_t kMikroMaxAnnualSalesIdr = 2'000'000'000;
inline constexpr int64_t kKecilMaxAnnualSalesIdr = 15'000'000'000;
inline constexpr int64_t kMenengahMaxAnnualSalesIdr = 50'000'000'000;

// Scale from capital / from annual sales. Amounts must not be negative:
// callers validate input with ValidateAmountIdr() first. A negative amount
// (a caller bug) is treated as zero, giving kMikro. Thread-safe.
Scale ScaleFromCapital(int64_t capital_idr);
Scale ScaleFromAnnualSales(int64_t annual_sales_idr);

// INVALID_ARGUMENT naming `field` when `amount_idr` is negative.
absl::Status ValidateAmountIdr(int64_t amount_idr, absl::string_view field);

// "SCALE_MIKRO", "SCALE_KECIL", "SCALE_MENENGAH", "SCALE_BESAR": the proto
// enum value names, for filters and logs.
absl::string_view ScaleName(Scale scale);

}  // namespace umkm::validate
