#include "server/convert.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "portfolio/v1/resources.pb.h"

namespace portfolio {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Repeat(const std::string& unit, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += unit;
  return out;
}

void ExpectInvalidNaming(const absl::Status& s, const std::string& field) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), StartsWith(field)) << s;
}

google::type::Date Date(int year, int month, int day) {
  google::type::Date d;
  d.set_year(year);
  d.set_month(month);
  d.set_day(day);
  return d;
}

// ---- enumerations ----

TEST(ParseEnumWordTest, AcceptsEverySpelling) {
  for (const char* text : {"new_start", "NEW_START", "PROJECT_STAGE_NEW_START",
                           "new-start", "新开工", " New_Start "}) {
    absl::StatusOr<std::string> word =
        ParseEnumWord("stage", text, kStageWords);
    ASSERT_TRUE(word.ok()) << text << ": " << word.status();
    EXPECT_EQ(*word, "new_start") << text;
  }
}

TEST(ParseEnumWordTest, RefusesRunTogetherWordListingAcceptedOnes) {
  const absl::Status s =
      ParseEnumWord("stage", "newstart", kStageWords).status();
  ExpectInvalidNaming(s, "stage");
  EXPECT_THAT(s.message(), HasSubstr("newstart"));
  EXPECT_THAT(s.message(), HasSubstr("new_start"));
  EXPECT_THAT(s.message(), HasSubstr("continuing"));
  EXPECT_THAT(s.message(), HasSubstr("续建"));
}

TEST(ParseEnumWordTest, RefusesAWordOfAnotherEnumEndingInAWordOfThisOne) {
  // "new_start" is a stage; it is none of the spellings of a milestone kind
  // even though it ends in "_start".
  ExpectInvalidNaming(
      ParseEnumWord("kind", "new_start", kMilestoneKindWords).status(), "kind");
  ExpectInvalidNaming(
      ParseEnumWord("level", "PROJECT_STAGE_CITY", kLevelWords).status(),
      "level");
}

TEST(ParseEnumWordTest, ChineseTermsOfEachTable) {
  EXPECT_EQ(ParseEnumWord("level", "省级", kLevelWords).value(), "provincial");
  EXPECT_EQ(ParseEnumWord("kind", "主体完工", kMilestoneKindWords).value(),
            "structure_complete");
  EXPECT_EQ(ParseEnumWord("comparator", "左右", kComparatorWords).value(),
            "about");
}

TEST(EnumNumberToWordTest, KnownNumber) {
  EXPECT_EQ(EnumNumberToWord("stage", v1::PROJECT_STAGE_NEW_START, kStageWords)
                .value(),
            "new_start");
}

TEST(EnumNumberToWordTest, ZeroIsUnstated) {
  EXPECT_EQ(EnumNumberToWord("stage", 0, kStageWords).value(), "");
}

TEST(EnumNumberToWordTest, UnknownNumberRefused) {
  ExpectInvalidNaming(EnumNumberToWord("stage", 99, kStageWords).status(),
                      "stage");
}

TEST(EnumWordToNumberTest, KnownAndUnknownWords) {
  EXPECT_EQ(EnumWordToNumber("city", kLevelWords), v1::PROJECT_LEVEL_CITY);
  EXPECT_EQ(EnumWordToNumber("", kLevelWords), 0);
  EXPECT_EQ(EnumWordToNumber("county", kLevelWords), 0);
}

// Every table entry's number is the proto value whose name ends in the word.
template <typename NameFn>
void ExpectTableMatchesProto(const EnumWord* table, NameFn name_of) {
  for (const EnumWord* e = table; e->word != nullptr; ++e) {
    const std::string proto_name = name_of(e->number);
    EXPECT_TRUE(
        absl::EndsWith(proto_name, "_" + absl::AsciiStrToUpper(e->word)))
        << e->word << " has number " << e->number << " = " << proto_name;
  }
}

TEST(EnumTablesTest, NumbersMatchTheProtoEnums) {
  ExpectTableMatchesProto(kLevelWords, [](int n) {
    return v1::ProjectLevel_Name(static_cast<v1::ProjectLevel>(n));
  });
  ExpectTableMatchesProto(kStageWords, [](int n) {
    return v1::ProjectStage_Name(static_cast<v1::ProjectStage>(n));
  });
  ExpectTableMatchesProto(kMilestoneKindWords, [](int n) {
    return v1::MilestoneKind_Name(static_cast<v1::MilestoneKind>(n));
  });
  ExpectTableMatchesProto(kIndicatorKindWords, [](int n) {
    return v1::IndicatorKind_Name(static_cast<v1::IndicatorKind>(n));
  });
  ExpectTableMatchesProto(kComparatorWords, [](int n) {
    return v1::Comparator_Name(static_cast<v1::Comparator>(n));
  });
}

// ---- dates and etags ----

TEST(DateFromProtoTest, AllZeroIsUnset) {
  EXPECT_EQ(DateFromProto("planned_start", Date(0, 0, 0)).value(),
            std::nullopt);
}

TEST(DateFromProtoTest, RealDay) {
  EXPECT_EQ(DateFromProto("planned_start", Date(2024, 2, 29)).value(),
            absl::CivilDay(2024, 2, 29));
}

TEST(DateFromProtoTest, RefusesDayThatDoesNotExist) {
  ExpectInvalidNaming(DateFromProto("planned_end", Date(2024, 2, 30)).status(),
                      "planned_end");
}

TEST(DateFromProtoTest, RefusesPartialDate) {
  ExpectInvalidNaming(DateFromProto("planned_end", Date(2024, 0, 0)).status(),
                      "planned_end");
}

TEST(DateFromProtoTest, RefusesYearOutOfRange) {
  ExpectInvalidNaming(DateFromProto("planned_end", Date(1999, 1, 1)).status(),
                      "planned_end");
}

TEST(DateToProtoTest, RoundTrips) {
  google::type::Date d;
  DateToProto(absl::CivilDay(2025, 12, 31), &d);
  EXPECT_EQ(DateFromProto("d", d).value(), absl::CivilDay(2025, 12, 31));
}

TEST(CheckEtagTest, EmptyPasses) { EXPECT_TRUE(CheckEtag("", 3).ok()); }

TEST(CheckEtagTest, MatchingPasses) { EXPECT_TRUE(CheckEtag(Etag(3), 3).ok()); }

TEST(CheckEtagTest, StaleIsAbortedNamingCurrentEtag) {
  const absl::Status s = CheckEtag(Etag(2), 3);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(s.message()), StartsWith("etag"));
  EXPECT_THAT(s.message(), HasSubstr(Etag(3)));
}

TEST(CheckEtagTest, EtagsOfDifferentVersionsDiffer) {
  EXPECT_NE(Etag(1), Etag(2));
}

// ---- ApplyProject ----

class ApplyProjectTest : public ::testing::Test {
 protected:
  absl::Status Apply(const std::vector<std::string>& paths) {
    return ApplyProject(in_, paths, &out_);
  }

  v1::Project in_;
  ProjectRecord out_;
};

TEST_F(ApplyProjectTest, DisplayNameTrimmed) {
  in_.set_display_name("  茌平区新材料项目  ");
  ASSERT_TRUE(Apply({"display_name"}).ok());
  EXPECT_EQ(out_.display_name, "茌平区新材料项目");
}

TEST_F(ApplyProjectTest, DisplayNameRequired) {
  in_.set_display_name("   ");
  ExpectInvalidNaming(Apply({"display_name"}), "display_name");
}

TEST_F(ApplyProjectTest, OnlyListedPathsChange) {
  out_.display_name = "old";
  out_.park = "old park";
  in_.set_display_name("new");
  in_.set_park("new park");
  ASSERT_TRUE(Apply({"park"}).ok());
  EXPECT_EQ(out_.display_name, "old");
  EXPECT_EQ(out_.park, "new park");
}

TEST_F(ApplyProjectTest, NameOfTwoHundredChineseCharactersAccepted) {
  in_.set_display_name(Repeat("项", 200));
  EXPECT_TRUE(Apply({"display_name"}).ok());
}

TEST_F(ApplyProjectTest, OverlongStringsRefusedNamingTheField) {
  in_.set_display_name(Repeat("项", 201));
  ExpectInvalidNaming(Apply({"display_name"}), "display_name");
  in_.set_owner(Repeat("x", 201));
  ExpectInvalidNaming(Apply({"owner"}), "owner");
  in_.set_capacity(Repeat("能", 2001));
  ExpectInvalidNaming(Apply({"capacity"}), "capacity");
  in_.set_source(Repeat("s", 2001));
  ExpectInvalidNaming(Apply({"source"}), "source");
}

TEST_F(ApplyProjectTest, StageFromEnumNumber) {
  in_.set_stage(v1::PROJECT_STAGE_CONTINUING);
  ASSERT_TRUE(Apply({"stage"}).ok());
  EXPECT_EQ(out_.stage, "continuing");
}

TEST_F(ApplyProjectTest, UnknownStageNumberRefused) {
  in_.set_stage(static_cast<v1::ProjectStage>(42));
  ExpectInvalidNaming(Apply({"stage"}), "stage");
}

TEST_F(ApplyProjectTest, ChapterOutOfRangeRefused) {
  in_.set_chapter(10);
  ExpectInvalidNaming(Apply({"chapter"}), "chapter");
}

TEST_F(ApplyProjectTest, TotalInvestmentSetAndCleared) {
  in_.set_total_investment(5000);
  ASSERT_TRUE(Apply({"total_investment"}).ok());
  EXPECT_EQ(out_.total_investment, 5000);
  in_.clear_total_investment();
  ASSERT_TRUE(Apply({"total_investment"}).ok());
  EXPECT_EQ(out_.total_investment, std::nullopt);
}

TEST_F(ApplyProjectTest, NegativeTotalInvestmentRefused) {
  in_.set_total_investment(-1);
  ExpectInvalidNaming(Apply({"total_investment"}), "total_investment");
}

TEST_F(ApplyProjectTest, LevelsSortedByYear) {
  v1::YearLevel* later = in_.add_levels();
  later->set_year(2024);
  later->set_level(v1::PROJECT_LEVEL_PROVINCIAL);
  v1::YearLevel* earlier = in_.add_levels();
  earlier->set_year(2023);
  earlier->set_level(v1::PROJECT_LEVEL_CITY);
  ASSERT_TRUE(Apply({"levels"}).ok());
  ASSERT_EQ(out_.levels.size(), 2u);
  EXPECT_EQ(out_.levels[0].year, 2023);
  EXPECT_EQ(out_.levels[0].level, "city");
  EXPECT_EQ(out_.levels[1].year, 2024);
  EXPECT_EQ(out_.levels[1].level, "provincial");
}

TEST_F(ApplyProjectTest, DuplicateLevelYearRefused) {
  for (auto level : {v1::PROJECT_LEVEL_CITY, v1::PROJECT_LEVEL_DISTRICT}) {
    v1::YearLevel* l = in_.add_levels();
    l->set_year(2024);
    l->set_level(level);
  }
  const absl::Status s = Apply({"levels"});
  ExpectInvalidNaming(s, "levels[1]");
  EXPECT_THAT(s.message(), HasSubstr("2024"));
}

TEST_F(ApplyProjectTest, LevelWithoutLevelValueRefused) {
  in_.add_levels()->set_year(2024);
  ExpectInvalidNaming(Apply({"levels"}), "levels[0].level");
}

TEST_F(ApplyProjectTest, LeadsDeduplicatedAndSorted) {
  in_.add_leads("zoe");
  in_.add_leads("amy");
  in_.add_leads("zoe");
  ASSERT_TRUE(Apply({"leads"}).ok());
  EXPECT_THAT(out_.leads, ElementsAre("amy", "zoe"));
}

TEST_F(ApplyProjectTest, EmptyLeadRefused) {
  in_.add_leads("amy");
  in_.add_leads("");
  ExpectInvalidNaming(Apply({"leads"}), "leads[1]");
}

TEST_F(ApplyProjectTest, BadPlannedDateRefused) {
  *in_.mutable_planned_start() = Date(2023, 2, 29);
  ExpectInvalidNaming(Apply({"planned_start"}), "planned_start");
}

TEST_F(ApplyProjectTest, UnknownMaskPathRefused) {
  const absl::Status s = Apply({"bogus"});
  ExpectInvalidNaming(s, "update_mask");
  EXPECT_THAT(s.message(), HasSubstr("bogus"));
}

TEST_F(ApplyProjectTest, ReadOnlyPathsRefused) {
  for (const char* path : {"name", "etag", "create_time"}) {
    ExpectInvalidNaming(Apply({path}), "update_mask");
  }
}

TEST_F(ApplyProjectTest, EveryWritableFieldIsAccepted) {
  in_.set_display_name("x");
  EXPECT_TRUE(Apply(ProjectWritableFields()).ok());
}

// ---- CheckDecimal ----

TEST(CheckDecimalTest, PlainDecimalsAccepted) {
  EXPECT_EQ(CheckDecimal("value", "6").value(), "6");
  EXPECT_EQ(CheckDecimal("value", "-0.5").value(), "-0.5");
  EXPECT_EQ(CheckDecimal("value", "193.9").value(), "193.9");
}

TEST(CheckDecimalTest, CanonicalWithoutPlusOrSpaces) {
  EXPECT_EQ(CheckDecimal("value", "+5").value(), "5");
  EXPECT_EQ(CheckDecimal("value", " 110 ").value(), "110");
}

TEST(CheckDecimalTest, RefusesWhatIsNotAPlainDecimal) {
  for (const char* text :
       {"", "-", "abc", "1.2.3", "1e5", ".5", "5.", "1,000", "5%", "--1"}) {
    ExpectInvalidNaming(CheckDecimal("targets[0].value", text).status(),
                        "targets[0].value");
  }
}

}  // namespace
}  // namespace portfolio
