// Conversion between wire messages (portfolio.v1) and storage records, with
// the validation of every writable field. The only place that knows both.
#ifndef PORTFOLIO_SERVER_CONVERT_H_
#define PORTFOLIO_SERVER_CONVERT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "portfolio/v1/resources.pb.h"
#include "server/progress.h"
#include "storage/records.h"

namespace portfolio {

// One value of an enumeration: its storage word, its proto number, and the
// Chinese term people also type.
struct EnumWord {
  const char* word;
  int number;
  const char* chinese;
};

// The enumerations' tables, each ending with {nullptr, 0, nullptr}.
extern const EnumWord kLevelWords[];
extern const EnumWord kStageWords[];
extern const EnumWord kMilestoneKindWords[];
extern const EnumWord kIndicatorKindWords[];
extern const EnumWord kComparatorWords[];
extern const EnumWord kProblemCategoryWords[];
extern const EnumWord kEscalationWords[];
extern const EnumWord kProblemStateWords[];
// User roles (admin.proto UserRole).
extern const EnumWord kRoleWords[];

// Reads an enum value as people write it: the storage word (`new_start`),
// the proto name with or without its prefix in any case
// (`PROJECT_STAGE_NEW_START`, `NEW_START`), a hyphenated word
// (`new-start`) or the Chinese term (`新开工`). INVALID_ARGUMENT naming
// `field` and listing the accepted words otherwise.
absl::StatusOr<std::string> ParseEnumWord(absl::string_view field,
                                          absl::string_view text,
                                          const EnumWord* table);
// The storage word of a proto enum number; "" for 0 (unspecified).
// INVALID_ARGUMENT naming `field` for a number the table does not know.
absl::StatusOr<std::string> EnumNumberToWord(absl::string_view field,
                                             int number, const EnumWord* table);
// The proto number of a storage word; 0 for "" or an unknown word.
int EnumWordToNumber(absl::string_view word, const EnumWord* table);

// Dates: an all-zero google.type.Date means "not set".
absl::StatusOr<std::optional<absl::CivilDay>> DateFromProto(
    absl::string_view field, const google::type::Date& date);
void DateToProto(const std::optional<absl::CivilDay>& day,
                 google::type::Date* out);
void TimeToProto(absl::Time t, google::protobuf::Timestamp* out);

// `v{version}`.
std::string Etag(int64_t version);
// ABORTED naming `etag` when `given` is non-empty and differs.
absl::Status CheckEtag(absl::string_view given, int64_t version);

// Project.
void ProjectToProto(const ProjectRecord& r, v1::Project* out);
// Copies the fields in `paths` (proto field names) from `in` into `out`,
// validating each. INVALID_ARGUMENT naming the field for a bad value or an
// unknown or read-only path.
absl::Status ApplyProject(const v1::Project& in,
                          const std::vector<std::string>& paths,
                          ProjectRecord* out);
// INVALID_ARGUMENT naming `field` when `p` is planned to end before it
// starts; OK when either date is unset.
absl::Status CheckProjectDates(const ProjectRecord& p, absl::string_view field);
// The writable project fields, for a create or an update without a mask.
const std::vector<std::string>& ProjectWritableFields();

void PlanToProto(const PlanRecord& r, v1::AnnualPlan* out);
void MilestoneToProto(const MilestoneRecord& r, v1::Milestone* out);
void EntryToProto(const EntryRecord& r, v1::InvestmentEntry* out);

void IndicatorToProto(const IndicatorRecord& r, v1::Indicator* out);
// As ApplyProject, for indicators (display_name, unit, chapter, kind,
// targets).
absl::Status ApplyIndicator(const v1::Indicator& in,
                            const std::vector<std::string>& paths,
                            IndicatorRecord* out);
const std::vector<std::string>& IndicatorWritableFields();
// INVALID_ARGUMENT naming `field` unless `value` is a plain decimal
// ("6", "-0.5", "193.9"). Returns it canonical (no leading '+').
absl::StatusOr<std::string> CheckDecimal(absl::string_view field,
                                         absl::string_view value);
// INVALID_ARGUMENT naming `field` when `value` (a canonical decimal, as
// CheckDecimal returns) is below zero and the indicator's `kind` (its
// word: amount, count, share, physical_quantity) cannot be: only a growth
// rate, or an indicator of no stated kind, may fall below zero.
absl::Status CheckIndicatorSign(absl::string_view field, absl::string_view kind,
                                absl::string_view value);

void PortfolioToProto(const PortfolioRecord& r, v1::Portfolio* out);
// As ApplyProject, for portfolios (every optional figure and source).
absl::Status ApplyPortfolio(const v1::Portfolio& in,
                            const std::vector<std::string>& paths,
                            PortfolioRecord* out);
const std::vector<std::string>& PortfolioWritableFields();

void StatusToProto(const ProjectBrief& project,
                   const ProjectStatusResult& status, v1::ProjectStatus* out);

// A problem with its age and overdue flag judged on `today` (the
// district's civil day).
void ProblemToProto(const ProblemRecord& r, absl::CivilDay today,
                    v1::Problem* out);

// A reporting period from the wire: INVALID_ARGUMENT naming `field` when
// the year or month is out of range.
absl::StatusOr<absl::CivilMonth> PeriodFromProto(absl::string_view field,
                                                 const v1::YearMonth& period);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_CONVERT_H_
