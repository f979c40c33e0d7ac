#include "common/validate/scale.h"

#include <string>

#include "common/status/errors.h"

namespace umkm::validate {
namespace {

Scale Classify(int64_t amount, int64_t mikro_max, int64_t kecil_max,
               int64_t menengah_max) {
  if (amount <= mikro_max) return Scale::kMikro;
  if (amount <= kecil_max) return Scale::kKecil;
  if (amount <= menengah_max) return Scale::kMenengah;
  return Scale::kBesar;
}

}  // namespace

Scale ScaleFromCapital(int64_t capital_idr) {
  return Classify(capital_idr, kMikroMaxCapitalIdr, kKecilMaxCapitalIdr,
                  kMenengahMaxCapitalIdr);
}

Scale ScaleFromAnnualSales(int64_t annual_sales_idr) {
  return Classify(annual_sales_idr, kMikroMaxAnnualSalesIdr,
                  kKecilMaxAnnualSalesIdr, kMenengahMaxAnnualSalesIdr);
}

absl::Status ValidateAmountIdr(int64_t amount_idr, absl::string_view field) {
  if (amount_idr < 0) {
    return InvalidField(std::string(field), "amount must not be negative");
  }
  return absl::OkStatus();
}

absl::string_view ScaleName(Scale scale) {
  switch (scale) {
    case Scale::kMikro:
      return "SCALE_MIKRO";
    case Scale::kKecil:
      return "SCALE_KECIL";
    case Scale::kMenengah:
      return "SCALE_MENENGAH";
    case Scale::kBesar:
      return "SCALE_BESAR";
  }
  return "SCALE_UNSPECIFIED";
}

}  // namespace umkm::validate
