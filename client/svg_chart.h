// Charts for the HTML report as inline SVG: pure functions from figures to
// markup, so they are tested without a browser. The markup loads nothing
// and runs no script; every text from the data is escaped.
#ifndef PORTFOLIO_CLIENT_SVG_CHART_H_
#define PORTFOLIO_CLIENT_SVG_CHART_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/report_data.h"

namespace portfolio::client {

// `text` with &, <, >, " and ' replaced by character references, safe in
// element content and in quoted attribute values.
std::string HtmlEscape(absl::string_view text);

// A scale for money axes: a round step in yuan and the unit its labels use.
struct MoneyAxis {
  int64_t step = 1;       // yuan between ticks: 1, 2 or 5 times a power of ten
  int64_t top = 1;        // the axis maximum, a multiple of step >= the data's
  int64_t unit = 1;       // 100000000 (亿元), 10000 (万元) or 1 (元)
  std::string unit_name;  // 亿元, 万元 or 元
};

// The axis for values from 0 to `max_yuan` with about `ticks` steps
// (at least 1). A max of 0 or less gives an axis of 1 yuan.
MoneyAxis ChooseMoneyAxis(int64_t max_yuan, int ticks);

// `yuan` in the axis's unit with at most two decimals, trailing zeros
// dropped: 150000000 in 亿元 is "1.5". Integer arithmetic only.
std::string AxisLabel(int64_t yuan, const MoneyAxis& axis);

// The cumulative curve: a line of planned_to_date over every month given
// and a line of completed_to_date over the months that have it, with axes,
// a grid, month labels (1月..12月), the unit (亿元 when the figures reach
// 1亿) and a legend, and a marker at `as_of_month` (none when 0). Each
// point is a <circle> of class "pt planned" or "pt completed" whose
// <title> gives the exact yuan.
std::string CumulativeCurveSvg(const std::vector<MonthFigures>& months,
                               int as_of_month);

// One bar of a rate chart.
struct RateBar {
  std::string label;  // a group, e.g. 省级; cut to fit, whole in the tooltip
  double rate = 0;    // 0.452 for 45.2%
  std::string title;  // tooltip text after the label; may be empty
  // False for a group without an annual plan: its rate means nothing, so
  // it shows 无计划 instead of a bar.
  bool planned = true;
};

// Horizontal bars of `bars` in order, each labelled with its rate, over an
// axis of 0% to at least 100%, with a dashed reference line at
// `time_elapsed` labelled 序时进度. Bars at or past it are green, those
// behind it amber; unplanned groups read 无计划. `caption` names the chart for
// screen readers.
std::string RateBarsSvg(const std::vector<RateBar>& bars, double time_elapsed,
                        absl::string_view caption);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_SVG_CHART_H_
