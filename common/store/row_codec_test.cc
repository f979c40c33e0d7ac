#include "common/store/row_codec.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"
#include "umkm/registry/v1/registry.pb.h"

namespace umkm::store {
namespace {

using ::testing::HasSubstr;
using ::umkm::registry::v1::Business;
using ::umkm::testing::IsOk;
using ::umkm::testing::StatusIs;

Business Sample() {
  Business business;
  business.set_display_name("Keripik Tempe Bu Sri");
  business.set_etag("W/\"7\"");
  return business;
}

TEST(RowCodecTest, RoundTripsWithTheEtagOfTheVersion) {
  const std::string bytes = EncodeRecord(Sample());
  absl::StatusOr<Versioned<Business>> row =
      DecodeRecord<Business>(bytes, 3, "businesses/abc");
  ASSERT_THAT(row, IsOk());
  EXPECT_EQ(row->version, 3);
  EXPECT_EQ(row->record.display_name(), "Keripik Tempe Bu Sri");
  EXPECT_EQ(row->record.etag(), "W/\"3\"");  // from the version, not stored
}

TEST(RowCodecTest, TheEtagIsNeverStored) {
  Business without = Sample();
  without.clear_etag();
  EXPECT_EQ(EncodeRecord(Sample()), EncodeRecord(without));
}

TEST(RowCodecTest, UnknownFieldsOfAStoredRecordAreDropped) {
  // A row an older binary wrote, before input lost its unknown fields.
  Business stored = Sample();
  stored.mutable_owner()
      ->GetReflection()
      ->MutableUnknownFields(stored.mutable_owner())
      ->AddLengthDelimited(999, "3573021508900009");
  stored.GetReflection()->MutableUnknownFields(&stored)->AddVarint(998, 7);
  absl::StatusOr<Versioned<Business>> row =
      DecodeRecord<Business>(EncodeRecord(stored), 3, "businesses/abc");
  ASSERT_THAT(row, IsOk());
  EXPECT_EQ(row->record.display_name(), "Keripik Tempe Bu Sri");
  EXPECT_THAT(row->record.SerializeAsString(),
              ::testing::Not(HasSubstr("3573021508900009")));
  EXPECT_EQ(
      row->record.GetReflection()->GetUnknownFields(row->record).field_count(),
      0);
}

TEST(RowCodecTest, UnparseableBytesAreDataLossNamingTheResource) {
  absl::StatusOr<Versioned<Business>> row =
      DecodeRecord<Business>("\xff\xff\xff not a record", 1, "businesses/abc");
  EXPECT_THAT(row, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(std::string(row.status().message()), HasSubstr("businesses/abc"));
}

TEST(RowCodecTest, CheckEtagAcceptsNoneOrCurrentAndAbortsOnStale) {
  absl::StatusOr<Versioned<Business>> row =
      DecodeRecord<Business>(EncodeRecord(Sample()), 2, "businesses/abc");
  ASSERT_THAT(row, IsOk());
  EXPECT_THAT(row->CheckEtag(""), IsOk());
  EXPECT_THAT(row->CheckEtag("W/\"2\""), IsOk());
  absl::Status stale = row->CheckEtag("W/\"1\"");
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ReasonOf(stale), "ETAG_MISMATCH");
  absl::Status malformed = row->CheckEtag("2", "business.etag");
  EXPECT_THAT(malformed, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_EQ(FieldViolationsOf(malformed).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(malformed)[0].field, "business.etag");
}

TEST(RowCodecTest, SetEtagNamesTheVersion) {
  Business business = Sample();
  SetEtag(business, 42);
  EXPECT_EQ(business.etag(), "W/\"42\"");
}

}  // namespace
}  // namespace umkm::store
