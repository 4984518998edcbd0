#include "client/report_xlsx.h"

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/enums.h"
#include "client/names.h"
#include "client/snapshot.h"
#include "common/period.h"
#include "xlsxwriter.h"

namespace portfolio::client {
namespace {

using v1::PortfolioSummary;
using v1::SummaryFigures;

struct Formats {
  lxw_format* header = nullptr;
  lxw_format* money = nullptr;    // whole yuan, thousands separated
  lxw_format* percent = nullptr;  // a ratio shown as 45.2%
  lxw_format* points = nullptr;   // percentage points, one decimal
  lxw_format* banner = nullptr;   // the synthetic-data warning
  lxw_format* wrap = nullptr;     // several lines in one cell
  lxw_format* total = nullptr;    // the label of a total row
};

Formats MakeFormats(lxw_workbook* book) {
  Formats f;
  f.header = workbook_add_format(book);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xEEF1F4);
  format_set_text_wrap(f.header);
  f.money = workbook_add_format(book);
  format_set_num_format(f.money, "#,##0");
  f.percent = workbook_add_format(book);
  format_set_num_format(f.percent, "0.0%");
  f.points = workbook_add_format(book);
  format_set_num_format(f.points, "+0.0;-0.0;0.0");
  f.banner = workbook_add_format(book);
  format_set_bold(f.banner);
  format_set_font_color(f.banner, 0xFFFFFF);
  format_set_bg_color(f.banner, 0xC62828);
  f.wrap = workbook_add_format(book);
  format_set_text_wrap(f.wrap);
  format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  f.total = workbook_add_format(book);
  format_set_bold(f.total);
  return f;
}

// One worksheet, written a row at a time. Writes into cells the library
// owns; errors surface when the workbook is closed.
class Sheet {
 public:
  Sheet(lxw_workbook* book, const char* name, const Formats& formats)
      : sheet_(workbook_add_worksheet(book, name)), f_(formats) {}

  // A bold first row, kept in view while scrolling.
  void Headers(const std::vector<std::string>& headers) {
    for (size_t c = 0; c < headers.size(); ++c) {
      worksheet_write_string(sheet_, row_, Col(c), headers[c].c_str(),
                             f_.header);
    }
    worksheet_freeze_panes(sheet_, row_ + 1, 0);
    ++row_;
  }
  void Text(size_t col, const std::string& text, lxw_format* format = nullptr) {
    worksheet_write_string(sheet_, row_, Col(col), text.c_str(), format);
  }
  // Money and counts: int64 values below 2^53 are exact as spreadsheet
  // numbers, and no total of a district's projects comes near.
  void Money(size_t col, int64_t yuan) { Number(col, yuan, f_.money); }
  void Count(size_t col, int64_t n) { Number(col, n, nullptr); }
  void Rate(size_t col, double ratio) {
    worksheet_write_number(sheet_, row_, Col(col), ratio, f_.percent);
  }
  void Points(size_t col, double points) {
    worksheet_write_number(sheet_, row_, Col(col), points, f_.points);
  }
  void Width(size_t first, size_t last, double width) {
    worksheet_set_column(sheet_, Col(first), Col(last), width, nullptr);
  }
  void NextRow() { ++row_; }

 private:
  static lxw_col_t Col(size_t c) { return static_cast<lxw_col_t>(c); }
  void Number(size_t col, int64_t value, lxw_format* format) {
    worksheet_write_number(sheet_, row_, Col(col), static_cast<double>(value),
                           format);
  }

  lxw_worksheet* sheet_;
  const Formats& f_;
  lxw_row_t row_ = 0;
};

enum class Kind { kCount, kMoney, kRate, kPoints };

// A column of SummaryFigures; `integer` or `ratio` is set, by kind. A
// ratio with `defined` false (no plan, nothing due) is left blank, as the
// tables show "-": a 0 would read as on schedule, or none done.
struct FigureColumn {
  const char* header;
  Kind kind;
  int64_t (*integer)(const SummaryFigures&);
  double (*ratio)(const SummaryFigures&);
  bool (*defined)(const SummaryFigures&) = nullptr;
};

#define PORTFOLIO_INT(field) \
  [](const SummaryFigures& f) -> int64_t { return f.field(); }, nullptr
#define PORTFOLIO_RATIO(field, when)                                    \
  nullptr, [](const SummaryFigures& f) -> double { return f.field(); }, \
      [](const SummaryFigures& f) -> bool { return f.when() > 0; }

const FigureColumn kFigureColumns[] = {
    {"项目数", Kind::kCount, PORTFOLIO_INT(project_count)},
    {"有计划项目数", Kind::kCount, PORTFOLIO_INT(planned_project_count)},
    {"总投资（元）", Kind::kMoney, PORTFOLIO_INT(total_investment)},
    {"年度计划（元）", Kind::kMoney, PORTFOLIO_INT(annual_plan)},
    {"序时计划（元）", Kind::kMoney, PORTFOLIO_INT(planned_to_date)},
    {"完成投资（元）", Kind::kMoney, PORTFOLIO_INT(completed_to_date)},
    {"完成率", Kind::kRate,
     PORTFOLIO_RATIO(completion_rate, planned_project_count)},
    {"差距（个百分点）", Kind::kPoints,
     PORTFOLIO_RATIO(gap_points, planned_project_count)},
    {"应开工", Kind::kCount, PORTFOLIO_INT(start_due_count)},
    {"已开工", Kind::kCount, PORTFOLIO_INT(started_count)},
    {"开工率", Kind::kRate, PORTFOLIO_RATIO(start_rate, start_due_count)},
    {"应竣工", Kind::kCount, PORTFOLIO_INT(completion_due_count)},
    {"已竣工", Kind::kCount, PORTFOLIO_INT(completed_count)},
    {"竣工率", Kind::kRate,
     PORTFOLIO_RATIO(completion_milestone_rate, completion_due_count)},
    {"应投产", Kind::kCount, PORTFOLIO_INT(operation_due_count)},
    {"已投产", Kind::kCount, PORTFOLIO_INT(in_operation_count)},
    {"投产率", Kind::kRate,
     PORTFOLIO_RATIO(operation_rate, operation_due_count)},
    {"未解决问题", Kind::kCount, PORTFOLIO_INT(open_problem_count)},
    {"超期问题", Kind::kCount, PORTFOLIO_INT(overdue_problem_count)},
    {"红", Kind::kCount, PORTFOLIO_INT(red_count)},
    {"黄", Kind::kCount, PORTFOLIO_INT(amber_count)},
    {"绿", Kind::kCount, PORTFOLIO_INT(green_count)},
};

#undef PORTFOLIO_INT
#undef PORTFOLIO_RATIO

// Writes the figure columns from column `first` on.
void WriteFigures(const SummaryFigures& f, size_t first, Sheet& sheet) {
  size_t col = first;
  for (const FigureColumn& c : kFigureColumns) {
    if (c.defined != nullptr && !c.defined(f)) {
      ++col;
      continue;
    }
    switch (c.kind) {
      case Kind::kCount:
        sheet.Count(col, c.integer(f));
        break;
      case Kind::kMoney:
        sheet.Money(col, c.integer(f));
        break;
      case Kind::kRate:
        sheet.Rate(col, c.ratio(f));
        break;
      case Kind::kPoints:
        sheet.Points(col, c.ratio(f));
        break;
    }
    ++col;
  }
}

std::vector<std::string> FigureHeaders(std::vector<std::string> leading) {
  for (const FigureColumn& c : kFigureColumns) leading.push_back(c.header);
  return leading;
}

// 按级别 and 按篇章: label, key, figures; then the total.
void WriteGroups(const PortfolioSummary& s, Sheet sheet) {
  sheet.Headers(FigureHeaders({"分组", "代码"}));
  for (const v1::SummaryGroup* g : DisplayGroups(s)) {
    sheet.Text(0, GroupLabel(s.group_by(), g->key()));
    sheet.Text(1, g->key());
    WriteFigures(g->figures(), 2, sheet);
    sheet.NextRow();
  }
  sheet.Text(0, "合计");
  WriteFigures(s.totals(), 2, sheet);
  sheet.Width(0, 1, 14);
  sheet.Width(2, 1 + std::size(kFigureColumns), 14);
}

// 排名: rank (blank when unranked), park, figures; then the total.
void WriteRanking(const PortfolioSummary& s, Sheet sheet) {
  sheet.Headers(FigureHeaders({"排名", "园区"}));
  for (const v1::SummaryGroup* g : RankedGroups(s)) {
    if (g->rank() > 0) sheet.Count(0, g->rank());
    sheet.Text(1, GroupLabel(s.group_by(), g->key()));
    WriteFigures(g->figures(), 2, sheet);
    sheet.NextRow();
  }
  sheet.Text(1, "合计");
  WriteFigures(s.totals(), 2, sheet);
  sheet.Width(0, 0, 8);
  sheet.Width(1, 1, 18);
  sheet.Width(2, 1 + std::size(kFigureColumns), 14);
}

void WriteCurve(const ReportData& d, Sheet sheet) {
  sheet.Headers({"月份", "计划累计（元）", "完成累计（元）"});
  for (const MonthFigures& m : d.curve) {
    sheet.Text(0, FormatPeriod(absl::CivilMonth(d.summary.year(), m.month)));
    sheet.Money(1, m.planned_to_date);
    if (m.completed_to_date.has_value()) sheet.Money(2, *m.completed_to_date);
    sheet.NextRow();
  }
  sheet.Width(0, 2, 18);
}

void WriteRed(const ReportData& d, const Formats& f, Sheet sheet) {
  sheet.Headers({"项目", "名称", "年度计划（元）", "序时计划（元）",
                 "完成投资（元）", "完成率", "差距（个百分点）", "未解决问题",
                 "超期问题", "原因"});
  for (const v1::ProjectStatus& p : d.red_projects) {
    std::vector<std::string> reasons;
    for (const v1::StatusReason& r : p.reasons()) {
      reasons.push_back(r.message().empty()
                            ? v1::StatusReason::Code_Name(r.code())
                            : r.message());
    }
    sheet.Text(0, LastSegment(p.project()));
    sheet.Text(1, p.display_name());
    sheet.Money(2, p.annual_plan());
    sheet.Money(3, p.planned_to_date());
    sheet.Money(4, p.completed_to_date());
    if (p.annual_plan() > 0) {  // without a plan, no rate: blank
      sheet.Rate(5, p.completion_rate());
      sheet.Points(6, p.gap_points());
    }
    sheet.Count(7, p.open_problem_count());
    sheet.Count(8, p.overdue_problem_count());
    sheet.Text(9, absl::StrJoin(reasons, "\n"), f.wrap);
    sheet.NextRow();
  }
  sheet.Width(0, 0, 24);
  sheet.Width(1, 1, 30);
  sheet.Width(2, 8, 14);
  sheet.Width(9, 9, 60);
}

// 汇总: `label, value` rows, the warning first when the data is synthetic.
class SummarySheet {
 public:
  SummarySheet(lxw_workbook* book, const Formats& f)
      : sheet_(book, "汇总", f), f_(f) {}

  void Write(const ReportData& d) {
    const PortfolioSummary& s = d.summary;
    if (!s.dataset_label().empty()) {
      sheet_.Text(0, "演示数据，非真实统计", f_.banner);
      sheet_.Text(1, s.dataset_label(), f_.banner);
      sheet_.NextRow();
    }
    sheet_.Headers({"项目", "数值"});
    TextRow("区县", d.district);
    CountRow("年度", s.year());
    CountRow("截至月份", s.as_of_month());
    TextRow("记录截至", FormatKnownAtRfc3339(s.as_known_at()));
    TextRow("计划口径", FormatPlanBasis(s.plan_basis()));
    RateRow("序时进度", s.time_elapsed());
    WriteTargets(d);
    const SummaryFigures& t = s.totals();
    for (const FigureColumn& c : kFigureColumns) {
      sheet_.Text(0, c.header);
      WriteOne(c, t);
      sheet_.NextRow();
    }
    sheet_.Width(0, 0, 22);
    sheet_.Width(1, 1, 36);
  }

 private:
  void WriteTargets(const ReportData& d) {
    const v1::Portfolio& p = d.summary.portfolio();
    if (p.has_project_count_target()) {
      CountRow("项目数目标", p.project_count_target());
    }
    if (p.has_provincial_count_target()) {
      CountRow(
          "省级项目数",
          LevelCount(d.by_level, v1::PROJECT_LEVEL_PROVINCIAL).value_or(0));
      CountRow("省级项目数目标", p.provincial_count_target());
    }
    if (p.has_city_count_target()) {
      CountRow("市级项目数",
               LevelCount(d.by_level, v1::PROJECT_LEVEL_CITY).value_or(0));
      CountRow("市级项目数目标", p.city_count_target());
    }
    if (p.has_investment_target()) {
      sheet_.Text(0, "投资目标（元）");
      sheet_.Money(1, p.investment_target());
      sheet_.NextRow();
      RateRow("投资目标完成率", d.summary.investment_target_rate());
    }
  }
  void WriteOne(const FigureColumn& c, const SummaryFigures& t) {
    if (c.defined != nullptr && !c.defined(t)) return;  // left blank
    switch (c.kind) {
      case Kind::kCount:
        sheet_.Count(1, c.integer(t));
        break;
      case Kind::kMoney:
        sheet_.Money(1, c.integer(t));
        break;
      case Kind::kRate:
        sheet_.Rate(1, c.ratio(t));
        break;
      case Kind::kPoints:
        sheet_.Points(1, c.ratio(t));
        break;
    }
  }
  void TextRow(const char* label, const std::string& value) {
    sheet_.Text(0, label);
    sheet_.Text(1, value);
    sheet_.NextRow();
  }
  void CountRow(const char* label, int64_t value) {
    sheet_.Text(0, label);
    sheet_.Count(1, value);
    sheet_.NextRow();
  }
  void RateRow(const char* label, double value) {
    sheet_.Text(0, label);
    sheet_.Rate(1, value);
    sheet_.NextRow();
  }

  Sheet sheet_;
  const Formats& f_;
};

}  // namespace

absl::Status WriteReportXlsx(const ReportData& data, const std::string& path) {
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot start the workbook ", path));
  }
  const Formats formats = MakeFormats(book);
  SummarySheet(book, formats).Write(data);
  WriteCurve(data, Sheet(book, "月度曲线", formats));
  WriteGroups(data.by_level, Sheet(book, "按级别", formats));
  WriteGroups(data.by_chapter, Sheet(book, "按篇章", formats));
  WriteRanking(data.by_park, Sheet(book, "排名", formats));
  WriteRed(data, formats, Sheet(book, "红色项目", formats));
  // Closing writes the file and frees the workbook, whatever it returns.
  const lxw_error error = workbook_close(book);
  if (error != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat("cannot write the workbook ", path,
                                            ": ", lxw_strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace portfolio::client
