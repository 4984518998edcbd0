#include "client/export_tables.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ExportFilesTest, EveryKindOnceInDependencyOrder) {
  std::vector<std::string> names;
  for (const ExportFile& f : ExportFiles()) names.push_back(f.name);
  EXPECT_THAT(names,
              ElementsAre("users.csv", "projects.csv", "portfolio.csv",
                          "indicators.csv", "plans.csv", "milestones.csv",
                          "investments.csv", "problems.csv", "periods.csv"));
  EXPECT_EQ(ExportFiles()[6].kind, v1::IMPORT_KIND_INVESTMENTS);
}

TEST(CsvFileTest, QuotesWhatCsvNeedsAndEndsLinesWithLf) {
  CsvFile csv;
  csv.header = {"a", "b"};
  csv.rows = {{"x,y", "say \"hi\""}, {"line\nbreak", ""}};
  EXPECT_EQ(csv.Text(), "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"line\nbreak\",\n");
}

TEST(ExportTablesTest, ProjectsWriteWordsExactYuanAndEmptyForUnknown) {
  Repeated<v1::Project> projects;
  v1::Project* p = projects.Add();
  p->set_name("projects/rail-hub");
  p->set_display_name("高铁物流园");
  p->set_chapter(3);
  auto* level = p->add_levels();
  level->set_year(2023);
  level->set_level(v1::PROJECT_LEVEL_CITY);
  level = p->add_levels();
  level->set_year(2024);
  level->set_level(v1::PROJECT_LEVEL_PROVINCIAL);
  p->set_stage(v1::PROJECT_STAGE_NEW_START);
  p->set_total_investment(1'234'567'891);
  p->mutable_planned_start()->set_year(2024);
  p->mutable_planned_start()->set_month(3);
  p->mutable_planned_start()->set_day(1);
  p->add_leads("li");
  p->add_leads("wang");
  v1::Project* bare = projects.Add();
  bare->set_name("projects/bare");
  bare->set_display_name("无数据");

  const CsvFile csv = ProjectsCsv(projects);
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_EQ(csv.header[8], "total_investment");
  EXPECT_THAT(csv.rows[0], ElementsAre("rail-hub", "高铁物流园", "", "3", "",
                                       "", "2023:city;2024:provincial",
                                       "new_start", "1234567891", "2024-03-01",
                                       "", "", "", "li;wang", ""));
  // No chapter, stage or total investment: empty cells, not 0.
  EXPECT_EQ(csv.rows[1][3], "");
  EXPECT_EQ(csv.rows[1][7], "");
  EXPECT_EQ(csv.rows[1][8], "");
}

TEST(ExportTablesTest, PlansKeepEveryRevisionWithTwelveMonthsAndReasons) {
  v1::AnnualPlan baseline;
  baseline.set_name("projects/p1/plans/2024");
  baseline.set_year(2024);
  baseline.set_amount(1200);
  for (int m = 0; m < 12; ++m) baseline.add_monthly(100);
  v1::AnnualPlan revision = baseline;
  revision.set_amount(1201);
  revision.set_monthly(11, 101);
  revision.set_revision_reason("年中调整");
  const CsvFile csv = PlansCsv({baseline, revision});
  ASSERT_EQ(csv.header.size(), 16u);
  EXPECT_EQ(csv.header[15], "reason");
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_EQ(csv.rows[0][0], "p1");
  EXPECT_EQ(csv.rows[0][15], "");
  EXPECT_EQ(csv.rows[1][2], "1201");
  EXPECT_EQ(csv.rows[1][14], "101");
  EXPECT_EQ(csv.rows[1][15], "年中调整");
}

TEST(ExportTablesTest, InvestmentsGiveEntryNumbersAndSignedCorrections) {
  Repeated<v1::InvestmentEntry> entries;
  v1::InvestmentEntry* e = entries.Add();
  e->set_name("projects/p1/investments/7");
  e->mutable_period()->set_year(2024);
  e->mutable_period()->set_month(3);
  e->set_amount(30'000'000);
  e->set_note("三月");
  v1::InvestmentEntry* c = entries.Add();
  c->set_name("projects/p1/investments/12");
  *c->mutable_period() = e->period();
  c->set_amount(-5'000'000);
  c->set_corrects("projects/p1/investments/7");
  c->set_reason("多报");
  const CsvFile csv = InvestmentsCsv(entries);
  EXPECT_THAT(csv.header, ElementsAre("entry", "project_id", "period", "amount",
                                      "note", "corrects", "reason"));
  EXPECT_THAT(csv.rows[0],
              ElementsAre("7", "p1", "2024-03", "30000000", "三月", "", ""));
  EXPECT_THAT(csv.rows[1],
              ElementsAre("12", "p1", "2024-03", "-5000000", "", "7", "多报"));
}

TEST(ExportTablesTest, IndicatorsKeepTargetsAndTheLatestWholeYearValue) {
  Repeated<v1::Indicator> indicators;
  v1::Indicator* i = indicators.Add();
  i->set_name("indicators/gdp-growth");
  i->set_display_name("地区生产总值增长");
  i->set_unit("%");
  i->set_kind(v1::INDICATOR_KIND_GROWTH_RATE);
  auto* target = i->add_targets();
  target->set_year(2024);
  target->set_comparator(v1::COMPARATOR_ABOUT);
  target->set_value("6");
  target->set_source("报告");
  auto* old = i->add_values();
  old->set_year(2023);
  old->set_value("5.9");
  old->set_source("快报");
  auto* newer = i->add_values();
  newer->set_year(2023);
  newer->set_value("6");
  newer->set_source("公报");
  auto* monthly = i->add_values();
  monthly->set_year(2024);
  monthly->set_month(6);
  monthly->set_value("5.8");
  v1::Indicator* nothing = indicators.Add();
  nothing->set_name("indicators/nothing-yet");
  nothing->set_display_name("暂无");

  const CsvFile csv = IndicatorsCsv(indicators);
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_THAT(csv.rows[0],
              ElementsAre("gdp-growth", "地区生产总值增长", "%", "0",
                          "growth_rate", "2023", "", "", "6", "公报"));
  EXPECT_THAT(csv.rows[1],
              ElementsAre("gdp-growth", "地区生产总值增长", "%", "0",
                          "growth_rate", "2024", "about", "6", "", "报告"));
  ASSERT_EQ(csv.notes.size(), 3u);
  EXPECT_THAT(csv.notes[0], HasSubstr("1 indicator values as of a month"));
  EXPECT_THAT(csv.notes[1], HasSubstr("1 earlier whole-year"));
  EXPECT_THAT(csv.notes[2], HasSubstr("nothing-yet"));
}

TEST(ExportTablesTest, UsersMilestonesProblemsAndPeriods) {
  Repeated<v1::User> users;
  v1::User* u = users.Add();
  u->set_name("users/li");
  u->set_display_name("李明");
  u->set_role(v1::USER_ROLE_LEAD);
  u->set_disabled(true);
  EXPECT_THAT(UsersCsv(users).rows[0],
              ElementsAre("li", "李明", "lead", "true"));

  Repeated<v1::Milestone> milestones;
  v1::Milestone* m = milestones.Add();
  m->set_name("projects/p1/milestones/m2");
  m->set_kind(v1::MILESTONE_KIND_STRUCTURE_COMPLETE);
  m->set_display_name("主体完工");
  m->mutable_actual_date()->set_year(2024);
  m->mutable_actual_date()->set_month(5);
  m->mutable_actual_date()->set_day(6);
  EXPECT_THAT(MilestonesCsv(milestones).rows[0],
              ElementsAre("p1", "m2", "structure_complete", "主体完工", "", "",
                          "2024-05-06"));

  Repeated<v1::Problem> problems;
  v1::Problem* q = problems.Add();
  q->set_name("projects/p1/problems/q1");
  q->set_category(v1::PROBLEM_CATEGORY_WATER_AND_GAS);
  q->set_description("供气管线");
  q->set_escalation(v1::ESCALATION_LEVEL_CITY);
  q->set_state(v1::PROBLEM_STATE_RESOLVED);
  q->set_resolution("已接通");
  // 2024-03-04 23:30 in UTC is 2024-03-05 in the district (UTC+8).
  q->mutable_create_time()->set_seconds(1709595000);
  q->mutable_resolve_time()->set_seconds(1709595000 + 86400 * 10);
  EXPECT_THAT(
      ProblemsCsv(problems).rows[0],
      ElementsAre("p1", "q1", "water_and_gas", "供气管线", "", "", "city",
                  "resolved", "已接通", "2024-03-05", "2024-03-15"));

  // Problems come ordered by project and id, whatever the API's order.
  for (const char* name :
       {"projects/p2/problems/q1", "projects/p1/problems/q10",
        "projects/p1/problems/q2"}) {
    v1::Problem* more = problems.Add();
    *more = *q;
    more->set_name(name);
  }
  std::vector<std::string> order;
  for (const auto& row : ProblemsCsv(problems).rows) {
    order.push_back(row[0] + "/" + row[1]);
  }
  EXPECT_THAT(order, ElementsAre("p1/q1", "p1/q2", "p1/q10", "p2/q1"));

  Repeated<v1::ReportingPeriod> periods;
  v1::ReportingPeriod* closed = periods.Add();
  closed->mutable_period()->set_year(2024);
  closed->mutable_period()->set_month(3);
  closed->set_closed(true);
  closed->set_reopen_reason("earlier reopening");
  v1::ReportingPeriod* reopened = periods.Add();
  reopened->mutable_period()->set_year(2024);
  reopened->mutable_period()->set_month(4);
  reopened->set_reopen_reason("延迟");
  const CsvFile csv = PeriodsCsv(periods);
  EXPECT_THAT(csv.rows[0], ElementsAre("2024-03", "true", ""));
  EXPECT_THAT(csv.rows[1], ElementsAre("2024-04", "false", "延迟"));
  EXPECT_TRUE(csv.notes.empty());
}

}  // namespace
}  // namespace portfolio::client
