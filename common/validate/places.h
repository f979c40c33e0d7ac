// Kota Malang's kecamatan and kelurahan (Kemendagri reference data) and the
// city's bounding box.
//
// The data (data/kecamatan.csv, data/kelurahan.csv) is compiled into the
// library at build time, so binaries need no data files at run time. Places
// are keyed on the Kemendagri code ("35.73.02", "35.73.02.1004"); the BPS
// statistics code, which orders kecamatan differently, is only an attribute.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace umkm::validate {

struct Kecamatan {
  std::string code;      // Kemendagri, "35.73.02"
  std::string name;      // "Klojen"
  std::string bps_code;  // "3573030"
  int kelurahan_count = 0;
  double latitude = 0;  // centroid
  double longitude = 0;
};

struct Kelurahan {
  std::string code;            // Kemendagri, "35.73.02.1004"
  std::string name;            // as spelled in the data, "Oro-oro Dowo"
  std::string kecamatan_code;  // "35.73.02"
  std::string bps_code;     // BPS MFD 2014 code; empty where the data has none
  std::string postal_code;  // "65119"
  double latitude = 0;      // centroid
  double longitude = 0;
};

// All places, ordered by Kemendagri code. The returned data lives for the
// whole program; the first call parses the embedded data (thread-safe).
absl::Span<const Kecamatan> AllKecamatan();
absl::Span<const Kelurahan> AllKelurahan();

// Lookup by exact Kemendagri code; nullptr when unknown. Pointers stay valid
// for the whole program. Thread-safe.
const Kecamatan* FindKecamatan(absl::string_view kemendagri_code);
const Kelurahan* FindKelurahan(absl::string_view kemendagri_code);

// Lookup by name, ignoring ASCII case, whitespace and hyphens, so "Tasik
// Madu" == "Tasikmadu" and "Oro-oro Dowo" == "oro oro dowo". nullptr when
// unknown. Kelurahan names are unique within the city. Thread-safe.
const Kelurahan* FindKelurahanByName(absl::string_view name);
const Kecamatan* FindKecamatanByName(absl::string_view name);

// OK when `postal_code` is the postal code of `kelurahan` (each kelurahan
// of the city has exactly one, Kelurahan::postal_code); INVALID_ARGUMENT
// naming `field` otherwise, saying which code the kelurahan has.
// Thread-safe.
absl::Status CheckPostalCode(const Kelurahan& kelurahan,
                             absl::string_view postal_code,
                             absl::string_view field = "postal_code");

// The city's bounding box from the kelurahan polygons. (The official text's
// "112.06-112.07 E" is wrong.)
inline constexpr double kCityLatitudeMin = -8.0516;
inline constexpr double kCityLatitudeMax = -7.9108;
inline constexpr double kCityLongitudeMin = 112.5689;
inline constexpr double kCityLongitudeMax = 112.6938;
// Slack around the box for GPS error and points on the border, in degrees
// (about 550 m).
inline constexpr double kCityBoundsMarginDegrees = 0.005;

// True when (latitude, longitude) lies within the city's box widened by
// `margin_degrees` on every side. NaN and infinities are never within.
bool WithinCityBounds(double latitude, double longitude,
                      double margin_degrees = kCityBoundsMarginDegrees);

}  // namespace umkm::validate
