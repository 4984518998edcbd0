#include "client/filter.h"

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

TEST(QuoteFilterValueTest, QuotesAndEscapes) {
  EXPECT_EQ(QuoteFilterValue("高铁新区"), "\"高铁新区\"");
  EXPECT_EQ(QuoteFilterValue(""), "\"\"");
  EXPECT_EQ(QuoteFilterValue("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(QuoteFilterValue("c:\\d"), "\"c:\\\\d\"");
  EXPECT_EQ(QuoteFilterValue("\\\""), "\"\\\\\\\"\"");
}

TEST(FilterBuilderTest, EmptyWithoutTerms) {
  EXPECT_EQ(FilterBuilder().Build(), "");
  EXPECT_EQ(FilterBuilder().AddExpression("   ").Build(), "");
}

TEST(FilterBuilderTest, JoinsTermsWithAnd) {
  const std::string filter = FilterBuilder()
                                 .AddEnum("level", "PROVINCIAL")
                                 .AddString("park", "高铁新区")
                                 .AddInt("year", 2024)
                                 .AddBool("overdue", true)
                                 .Build();
  EXPECT_EQ(filter,
            "level = PROVINCIAL AND park = \"高铁新区\" AND year = 2024 AND "
            "overdue = true");
}

TEST(FilterBuilderTest, StringsThatLookLikeSyntaxStayInsideQuotes) {
  EXPECT_EQ(FilterBuilder().AddString("park", "x\" OR park = \"y").Build(),
            "park = \"x\\\" OR park = \\\"y\"");
  EXPECT_EQ(FilterBuilder().AddString("sector", "a AND b").Build(),
            "sector = \"a AND b\"");
}

TEST(FilterBuilderTest, UserExpressionIsAndedTrimmed) {
  EXPECT_EQ(FilterBuilder()
                .AddEnum("rag", "RED")
                .AddExpression("  chapter = 3 ")
                .Build(),
            "rag = RED AND chapter = 3");
}

TEST(BuildProjectFilterTest, EveryFlagInOrder) {
  ProjectFilterOptions options;
  options.level = v1::PROJECT_LEVEL_PROVINCIAL;
  options.year = 2024;
  options.chapter = 3;
  options.park = "高铁新区";
  options.sector = "新材料";
  options.stage = v1::PROJECT_STAGE_NEW_START;
  options.lead = "zhang";
  options.expression = "total_investment = 1";
  EXPECT_EQ(BuildProjectFilter(options),
            "level = PROVINCIAL AND year = 2024 AND chapter = 3 AND "
            "park = \"高铁新区\" AND sector = \"新材料\" AND "
            "stage = NEW_START AND lead = \"zhang\" AND total_investment = 1");
}

TEST(BuildProjectFilterTest, OnlyTheFlagsGiven) {
  ProjectFilterOptions options;
  EXPECT_EQ(BuildProjectFilter(options), "");
  options.park = "";
  EXPECT_EQ(BuildProjectFilter(options), "park = \"\"");
}

TEST(BuildAuditFilterTest, EachFlagGivenIsOneQuotedTerm) {
  AuditListOptions options;
  EXPECT_EQ(BuildAuditFilter(options), "");
  options.since = absl::CivilDay(2024, 1, 1);
  EXPECT_EQ(BuildAuditFilter(options), "since = \"2024-01-01\"");
  options.project = "p";
  options.user = "u";
  EXPECT_EQ(BuildAuditFilter(options),
            "project = \"p\" AND user = \"u\" AND since = \"2024-01-01\"");
}

TEST(BuildAuditFilterTest, ValuesCannotChangeTheFilter) {
  AuditListOptions options;
  options.user = "u\" OR user = \"v";
  EXPECT_EQ(BuildAuditFilter(options), "user = \"u\\\" OR user = \\\"v\"");
}

TEST(BuildStatusFilterTest, MissingIsAndedWithRagAndExpression) {
  StatusListOptions options;
  EXPECT_EQ(BuildStatusFilter(options), "");
  options.missing_only = true;
  EXPECT_EQ(BuildStatusFilter(options), "missing = true");
  options.rag = v1::RAG_RED;
  options.filter = " level = PROVINCIAL ";
  EXPECT_EQ(BuildStatusFilter(options),
            "rag = RED AND missing = true AND level = PROVINCIAL");
  options.missing_only = false;
  EXPECT_EQ(BuildStatusFilter(options), "rag = RED AND level = PROVINCIAL");
}

TEST(BuildPeriodsFilterTest, YearOrNothing) {
  PeriodsListOptions options;
  EXPECT_EQ(BuildPeriodsFilter(options), "");
  options.year = 2024;
  EXPECT_EQ(BuildPeriodsFilter(options), "year = 2024");
}

}  // namespace
}  // namespace portfolio::client
