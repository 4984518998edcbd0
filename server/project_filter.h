// The project filter shared by ListProjects, summaries and statuses.
#ifndef PORTFOLIO_SERVER_PROJECT_FILTER_H_
#define PORTFOLIO_SERVER_PROJECT_FILTER_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/records.h"

namespace portfolio {

// Parses `filter` over the fields level, year (the year `level` refers to;
// default `default_year`), chapter, park, sector, stage and lead, plus
// `extra_fields`, whose values are returned in `*extra`.
// INVALID_ARGUMENT naming `filter` for a syntax error, an unknown field or
// a bad value (e.g. `level = county`).
absl::StatusOr<ProjectFilter> ParseProjectFilter(
    absl::string_view filter, int default_year,
    const std::set<std::string>& extra_fields = {},
    std::map<std::string, std::string>* extra = nullptr);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_PROJECT_FILTER_H_
