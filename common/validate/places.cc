#include "common/validate/places.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"

namespace umkm::validate {
namespace internal {
// Defined in the generated places_data.cc (embed_csv.cmake).
extern const char kKecamatanCsv[];
extern const char kKelurahanCsv[];
}  // namespace internal

namespace {

// The embedded data is part of the build; if it does not parse, the build is
// broken and no answer from this library could be trusted.
[[noreturn]] void DataError(absl::string_view what, absl::string_view line) {
  std::fprintf(stderr, "umkm_validate: bad embedded place data: %s: %.*s\n",
               std::string(what).c_str(), static_cast<int>(line.size()),
               line.data());
  std::abort();
}

std::string NameKey(absl::string_view name) {
  std::string key;
  key.reserve(name.size());
  for (char c : name) {
    if (c == '-' || absl::ascii_isspace(static_cast<unsigned char>(c))) {
      continue;
    }
    key.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

// Splits the CSV text into rows of `columns` fields after checking the
// header. The data has no quoted fields.
std::vector<std::vector<std::string>> Rows(absl::string_view csv,
                                           absl::string_view header,
                                           size_t columns) {
  std::vector<std::vector<std::string>> rows;
  bool first = true;
  for (absl::string_view line : absl::StrSplit(csv, '\n', absl::SkipEmpty())) {
    absl::ConsumeSuffix(&line, "\r");
    if (first) {
      if (line != header) DataError("unexpected header", line);
      first = false;
      continue;
    }
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    if (fields.size() != columns) DataError("wrong column count", line);
    rows.push_back(std::move(fields));
  }
  return rows;
}

double Coordinate(const std::string& text) {
  double value = 0;
  if (!absl::SimpleAtod(text, &value)) DataError("bad coordinate", text);
  return value;
}

struct Places {
  std::vector<Kecamatan> kecamatan;
  std::vector<Kelurahan> kelurahan;
  absl::flat_hash_map<std::string, size_t> kecamatan_by_code;
  absl::flat_hash_map<std::string, size_t> kecamatan_by_name;
  absl::flat_hash_map<std::string, size_t> kelurahan_by_code;
  absl::flat_hash_map<std::string, size_t> kelurahan_by_name;
};

const Places* Build() {
  auto* places = new Places;
  for (auto& row :
       Rows(internal::kKecamatanCsv,
            "kemendagri_code,bps_code,name,kelurahan_count,centroid_lat,"
            "centroid_lon,bbox_lat_min,bbox_lat_max,bbox_lon_min,bbox_lon_max",
            10)) {
    Kecamatan k;
    k.code = row[0];
    k.bps_code = row[1];
    k.name = row[2];
    if (!absl::SimpleAtoi(row[3], &k.kelurahan_count)) {
      DataError("bad kelurahan_count", row[3]);
    }
    k.latitude = Coordinate(row[4]);
    k.longitude = Coordinate(row[5]);
    places->kecamatan.push_back(std::move(k));
  }
  for (auto& row : Rows(internal::kKelurahanCsv,
                        "kemendagri_code,kelurahan,kecamatan_code,kecamatan,"
                        "postal_code,lat,lon,bps_code_mfd2014",
                        8)) {
    Kelurahan k;
    k.code = row[0];
    k.name = row[1];
    k.kecamatan_code = row[2];
    k.postal_code = row[4];
    k.latitude = Coordinate(row[5]);
    k.longitude = Coordinate(row[6]);
    k.bps_code = row[7];
    places->kelurahan.push_back(std::move(k));
  }
  auto by_code = [](const auto& a, const auto& b) { return a.code < b.code; };
  std::sort(places->kecamatan.begin(), places->kecamatan.end(), by_code);
  std::sort(places->kelurahan.begin(), places->kelurahan.end(), by_code);
  for (size_t i = 0; i < places->kecamatan.size(); ++i) {
    const Kecamatan& k = places->kecamatan[i];
    if (!places->kecamatan_by_code.emplace(k.code, i).second ||
        !places->kecamatan_by_name.emplace(NameKey(k.name), i).second) {
      DataError("duplicate kecamatan", k.code);
    }
  }
  for (size_t i = 0; i < places->kelurahan.size(); ++i) {
    const Kelurahan& k = places->kelurahan[i];
    if (!places->kecamatan_by_code.contains(k.kecamatan_code)) {
      DataError("kelurahan in unknown kecamatan", k.code);
    }
    if (!places->kelurahan_by_code.emplace(k.code, i).second ||
        !places->kelurahan_by_name.emplace(NameKey(k.name), i).second) {
      DataError("duplicate kelurahan", k.code);
    }
  }
  return places;
}

const Places& Get() {
  // Never destroyed: the data outlives every caller, including static ones.
  static const Places* const places = Build();
  return *places;
}

template <typename T>
const T* Find(const absl::flat_hash_map<std::string, size_t>& index,
              const std::vector<T>& items, absl::string_view key) {
  auto it = index.find(key);
  return it == index.end() ? nullptr : &items[it->second];
}

}  // namespace

absl::Span<const Kecamatan> AllKecamatan() { return Get().kecamatan; }
absl::Span<const Kelurahan> AllKelurahan() { return Get().kelurahan; }

const Kecamatan* FindKecamatan(absl::string_view kemendagri_code) {
  return Find(Get().kecamatan_by_code, Get().kecamatan, kemendagri_code);
}

const Kelurahan* FindKelurahan(absl::string_view kemendagri_code) {
  return Find(Get().kelurahan_by_code, Get().kelurahan, kemendagri_code);
}

const Kelurahan* FindKelurahanByName(absl::string_view name) {
  return Find(Get().kelurahan_by_name, Get().kelurahan, NameKey(name));
}

const Kecamatan* FindKecamatanByName(absl::string_view name) {
  return Find(Get().kecamatan_by_name, Get().kecamatan, NameKey(name));
}

absl::Status CheckPostalCode(const Kelurahan& kelurahan,
                             absl::string_view postal_code,
                             absl::string_view field) {
  if (postal_code == kelurahan.postal_code) return absl::OkStatus();
  return InvalidField(
      std::string(field),
      absl::StrCat("not the postal code of kelurahan ", kelurahan.name, " (",
                   kelurahan.postal_code, ")"));
}

bool WithinCityBounds(double latitude, double longitude,
                      double margin_degrees) {
  // Written so that NaN in any argument compares false and fails.
  return std::isfinite(latitude) && std::isfinite(longitude) &&
         latitude >= kCityLatitudeMin - margin_degrees &&
         latitude <= kCityLatitudeMax + margin_degrees &&
         longitude >= kCityLongitudeMin - margin_degrees &&
         longitude <= kCityLongitudeMax + margin_degrees;
}

}  // namespace umkm::validate
