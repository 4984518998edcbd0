// The files of `portfolio export`: what the List calls returned, written
// as CSV in the import formats of data/README.md, so that `portfolio import
// DIR` loads them into another server. Plain functions over the API's
// messages, without I/O. Money is the exact integer of yuan (never 万/亿),
// dates YYYY-MM-DD, periods YYYY-MM, enums their lowercase storage words
// (new_start, provincial), absent values empty cells.
#ifndef PORTFOLIO_CLIENT_EXPORT_TABLES_H_
#define PORTFOLIO_CLIENT_EXPORT_TABLES_H_

#include <string>
#include <vector>

#include "google/protobuf/repeated_ptr_field.h"
#include "portfolio/v1/admin.pb.h"
#include "portfolio/v1/resources.pb.h"
#include "portfolio/v1/service.pb.h"

namespace portfolio::client {

// One file of an export directory and the kind it imports as.
struct ExportFile {
  const char* name;  // "users.csv"
  v1::ImportKind kind;
};

// Every file, in the order `import DIR` loads them: each after the files
// its rows refer to (leads are users, plans belong to projects, a
// correction follows its entry, a month closes after its entries).
const std::vector<ExportFile>& ExportFiles();

// Written beside the files when the exported database is synthetic (its
// summaries carry a dataset_label), holding that label. `import DIR`
// refuses a directory holding it: no call can label the server it would
// go to, whose summaries would then pass invented data for real. The name
// is the one portfolio-demo gives the same warning in its data directory.
inline constexpr char kSyntheticMarkerFile[] = "SYNTHETIC-DEMO-DATA.txt";

// A CSV file being built: a header and rows of cells, each row as long as
// the header.
struct CsvFile {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // Notes on what the format could not hold, for the person exporting
  // (e.g. an indicator's monthly values); empty when nothing was left out.
  std::vector<std::string> notes;

  // The file's bytes: the header line, then one line per row, LF line
  // ends, cells quoted where CSV needs it.
  std::string Text() const;
};

template <typename T>
using Repeated = google::protobuf::RepeatedPtrField<T>;

// users.csv: id, display_name, role, disabled. Never a token.
CsvFile UsersCsv(const Repeated<v1::User>& users);

// projects.csv: every column of the projects format; levels as
// `2024:provincial;2023:city`, leads `;`-separated.
CsvFile ProjectsCsv(const Repeated<v1::Project>& projects);

// portfolio.csv: every target and fact, one row per year.
CsvFile PortfoliosCsv(const Repeated<v1::Portfolio>& portfolios);

// indicators.csv: one row per indicator and year that has a target or a
// whole-year value (month 0), years ascending; the latest whole-year value
// of a year is its `actual`; `source` is the target's, else the value's.
// What that leaves out (values as of a month, earlier whole-year values of
// the same year, an indicator with neither) is counted in `notes`.
CsvFile IndicatorsCsv(const Repeated<v1::Indicator>& indicators);

// plans.csv: one row per revision, as given (the caller lists each plan's
// revisions baseline first), with all twelve months and the reason.
CsvFile PlansCsv(const std::vector<v1::AnnualPlan>& revisions);

// milestones.csv: project_id, id, kind, display_name and the three dates.
CsvFile MilestonesCsv(const Repeated<v1::Milestone>& milestones);

// investments.csv: entry (the entry's number here), project_id, period,
// amount (signed for a correction), note, corrects (the corrected entry's
// number), reason; in the order given, which must be oldest first.
CsvFile InvestmentsCsv(const Repeated<v1::InvestmentEntry>& entries);

// problems.csv: project_id, id, category, description, responsible_unit,
// deadline, escalation, state, resolution; ordered by project, then id
// with shorter ids first (q2 before q10). Not in the API's order, by
// opening time: an import opens every problem at the same instant, so
// that order would not survive it.
CsvFile ProblemsCsv(const Repeated<v1::Problem>& problems);

// periods.csv: period, closed, reason (why a month that is open again was
// reopened; empty for a closed month).
CsvFile PeriodsCsv(const Repeated<v1::ReportingPeriod>& periods);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_EXPORT_TABLES_H_
