// Synthetic demo businesses for the registry: a deterministic, realistic mix
// of Kota Malang UMKM with no real personal data.
//
// Every record is a pure function of (seed, index), so the same seed always
// produces the same businesses, the same request ids (a re-run creates
// nothing new) and the same NIBs, and any one record can be generated on its
// own (the benchmark builds create requests on the fly). Names carry the
// index ("Keripik Tempe Bu Sri 014") so they are recognisably synthetic.
//
// The mix follows domain.md: food and beverage first (keripik tempe of
// Sanan, bakso, kue and bolen, warung makan, kopi), then crafts (rattan of
// Tasikmadu, batik, gerabah) and fashion (konveksi, daster), with KBLI 2020
// codes whose division matches the trade. Indices 0..56 cover the 57
// kelurahan once each (round robin); later ones are drawn at random with
// more weight on Lowokwaru, and trades with a known centre (Sanan, Tasikmadu,
// Mojolangu, Kampung Raket) prefer it. Locations are the kelurahan centroid
// plus up to ~450 m of jitter, clamped to the city's box.
//
// Owners: NIKs are synthetic but valid per domain.md (3573 + kecamatan
// 01-05 + DDMMYY, women +40 on the day, serial 0001 and up); about 10% are
// non-local (3507 Kabupaten Malang, a few 3579 Kota Batu). About 40% of the
// businesses carry a 13-digit NIB, unique within a seed. Capital is mostly
// micro, with a few kecil and menengah businesses.
#pragma once

#include <cstdint>
#include <string>

#include "umkm/registry/v1/registry.pb.h"

namespace umkm::tools {

// The request_id of demo record `index` for `seed`: "demo-s<seed>-<index>",
// within AIP-155's [A-Za-z0-9_-]{1,64}.
std::string DemoRequestId(uint64_t seed, int index);

// The CreateBusinessRequest for demo record `index` (0-based) of `seed`,
// request_id included. Pure and thread-safe. `index` must be >= 0.
registry::v1::CreateBusinessRequest DemoCreateRequest(uint64_t seed, int index);

}  // namespace umkm::tools
