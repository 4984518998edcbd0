#include "client/enums.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

TEST(EnumsTest, StageInEverySpelling) {
  for (const char* text : {"new-start", "NEW_START", "New Start",
                           "PROJECT_STAGE_NEW_START", " 新开工 "}) {
    const auto stage = ParseStage(text);
    ASSERT_TRUE(stage.ok()) << text << ": " << stage.status();
    EXPECT_EQ(*stage, v1::PROJECT_STAGE_NEW_START) << text;
  }
}

TEST(EnumsTest, MilestoneKindsInEnglishAndChinese) {
  const std::vector<std::pair<std::string, v1::MilestoneKind>> cases = {
      {"start", v1::MILESTONE_KIND_START},
      {"structure-complete", v1::MILESTONE_KIND_STRUCTURE_COMPLETE},
      {"completion", v1::MILESTONE_KIND_COMPLETION},
      {"in-operation", v1::MILESTONE_KIND_IN_OPERATION},
      {"statistics-entry", v1::MILESTONE_KIND_STATISTICS_ENTRY},
      {"other", v1::MILESTONE_KIND_OTHER},
      {"开工", v1::MILESTONE_KIND_START},
      {"主体完工", v1::MILESTONE_KIND_STRUCTURE_COMPLETE},
      {"竣工", v1::MILESTONE_KIND_COMPLETION},
      {"投产", v1::MILESTONE_KIND_IN_OPERATION},
      {"入统", v1::MILESTONE_KIND_STATISTICS_ENTRY},
      {"其他", v1::MILESTONE_KIND_OTHER},
  };
  for (const auto& [text, kind] : cases) {
    const auto parsed = ParseMilestoneKind(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
    EXPECT_EQ(*parsed, kind) << text;
  }
}

TEST(EnumsTest, UnknownOrUnspecifiedIsRefusedListingTheWords) {
  const auto bad = ParseLevel("national");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("provincial, city, district"),
            std::string::npos)
      << bad.status();
  EXPECT_FALSE(ParseLevel("unspecified").ok());
  EXPECT_FALSE(ParseLevel("").ok());
}

TEST(EnumsTest, NamesForFiltersAndLabelsForPeople) {
  EXPECT_EQ(ShortName(v1::PROJECT_LEVEL_PROVINCIAL), "PROVINCIAL");
  EXPECT_EQ(ShortName(v1::PROJECT_STAGE_IN_OPERATION), "IN_OPERATION");
  EXPECT_EQ(ShortName(v1::RAG_RED), "RED");
  EXPECT_EQ(ShortName(v1::PROJECT_LEVEL_UNSPECIFIED), "");
  EXPECT_EQ(Label(v1::PROJECT_LEVEL_CITY), "市级");
  EXPECT_EQ(Label(v1::MILESTONE_KIND_STRUCTURE_COMPLETE), "主体完工");
  EXPECT_EQ(Label(v1::RAG_AMBER), "黄");
}

TEST(EnumsTest, Chapters) {
  EXPECT_EQ(*ParseChapter("3"), 3);
  EXPECT_EQ(*ParseChapter("九"), 9);
  EXPECT_EQ(*ParseChapter("３"), 3);  // full-width, as typed in Chinese
  EXPECT_FALSE(ParseChapter("10").ok());
  EXPECT_FALSE(ParseChapter("十").ok());
  EXPECT_EQ(ChapterLabel(3), "三");
  EXPECT_EQ(ChapterLabel(0), "");
}

TEST(EnumsTest, GroupLabels) {
  EXPECT_EQ(GroupLabel(v1::SUMMARY_DIMENSION_LEVEL, "PROVINCIAL"), "省级");
  EXPECT_EQ(GroupLabel(v1::SUMMARY_DIMENSION_STAGE, "CONTINUING"), "续建");
  EXPECT_EQ(GroupLabel(v1::SUMMARY_DIMENSION_CHAPTER, "2"), "二");
  EXPECT_EQ(GroupLabel(v1::SUMMARY_DIMENSION_PARK, "高铁新区"), "高铁新区");
  EXPECT_EQ(GroupLabel(v1::SUMMARY_DIMENSION_PARK, ""), "（未填）");
}

TEST(EnumsTest, RolesAsTypedAndShown) {
  const std::vector<std::pair<std::string, v1::UserRole>> cases = {
      {"admin", v1::USER_ROLE_ADMIN},     {"Manager", v1::USER_ROLE_MANAGER},
      {"lead", v1::USER_ROLE_LEAD},       {"VIEWER", v1::USER_ROLE_VIEWER},
      {"service", v1::USER_ROLE_SERVICE}, {"负责人", v1::USER_ROLE_LEAD},
  };
  for (const auto& [text, role] : cases) {
    const auto parsed = ParseRole(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
    EXPECT_EQ(*parsed, role) << text;
  }
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_FALSE(ParseRole("unspecified").ok());
  EXPECT_EQ(RoleWord(v1::USER_ROLE_SERVICE), "service");
  EXPECT_EQ(ShortName(v1::USER_ROLE_SERVICE), "SERVICE");
}

}  // namespace
}  // namespace portfolio::client
