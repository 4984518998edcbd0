// The API's enums as people type and read them: `--level provincial` or
// `--level 省级`, shown as 省级 in tables and PROVINCIAL in filters and CSV.
#ifndef PORTFOLIO_CLIENT_ENUMS_H_
#define PORTFOLIO_CLIENT_ENUMS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "portfolio/v1/admin.pb.h"
#include "portfolio/v1/resources.pb.h"
#include "portfolio/v1/service.pb.h"

namespace portfolio::client {

// Each Parse function accepts the value's name in any case with `-`, `_`
// or space between words (`new-start`, `NEW_START`), the full proto name
// (`PROJECT_STAGE_NEW_START`), or its Chinese label (新开工). Returns
// INVALID_ARGUMENT listing the accepted words otherwise, or for the
// _UNSPECIFIED value; the message names no flag, so callers prefix one.
absl::StatusOr<v1::ProjectLevel> ParseLevel(absl::string_view text);
absl::StatusOr<v1::ProjectStage> ParseStage(absl::string_view text);
absl::StatusOr<v1::MilestoneKind> ParseMilestoneKind(absl::string_view text);
absl::StatusOr<v1::ProblemCategory> ParseProblemCategory(
    absl::string_view text);
absl::StatusOr<v1::EscalationLevel> ParseEscalation(absl::string_view text);
absl::StatusOr<v1::ProblemState> ParseProblemState(absl::string_view text);
absl::StatusOr<v1::IndicatorKind> ParseIndicatorKind(absl::string_view text);
absl::StatusOr<v1::SummaryDimension> ParseDimension(absl::string_view text);
absl::StatusOr<v1::ImportKind> ParseImportKind(absl::string_view text);
absl::StatusOr<v1::UserRole> ParseRole(absl::string_view text);
// current or baseline (当前计划, 基准计划).
absl::StatusOr<v1::PlanBasis> ParsePlanBasis(absl::string_view text);

// The proto value name without the enum's prefix: PROVINCIAL, NEW_START.
// This is the form filters and CSV use. "" for the _UNSPECIFIED value; the
// number for a value this client does not know.
std::string ShortName(v1::ProjectLevel value);
std::string ShortName(v1::ProjectStage value);
std::string ShortName(v1::MilestoneKind value);
std::string ShortName(v1::ProblemCategory value);
std::string ShortName(v1::EscalationLevel value);
std::string ShortName(v1::ProblemState value);
std::string ShortName(v1::IndicatorKind value);
std::string ShortName(v1::Comparator value);
std::string ShortName(v1::Rag value);
std::string ShortName(v1::SummaryDimension value);
std::string ShortName(v1::UserRole value);
// CURRENT for PLAN_BASIS_UNSPECIFIED too: the API reads it so.
std::string ShortName(v1::PlanBasis value);

// The Chinese label for tables: 省级, 新开工, 开工, 增速, 以上, 红. Falls back
// to ShortName for values without a label.
std::string Label(v1::ProjectLevel value);
std::string Label(v1::ProjectStage value);
std::string Label(v1::MilestoneKind value);
std::string Label(v1::ProblemCategory value);
std::string Label(v1::EscalationLevel value);
std::string Label(v1::ProblemState value);
std::string Label(v1::IndicatorKind value);
std::string Label(v1::Comparator value);
std::string Label(v1::Rag value);
// 当前计划 or 基准计划; 当前计划 for PLAN_BASIS_UNSPECIFIED too.
std::string Label(v1::PlanBasis value);

// A role as `--role` takes it: admin, manager, lead, viewer, service; ""
// for the _UNSPECIFIED value.
std::string RoleWord(v1::UserRole value);

// A task area (chapter) 0..9 from `3` or `三`. INVALID_ARGUMENT otherwise.
absl::StatusOr<int> ParseChapter(absl::string_view text);
// 一..九 for 1..9; "" for 0; the number otherwise.
std::string ChapterLabel(int chapter);

// A summary group's key for people: a level or stage key (PROVINCIAL) as
// its label, a chapter key ("3") as 三, an empty key as （未填）; other keys
// (parks, sectors, leads) as they are.
std::string GroupLabel(v1::SummaryDimension dimension, absl::string_view key);

// The column header for a dimension's groups: 级别 level, 章 chapter ...;
// 分组 group for none.
std::string DimensionHeader(v1::SummaryDimension dimension);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_ENUMS_H_
