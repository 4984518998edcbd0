// The report's HTML and SVG, rendered from fixed figures without a server.
#include "client/report_html.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/report_data.h"
#include "client/snapshot.h"
#include "client/svg_chart.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

v1::SummaryGroup* AddGroup(v1::PortfolioSummary* s, const std::string& key,
                           int rank, int64_t plan, int64_t completed) {
  v1::SummaryGroup* g = s->add_groups();
  g->set_key(key);
  g->set_rank(rank);
  g->mutable_figures()->set_project_count(2);
  g->mutable_figures()->set_planned_project_count(plan > 0 ? 2 : 0);
  g->mutable_figures()->set_annual_plan(plan);
  g->mutable_figures()->set_completed_to_date(completed);
  g->mutable_figures()->set_completion_rate(
      plan > 0 ? static_cast<double>(completed) / plan : 0);
  return g;
}

// A June report: 1.23亿 planned, 6,172.84万 completed, a synthetic label,
// three parks ranked 2, 1 and unranked, and a red project whose name tries
// to inject markup.
ReportData Fixture() {
  ReportData d;
  d.district = "茌平区";
  v1::PortfolioSummary& s = d.summary;
  s.set_year(2024);
  s.set_as_of_month(6);
  s.set_time_elapsed(0.5);
  *s.mutable_as_known_at() = ToTimestamp(*ParseAsKnownOn("2024-07-05"));
  s.set_plan_basis(v1::PLAN_BASIS_BASELINE);
  s.set_dataset_label("合成演示数据 synthetic demo");
  v1::SummaryFigures& t = *s.mutable_totals();
  t.set_project_count(6);
  t.set_planned_project_count(4);
  t.set_annual_plan(123456789);
  t.set_planned_to_date(61728394);
  t.set_completed_to_date(61728395);
  t.set_completion_rate(0.5);
  t.set_start_due_count(5);
  t.set_started_count(3);
  t.set_start_rate(0.6);
  t.set_red_count(1);
  s.mutable_portfolio()->set_project_count_target(120);
  s.mutable_portfolio()->set_investment_target(11000000000);
  s.mutable_portfolio()->set_provincial_count_target(10);
  s.set_investment_target_rate(61728395.0 / 11000000000);

  d.by_level = s;
  d.by_level.set_group_by(v1::SUMMARY_DIMENSION_LEVEL);
  AddGroup(&d.by_level, "PROVINCIAL", 1, 100000000, 50000000);
  AddGroup(&d.by_level, "CITY", 2, 23456789, 11728395);
  d.by_chapter = s;
  d.by_chapter.set_group_by(v1::SUMMARY_DIMENSION_CHAPTER);
  AddGroup(&d.by_chapter, "3", 1, 123456789, 61728395);
  d.by_park = s;
  d.by_park.set_group_by(v1::SUMMARY_DIMENSION_PARK);
  AddGroup(&d.by_park, "博平镇", 2, 23456789, 1000000);
  AddGroup(&d.by_park, "", 0, 0, 0);
  AddGroup(&d.by_park, "高铁新区", 1, 100000000, 60728395);

  for (int month = 1; month <= 12; ++month) {
    MonthFigures m;
    m.month = month;
    m.planned_to_date = 123456789LL * month / 12;
    if (month <= 6) m.completed_to_date = 10000000LL * month;
    d.curve.push_back(m);
  }
  v1::ProjectStatus red;
  red.set_project("projects/evil");
  red.set_display_name("<script>alert(\"x\")</script>&Co");
  red.set_rag(v1::RAG_RED);
  red.set_annual_plan(23456789);
  v1::StatusReason* behind = red.add_reasons();
  behind->set_code(v1::StatusReason::CODE_BEHIND_PLAN);
  behind->set_message("落后序时进度45个百分点 <b>behind</b>");
  v1::StatusReason* problem = red.add_reasons();
  problem->set_code(v1::StatusReason::CODE_PROBLEM_OVERDUE);
  problem->set_message("问题“用地”超期40天");
  d.red_projects.push_back(red);
  return d;
}

TEST(ReportHtmlTest, IsASelfContainedChineseDocument) {
  const std::string html = RenderReportHtml(Fixture());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  const std::string lower = absl::AsciiStrToLower(html);
  EXPECT_EQ(lower.find("<script"), std::string::npos);
  EXPECT_EQ(lower.find("http://"), std::string::npos);
  EXPECT_EQ(lower.find("https://"), std::string::npos);
  EXPECT_EQ(lower.find("<link"), std::string::npos);
  EXPECT_EQ(lower.find("<img"), std::string::npos);
  EXPECT_EQ(lower.find("url("), std::string::npos);
  EXPECT_EQ(lower.find("@import"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(ReportHtmlTest, EscapesNamesAndReasons) {
  const std::string html = RenderReportHtml(Fixture());
  EXPECT_NE(
      html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;Co"),
      std::string::npos);
  EXPECT_EQ(html.find("<b>behind"), std::string::npos);
  EXPECT_NE(html.find("落后序时进度45个百分点 &lt;b&gt;behind&lt;/b&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("问题“用地”超期40天"), std::string::npos);
}

TEST(ReportHtmlTest, SyntheticDataCarriesABannerAndRealDataNone) {
  ReportData d = Fixture();
  const std::string html = RenderReportHtml(d);
  const size_t banner = html.find("class=\"banner\"");
  ASSERT_NE(banner, std::string::npos);
  EXPECT_NE(html.find("合成演示数据 synthetic demo", banner),
            std::string::npos);
  // Before the headline figures, where nobody can miss it.
  EXPECT_LT(banner, html.find("id=\"headline\""));

  d.summary.clear_dataset_label();
  EXPECT_EQ(RenderReportHtml(d).find("class=\"banner\""), std::string::npos);
}

TEST(ReportHtmlTest, ShowsTheFiguresToTheYuan) {
  const std::string html = RenderReportHtml(Fixture());
  EXPECT_NE(html.find("data-field=\"annual_plan\">123456789<"),
            std::string::npos);
  EXPECT_NE(html.find("data-field=\"completed_to_date\">61728395<"),
            std::string::npos);
  EXPECT_NE(html.find("data-field=\"planned_to_date\">61728394<"),
            std::string::npos);
  EXPECT_NE(html.find("data-yuan=\"123456789\""), std::string::npos);
  EXPECT_NE(html.find(">1.23亿<"), std::string::npos);  // for people
  EXPECT_NE(html.find("6,172.84万"), std::string::npos);
  EXPECT_NE(html.find("110.00亿"), std::string::npos);  // the target
  EXPECT_NE(html.find("目标 120"), std::string::npos);
  EXPECT_NE(html.find("3/5 (60.0%)"), std::string::npos);  // 开工率
  EXPECT_NE(html.find("茌平区2024年重点项目建设情况报告（截至2024年6月）"),
            std::string::npos);
  EXPECT_NE(html.find("2024-07-05 23:59:59.999999 (UTC+8)"), std::string::npos);
  EXPECT_NE(html.find("基准计划"), std::string::npos);
}

TEST(ReportHtmlTest, CurveHasOnePointPerMonth) {
  const std::string html = RenderReportHtml(Fixture());
  EXPECT_EQ(Count(html, "class=\"pt planned\""), 12);
  EXPECT_EQ(Count(html, "class=\"pt completed\""), 6);
  for (int month = 1; month <= 12; ++month) {
    EXPECT_NE(html.find(absl::StrCat(">", month, "月<")), std::string::npos)
        << month;
  }
  EXPECT_NE(html.find(">亿元<"), std::string::npos);
  EXPECT_NE(html.find("6月 完成累计 6,000.00万 (60000000 元)"),
            std::string::npos);
}

TEST(ReportHtmlTest, RankingListsRankedParksFirstAndUnrankedLast) {
  const std::string html = RenderReportHtml(Fixture());
  const size_t ranking = html.find("id=\"ranking\"");
  ASSERT_NE(ranking, std::string::npos);
  const size_t first = html.find("高铁新区", ranking);
  const size_t second = html.find("博平镇", ranking);
  const size_t unranked = html.find("（未填）", ranking);
  ASSERT_NE(unranked, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, unranked);
}

TEST(ReportHtmlTest, RateChartsHaveTheTimeElapsedLine) {
  const std::string html = RenderReportHtml(Fixture());
  // One reference line per chart: by level and by chapter.
  EXPECT_EQ(Count(html, "class=\"reference\""), 2);
  EXPECT_EQ(Count(html, ">序时进度 50.0%<"), 2);
  EXPECT_NE(html.find(">省级<"), std::string::npos);
  EXPECT_NE(html.find(">三<"), std::string::npos);  // chapter 3
}

TEST(ReportHtmlTest, NoRedProjectsSaysSo) {
  ReportData d = Fixture();
  d.red_projects.clear();
  const std::string html = RenderReportHtml(d);
  EXPECT_NE(html.find("本期无红色项目"), std::string::npos);
  EXPECT_NE(html.find("（0 个）"), std::string::npos);
}

TEST(SvgChartTest, MoneyAxisIsRoundAndInWholeUnits) {
  const MoneyAxis yi = ChooseMoneyAxis(2300000000, 5);  // 23亿
  EXPECT_EQ(yi.step, 500000000);
  EXPECT_EQ(yi.top, 2500000000);
  EXPECT_EQ(yi.unit_name, "亿元");
  EXPECT_EQ(AxisLabel(1500000000, yi), "15");
  EXPECT_EQ(AxisLabel(150000000, yi), "1.5");
  EXPECT_EQ(AxisLabel(125000000, yi), "1.25");

  const MoneyAxis wan = ChooseMoneyAxis(30000000, 5);  // 3000万
  EXPECT_EQ(wan.unit_name, "万元");
  EXPECT_EQ(wan.top, 30000000);
  EXPECT_EQ(AxisLabel(6000000, wan), "600");

  const MoneyAxis empty = ChooseMoneyAxis(0, 5);
  EXPECT_GE(empty.top, 1);
  EXPECT_EQ(empty.unit_name, "元");
}

TEST(SvgChartTest, UnplannedBarsSayNoPlanAndPointsAreOnTheCanvas) {
  const std::string svg = RateBarsSvg(
      {{"有计划", 0.75, "", true}, {"无计划组", 0, "", false}}, 0.5, "t");
  EXPECT_EQ(Count(svg, "<rect class=\"bar"), 1);
  EXPECT_NE(svg.find("class=\"bar ahead\""), std::string::npos);
  EXPECT_NE(svg.find(">无计划<"), std::string::npos);
  EXPECT_EQ(svg.find("xmlns"), std::string::npos);

  const std::string behind = RateBarsSvg({{"a", 0.2, "", true}}, 0.5, "t");
  EXPECT_NE(behind.find("class=\"bar behind\""), std::string::npos);
}

TEST(ReportDataTest, RankedGroupsPutUnrankedLastAndKeepTies) {
  v1::PortfolioSummary s;
  AddGroup(&s, "a", 0, 0, 0);
  AddGroup(&s, "b", 2, 1, 1);
  AddGroup(&s, "c", 1, 1, 1);
  AddGroup(&s, "d", 2, 1, 1);
  std::string order;
  for (const v1::SummaryGroup* g : RankedGroups(s)) order += g->key();
  EXPECT_EQ(order, "cbda");
}

TEST(ReportDataTest, LevelsReadProvincialCityDistrict) {
  v1::PortfolioSummary s;
  s.set_group_by(v1::SUMMARY_DIMENSION_LEVEL);
  AddGroup(&s, "", 0, 0, 0);
  AddGroup(&s, "CITY", 1, 1, 1);
  AddGroup(&s, "DISTRICT", 1, 1, 1);
  AddGroup(&s, "PROVINCIAL", 1, 1, 1);
  std::string order;
  for (const v1::SummaryGroup* g : DisplayGroups(s)) order += g->key() + ";";
  EXPECT_EQ(order, "PROVINCIAL;CITY;DISTRICT;;");
  // Other dimensions keep the server's order.
  s.set_group_by(v1::SUMMARY_DIMENSION_PARK);
  EXPECT_EQ(DisplayGroups(s)[0]->key(), "");
}

TEST(ReportHtmlTest, UnplannedGroupsShowDashesNotZeroPercent) {
  const std::string html = RenderReportHtml(Fixture());
  const size_t row = html.find("（未填）", html.find("id=\"ranking\""));
  ASSERT_NE(row, std::string::npos);
  const std::string cells = html.substr(row, html.find("</tr>", row) - row);
  EXPECT_EQ(cells.find('%'), std::string::npos) << cells;
}

TEST(ReportDataTest, DueRates) {
  EXPECT_EQ(FormatDueRate(3, 5, 0.6), "3/5 (60.0%)");
  EXPECT_EQ(FormatDueRate(0, 0, 0), "-");
}

}  // namespace
}  // namespace portfolio::client
