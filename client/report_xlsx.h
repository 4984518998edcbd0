// The month's report as an Excel workbook, for offices that file figures
// in spreadsheets.
#ifndef PORTFOLIO_CLIENT_REPORT_XLSX_H_
#define PORTFOLIO_CLIENT_REPORT_XLSX_H_

#include <string>

#include "absl/status/status.h"
#include "client/report_data.h"

namespace portfolio::client {

// Writes `data` as an .xlsx workbook at `path`, creating or replacing it,
// with sheets 汇总 (headline figures and targets, the snapshot, a
// synthetic-data warning on the first row when there is one), 月度曲线
// (cumulative plan and completion by month), 按级别, 按篇章 (figures by
// group with a total row), 排名 (the ranking by park, as `bulletin`) and
// 红色项目 (one row per red project, its reasons in one wrapped cell).
// Money is whole yuan as numbers with a thousands format (exact: the
// totals stay far below 2^53), rates are numbers with a percent format,
// counts integers. Returns INTERNAL with the library's message when the
// file cannot be written; a partly written file may then remain at `path`,
// so callers write to a temporary name (see WriteReport).
absl::Status WriteReportXlsx(const ReportData& data, const std::string& path);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_REPORT_XLSX_H_
