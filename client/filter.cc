#include "client/filter.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/enums.h"
#include "common/period.h"

namespace portfolio::client {

std::string QuoteFilterValue(absl::string_view value) {
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

FilterBuilder& FilterBuilder::AddString(absl::string_view field,
                                        absl::string_view value) {
  terms_.push_back(absl::StrCat(field, " = ", QuoteFilterValue(value)));
  return *this;
}

FilterBuilder& FilterBuilder::AddEnum(absl::string_view field,
                                      absl::string_view value) {
  terms_.push_back(absl::StrCat(field, " = ", value));
  return *this;
}

FilterBuilder& FilterBuilder::AddInt(absl::string_view field, int64_t value) {
  terms_.push_back(absl::StrCat(field, " = ", value));
  return *this;
}

FilterBuilder& FilterBuilder::AddBool(absl::string_view field, bool value) {
  terms_.push_back(absl::StrCat(field, " = ", value ? "true" : "false"));
  return *this;
}

FilterBuilder& FilterBuilder::AddExpression(absl::string_view expression) {
  expression = absl::StripAsciiWhitespace(expression);
  if (!expression.empty()) terms_.emplace_back(expression);
  return *this;
}

std::string FilterBuilder::Build() const {
  return absl::StrJoin(terms_, " AND ");
}

std::string BuildProjectFilter(const ProjectFilterOptions& options) {
  FilterBuilder filter;
  if (options.level.has_value())
    filter.AddEnum("level", ShortName(*options.level));
  if (options.year.has_value()) filter.AddInt("year", *options.year);
  if (options.chapter.has_value()) filter.AddInt("chapter", *options.chapter);
  if (options.park.has_value()) filter.AddString("park", *options.park);
  if (options.sector.has_value()) filter.AddString("sector", *options.sector);
  if (options.stage.has_value())
    filter.AddEnum("stage", ShortName(*options.stage));
  if (options.lead.has_value()) filter.AddString("lead", *options.lead);
  filter.AddExpression(options.expression);
  return filter.Build();
}

std::string BuildAuditFilter(const AuditListOptions& options) {
  FilterBuilder filter;
  if (options.project.has_value())
    filter.AddString("project", *options.project);
  if (options.user.has_value()) filter.AddString("user", *options.user);
  if (options.since.has_value()) {
    filter.AddString("since", FormatDate(*options.since));
  }
  return filter.Build();
}

std::string BuildStatusFilter(const StatusListOptions& options) {
  FilterBuilder filter;
  if (options.rag.has_value()) filter.AddEnum("rag", ShortName(*options.rag));
  if (options.missing_only) filter.AddBool("missing", true);
  filter.AddExpression(options.filter);
  return filter.Build();
}

std::string BuildPeriodsFilter(const PeriodsListOptions& options) {
  FilterBuilder filter;
  if (options.year.has_value()) filter.AddInt("year", *options.year);
  return filter.Build();
}

}  // namespace portfolio::client
