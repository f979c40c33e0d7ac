#include "common/validate/nik.h"

#include <ostream>
#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::validate {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::umkm::testing::StatusIs;

TEST(ParseNikTest, MaleKlojen) {
  absl::StatusOr<NikInfo> info = ParseNik("3573021508900001");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->province_code, "35");
  EXPECT_EQ(info->regency_code, "35.73");
  EXPECT_EQ(info->kecamatan_code, "35.73.02");
  EXPECT_TRUE(info->local);
  EXPECT_EQ(info->sex, Sex::kMale);
  EXPECT_EQ(info->birth_day, 15);
  EXPECT_EQ(info->birth_month, 8);
  EXPECT_EQ(info->birth_year_2digit, 90);
  EXPECT_EQ(info->serial, 1);
}

TEST(ParseNikTest, WomanDayHasFortyAdded) {
  absl::StatusOr<NikInfo> info = ParseNik("3573055508900002");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->sex, Sex::kFemale);
  EXPECT_EQ(info->birth_day, 15);
  EXPECT_EQ(info->kecamatan_code, "35.73.05");
  EXPECT_EQ(info->serial, 2);
}

TEST(ParseNikTest, NonMalangIsValidButNotLocal) {
  absl::StatusOr<NikInfo> info = ParseNik("3507021508900001");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_FALSE(info->local);
  EXPECT_EQ(info->regency_code, "35.07");
}

struct ValidCase {
  std::string nik;
  int day;
  Sex sex;
};

void PrintTo(const ValidCase& c, std::ostream* os) { *os << c.nik; }

class ValidNikTest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ValidNikTest, Parses) {
  absl::StatusOr<NikInfo> info = ParseNik(GetParam().nik);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->birth_day, GetParam().day);
  EXPECT_EQ(info->sex, GetParam().sex);
}

INSTANTIATE_TEST_SUITE_P(
    DayBoundaries, ValidNikTest,
    ::testing::Values(ValidCase{"3573020101000001", 1, Sex::kMale},
                      ValidCase{"3573023112999999", 31, Sex::kMale},
                      ValidCase{"3573024101000001", 1, Sex::kFemale},
                      ValidCase{"3573027112000001", 31, Sex::kFemale}));

class InvalidNikTest : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidNikTest, IsInvalidArgumentOnField) {
  absl::StatusOr<NikInfo> info = ParseNik(GetParam(), "business.owner.nik");
  EXPECT_THAT(info, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(info.status()),
              ElementsAre(Field(&FieldViolation::field, "business.owner.nik")));
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, InvalidNikTest,
    ::testing::Values("3573023208900001",                // day 32
                      "3573020008900001",                // day 00
                      "3573024008900001",                // day 40
                      "3573027208900001",                // day 72
                      "3573021513900001",                // month 13
                      "3573021500900001",                // month 00
                      "3573021508900000",                // serial 0000
                      "357302150890001",                 // 15 digits
                      "35730215089000011",               // 17 digits
                      "",                                // empty
                      "                ",                // 16 spaces
                      " 3573021508900001",               // leading space
                      "3573021508900001 ",               // trailing space
                      "3573-02150890001",                // separator
                      "357302150890000a",                // letter
                      "３５７３０２１５０８９０００１",  // full-width digits
                      std::string("3573021508\0"
                                  "00001",
                                  16),     // NUL
                      "3573023002900001",  // 30 February
                      "3573023102900001",  // 31 February
                      "3573027102900001",  // 31 February, a woman
                      "3573022902910001",  // 29 February 1991 or 2091
                      "3573023104900001",  // 31 April
                      "3573027106900001",  // 31 June, a woman
                      "3573023111900001",  // 31 November
                      "0073021508900001",  // province 00
                      "2073021508900001",  // no province 20
                      "5473021508900001",  // Timor Timur, before NIKs
                      "9973021508900001",  // no province 99
                      "3500021508900001",  // regency 00
                      "3573001508900001"   // kecamatan 00
                      ));

INSTANTIATE_TEST_SUITE_P(
    CalendarAndRegions, ValidNikTest,
    ::testing::Values(
        ValidCase{"3573022902000001", 29, Sex::kMale},    // 2000 was leap
        ValidCase{"3573026902920001", 29, Sex::kFemale},  // 1992, a woman
        ValidCase{"3573023101900001", 31, Sex::kMale},    // 31 January
        ValidCase{"3573027012900001", 30, Sex::kFemale},  // 30 December
        ValidCase{"1101011508900001", 15, Sex::kMale},    // Aceh
        ValidCase{"9671011508900001", 15, Sex::kMale}));  // Papua Barat Daya

}  // namespace
}  // namespace umkm::validate
