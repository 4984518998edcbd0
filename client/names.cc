#include "client/names.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/errors.h"

namespace portfolio::client {
namespace {

// Accepts `parent_id/child_id` or `projects/parent_id/collection/child_id`.
// Names are trimmed first, as amounts and periods are: a space pasted
// with an id is never part of it.
absl::StatusOr<std::string> ChildName(absl::string_view raw,
                                      absl::string_view collection,
                                      absl::string_view what,
                                      absl::string_view example) {
  const absl::string_view text = absl::StripAsciiWhitespace(raw);
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  bool ok = false;
  std::string name;
  if (parts.size() == 2) {
    ok = true;
    name = absl::StrCat("projects/", parts[0], "/", collection, "/", parts[1]);
  } else if (parts.size() == 4 && parts[0] == "projects" &&
             parts[2] == collection) {
    ok = true;
    name = std::string(text);
  }
  for (absl::string_view part : parts) ok = ok && !part.empty();
  if (!ok) {
    return UsageError(absl::StrCat("\"", text, "\" is not a ", what,
                                   ": expected PROJECT/ID or ", example));
  }
  return name;
}

absl::StatusOr<std::string> TopLevelName(absl::string_view raw,
                                         absl::string_view collection,
                                         absl::string_view what) {
  const absl::string_view text = absl::StripAsciiWhitespace(raw);
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  absl::string_view id;
  if (parts.size() == 1) {
    id = parts[0];
  } else if (parts.size() == 2 && parts[0] == collection) {
    id = parts[1];
  }
  if (id.empty()) {
    return UsageError(absl::StrCat("\"", text, "\" is not a ", what,
                                   ": expected ID or ", collection, "/ID"));
  }
  return absl::StrCat(collection, "/", id);
}

}  // namespace

absl::StatusOr<std::string> ProjectName(absl::string_view text) {
  return TopLevelName(text, "projects", "project");
}

absl::StatusOr<std::string> MilestoneName(absl::string_view text) {
  return ChildName(text, "milestones", "milestone",
                   "projects/PROJECT/milestones/ID");
}

absl::StatusOr<std::string> ProblemName(absl::string_view text) {
  return ChildName(text, "problems", "problem", "projects/PROJECT/problems/ID");
}

absl::StatusOr<std::string> InvestmentEntryName(absl::string_view text) {
  return ChildName(text, "investments", "ledger entry",
                   "projects/PROJECT/investments/ID");
}

absl::StatusOr<std::string> IndicatorName(absl::string_view text) {
  return TopLevelName(text, "indicators", "indicator");
}

absl::StatusOr<std::string> UserName(absl::string_view text) {
  return TopLevelName(text, "users", "user");
}

absl::StatusOr<std::string> TokenName(absl::string_view text) {
  absl::string_view rest = text;
  if (absl::ConsumePrefix(&rest, "pf_")) {
    const size_t end = rest.find('_');
    return UsageError(
        absl::StrCat("that is a token's secret, not its id; give the id",
                     end == absl::string_view::npos || end == 0
                         ? ""
                         : absl::StrCat(" (", rest.substr(0, end), ")"),
                     " instead, as `portfolio tokens list` shows it"));
  }
  return TopLevelName(text, "tokens", "token");
}

std::string ShortMethodName(absl::string_view method) {
  absl::string_view full = method;
  absl::ConsumePrefix(&full, "/");
  const size_t slash = full.find('/');
  if (slash == absl::string_view::npos) return std::string(method);
  const size_t dot = full.substr(0, slash).rfind('.');
  if (dot == absl::string_view::npos) return std::string(method);
  return std::string(full.substr(dot + 1));
}

std::string LastSegment(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name
                                                      : name.substr(slash + 1));
}

std::string ProjectIdOf(absl::string_view name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() < 2 || parts[0] != "projects") return "";
  return std::string(parts[1]);
}

}  // namespace portfolio::client
