#include "common/audit/purpose.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace umkm::audit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

TEST(CheckPurposeTest, AcceptsDeclaredCodesWithOrWithoutAReference) {
  for (const char* purpose :
       {"financing_referral", "legal_obligation:500/123/35.73.405/2027",
        "data_subject_request:TIKET-000123", "duplicate_check:a.b_c-d"}) {
    EXPECT_THAT(CheckPurpose(purpose), IsOk()) << purpose;
  }
}

TEST(CheckPurposeTest, MissingPurposeIsPermissionDenied) {
  absl::Status status = CheckPurpose("");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ReasonOf(status), "PURPOSE_REQUIRED");
  EXPECT_THAT(status.message(), HasSubstr("x-umkm-purpose"));
  EXPECT_THAT(status.message(), HasSubstr("financing_referral"));
}

TEST(CheckPurposeTest, AcceptsLetterNumbersAndDates) {
  for (const char* purpose :
       {"legal_obligation:500/123/35.73.405/2027", "data_correction:2027-01-04",
        "incident_investigation:INC-12345678"}) {
    EXPECT_THAT(CheckPurpose(purpose), IsOk()) << purpose;
  }
}

TEST(CheckPurposeTest, RefusesWhatCouldCarryPersonalDataWithoutEchoingIt) {
  for (const char* purpose : {
           "because I want to",                     // not a declared code
           "FINANCING_REFERRAL",                    // codes are lower case
           "financing_referral:",                   // empty reference
           "legal_obligation:3573021508900001",     // a NIK
           "legal_obligation:3573.0215.0890.0001",  // a NIK, dotted
           "legal_obligation:081234567890",         // a phone number
           "legal_obligation:0812-3456-7890",       // a phone, with dashes
           "legal_obligation:9120001234567",        // a NIB
           "legal_obligation:Siti Aminah",          // a space (and a name)
           "legal_obligation:a\nb",                 // a control character
       }) {
    absl::Status status = CheckPurpose(purpose);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument))
        << purpose;
    EXPECT_EQ(ReasonOf(status), "PURPOSE_INVALID") << purpose;
    EXPECT_THAT(status.message(), Not(HasSubstr("3573")));
    EXPECT_THAT(status.message(), Not(HasSubstr("Siti")));
  }
  EXPECT_THAT(CheckPurpose("duplicate_check:" + std::string(65, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace umkm::audit
