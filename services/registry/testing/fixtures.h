// Test fixtures for the registry: valid businesses built from domain.md's
// synthetic identifiers (no real personal data).
#pragma once

#include "umkm/registry/v1/registry.pb.h"

namespace umkm::registry::testing {

// A valid business in Kel. Sanan's neighbourhood (Purwantoro, Blimbing):
// male owner, Klojen NIK, capital Rp50 million.
inline v1::Business ValidBusiness() {
  v1::Business business;
  business.set_display_name("Keripik Tempe Bu Sri");
  business.set_nib("9120001234567");
  business.mutable_owner()->set_nik("3573021508900001");
  business.mutable_owner()->set_full_name("Sri Wahyuni");
  business.mutable_owner()->set_phone("081234567890");
  business.set_kbli_code("10794");
  business.mutable_address()->set_street("Jl. Sanan No. 12, RT 3 RW 15");
  business.mutable_address()->set_kelurahan_code("35.73.01.1007");
  business.mutable_location()->set_latitude(-7.9625);
  business.mutable_location()->set_longitude(112.6460);
  business.set_capital_idr(50'000'000);
  business.set_annual_revenue_idr(240'000'000);
  business.set_employee_count(4);
  business.add_products()->set_display_name("Keripik tempe");
  business.add_sales_channels(v1::SALES_CHANNEL_OFFLINE_SHOP);
  business.add_sales_channels(v1::SALES_CHANNEL_MARKETPLACE);
  v1::Permit* pirt = business.add_permits();
  pirt->set_type(v1::Permit::TYPE_PIRT);
  pirt->set_number("2063573010123-27");
  return business;
}

}  // namespace umkm::registry::testing
