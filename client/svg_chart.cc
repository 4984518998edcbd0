#include "client/svg_chart.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/display_width.h"
#include "common/amount.h"

namespace portfolio::client {
namespace {

constexpr int64_t kYi = 100000000;
constexpr int64_t kWan = 10000;

// The curve's canvas: a plot area inside margins for labels and legend.
constexpr double kCurveWidth = 880, kCurveHeight = 380;
constexpr double kCurveLeft = 64, kCurveRight = 24, kCurveTop = 44,
                 kCurveBottom = 40;

// The bar chart's layout: a label column, then bars, one row each.
constexpr double kBarsWidth = 880, kBarsLabel = 150, kBarsRight = 70;
constexpr double kBarsTop = 30, kBarsRow = 30, kBarsThickness = 18,
                 kBarsBottom = 30;

std::string Num(double value) { return absl::StrFormat("%.1f", value); }

std::string Text(double x, double y, absl::string_view css_class,
                 absl::string_view anchor, absl::string_view text) {
  return absl::StrCat("<text x=\"", Num(x), "\" y=\"", Num(y), "\" class=\"",
                      css_class, "\" text-anchor=\"", anchor, "\">",
                      HtmlEscape(text), "</text>");
}

std::string Line(double x1, double y1, double x2, double y2,
                 absl::string_view css_class) {
  return absl::StrCat("<line x1=\"", Num(x1), "\" y1=\"", Num(y1), "\" x2=\"",
                      Num(x2), "\" y2=\"", Num(y2), "\" class=\"", css_class,
                      "\"/>");
}

std::string SvgOpen(double width, double height, absl::string_view label) {
  // No xmlns: inline SVG in HTML needs none, and the report names no
  // address at all.
  return absl::StrCat("<svg class=\"chart\" viewBox=\"0 0 ", Num(width), " ",
                      Num(height), "\" width=\"", Num(width), "\" height=\"",
                      Num(height), "\" role=\"img\" aria-label=\"",
                      HtmlEscape(label), "\"><title>", HtmlEscape(label),
                      "</title>");
}

// The cumulative curve's coordinates.
class CurveFrame {
 public:
  explicit CurveFrame(const MoneyAxis& axis) : axis_(axis) {}

  double X(int month) const {
    return kCurveLeft + (month - 0.5) * PlotWidth() / 12;
  }
  double Y(int64_t yuan) const {
    // Position only: the figures themselves stay integers.
    return kCurveTop + PlotHeight() -
           PlotHeight() * static_cast<double>(yuan) /
               static_cast<double>(axis_.top);
  }
  double Bottom() const { return kCurveTop + PlotHeight(); }
  double Right() const { return kCurveWidth - kCurveRight; }

 private:
  static double PlotWidth() { return kCurveWidth - kCurveLeft - kCurveRight; }
  static double PlotHeight() { return kCurveHeight - kCurveTop - kCurveBottom; }
  MoneyAxis axis_;
};

std::string CurveGrid(const CurveFrame& frame, const MoneyAxis& axis) {
  std::string out;
  for (int64_t v = 0; v <= axis.top; v += axis.step) {
    const double y = frame.Y(v);
    absl::StrAppend(
        &out, Line(kCurveLeft, y, frame.Right(), y, v == 0 ? "axis" : "grid"),
        Text(kCurveLeft - 8, y + 4, "tick", "end", AxisLabel(v, axis)));
  }
  absl::StrAppend(
      &out, Line(kCurveLeft, kCurveTop, kCurveLeft, frame.Bottom(), "axis"),
      Text(kCurveLeft - 8, kCurveTop - 14, "unit", "end", axis.unit_name));
  for (int month = 1; month <= 12; ++month) {
    absl::StrAppend(&out, Text(frame.X(month), frame.Bottom() + 20, "tick",
                               "middle", absl::StrCat(month, "月")));
  }
  return out;
}

// One series: a polyline through its points and a circle at each, whose
// tooltip gives the month and the exact yuan.
std::string Series(const CurveFrame& frame,
                   const std::vector<std::pair<int, int64_t>>& points,
                   absl::string_view css_class, absl::string_view name) {
  if (points.empty()) return "";
  std::vector<std::string> coordinates;
  std::string circles;
  for (const auto& [month, yuan] : points) {
    const double x = frame.X(month), y = frame.Y(yuan);
    coordinates.push_back(absl::StrCat(Num(x), ",", Num(y)));
    absl::StrAppend(
        &circles, "<circle class=\"pt ", css_class, "\" cx=\"", Num(x),
        "\" cy=\"", Num(y), "\" r=\"4\"><title>",
        HtmlEscape(absl::StrCat(month, "月 ", name, " ", FormatAmount(yuan),
                                " (", yuan, " 元)")),
        "</title></circle>");
  }
  return absl::StrCat("<polyline class=\"line ", css_class, "\" points=\"",
                      absl::StrJoin(coordinates, " "), "\"/>", circles);
}

std::string CurveLegend() {
  const double x = kCurveLeft + 10, y = 16;
  return absl::StrCat(Line(x, y, x + 28, y, "line planned"),
                      Text(x + 34, y + 4, "legend", "start", "计划累计"),
                      Line(x + 120, y, x + 148, y, "line completed"),
                      Text(x + 154, y + 4, "legend", "start", "完成累计"));
}

// How far the rate axis reaches: 100%, or further when a bar does.
double RateDomain(const std::vector<RateBar>& bars, double time_elapsed) {
  double domain = std::max(1.0, time_elapsed);
  for (const RateBar& bar : bars) domain = std::max(domain, bar.rate);
  return domain;
}

std::string BarRow(const RateBar& bar, size_t row, double scale,
                   double time_elapsed) {
  const double y = kBarsTop + kBarsRow * static_cast<double>(row);
  const double width = std::max(0.0, bar.rate) * scale;
  const double middle = y + kBarsRow / 2;
  std::string tooltip = bar.label;
  if (!bar.title.empty()) absl::StrAppend(&tooltip, " ", bar.title);
  if (!bar.planned) {
    return absl::StrCat(
        "<g class=\"bar-row\"><title>", HtmlEscape(tooltip), "</title>",
        Text(kBarsLabel - 8, middle + 4, "label", "end",
             TruncateToWidth(bar.label, 18)),
        Text(kBarsLabel + 6, middle + 4, "value unplanned", "start", "无计划"),
        "</g>");
  }
  return absl::StrCat(
      "<g class=\"bar-row\"><title>", HtmlEscape(tooltip), "</title>",
      Text(kBarsLabel - 8, middle + 4, "label", "end",
           TruncateToWidth(bar.label, 18)),
      "<rect class=\"bar ", bar.rate >= time_elapsed ? "ahead" : "behind",
      "\" x=\"", Num(kBarsLabel), "\" y=\"", Num(middle - kBarsThickness / 2),
      "\" width=\"", Num(width), "\" height=\"", Num(kBarsThickness), "\"/>",
      Text(kBarsLabel + width + 6, middle + 4, "value", "start",
           FormatPercent(bar.rate)),
      "</g>");
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

MoneyAxis ChooseMoneyAxis(int64_t max_yuan, int ticks) {
  MoneyAxis axis;
  const int64_t max = std::max<int64_t>(max_yuan, 1);
  const int64_t parts = std::max(ticks, 1);
  const int64_t raw = (max + parts - 1) / parts;
  int64_t magnitude = 1;
  while (magnitude <= raw / 10) magnitude *= 10;
  for (int64_t multiple : {1, 2, 5, 10}) {
    if (multiple * magnitude >= raw) {
      axis.step = multiple * magnitude;
      break;
    }
  }
  axis.top = (max + axis.step - 1) / axis.step * axis.step;
  if (axis.top >= kYi) {
    axis.unit = kYi;
    axis.unit_name = "亿元";
  } else if (axis.top >= kWan) {
    axis.unit = kWan;
    axis.unit_name = "万元";
  } else {
    axis.unit_name = "元";
  }
  return axis;
}

std::string AxisLabel(int64_t yuan, const MoneyAxis& axis) {
  const int64_t whole = yuan / axis.unit;
  const int64_t hundredths = (yuan % axis.unit) * 100 / axis.unit;
  if (hundredths == 0) return absl::StrCat(whole);
  std::string fraction = absl::StrFormat("%02d", hundredths);
  if (fraction.back() == '0') fraction.pop_back();
  return absl::StrCat(whole, ".", fraction);
}

std::string CumulativeCurveSvg(const std::vector<MonthFigures>& months,
                               int as_of_month) {
  int64_t max = 0;
  std::vector<std::pair<int, int64_t>> planned, completed;
  for (const MonthFigures& m : months) {
    planned.emplace_back(m.month, m.planned_to_date);
    max = std::max(max, m.planned_to_date);
    if (m.completed_to_date.has_value()) {
      completed.emplace_back(m.month, *m.completed_to_date);
      max = std::max(max, *m.completed_to_date);
    }
  }
  const MoneyAxis axis = ChooseMoneyAxis(max, 5);
  const CurveFrame frame(axis);
  std::string out = absl::StrCat(
      SvgOpen(kCurveWidth, kCurveHeight, "累计计划投资与累计完成投资（按月）"),
      CurveGrid(frame, axis), CurveLegend());
  if (as_of_month >= 1 && as_of_month <= 12) {
    const double x = frame.X(as_of_month);
    absl::StrAppend(&out, Line(x, kCurveTop, x, frame.Bottom(), "marker"),
                    Text(x, kCurveTop - 6, "marker-label", "middle",
                         absl::StrCat("截至", as_of_month, "月")));
  }
  absl::StrAppend(&out, Series(frame, planned, "planned", "计划累计"),
                  Series(frame, completed, "completed", "完成累计"), "</svg>");
  return out;
}

std::string RateBarsSvg(const std::vector<RateBar>& bars, double time_elapsed,
                        absl::string_view caption) {
  const double domain = RateDomain(bars, time_elapsed);
  const double plot = kBarsWidth - kBarsLabel - kBarsRight;
  const double scale = plot / domain;
  const double bottom =
      kBarsTop +
      kBarsRow * static_cast<double>(std::max<size_t>(bars.size(), 1));
  std::string out = SvgOpen(kBarsWidth, bottom + kBarsBottom, caption);
  // Ticks every 25 points up to the domain.
  for (int points = 0; points <= domain * 100 + 1e-9; points += 25) {
    const double x = kBarsLabel + points / 100.0 * scale;
    absl::StrAppend(
        &out, Line(x, kBarsTop, x, bottom, points == 0 ? "axis" : "grid"),
        Text(x, bottom + 18, "tick", "middle", absl::StrCat(points, "%")));
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    absl::StrAppend(&out, BarRow(bars[i], i, scale, time_elapsed));
  }
  if (bars.empty()) {
    absl::StrAppend(&out, Text(kBarsLabel + 10, kBarsTop + kBarsRow / 2 + 4,
                               "value", "start", "无数据"));
  }
  const double x = kBarsLabel + time_elapsed * scale;
  absl::StrAppend(&out, Line(x, kBarsTop - 6, x, bottom, "reference"),
                  Text(x, kBarsTop - 12, "reference-label", "middle",
                       absl::StrCat("序时进度 ", FormatPercent(time_elapsed))),
                  "</svg>");
  return out;
}

}  // namespace portfolio::client
