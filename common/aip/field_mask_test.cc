#include "common/aip/field_mask.h"

#include <string>
#include <vector>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/type.pb.h"
#include "gtest/gtest.h"

namespace umkm::aip {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::umkm::testing::IsOk;
using ::umkm::testing::IsOkAndHolds;
using ::umkm::testing::StatusIs;

constexpr absl::string_view kUpdatable[] = {"display_name", "address.street",
                                            "owner.phone"};

TEST(CheckUpdateMaskTest, AllowedPathsDeduplicated) {
  const std::vector<std::string> paths = {"owner.phone", "display_name",
                                          "owner.phone"};
  EXPECT_THAT(CheckUpdateMask(paths, kUpdatable),
              IsOkAndHolds(ElementsAre("owner.phone", "display_name")));
}

TEST(CheckUpdateMaskTest, EmptyIsEmpty) {
  EXPECT_THAT(CheckUpdateMask(std::vector<std::string>{}, kUpdatable),
              IsOkAndHolds(IsEmpty()));
}

TEST(CheckUpdateMaskTest, StarExpands) {
  EXPECT_THAT(CheckUpdateMask(std::vector<std::string>{"*"}, kUpdatable),
              IsOkAndHolds(ElementsAre("display_name", "address.street",
                                       "owner.phone")));
  EXPECT_THAT(CheckUpdateMask(std::vector<std::string>{"*", "display_name"},
                              kUpdatable),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

class BadPathTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadPathTest, NamesPath) {
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  mask.add_paths(GetParam());
  absl::StatusOr<std::vector<std::string>> paths =
      CheckUpdateMask(mask, kUpdatable);
  ASSERT_THAT(paths, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<FieldViolation> violations = FieldViolationsOf(paths.status());
  ASSERT_THAT(violations,
              ElementsAre(Field(&FieldViolation::field, "update_mask")));
  EXPECT_THAT(violations[0].description, HasSubstr("'" + GetParam() + "'"));
}

INSTANTIATE_TEST_SUITE_P(Paths, BadPathTest,
                         ::testing::Values("scale", "name", "address",
                                           "owner.nik", "Display_Name", "",
                                           "display_name "));

TEST(CheckUpdateMaskTest, ProtoOverload) {
  google::protobuf::FieldMask mask;
  mask.add_paths("address.street");
  EXPECT_THAT(CheckUpdateMask(mask, kUpdatable),
              IsOkAndHolds(ElementsAre("address.street")));
}

// google.protobuf.Type has every shape MergeUpdate cares about: a string
// (name), a message (source_context), repeated messages (fields), a
// repeated string (oneofs) and an enum (syntax).
google::protobuf::Type Stored() {
  google::protobuf::Type type;
  type.set_name("stored");
  type.mutable_source_context()->set_file_name("stored.proto");
  type.add_fields()->set_name("a");
  type.add_fields()->set_name("b");
  type.add_oneofs("kind");
  type.set_syntax(google::protobuf::SYNTAX_PROTO3);
  return type;
}

TEST(MergeUpdateTest, NamedFieldsTakeThePatchValueOthersStay) {
  google::protobuf::Type patch;
  patch.set_name("patched");
  patch.add_fields()->set_name("c");
  patch.add_oneofs("other");
  google::protobuf::Type target = Stored();
  ASSERT_THAT(MergeUpdate(patch, {"name", "fields"}, target), IsOk());
  EXPECT_EQ(target.name(), "patched");
  ASSERT_EQ(target.fields_size(), 1);  // replaced whole, not appended to
  EXPECT_EQ(target.fields(0).name(), "c");
  EXPECT_THAT(target.oneofs(), ElementsAre("kind"));  // not named
  EXPECT_EQ(target.source_context().file_name(), "stored.proto");
  EXPECT_EQ(target.syntax(), google::protobuf::SYNTAX_PROTO3);
}

TEST(MergeUpdateTest, NamedFieldsUnsetInThePatchAreCleared) {
  google::protobuf::Type target = Stored();
  ASSERT_THAT(
      MergeUpdate(google::protobuf::Type(),
                  {"name", "source_context", "oneofs", "syntax"}, target),
      IsOk());
  EXPECT_EQ(target.name(), "");
  EXPECT_FALSE(target.has_source_context());
  EXPECT_THAT(target.oneofs(), IsEmpty());
  EXPECT_EQ(target.syntax(), google::protobuf::SYNTAX_PROTO2);
  EXPECT_EQ(target.fields_size(), 2);
}

TEST(MergeUpdateTest, MessageIsReplacedNotMerged) {
  google::protobuf::Type patch;
  patch.mutable_source_context();  // set, but empty
  google::protobuf::Type target = Stored();
  ASSERT_THAT(MergeUpdate(patch, {"source_context"}, target), IsOk());
  EXPECT_TRUE(target.has_source_context());
  EXPECT_EQ(target.source_context().file_name(), "");
}

TEST(MergeUpdateTest, SubPathSetsOneFieldAndCreatesTheMessage) {
  google::protobuf::Type patch;
  patch.mutable_source_context()->set_file_name("new.proto");
  google::protobuf::Type target;
  ASSERT_THAT(MergeUpdate(patch, {"source_context.file_name"}, target), IsOk());
  EXPECT_EQ(target.source_context().file_name(), "new.proto");
  // A path with its own sub-path acts as the path alone.
  target = Stored();
  ASSERT_THAT(
      MergeUpdate(google::protobuf::Type(),
                  {"source_context.file_name", "source_context"}, target),
      IsOk());
  EXPECT_FALSE(target.has_source_context());
}

TEST(MergeUpdateTest, PathThatIsNoFieldIsInternalAndChangesNothing) {
  google::protobuf::Type patch;
  patch.set_name("patched");
  for (const char* bad :
       {"nope", "", "fields.name", "name.x", "source_context.nope"}) {
    google::protobuf::Type target = Stored();
    EXPECT_THAT(MergeUpdate(patch, {"name", bad}, target),
                StatusIs(absl::StatusCode::kInternal))
        << bad;
    EXPECT_EQ(target.name(), "stored") << bad;
  }
}

TEST(MergeUpdateTest, DifferentTypesAreInternal) {
  google::protobuf::Type target = Stored();
  EXPECT_THAT(MergeUpdate(google::protobuf::FieldMask(), {}, target),
              StatusIs(absl::StatusCode::kInternal));
}

}  // namespace
}  // namespace umkm::aip
