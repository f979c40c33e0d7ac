#include "common/validate/provinces.h"

#include <algorithm>

namespace umkm::validate {
namespace {

// Kemendagri administrative region codes; 93-96 are the provinces formed
// from Papua in 2022.
constexpr Province kProvinces[] = {
    {"11", "Aceh"},
    {"12", "Sumatera Utara"},
    {"13", "Sumatera Barat"},
    {"14", "Riau"},
    {"15", "Jambi"},
    {"16", "Sumatera Selatan"},
    {"17", "Bengkulu"},
    {"18", "Lampung"},
    {"19", "Kepulauan Bangka Belitung"},
    {"21", "Kepulauan Riau"},
    {"31", "DKI Jakarta"},
    {"32", "Jawa Barat"},
    {"33", "Jawa Tengah"},
    {"34", "Daerah Istimewa Yogyakarta"},
    {"35", "Jawa Timur"},
    {"36", "Banten"},
    {"51", "Bali"},
    {"52", "Nusa Tenggara Barat"},
    {"53", "Nusa Tenggara Timur"},
    {"61", "Kalimantan Barat"},
    {"62", "Kalimantan Tengah"},
    {"63", "Kalimantan Selatan"},
    {"64", "Kalimantan Timur"},
    {"65", "Kalimantan Utara"},
    {"71", "Sulawesi Utara"},
    {"72", "Sulawesi Tengah"},
    {"73", "Sulawesi Selatan"},
    {"74", "Sulawesi Tenggara"},
    {"75", "Gorontalo"},
    {"76", "Sulawesi Barat"},
    {"81", "Maluku"},
    {"82", "Maluku Utara"},
    {"91", "Papua"},
    {"92", "Papua Barat"},
    {"93", "Papua Selatan"},
    {"94", "Papua Tengah"},
    {"95", "Papua Pegunungan"},
    {"96", "Papua Barat Daya"},
};

}  // namespace

absl::Span<const Province> AllProvinces() { return kProvinces; }

const Province* FindProvince(absl::string_view code) {
  const Province* end = std::end(kProvinces);
  const Province* it = std::lower_bound(
      std::begin(kProvinces), end, code,
      [](const Province& p, absl::string_view c) { return p.code < c; });
  return it != end && it->code == code ? it : nullptr;
}

}  // namespace umkm::validate
