// What the month's reports show (bulletin, the HTML report, the workbook),
// and the small readings of summary figures they share.
#ifndef PORTFOLIO_CLIENT_REPORT_DATA_H_
#define PORTFOLIO_CLIENT_REPORT_DATA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "portfolio/v1/resources.pb.h"
#include "portfolio/v1/service.pb.h"

namespace portfolio::client {

// One month of the cumulative curve.
struct MonthFigures {
  int month = 0;                // 1..12
  int64_t planned_to_date = 0;  // the plans' split through this month
  // Through this month; unset after the as-of month, which has not been
  // reported yet.
  std::optional<int64_t> completed_to_date;
};

// Everything `portfolio report` shows, read from one snapshot: every
// summary has the same year, as_of_month, as_known_at and plan basis.
struct ReportData {
  std::string district;             // named in the title, e.g. 茌平区
  v1::PortfolioSummary summary;     // ungrouped: the headline figures
  v1::PortfolioSummary by_level;    // grouped by level
  v1::PortfolioSummary by_chapter;  // grouped by chapter
  v1::PortfolioSummary by_park;     // grouped by park: the ranking
  std::vector<MonthFigures> curve;  // months 1..12, in order
  std::vector<v1::ProjectStatus> red_projects;  // worst first
};

// The groups of `summary` ordered by rank, 1 first; unranked groups (rank
// 0: no plan) last; equal ranks keep the server's order. The pointers
// point into `summary`, which must outlive them.
std::vector<const v1::SummaryGroup*> RankedGroups(
    const v1::PortfolioSummary& summary);

// The groups of `summary` in reading order: by level as 省级, 市级, 区级
// (the enum's order) with other keys after them; by any other dimension as
// the server sent them. The pointers point into `summary`.
std::vector<const v1::SummaryGroup*> DisplayGroups(
    const v1::PortfolioSummary& summary);

// Whether a group's completion rate and gap mean anything: a group with no
// annual plan has them as 0, which would read as "on time".
// Said under tables whose rows hold projects without a plan: their
// completed investment counts in 完成投资, not in the rate.
inline constexpr char kRateBasisNote[] =
    "完成率 = 有年度计划项目的完成投资 ÷ 年度计划；无计划项目的完成投资计入"
    "完成投资，不计入完成率 (the rate counts only projects with an annual "
    "plan)";

inline bool HasPlan(const v1::SummaryFigures& figures) {
  return figures.planned_project_count() > 0;
}

// A terminal line warning that the data is synthetic, with the summary's
// dataset_label, followed by a blank line; "" for real data.
std::string DatasetBannerLines(const v1::PortfolioSummary& summary);

// A ratio as a percentage with one decimal: 0.452 -> "45.2%".
std::string FormatPercent(double ratio);

// A bulletin rate for people: `done/due (rate)`, e.g. `3/5 (60.0%)`; "-"
// when nothing is due.
std::string FormatDueRate(int32_t done, int32_t due, double rate);

// The project count at `level` in a summary grouped by level; nullopt when
// the summary has no such group.
std::optional<int32_t> LevelCount(const v1::PortfolioSummary& by_level,
                                  v1::ProjectLevel level);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_REPORT_DATA_H_
