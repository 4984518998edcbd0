#include "client/report_html.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/enums.h"
#include "client/names.h"
#include "client/snapshot.h"
#include "client/svg_chart.h"
#include "common/amount.h"

namespace portfolio::client {
namespace {

using v1::PortfolioSummary;
using v1::SummaryFigures;

// Fonts that carry Chinese glyphs on the systems reports are read on,
// before the generic family: a missing font falls through, never fetched.
constexpr char kStyle[] = R"css(
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee4; --red: #c62828;
  --ahead: #2e7d32; --behind: #b26a00; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f4; color: var(--ink);
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei",
    "PingFang SC", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 40px;
  background: #fff; }
h1 { font-size: 26px; margin: 6px 0 6px; }
h2 { font-size: 19px; border-left: 5px solid var(--red); padding-left: 10px;
  margin: 30px 0 12px; }
.sub { color: var(--muted); margin: 0 0 14px; font-size: 14px; }
.banner { background: var(--red); color: #fff; border: 3px solid #7f0000;
  border-radius: 6px; padding: 14px 18px; margin: 0 0 16px;
  font-size: 20px; font-weight: 700; }
.cards { display: grid; gap: 12px;
  grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { color: var(--muted); font-size: 13px; }
.card .value { font-size: 24px; font-weight: 700; margin: 4px 0;
  font-variant-numeric: tabular-nums; }
.card .note { color: var(--muted); font-size: 13px; }
.ahead { color: var(--ahead); }
.behind { color: var(--behind); }
table { border-collapse: collapse; width: 100%; font-size: 13.5px;
  margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 700; background: #f7f8fa; }
table.exact { width: auto; }
.id { color: var(--muted); font-size: 12px; }
ul.reasons { margin: 0; padding-left: 18px; }
.empty { color: var(--muted); }
svg.chart { display: block; width: 100%; height: auto; margin: 6px 0 10px; }
svg text { font-family: inherit; font-size: 13px; fill: var(--ink); }
svg .tick, svg .unit { fill: var(--muted); font-size: 12px; }
svg .grid { stroke: #e6e9ed; }
svg .axis { stroke: #9aa5b1; }
svg .line { fill: none; stroke-width: 2.5; }
svg .line.planned { stroke: #7b8794; stroke-dasharray: 6 4; }
svg .line.completed { stroke: #1565c0; }
svg .pt.planned { fill: #7b8794; }
svg .pt.completed { fill: #1565c0; }
svg .marker { stroke: #9aa5b1; stroke-dasharray: 2 3; }
svg .marker-label { fill: var(--muted); font-size: 12px; }
svg .bar.ahead { fill: #43a047; }
svg .bar.behind { fill: #f0a020; }
svg .reference { stroke: var(--red); stroke-width: 2; stroke-dasharray: 5 4; }
svg .reference-label { fill: var(--red); font-size: 12px; }
svg .value { paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg .unplanned { fill: var(--muted); }
p.note { color: var(--muted); font-size: 13px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { body { background: #fff; } main { padding: 0; }
  section { break-inside: avoid; } }
)css";

// An amount for people, with its exact yuan for machines and tooltips.
std::string Money(int64_t yuan) {
  return absl::StrCat("<span class=\"money\" data-yuan=\"", yuan, "\" title=\"",
                      yuan, " 元\">", HtmlEscape(FormatAmount(yuan)),
                      "</span>");
}

std::string Td(absl::string_view html) {
  return absl::StrCat("<td>", html, "</td>");
}
std::string NumTd(absl::string_view html) {
  return absl::StrCat("<td class=\"num\">", html, "</td>");
}

std::string Gap(double points) {
  // -0.04 would print as "-0.0": a gap that rounds to nothing is none.
  if (points > -0.05 && points < 0.05) points = 0;
  return absl::StrFormat("<span class=\"%s\">%+.1f</span>",
                         points >= 0 ? "ahead" : "behind", points);
}

// Completion rate and gap cells; dashes for a group without a plan.
std::string RateAndGap(const SummaryFigures& f) {
  if (!HasPlan(f)) return absl::StrCat(NumTd("-"), NumTd("-"));
  return absl::StrCat(NumTd(FormatPercent(f.completion_rate())),
                      NumTd(Gap(f.gap_points())));
}

std::string Heading(absl::string_view id, absl::string_view title) {
  return absl::StrCat("<section id=\"", id, "\"><h2>", HtmlEscape(title),
                      "</h2>");
}

std::string Title(const ReportData& d) {
  const PortfolioSummary& s = d.summary;
  return absl::StrCat(d.district, s.year(), "年重点项目建设情况报告（截至",
                      s.year(), "年", s.as_of_month(), "月）");
}

std::string Header(const ReportData& d) {
  const PortfolioSummary& s = d.summary;
  std::string out;
  if (!s.dataset_label().empty()) {
    absl::StrAppend(&out,
                    "<div class=\"banner\" role=\"alert\">⚠ 演示数据，"
                    "非真实统计：",
                    HtmlEscape(s.dataset_label()), "</div>");
  }
  absl::StrAppend(&out, "<h1>", HtmlEscape(Title(d)),
                  "</h1><p class=\"sub\">数据记录截至 ",
                  HtmlEscape(FormatKnownAt(s.as_known_at(), "读取时")),
                  " · 计划口径：", HtmlEscape(Label(s.plan_basis())),
                  " · 序时进度 ", FormatPercent(s.time_elapsed()), "</p>");
  return out;
}

std::string Card(absl::string_view label, absl::string_view value_html,
                 absl::string_view note_html) {
  return absl::StrCat("<div class=\"card\"><div class=\"label\">",
                      HtmlEscape(label), "</div><div class=\"value\">",
                      value_html, "</div><div class=\"note\">", note_html,
                      "</div></div>");
}

// A count beside its target: "12 / 目标 20 (60.0%)"; the count alone
// without a target.
std::string AgainstTarget(int32_t count, bool has_target, int32_t target) {
  if (!has_target) return "未设目标";
  std::string out = absl::StrCat("目标 ", target);
  if (target > 0) {
    absl::StrAppend(&out, "，完成 ",
                    FormatPercent(static_cast<double>(count) / target));
  }
  return out;
}

std::string CountCards(const ReportData& d) {
  const PortfolioSummary& s = d.summary;
  const v1::Portfolio& p = s.portfolio();
  std::string out = Card(
      "项目数", absl::StrCat(s.totals().project_count(), " 个"),
      AgainstTarget(s.totals().project_count(), p.has_project_count_target(),
                    p.project_count_target()));
  struct LevelTarget {
    const char* label;
    v1::ProjectLevel level;
    bool has_target;
    int32_t target;
  };
  for (const LevelTarget& t :
       {LevelTarget{"省级重点项目", v1::PROJECT_LEVEL_PROVINCIAL,
                    p.has_provincial_count_target(),
                    p.provincial_count_target()},
        LevelTarget{"市级重点项目", v1::PROJECT_LEVEL_CITY,
                    p.has_city_count_target(), p.city_count_target()}}) {
    if (!t.has_target) continue;
    const int32_t count = LevelCount(d.by_level, t.level).value_or(0);
    absl::StrAppend(&out, Card(t.label, absl::StrCat(count, " 个"),
                               AgainstTarget(count, true, t.target)));
  }
  return out;
}

std::string MoneyCards(const PortfolioSummary& s) {
  const SummaryFigures& t = s.totals();
  const v1::Portfolio& p = s.portfolio();
  std::string target_note = "未设投资目标";
  if (p.has_investment_target()) {
    target_note =
        absl::StrCat("投资目标 ", Money(p.investment_target()), "，完成 ",
                     FormatPercent(s.investment_target_rate()));
  }
  return absl::StrCat(
      Card("完成投资", Money(t.completed_to_date()), target_note),
      Card("年度计划投资", Money(t.annual_plan()),
           absl::StrCat(t.planned_project_count(), " 个项目有年度计划")),
      Card("序时计划投资", Money(t.planned_to_date()), "按月分解累计至本月"),
      Card("完成率", FormatPercent(t.completion_rate()),
           absl::StrCat("序时进度 ", FormatPercent(s.time_elapsed()), "，差距 ",
                        Gap(t.gap_points()), " 个百分点")));
}

std::string StatusCards(const PortfolioSummary& s) {
  const SummaryFigures& t = s.totals();
  return absl::StrCat(
      Card("红 / 黄 / 绿",
           absl::StrCat(t.red_count(), " / ", t.amber_count(), " / ",
                        t.green_count()),
           "项目状态"),
      Card("开工率",
           HtmlEscape(FormatDueRate(t.started_count(), t.start_due_count(),
                                    t.start_rate())),
           "已开工 / 应开工"),
      Card("竣工率",
           HtmlEscape(FormatDueRate(t.completed_count(),
                                    t.completion_due_count(),
                                    t.completion_milestone_rate())),
           "已竣工 / 应竣工"),
      Card("投产率",
           HtmlEscape(FormatDueRate(t.in_operation_count(),
                                    t.operation_due_count(),
                                    t.operation_rate())),
           "已投产 / 应投产"),
      Card("要素保障问题",
           absl::StrCat(t.open_problem_count(), " / ",
                        t.overdue_problem_count()),
           "未解决 / 超期"));
}

// The totals to the yuan, each cell named by the summary's JSON field, so
// the page can be checked against `portfolio summary -o json`.
std::string ExactTable(const PortfolioSummary& s) {
  const SummaryFigures& t = s.totals();
  struct Row {
    const char* label;
    const char* field;
    int64_t yuan;
  };
  std::vector<Row> rows = {
      {"年度计划投资", "annual_plan", t.annual_plan()},
      {"序时计划投资", "planned_to_date", t.planned_to_date()},
      {"完成投资", "completed_to_date", t.completed_to_date()},
      {"总投资", "total_investment", t.total_investment()},
  };
  if (s.portfolio().has_investment_target()) {
    rows.push_back(
        {"投资目标", "investment_target", s.portfolio().investment_target()});
  }
  std::string out =
      "<table class=\"exact\"><caption>精确数值（元）</caption><tr><th>项目"
      "</th><th>元</th></tr>";
  for (const Row& row : rows) {
    absl::StrAppend(&out, "<tr><th>", row.label,
                    "</th><td class=\"num\" data-field=\"", row.field, "\">",
                    row.yuan, "</td></tr>");
  }
  return absl::StrCat(out, "</table>");
}

std::string HeadlineSection(const ReportData& d) {
  return absl::StrCat(Heading("headline", "一、总体情况"),
                      "<div class=\"cards\">", CountCards(d),
                      MoneyCards(d.summary), StatusCards(d.summary), "</div>",
                      ExactTable(d.summary), "</section>");
}

std::string CurveSection(const ReportData& d) {
  return absl::StrCat(Heading("curve", "二、累计计划与完成投资（按月）"),
                      CumulativeCurveSvg(d.curve, d.summary.as_of_month()),
                      "</section>");
}

// Completion by group: bars against 序时进度, then the figures.
std::string RatesSection(absl::string_view id, absl::string_view title,
                         const PortfolioSummary& s) {
  std::vector<RateBar> bars;
  std::string rows;
  for (const v1::SummaryGroup* g : DisplayGroups(s)) {
    const SummaryFigures& f = g->figures();
    const std::string label = GroupLabel(s.group_by(), g->key());
    bars.push_back({label, f.completion_rate(),
                    absl::StrCat("完成 ", FormatAmount(f.completed_to_date()),
                                 " / 计划 ", FormatAmount(f.annual_plan())),
                    HasPlan(f)});
    absl::StrAppend(
        &rows, "<tr>", Td(HtmlEscape(label)),
        NumTd(absl::StrCat(f.project_count())), NumTd(Money(f.annual_plan())),
        NumTd(Money(f.completed_to_date())), RateAndGap(f), "</tr>");
  }
  return absl::StrCat(
      Heading(id, title), RateBarsSvg(bars, s.time_elapsed(), title),
      "<table><tr><th>分组</th><th>项目数</th><th>年度计划</th><th>完成投资"
      "</th><th>完成率</th><th>差距（个百分点）</th></tr>",
      rows, "</table></section>");
}

std::string RankingRow(absl::string_view rank, absl::string_view group,
                       const SummaryFigures& f, bool total) {
  return absl::StrCat(
      total ? "<tr class=\"total\">" : "<tr>", NumTd(rank),
      Td(HtmlEscape(group)), NumTd(absl::StrCat(f.project_count())),
      NumTd(Money(f.annual_plan())), NumTd(Money(f.completed_to_date())),
      RateAndGap(f),
      NumTd(HtmlEscape(FormatDueRate(f.started_count(), f.start_due_count(),
                                     f.start_rate()))),
      NumTd(HtmlEscape(FormatDueRate(f.completed_count(),
                                     f.completion_due_count(),
                                     f.completion_milestone_rate()))),
      NumTd(HtmlEscape(FormatDueRate(f.in_operation_count(),
                                     f.operation_due_count(),
                                     f.operation_rate()))),
      NumTd(absl::StrCat(f.open_problem_count(), " / ",
                         f.overdue_problem_count())),
      NumTd(absl::StrCat(f.red_count())), NumTd(absl::StrCat(f.amber_count())),
      NumTd(absl::StrCat(f.green_count())), "</tr>");
}

std::string RankingSection(const ReportData& d) {
  const PortfolioSummary& s = d.by_park;
  std::string out = absl::StrCat(
      Heading("ranking", "五、园区（镇街）排名"),
      "<table><tr><th>排名</th><th>园区</th><th>项目数</th><th>年度计划</th>"
      "<th>完成投资</th><th>完成率</th><th>差距</th><th>开工率</th>"
      "<th>竣工率</th><th>投产率</th><th>问题 未解决/超期</th><th>红</th>"
      "<th>黄</th><th>绿</th></tr>");
  for (const v1::SummaryGroup* g : RankedGroups(s)) {
    absl::StrAppend(
        &out,
        RankingRow(g->rank() > 0 ? absl::StrCat(g->rank()) : "-",
                   GroupLabel(s.group_by(), g->key()), g->figures(), false));
  }
  absl::StrAppend(&out, RankingRow("", "合计", s.totals(), true),
                  "</table><p class=\"note\">按投资完成率排名，1 为最高；"
                  "无年度计划的园区不参与排名，列在最后。开工率等为"
                  "“已完成/应完成（比率）”。完成率只计有年度计划的项目："
                  "无计划项目的完成投资计入完成投资，不计入完成率。"
                  "</p></section>");
  return out;
}

std::string Reasons(const v1::ProjectStatus& p) {
  std::string out = "<ul class=\"reasons\">";
  for (const v1::StatusReason& r : p.reasons()) {
    const std::string text = r.message().empty()
                                 ? v1::StatusReason::Code_Name(r.code())
                                 : r.message();
    absl::StrAppend(&out, "<li>", HtmlEscape(text), "</li>");
  }
  return absl::StrCat(out, "</ul>");
}

std::string RedSection(const ReportData& d) {
  std::string out = Heading(
      "red",
      absl::StrCat("六、红色项目及原因（", d.red_projects.size(), " 个）"));
  if (d.red_projects.empty()) {
    return absl::StrCat(out,
                        "<p class=\"empty\">本期无红色项目。</p></section>");
  }
  absl::StrAppend(&out,
                  "<table><tr><th>序号</th><th>项目</th><th>年度计划</th>"
                  "<th>完成投资</th><th>完成率</th><th>差距</th>"
                  "<th>原因</th></tr>");
  int n = 0;
  for (const v1::ProjectStatus& p : d.red_projects) {
    absl::StrAppend(
        &out, "<tr>", NumTd(absl::StrCat(++n)),
        Td(absl::StrCat(HtmlEscape(p.display_name()), "<br><span class=\"id\">",
                        HtmlEscape(LastSegment(p.project())), "</span>")),
        NumTd(Money(p.annual_plan())), NumTd(Money(p.completed_to_date())),
        NumTd(FormatPercent(p.completion_rate())), NumTd(Gap(p.gap_points())),
        Td(Reasons(p)), "</tr>");
  }
  return absl::StrCat(out, "</table></section>");
}

std::string Footer(const ReportData& d) {
  return absl::StrCat(
      "<footer>由 portfolio report 生成。全部数字取自同一数据快照（记录截至 ",
      HtmlEscape(FormatKnownAt(d.summary.as_known_at(), "读取时")),
      "，计划口径：", HtmlEscape(Label(d.summary.plan_basis())),
      "）。金额以元精确记录，表中以亿元、万元显示，悬停可见精确数。</footer>");
}

}  // namespace

std::string RenderReportHtml(const ReportData& d) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"
      "\n<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>",
      HtmlEscape(Title(d)), "</title>\n<style>", kStyle,
      "</style>\n</head>\n<body>\n<main>\n", Header(d), "\n",
      HeadlineSection(d), "\n", CurveSection(d), "\n",
      RatesSection("by-level", "三、分级别投资完成率", d.by_level), "\n",
      RatesSection("by-chapter", "四、分篇章投资完成率", d.by_chapter), "\n",
      RankingSection(d), "\n", RedSection(d), "\n", Footer(d),
      "\n</main>\n</body>\n</html>\n");
}

}  // namespace portfolio::client
