#include "client/export_tables.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/enums.h"
#include "client/format.h"
#include "client/names.h"
#include "common/clock.h"
#include "common/csv.h"
#include "common/period.h"

namespace portfolio::client {
namespace {

// The storage word of an enum value, as the import formats write it:
// `new_start` for NEW_START; "" for the unspecified value.
template <typename Enum>
std::string Word(Enum value) {
  return absl::AsciiStrToLower(ShortName(value));
}

std::string Bool(bool value) { return value ? "true" : "false"; }

// An optional number as a cell: empty when absent.
template <typename T>
std::string Optional(bool has, T value) {
  return has ? absl::StrCat(value) : std::string();
}

std::string Months(const v1::AnnualPlan& plan, int month) {
  return month <= plan.monthly_size() ? absl::StrCat(plan.monthly(month - 1))
                                      : std::string();
}

// One indicators.csv row in the making.
struct IndicatorYear {
  const v1::IndicatorTarget* target = nullptr;
  const v1::IndicatorValue* actual = nullptr;  // the latest whole-year value
};

}  // namespace

const std::vector<ExportFile>& ExportFiles() {
  static const auto* files = new std::vector<ExportFile>{
      {"users.csv", v1::IMPORT_KIND_USERS},
      {"projects.csv", v1::IMPORT_KIND_PROJECTS},
      {"portfolio.csv", v1::IMPORT_KIND_PORTFOLIOS},
      {"indicators.csv", v1::IMPORT_KIND_INDICATORS},
      {"plans.csv", v1::IMPORT_KIND_PLANS},
      {"milestones.csv", v1::IMPORT_KIND_MILESTONES},
      {"investments.csv", v1::IMPORT_KIND_INVESTMENTS},
      {"problems.csv", v1::IMPORT_KIND_PROBLEMS},
      {"periods.csv", v1::IMPORT_KIND_PERIODS},
  };
  return *files;
}

std::string CsvFile::Text() const {
  std::string out;
  auto line = [&out](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += CsvEscape(cells[i]);
    }
    out.push_back('\n');
  };
  line(header);
  for (const auto& row : rows) line(row);
  return out;
}

CsvFile UsersCsv(const Repeated<v1::User>& users) {
  CsvFile csv;
  csv.header = {"id", "display_name", "role", "disabled"};
  for (const v1::User& u : users) {
    csv.rows.push_back({LastSegment(u.name()), u.display_name(),
                        RoleWord(u.role()), Bool(u.disabled())});
  }
  return csv;
}

CsvFile ProjectsCsv(const Repeated<v1::Project>& projects) {
  CsvFile csv;
  csv.header = {"id",
                "name",
                "owner",
                "chapter",
                "sector",
                "park",
                "levels",
                "stage",
                "total_investment",
                "planned_start",
                "planned_end",
                "national_code",
                "capacity",
                "leads",
                "source"};
  for (const v1::Project& p : projects) {
    std::vector<std::string> levels;
    for (const v1::YearLevel& l : p.levels()) {
      levels.push_back(absl::StrCat(l.year(), ":", Word(l.level())));
    }
    csv.rows.push_back(
        {LastSegment(p.name()), p.display_name(), p.owner(),
         p.chapter() == 0 ? "" : absl::StrCat(p.chapter()), p.sector(),
         p.park(), absl::StrJoin(levels, ";"), Word(p.stage()),
         Optional(p.has_total_investment(), p.total_investment()),
         FormatProtoDate(p.planned_start()), FormatProtoDate(p.planned_end()),
         p.national_code(), p.capacity(), absl::StrJoin(p.leads(), ";"),
         p.source()});
  }
  return csv;
}

CsvFile PortfoliosCsv(const Repeated<v1::Portfolio>& portfolios) {
  CsvFile csv;
  csv.header = {"year",
                "project_count_target",
                "investment_target",
                "provincial_count_target",
                "city_count_target",
                "project_count_actual",
                "total_investment_actual",
                "provincial_count_actual",
                "city_count_actual",
                "fixed_asset_investment_actual",
                "source"};
  for (const v1::Portfolio& p : portfolios) {
    csv.rows.push_back(
        {absl::StrCat(p.year()),
         Optional(p.has_project_count_target(), p.project_count_target()),
         Optional(p.has_investment_target(), p.investment_target()),
         Optional(p.has_provincial_count_target(), p.provincial_count_target()),
         Optional(p.has_city_count_target(), p.city_count_target()),
         Optional(p.has_project_count_actual(), p.project_count_actual()),
         Optional(p.has_total_investment_actual(), p.total_investment_actual()),
         Optional(p.has_provincial_count_actual(), p.provincial_count_actual()),
         Optional(p.has_city_count_actual(), p.city_count_actual()),
         Optional(p.has_fixed_asset_investment_actual(),
                  p.fixed_asset_investment_actual()),
         p.source()});
  }
  return csv;
}

CsvFile IndicatorsCsv(const Repeated<v1::Indicator>& indicators) {
  CsvFile csv;
  csv.header = {"id",   "name",       "unit",   "chapter", "kind",
                "year", "comparator", "target", "actual",  "source"};
  int monthly = 0, superseded = 0, mixed_sources = 0;
  std::vector<std::string> empty;
  for (const v1::Indicator& i : indicators) {
    std::map<int, IndicatorYear> years;
    for (const v1::IndicatorTarget& t : i.targets())
      years[t.year()].target = &t;
    for (const v1::IndicatorValue& v : i.values()) {  // oldest first
      if (v.month() != 0) {
        ++monthly;
        continue;
      }
      const v1::IndicatorValue*& actual = years[v.year()].actual;
      if (actual != nullptr) ++superseded;
      actual = &v;
    }
    const std::string id = LastSegment(i.name());
    if (years.empty()) empty.push_back(id);
    for (const auto& [year, y] : years) {
      std::string source = y.target ? y.target->source() : "";
      if (y.actual != nullptr && source.empty()) source = y.actual->source();
      if (y.target != nullptr && y.actual != nullptr &&
          y.actual->source() != source && !y.actual->source().empty()) {
        ++mixed_sources;
      }
      csv.rows.push_back({id, i.display_name(), i.unit(),
                          absl::StrCat(i.chapter()), Word(i.kind()),
                          absl::StrCat(year),
                          y.target ? Word(y.target->comparator()) : "",
                          y.target ? y.target->value() : "",
                          y.actual ? y.actual->value() : "", source});
    }
  }
  if (monthly > 0) {
    csv.notes.push_back(
        absl::StrCat(monthly,
                     " indicator values as of a month are not exported (the "
                     "format holds a year's target and its whole-year value)"));
  }
  if (superseded > 0) {
    csv.notes.push_back(absl::StrCat(
        superseded,
        " earlier whole-year indicator values are not exported (only the "
        "latest of each year)"));
  }
  if (mixed_sources > 0) {
    csv.notes.push_back(absl::StrCat(
        mixed_sources,
        " indicator years have a value whose source differs from the "
        "target's; the row carries the target's"));
  }
  if (!empty.empty()) {
    csv.notes.push_back(absl::StrCat(
        "indicators with neither a target nor a whole-year value are not "
        "exported: ",
        absl::StrJoin(empty, ", ")));
  }
  return csv;
}

CsvFile PlansCsv(const std::vector<v1::AnnualPlan>& revisions) {
  CsvFile csv;
  csv.header = {"project_id", "year", "amount"};
  for (int m = 1; m <= 12; ++m) {
    csv.header.push_back(absl::StrCat("m", m < 10 ? "0" : "", m));
  }
  csv.header.push_back("reason");
  for (const v1::AnnualPlan& plan : revisions) {
    std::vector<std::string> row = {ProjectIdOf(plan.name()),
                                    absl::StrCat(plan.year()),
                                    absl::StrCat(plan.amount())};
    for (int m = 1; m <= 12; ++m) row.push_back(Months(plan, m));
    row.push_back(plan.revision_reason());
    csv.rows.push_back(std::move(row));
  }
  return csv;
}

CsvFile MilestonesCsv(const Repeated<v1::Milestone>& milestones) {
  CsvFile csv;
  csv.header = {"project_id",   "id",           "kind",
                "display_name", "planned_date", "forecast_date",
                "actual_date"};
  for (const v1::Milestone& m : milestones) {
    csv.rows.push_back(
        {ProjectIdOf(m.name()), LastSegment(m.name()), Word(m.kind()),
         m.display_name(), FormatProtoDate(m.planned_date()),
         FormatProtoDate(m.forecast_date()), FormatProtoDate(m.actual_date())});
  }
  return csv;
}

CsvFile InvestmentsCsv(const Repeated<v1::InvestmentEntry>& entries) {
  CsvFile csv;
  csv.header = {"entry", "project_id", "period", "amount",
                "note",  "corrects",   "reason"};
  for (const v1::InvestmentEntry& e : entries) {
    csv.rows.push_back(
        {LastSegment(e.name()), ProjectIdOf(e.name()),
         FormatYearMonth(e.period()), absl::StrCat(e.amount()), e.note(),
         e.corrects().empty() ? "" : LastSegment(e.corrects()), e.reason()});
  }
  return csv;
}

CsvFile ProblemsCsv(const Repeated<v1::Problem>& given) {
  std::vector<const v1::Problem*> problems;
  for (const v1::Problem& p : given) problems.push_back(&p);
  auto key = [](const v1::Problem* p) {
    const std::string id = LastSegment(p->name());
    return std::make_tuple(ProjectIdOf(p->name()), id.size(), id);
  };
  std::sort(problems.begin(), problems.end(),
            [&](const v1::Problem* a, const v1::Problem* b) {
              return key(a) < key(b);
            });
  // The district's days a problem was opened and resolved: an import
  // dates it so, and a summary of an earlier month counts it as here.
  auto day = [](const google::protobuf::Timestamp& t) -> std::string {
    if (t.seconds() == 0 && t.nanos() == 0) return "";
    return FormatDate(absl::ToCivilDay(absl::FromUnixSeconds(t.seconds()),
                                       DistrictTimeZone()));
  };
  CsvFile csv;
  csv.header = {"project_id",       "id",        "category",   "description",
                "responsible_unit", "deadline",  "escalation", "state",
                "resolution",       "opened_on", "resolved_on"};
  for (const v1::Problem* p : problems) {
    csv.rows.push_back({ProjectIdOf(p->name()), LastSegment(p->name()),
                        Word(p->category()), p->description(),
                        p->responsible_unit(), FormatProtoDate(p->deadline()),
                        Word(p->escalation()), Word(p->state()),
                        p->resolution(), day(p->create_time()),
                        day(p->resolve_time())});
  }
  return csv;
}

CsvFile PeriodsCsv(const Repeated<v1::ReportingPeriod>& periods) {
  CsvFile csv;
  csv.header = {"period", "closed", "reason"};
  for (const v1::ReportingPeriod& p : periods) {
    csv.rows.push_back({FormatYearMonth(p.period()), Bool(p.closed()),
                        p.closed() ? "" : p.reopen_reason()});
  }
  return csv;
}

}  // namespace portfolio::client
