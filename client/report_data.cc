#include "client/report_data.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/enums.h"

namespace portfolio::client {

std::vector<const v1::SummaryGroup*> RankedGroups(
    const v1::PortfolioSummary& summary) {
  std::vector<const v1::SummaryGroup*> groups;
  for (const v1::SummaryGroup& group : summary.groups()) {
    groups.push_back(&group);
  }
  // Rank 0 means "not ranked", so it sorts after every real rank.
  auto order = [](const v1::SummaryGroup* g) {
    return g->rank() > 0 ? g->rank() : INT32_MAX;
  };
  std::stable_sort(
      groups.begin(), groups.end(),
      [&order](const v1::SummaryGroup* a, const v1::SummaryGroup* b) {
        return order(a) < order(b);
      });
  return groups;
}

std::vector<const v1::SummaryGroup*> DisplayGroups(
    const v1::PortfolioSummary& summary) {
  std::vector<const v1::SummaryGroup*> groups;
  for (const v1::SummaryGroup& group : summary.groups()) {
    groups.push_back(&group);
  }
  if (summary.group_by() != v1::SUMMARY_DIMENSION_LEVEL) return groups;
  auto order = [](const v1::SummaryGroup* g) {
    absl::StatusOr<v1::ProjectLevel> level = ParseLevel(g->key());
    return level.ok() ? static_cast<int>(*level) : INT32_MAX;
  };
  std::stable_sort(
      groups.begin(), groups.end(),
      [&order](const v1::SummaryGroup* a, const v1::SummaryGroup* b) {
        return order(a) < order(b);
      });
  return groups;
}

std::string DatasetBannerLines(const v1::PortfolioSummary& summary) {
  if (summary.dataset_label().empty()) return "";
  return absl::StrCat("!! 演示数据 SYNTHETIC DATA: ", summary.dataset_label(),
                      " !!\n\n");
}

std::string FormatPercent(double ratio) {
  return absl::StrFormat("%.1f%%", ratio * 100);
}

std::string FormatDueRate(int32_t done, int32_t due, double rate) {
  if (due == 0) return "-";
  return absl::StrCat(done, "/", due, " (", FormatPercent(rate), ")");
}

std::optional<int32_t> LevelCount(const v1::PortfolioSummary& by_level,
                                  v1::ProjectLevel level) {
  for (const v1::SummaryGroup& group : by_level.groups()) {
    absl::StatusOr<v1::ProjectLevel> key = ParseLevel(group.key());
    if (key.ok() && *key == level) return group.figures().project_count();
  }
  return std::nullopt;
}

}  // namespace portfolio::client
