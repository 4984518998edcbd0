#include "server/project_filter.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/errors.h"
#include "server/filter.h"

namespace portfolio {

absl::StatusOr<ProjectFilter> ParseProjectFilter(
    absl::string_view filter, int default_year,
    const std::set<std::string>& extra_fields,
    std::map<std::string, std::string>* extra) {
  std::set<std::string> allowed = {"level",  "year",  "chapter", "park",
                                   "sector", "stage", "lead"};
  allowed.insert(extra_fields.begin(), extra_fields.end());
  ASSIGN_OR_RETURN(auto terms, ParseFilter(filter, allowed));
  ProjectFilter f;
  f.level_year = default_year;
  for (const auto& [field, value] : terms) {
    if (field == "level") {
      ASSIGN_OR_RETURN(f.level,
                       ParseEnumWord("filter.level", value, kLevelWords));
    } else if (field == "year") {
      if (!absl::SimpleAtoi(value, &f.level_year) || f.level_year < 2000 ||
          f.level_year > 2100) {
        return FieldError("filter.year",
                          absl::StrCat("\"", value, "\" is not a year"));
      }
    } else if (field == "chapter") {
      int chapter = 0;
      if (!absl::SimpleAtoi(value, &chapter) || chapter < 0 || chapter > 9) {
        return FieldError(
            "filter.chapter",
            absl::StrCat("\"", value, "\" is not a chapter 1..9"));
      }
      f.chapter = chapter;
    } else if (field == "park") {
      f.park = value;
    } else if (field == "sector") {
      f.sector = value;
    } else if (field == "stage") {
      ASSIGN_OR_RETURN(f.stage,
                       ParseEnumWord("filter.stage", value, kStageWords));
    } else if (field == "lead") {
      f.lead = value;
    } else if (extra != nullptr) {
      (*extra)[field] = value;
    }
  }
  return f;
}

}  // namespace portfolio
