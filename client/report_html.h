// The month's report as one self-contained HTML page.
#ifndef PORTFOLIO_CLIENT_REPORT_HTML_H_
#define PORTFOLIO_CLIENT_REPORT_HTML_H_

#include <string>

#include "client/report_data.h"

namespace portfolio::client {

// Renders `data` as a UTF-8 HTML5 document (lang zh-CN) with inline CSS and
// inline SVG charts: nothing is fetched, no script runs, so the file can be
// mailed, archived and opened offline. Sections, in order: the title
// (district, year, as-of month, the as-known instant and plan basis); a
// banner when the data is synthetic (dataset_label); headline figures
// against the portfolio targets, and a table of the exact yuan totals
// (each cell's data-field is the summary's JSON field name); the
// cumulative planned-versus-completed curve; completion by level and by
// chapter against 序时进度; the ranking by park (as `portfolio bulletin`);
// every red project with its reasons. Money reads as 1.20亿 / 3,000.00万,
// each amount carrying its exact yuan in data-yuan and title attributes.
// Every text from the data is escaped. Pure: no I/O, never fails.
std::string RenderReportHtml(const ReportData& data);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_REPORT_HTML_H_
