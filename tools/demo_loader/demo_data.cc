#include "tools/demo_loader/demo_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "common/validate/places.h"

namespace umkm::tools {
namespace {

namespace v1 = ::umkm::registry::v1;
using ::umkm::common::v1::Date;

// SplitMix64: a tiny generator whose output is fixed by its definition, so
// the data is the same with every standard library (std:: distributions are
// not specified bit for bit).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0. The modulo bias is irrelevant here.
  int Below(int n) {
    return static_cast<int>(Next() % static_cast<uint64_t>(n));
  }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  template <typename T>
  const T& Pick(absl::Span<const T> items) {
    return items[Below(static_cast<int>(items.size()))];
  }
  // `digits` random decimal digits.
  std::string Digits(int digits) {
    std::string out;
    for (int i = 0; i < digits; ++i) out.push_back('0' + Below(10));
    return out;
  }

 private:
  uint64_t state_;
};

uint64_t Mix(uint64_t value) { return Rng(value).Next(); }

struct ProductSpec {
  const char* name;
  const char* description;
};

enum class Sector { kFood, kFoodService, kCraft, kFashion, kTrade, kService };

// One kind of business. KBLI 2020 codes: 10710 (bread and cakes), 13134
// (batik), 14111 (ready-made clothing, konveksi), 56101/56102 (restaurants,
// warung makan) as published; the others are the closest 5-digit codes we
// know of, and every one's division matches its trade (10 food, 13-14
// textiles and clothing, 16 wood and woven goods, 23 ceramics, 31
// furniture, 32 other manufacturing, 47 retail, 56 food service, 96
// personal services), which is what the registry checks.
struct Kind {
  const char* label;  // display-name prefix
  const char* kbli;
  int weight;
  Sector sector;
  const char* home_kelurahan;  // a known centre of the trade, or nullptr
  double home_share;           // share placed there after the round robin
  double female_share;
  std::vector<ProductSpec> products;
};

const std::vector<Kind>& Kinds() {
  static const std::vector<Kind>* kinds = new std::vector<Kind>{
      // Food and beverage first.
      {"Keripik Tempe",
       "10794",
       10,
       Sector::kFood,
       "Purwantoro",
       0.6,
       0.7,
       {{"Keripik tempe original", "Tempe tipis digoreng renyah, 250 g"},
        {"Keripik tempe pedas", "Bumbu cabai, 250 g"},
        {"Keripik tempe balado", "Bumbu balado manis pedas"},
        {"Keripik tempe rumput laut", "Taburan rumput laut"}}},
      {"Bakso",
       "56102",
       9,
       Sector::kFoodService,
       nullptr,
       0,
       0.4,
       {{"Bakso Malang", "Bakso urat, siomay, tahu, gorengan"},
        {"Bakso bakar", "Bakso dibakar dengan bumbu kecap"},
        {"Cwie mie", "Mie dengan ayam cincang khas Malang"}}},
      {"Bolen",
       "10710",
       6,
       Sector::kFood,
       "Mojolangu",
       0.25,
       0.8,
       {{"Bolen pisang", "Pastry isi pisang dan cokelat"},
        {"Bolen keju", "Pastry isi keju"},
        {"Pia kacang hijau", "Isi kacang hijau, kemasan 10"}}},
      {"Kue",
       "10710",
       6,
       Sector::kFood,
       nullptr,
       0,
       0.85,
       {{"Kue basah", "Pesanan untuk acara, minimal 50"},
        {"Onde-onde", "Isi kacang hijau"},
        {"Lapis legit", "Loyang 20 x 20 cm"},
        {"Nastar", "Toples 500 g"}}},
      {"Warung Makan",
       "56102",
       9,
       Sector::kFoodService,
       nullptr,
       0,
       0.6,
       {{"Nasi pecel", "Pecel sayur dengan peyek"},
        {"Rawon", "Rawon daging sapi"},
        {"Soto ayam", "Soto ayam Lamongan"},
        {"Nasi campur", "Lauk pilihan"}}},
      {"Kedai Kopi",
       "56303",
       7,
       Sector::kFoodService,
       nullptr,
       0,
       0.3,
       {{"Kopi tubruk Dampit", "Robusta dari lereng Semeru"},
        {"Es kopi susu", "Gula aren"},
        {"Kopi bubuk", "Kemasan 200 g"}}},
      {"Keripik Buah",
       "10794",
       4,
       Sector::kFood,
       nullptr,
       0,
       0.6,
       {{"Keripik apel", "Vacuum frying, 100 g"},
        {"Keripik nangka", "Vacuum frying, 100 g"},
        {"Keripik salak", "Vacuum frying, 100 g"}}},
      {"Katering",
       "56210",
       4,
       Sector::kFoodService,
       nullptr,
       0,
       0.75,
       {{"Nasi kotak", "Untuk rapat dan hajatan"},
        {"Tumpeng", "Tumpeng nasi kuning, pesan H-2"}}},
      {"Cilok",
       "56104",
       4,
       Sector::kFoodService,
       nullptr,
       0,
       0.4,
       {{"Cilok bumbu kacang", "Jualan keliling sekolah"},
        {"Pentol goreng", "Dengan saus pedas"}}},
      // Then crafts (kriya).
      {"Rotan",
       "31002",
       6,
       Sector::kCraft,
       "Tasik Madu",
       0.7,
       0.25,
       {{"Kursi rotan", "Set kursi teras"},
        {"Meja rotan", "Meja tamu rotan sintetis"},
        {"Ayunan rotan", "Pesanan hotel dan kafe"}}},
      {"Anyaman Rotan",
       "16292",
       3,
       Sector::kCraft,
       "Tasik Madu",
       0.7,
       0.5,
       {{"Keranjang parsel", "Berbagai ukuran"},
        {"Tas anyaman rotan", "Tas tangan bulat"}}},
      {"Batik",
       "13134",
       5,
       Sector::kCraft,
       nullptr,
       0,
       0.6,
       {{"Batik tulis Malangan", "Motif topeng dan Tugu, 2 m"},
        {"Batik cap", "Kain katun 2 m"},
        {"Kemeja batik", "Ukuran S sampai XXL"}}},
      {"Keramik",
       "23933",
       2,
       Sector::kCraft,
       "Dinoyo",
       0.5,
       0.35,
       {{"Vas keramik", "Glasir, dilukis tangan"},
        {"Gerabah hias", "Pot dan celengan tanah liat"}}},
      {"Topeng Malangan",
       "16299",
       2,
       Sector::kCraft,
       nullptr,
       0,
       0.2,
       {{"Topeng Panji", "Kayu, dicat tangan"},
        {"Topeng hiasan dinding", "Ukuran 15 cm"}}},
      {"Raket",
       "32300",
       2,
       Sector::kCraft,
       "Bandungrejosari",
       0.7,
       0.2,
       {{"Raket bulu tangkis", "Rangka dirakit sendiri"},
        {"Senar raket", "Pasang senar"}}},
      // Fashion.
      {"Konveksi",
       "14111",
       7,
       Sector::kFashion,
       nullptr,
       0,
       0.5,
       {{"Kaos sablon", "Minimal 24 potong"},
        {"Seragam sekolah", "SD sampai SMA"},
        {"Kemeja kerja", "Bordir logo"}}},
      {"Daster",
       "14111",
       4,
       Sector::kFashion,
       "Mojolangu",
       0.4,
       0.9,
       {{"Daster batik", "Rayon, all size"}, {"Daster kaftan", "Motif bunga"}}},
      {"Penjahit",
       "14120",
       4,
       Sector::kFashion,
       nullptr,
       0,
       0.7,
       {{"Jahit kebaya", "Sesuai ukuran"},
        {"Permak pakaian", "Potong dan kecilkan"}}},
      // Some trade and services.
      {"Toko Kelontong",
       "47112",
       4,
       Sector::kTrade,
       nullptr,
       0,
       0.6,
       {{"Sembako", "Beras, minyak, gula"},
        {"Jajanan", "Titipan produk UMKM sekitar"}}},
      {"Laundry",
       "96200",
       2,
       Sector::kService,
       nullptr,
       0,
       0.6,
       {{"Cuci kiloan", "Selesai 2 hari"}, {"Setrika", "Per kilogram"}}},
  };
  return *kinds;
}

const Kind& PickKind(Rng& rng) {
  static const int total = [] {
    int sum = 0;
    for (const Kind& kind : Kinds()) sum += kind.weight;
    return sum;
  }();
  int ticket = rng.Below(total);
  for (const Kind& kind : Kinds()) {
    if (ticket < kind.weight) return kind;
    ticket -= kind.weight;
  }
  return Kinds().back();
}

// Share of businesses per kecamatan for the random part, Lowokwaru (which
// has the most UMKM) first; order as validate::AllKecamatan() (35.73.01
// Blimbing .. 35.73.05 Lowokwaru).
constexpr std::array<int, 5> kKecamatanWeights = {18, 14, 22, 20, 26};

const validate::Kelurahan& PickKelurahan(Rng& rng, int index,
                                         const Kind& kind) {
  const absl::Span<const validate::Kelurahan> all = validate::AllKelurahan();
  const int count = static_cast<int>(all.size());
  if (index < count) return all[index];  // round robin: every kelurahan once
  if (kind.home_kelurahan != nullptr && rng.Chance(kind.home_share)) {
    if (const validate::Kelurahan* home =
            validate::FindKelurahanByName(kind.home_kelurahan)) {
      return *home;
    }
  }
  int ticket = rng.Below(100);
  size_t kecamatan = 0;
  while (kecamatan + 1 < kKecamatanWeights.size() &&
         ticket >= kKecamatanWeights[kecamatan]) {
    ticket -= kKecamatanWeights[kecamatan];
    ++kecamatan;
  }
  const std::string& code = validate::AllKecamatan()[kecamatan].code;
  std::vector<const validate::Kelurahan*> in_kecamatan;
  for (const validate::Kelurahan& kelurahan : all) {
    if (kelurahan.kecamatan_code == code) in_kecamatan.push_back(&kelurahan);
  }
  return *in_kecamatan[rng.Below(static_cast<int>(in_kecamatan.size()))];
}

constexpr const char* kFemaleGiven[] = {
    "Sri",  "Ani",   "Tin",  "Ning", "Yuli",  "Endang", "Wati",  "Rini",
    "Siti", "Lilik", "Dewi", "Umi",  "Yayuk", "Titik",  "Harti", "Nanik"};
constexpr const char* kFemaleFamily[] = {"Rahayu",    "Lestari",  "Wahyuni",
                                         "Handayani", "Astuti",   "Susanti",
                                         "Purwanti",  "Setyowati"};
constexpr const char* kMaleGiven[] = {
    "Man",  "Slamet", "Budi", "Joko", "Hadi",   "Agus", "Bambang", "Eko",
    "Anto", "Darto",  "Yono", "Heru", "Sugeng", "Rudi", "Imam",    "Gatot"};
constexpr const char* kMaleFamily[] = {"Santoso",  "Prasetyo", "Wibowo",
                                       "Susanto",  "Hidayat",  "Kurniawan",
                                       "Suprapto", "Widodo"};
constexpr const char* kStreets[] = {
    "Melati",  "Kenanga",    "Mawar",    "Anggrek",    "Flamboyan",
    "Cempaka", "Dahlia",     "Teratai",  "Kamboja",    "Sedap Malam",
    "Kartini", "Diponegoro", "Sudirman", "Ahmad Yani", "Gajayana"};
constexpr const char* kMobilePrefixes[] = {
    "0812", "0813", "0821", "0822", "0852", "0853", "0856",
    "0857", "0877", "0878", "0895", "0896", "0881", "0838"};

template <typename T, size_t N>
absl::Span<const T> SpanOf(const T (&items)[N]) {
  return absl::Span<const T>(items, N);
}

// A NIK valid per domain.md: province+city, kecamatan, DDMMYY (day +40 for
// women), serial from 0001.
std::string SyntheticNik(Rng& rng, const validate::Kelurahan& kelurahan,
                         bool female) {
  std::string region;
  const double where = rng.Unit();
  if (where < 0.08) {
    region = absl::StrFormat("3507%02d", rng.Between(1, 33));  // Kab. Malang
  } else if (where < 0.10) {
    region = absl::StrFormat("3579%02d", rng.Between(1, 3));  // Kota Batu
  } else if (where < 0.25) {
    region = absl::StrFormat("3573%02d", rng.Between(1, 5));  // moved within
  } else {
    // Registered in the kecamatan of the business: "35.73.02" -> "357302".
    const std::string& code = kelurahan.kecamatan_code;
    region = absl::StrCat("3573", code.substr(code.size() - 2));
  }
  const int day = rng.Between(1, 28) + (female ? 40 : 0);
  const int month = rng.Between(1, 12);
  const int year = rng.Between(1960, 2004) % 100;
  const int serial = rng.Between(1, 1999);
  return absl::StrFormat("%s%02d%02d%02d%04d", region, day, month, year,
                         serial);
}

std::string SyntheticPhone(Rng& rng) {
  if (rng.Chance(0.08)) {
    return absl::StrCat("(0341) ", rng.Between(3, 5), rng.Digits(5));
  }
  return absl::StrCat(rng.Pick(SpanOf(kMobilePrefixes)),
                      rng.Digits(rng.Chance(0.5) ? 7 : 8));
}

// 13 digits, unique within a seed: "9" and an affine bijection of the
// index modulo 10^12 (the multiplier is coprime with 10).
std::string SyntheticNib(uint64_t seed, int index) {
  constexpr uint64_t kModulus = 1'000'000'000'000ULL;
  constexpr uint64_t kMultiplier = 613'651'349ULL;
  const uint64_t offset = Mix(seed ^ 0x4E4942) % kModulus;  // "NIB"
  const uint64_t value =
      (static_cast<uint64_t>(index) % kModulus * kMultiplier + offset) %
      kModulus;
  return absl::StrFormat("9%012d", value);
}

Date MakeDate(int year, int month, int day) {
  Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

void AddPermit(v1::Business& business, v1::Permit::Type type,
               std::string number, Date issue, int valid_years) {
  v1::Permit* permit = business.add_permits();
  permit->set_type(type);
  permit->set_number(std::move(number));
  if (valid_years > 0) {
    *permit->mutable_expiry_date() =
        MakeDate(issue.year() + valid_years, issue.month(), issue.day());
  }
  *permit->mutable_issue_date() = std::move(issue);
}

void AddPermits(Rng& rng, const Kind& kind,
                const validate::Kelurahan& kelurahan, v1::Business& business) {
  const bool food =
      kind.sector == Sector::kFood || kind.sector == Sector::kFoodService;
  auto random_date = [&](int first_year, int last_year) {
    return MakeDate(rng.Between(first_year, last_year), rng.Between(1, 12),
                    rng.Between(1, 28));
  };
  if (kind.sector == Sector::kFood && rng.Chance(0.45)) {
    // P-IRT numbers: 15 digits (the regency code inside) and the expiry year.
    Date issue = random_date(2019, 2024);
    const std::string number =
        absl::StrCat("P-IRT ", rng.Between(1, 5), rng.Digits(2), "3573",
                     kelurahan.kecamatan_code.substr(6), rng.Digits(6), "-",
                     (issue.year() + 5) % 100);
    AddPermit(business, v1::Permit::TYPE_PIRT, number, std::move(issue), 5);
  }
  if (food && rng.Chance(0.3)) {
    // Halal certificates no longer expire while the recipe is unchanged.
    AddPermit(business, v1::Permit::TYPE_HALAL,
              absl::StrCat("ID3511", rng.Digits(12)), random_date(2021, 2025),
              0);
  }
  if (rng.Chance(0.05)) {
    AddPermit(business, v1::Permit::TYPE_MEREK,
              absl::StrCat("IDM000", rng.Digits(6)), random_date(2018, 2024),
              10);
  }
}

void AddSalesChannels(Rng& rng, const Kind& kind, v1::Business& business) {
  const bool food_service = kind.sector == Sector::kFoodService;
  const bool goods = kind.sector == Sector::kFood ||
                     kind.sector == Sector::kCraft ||
                     kind.sector == Sector::kFashion;
  struct Option {
    v1::SalesChannel channel;
    double chance;
  };
  const Option options[] = {
      {v1::SALES_CHANNEL_OFFLINE_SHOP, 0.85},
      {v1::SALES_CHANNEL_WHATSAPP, 0.7},
      {v1::SALES_CHANNEL_SOCIAL_MEDIA, 0.5},
      {v1::SALES_CHANNEL_MARKETPLACE, goods ? 0.4 : 0.05},
      {v1::SALES_CHANNEL_FOOD_DELIVERY, food_service ? 0.5 : 0},
      {v1::SALES_CHANNEL_RESELLER, goods ? 0.25 : 0},
      {v1::SALES_CHANNEL_EXHIBITION, goods ? 0.15 : 0.03},
      {v1::SALES_CHANNEL_EXPORT, kind.sector == Sector::kCraft ? 0.1 : 0},
  };
  for (const Option& option : options) {
    if (rng.Chance(option.chance)) business.add_sales_channels(option.channel);
  }
  if (business.sales_channels_size() == 0) {
    business.add_sales_channels(v1::SALES_CHANNEL_OFFLINE_SHOP);
  }
}

// Rounds down to a multiple of Rp100,000.
int64_t Round(double rupiah) {
  return static_cast<int64_t>(rupiah / 100'000) * 100'000;
}

// Log-uniform in [lo, hi]: many small businesses, few bigger ones.
double LogUniform(Rng& rng, double lo, double hi) {
  return lo * std::exp(rng.Unit() * std::log(hi / lo));
}

void AddMoney(Rng& rng, v1::Business& business) {
  const double draw = rng.Unit();
  if (draw < 0.03) {  // not recorded yet
    business.set_employee_count(rng.Between(1, 3));
    return;
  }
  int64_t capital, revenue;
  int employees;
  if (draw < 0.90) {  // mikro: capital up to Rp1 bn
    capital = Round(LogUniform(rng, 2e6, 8e8));
    revenue = std::min<int64_t>(Round(capital * (1 + 3 * rng.Unit())), 2e9);
    employees = rng.Chance(0.8) ? rng.Between(1, 4) : rng.Between(5, 9);
  } else if (draw < 0.985) {  // kecil: above 1 up to 5 bn
    capital = Round(LogUniform(rng, 1.1e9, 4.9e9));
    revenue = Round(LogUniform(rng, 2.1e9, 1.4e10));
    employees = rng.Between(5, 30);
  } else {  // menengah: above 5 up to 10 bn
    capital = Round(LogUniform(rng, 5.1e9, 9.8e9));
    revenue = Round(LogUniform(rng, 1.6e10, 4.8e10));
    employees = rng.Between(20, 99);
  }
  business.set_capital_idr(capital);
  business.set_annual_revenue_idr(revenue);
  business.set_employee_count(employees);
}

}  // namespace

std::string DemoRequestId(uint64_t seed, int index) {
  return absl::StrCat("demo-s", seed, "-", index);
}

registry::v1::CreateBusinessRequest DemoCreateRequest(uint64_t seed,
                                                      int index) {
  Rng rng(Mix(Mix(seed) ^ static_cast<uint64_t>(index)));
  const Kind& kind = PickKind(rng);
  const validate::Kelurahan& kelurahan = PickKelurahan(rng, index, kind);
  const bool female = rng.Chance(kind.female_share);

  v1::CreateBusinessRequest request;
  request.set_request_id(DemoRequestId(seed, index));
  v1::Business& business = *request.mutable_business();

  const char* given =
      female ? rng.Pick(SpanOf(kFemaleGiven)) : rng.Pick(SpanOf(kMaleGiven));
  const char* family =
      female ? rng.Pick(SpanOf(kFemaleFamily)) : rng.Pick(SpanOf(kMaleFamily));
  business.set_display_name(absl::StrFormat(
      "%s %s %s %03d", kind.label, female ? "Bu" : "Pak", given, index + 1));
  if (rng.Chance(0.4)) business.set_nib(SyntheticNib(seed, index));

  v1::Owner& owner = *business.mutable_owner();
  owner.set_nik(SyntheticNik(rng, kelurahan, female));
  owner.set_full_name(absl::StrCat(given, " ", family));
  if (rng.Chance(0.95)) owner.set_phone(SyntheticPhone(rng));

  business.set_kbli_code(kind.kbli);
  business.set_kbli_version(umkm::common::v1::KBLI_VERSION_2020);

  v1::Address& address = *business.mutable_address();
  const bool rattan_centre = kind.home_kelurahan != nullptr &&
                             std::string(kind.home_kelurahan) == "Tasik Madu" &&
                             kelurahan.name == "Tasik Madu";
  address.set_street(absl::StrFormat(
      "Jl. %s No. %d, RT %02d/RW %02d",
      rattan_centre ? "Bulu Tangkis" : rng.Pick(SpanOf(kStreets)),
      rng.Between(1, 120), rng.Between(1, 12), rng.Between(1, 8)));
  address.set_kelurahan_code(kelurahan.code);
  address.set_postal_code(kelurahan.postal_code);

  // Up to ~450 m from the centroid, kept inside the city's box.
  constexpr double kJitter = 0.004;
  constexpr double kInset = 0.0005;
  const double latitude = std::clamp(
      kelurahan.latitude + (rng.Unit() * 2 - 1) * kJitter,
      validate::kCityLatitudeMin + kInset, validate::kCityLatitudeMax - kInset);
  const double longitude =
      std::clamp(kelurahan.longitude + (rng.Unit() * 2 - 1) * kJitter,
                 validate::kCityLongitudeMin + kInset,
                 validate::kCityLongitudeMax - kInset);
  business.mutable_location()->set_latitude(std::round(latitude * 1e6) / 1e6);
  business.mutable_location()->set_longitude(std::round(longitude * 1e6) / 1e6);

  AddMoney(rng, business);

  const int products =
      std::min<int>(rng.Between(1, 3), static_cast<int>(kind.products.size()));
  const int first = rng.Below(static_cast<int>(kind.products.size()));
  for (int i = 0; i < products; ++i) {
    const ProductSpec& spec = kind.products[(first + i) % kind.products.size()];
    v1::Product* product = business.add_products();
    product->set_display_name(spec.name);
    product->set_description(spec.description);
  }
  AddSalesChannels(rng, kind, business);
  AddPermits(rng, kind, kelurahan, business);
  return request;
}

}  // namespace umkm::tools
