// indicators list | show | record: the report's numeric targets.
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/filter.h"
#include "client/format.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::Indicator;

// `110 亿元 以上`: the value, the unit, and the comparator's word.
std::string TargetText(const Indicator& indicator,
                       const v1::IndicatorTarget& target) {
  std::string text = absl::StrCat(target.value(), " ", indicator.unit());
  const v1::Comparator c = target.comparator();
  if (c == v1::COMPARATOR_AT_LEAST || c == v1::COMPARATOR_ABOUT ||
      c == v1::COMPARATOR_AT_MOST) {
    absl::StrAppend(&text, " ", Label(c));
  }
  return text;
}

// The target of `year`, else of the latest year; null without one.
const v1::IndicatorTarget* TargetFor(const Indicator& indicator,
                                     std::optional<int> year) {
  const v1::IndicatorTarget* found = nullptr;
  for (const v1::IndicatorTarget& target : indicator.targets()) {
    if (year.has_value() ? target.year() == *year
                         : found == nullptr || target.year() > found->year()) {
      found = &target;
    }
  }
  return found;
}

// The last value recorded (values are oldest first), in `year` when
// given; null without one.
const v1::IndicatorValue* LatestValue(const Indicator& indicator,
                                      std::optional<int> year) {
  const v1::IndicatorValue* found = nullptr;
  for (const v1::IndicatorValue& value : indicator.values()) {
    if (!year.has_value() || value.year() == *year) found = &value;
  }
  return found;
}

std::string ValuePeriod(const v1::IndicatorValue& value) {
  return value.month() == 0
             ? absl::StrCat(value.year())
             : FormatPeriod(absl::CivilMonth(value.year(), value.month()));
}

Table IndicatorTable() {
  return Table({
      {"指标 id", "id"},
      {"名称 name", "display_name"},
      {"单位 unit", "unit"},
      {"章 ch", "chapter", Align::kRight},
      {"类型 kind", "kind"},
      {"目标 target", "target_year"},
      {"目标值 target value", "target_value", Align::kLeft, false},
      {"比较 comparator", "target_comparator", Align::kLeft, false},
      {"最新 latest", "latest_value"},
      {"最新期 latest period", "latest_period", Align::kLeft, false},
  });
}

void AddIndicatorRow(const Indicator& indicator, std::optional<int> year,
                     Table* table) {
  const v1::IndicatorTarget* target = TargetFor(indicator, year);
  Cell target_cell, target_value, comparator;
  if (target != nullptr) {
    target_cell = Cell{
        absl::StrCat(TargetText(indicator, *target), " (", target->year(), ")"),
        absl::StrCat(target->year())};
    target_value = TextCell(target->value());
    comparator =
        Cell{Label(target->comparator()), ShortName(target->comparator())};
  }
  Cell latest, latest_period;
  if (const v1::IndicatorValue* value = LatestValue(indicator, year)) {
    latest = Cell{absl::StrCat(value->value(), " (", ValuePeriod(*value), ")"),
                  value->value()};
    latest_period = TextCell(ValuePeriod(*value));
  }
  table->AddRow({
      TextCell(LastSegment(indicator.name())),
      TextCell(indicator.display_name()),
      TextCell(indicator.unit()),
      Cell{ChapterLabel(indicator.chapter()),
           absl::StrCat(indicator.chapter())},
      Cell{Label(indicator.kind()), ShortName(indicator.kind())},
      target_cell,
      target_value,
      comparator,
      latest,
      latest_period,
  });
}

// Targets and recorded values as one table: for CSV.
Table HistoryRows(const Indicator& indicator) {
  Table table({{"", "record"},
               {"", "year"},
               {"", "month"},
               {"", "comparator"},
               {"", "value"},
               {"", "source"},
               {"", "recorded_by"},
               {"", "record_time"}});
  for (const v1::IndicatorTarget& t : indicator.targets()) {
    table.AddRow({TextCell("target"),
                  TextCell(absl::StrCat(t.year())),
                  {},
                  TextCell(ShortName(t.comparator())),
                  TextCell(t.value()),
                  TextCell(t.source())});
  }
  for (const v1::IndicatorValue& v : indicator.values()) {
    table.AddRow({TextCell("value"),
                  TextCell(absl::StrCat(v.year())),
                  TextCell(absl::StrCat(v.month())),
                  {},
                  TextCell(v.value()),
                  TextCell(v.source()),
                  TextCell(v.recorded_by()),
                  TimeCell(v.record_time())});
  }
  return table;
}

void PrintIndicator(const Indicator& indicator, std::ostream& out) {
  Table head = IndicatorTable();
  AddIndicatorRow(indicator, std::nullopt, &head);
  head.PrintRecords(out);
  Table targets({{"年度 year", "year"},
                 {"目标 target", "target"},
                 {"来源 source", "source"}});
  for (const v1::IndicatorTarget& t : indicator.targets()) {
    targets.AddRow({TextCell(absl::StrCat(t.year())),
                    TextCell(TargetText(indicator, t)), TextCell(t.source())});
  }
  out << "\n目标 targets:\n";
  targets.PrintAligned(out);
  Table values({{"期间 period", "period"},
                {"数值 value", "value", Align::kRight},
                {"来源 source", "source"},
                {"记录人 by", "recorded_by"},
                {"时间 recorded", "record_time"}});
  for (const v1::IndicatorValue& v : indicator.values()) {
    values.AddRow({TextCell(ValuePeriod(v)), TextCell(v.value()),
                   TextCell(v.source()), TextCell(v.recorded_by()),
                   TimeCell(v.record_time())});
  }
  out << "\n记录 values:\n";
  values.PrintAligned(out);
}

absl::Status EmitIndicator(const Indicator& indicator, CommandContext& ctx) {
  if (ctx.format == OutputFormat::kJson) return PrintJson(*ctx.out, indicator);
  if (ctx.format == OutputFormat::kCsv) {
    HistoryRows(indicator).PrintCsv(*ctx.out);
  } else {
    PrintIndicator(indicator, *ctx.out);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ListIndicators(const IndicatorsListOptions& options,
                            CommandContext& ctx) {
  FilterBuilder filter;
  if (options.chapter.has_value()) filter.AddInt("chapter", *options.chapter);
  if (options.kind.has_value())
    filter.AddEnum("kind", ShortName(*options.kind));
  if (options.year.has_value()) filter.AddInt("year", *options.year);
  v1::ListIndicatorsRequest request;
  request.set_filter(filter.Build());
  v1::ListIndicatorsResponse all;
  ASSIGN_OR_RETURN(
      const bool more,
      ListAll(
          *ctx.rpc, ctx.rpc->indicators(),
          &v1::IndicatorService::Stub::ListIndicators, request, options.limit,
          [](v1::ListIndicatorsResponse* r) { return r->mutable_indicators(); },
          &all));
  Table table = IndicatorTable();
  for (const Indicator& indicator : all.indicators()) {
    AddIndicatorRow(indicator, options.year, &table);
  }
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, all, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable && more) {
    *ctx.out << "(" << table.row_count()
             << " shown; raise --limit to see more)\n";
  }
  return absl::OkStatus();
}

absl::Status ShowIndicator(const IndicatorShowOptions& options,
                           CommandContext& ctx) {
  v1::GetIndicatorRequest request;
  request.set_name(options.indicator);
  Indicator indicator;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->indicators(),
                                &v1::IndicatorService::Stub::GetIndicator,
                                request, &indicator));
  return EmitIndicator(indicator, ctx);
}

absl::Status RecordIndicator(const IndicatorRecordOptions& options,
                             CommandContext& ctx) {
  v1::RecordIndicatorValueRequest request;
  request.set_name(options.indicator);
  v1::IndicatorValue* value = request.mutable_value();
  value->set_year(options.year);
  value->set_month(options.month);
  value->set_value(options.value);
  value->set_source(options.source);
  request.set_request_id(options.request_id);
  Indicator indicator;
  RETURN_IF_ERROR(ctx.rpc->Call(
      ctx.rpc->indicators(), &v1::IndicatorService::Stub::RecordIndicatorValue,
      request, &indicator));
  if (ctx.format == OutputFormat::kJson) {
    return PrintJsonWithRequestId(*ctx.out, indicator, options.request_id);
  }
  return EmitIndicator(indicator, ctx);
}

}  // namespace portfolio::client
