// Builds List filters in the API's AIP-160 subset: `field = value` terms
// joined by AND, e.g. `level = PROVINCIAL AND park = "高铁新区"`.
#ifndef PORTFOLIO_CLIENT_FILTER_H_
#define PORTFOLIO_CLIENT_FILTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/options.h"

namespace portfolio::client {

// `value` in double quotes, with `"` and `\` escaped by a backslash.
std::string QuoteFilterValue(absl::string_view value);

// Collects terms in the order added. Thread-compatible.
class FilterBuilder {
 public:
  // `field = "value"`: strings are always quoted, so spaces, `AND` or
  // quotes inside a park's name cannot change the filter's meaning.
  FilterBuilder& AddString(absl::string_view field, absl::string_view value);
  // `field = VALUE`, bare: for enum value names such as PROVINCIAL.
  FilterBuilder& AddEnum(absl::string_view field, absl::string_view value);
  // `field = 2024`.
  FilterBuilder& AddInt(absl::string_view field, int64_t value);
  // `field = true` / `field = false`.
  FilterBuilder& AddBool(absl::string_view field, bool value);
  // A user's own expression, ANDed as given; ignored when blank.
  FilterBuilder& AddExpression(absl::string_view expression);

  // The terms joined by ` AND `; "" when there are none.
  std::string Build() const;

 private:
  std::vector<std::string> terms_;
};

// The ListProjects filter for the project flags set in `options`, in the
// order level, year, chapter, park, sector, stage, lead, expression: enum
// values bare (`level = PROVINCIAL`), strings quoted. "" when none is set.
std::string BuildProjectFilter(const ProjectFilterOptions& options);

// The ListAuditEvents filter for the flags set in `options`, in the order
// project, user, since, each quoted: `project = "p" AND user = "u" AND
// since = "2024-01-01"`. "" when none is set.
std::string BuildAuditFilter(const AuditListOptions& options);

// The ListProjectStatuses filter of `status`, in the order rag, missing,
// expression: `rag = RED AND missing = true AND level = PROVINCIAL`. ""
// when none is set.
std::string BuildStatusFilter(const StatusListOptions& options);

// The ListPeriods filter: `year = 2024`, or "" for every year.
std::string BuildPeriodsFilter(const PeriodsListOptions& options);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_FILTER_H_
