#include "server/convert.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/clock.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/errors.h"
#include "server/names.h"

namespace portfolio {

const EnumWord kLevelWords[] = {{"provincial", 1, "省级"},
                                {"city", 2, "市级"},
                                {"district", 3, "区级"},
                                {nullptr, 0, nullptr}};
const EnumWord kStageWords[] = {
    {"reserve", 1, "储备"},     {"preparatory", 2, "前期"},
    {"new_start", 3, "新开工"}, {"continuing", 4, "续建"},
    {"completed", 5, "竣工"},   {"in_operation", 6, "投产"},
    {"suspended", 7, "停缓建"}, {nullptr, 0, nullptr}};
const EnumWord kMilestoneKindWords[] = {{"start", 1, "开工"},
                                        {"structure_complete", 2, "主体完工"},
                                        {"completion", 3, "竣工"},
                                        {"in_operation", 4, "投产"},
                                        {"statistics_entry", 5, "入统"},
                                        {"other", 6, "其他"},
                                        {nullptr, 0, nullptr}};
const EnumWord kProblemCategoryWords[] = {{"land", 1, "用地"},
                                          {"planning", 2, "规划"},
                                          {"environmental_approval", 3, "环评"},
                                          {"energy", 4, "能耗"},
                                          {"funding", 5, "资金"},
                                          {"demolition", 6, "征迁"},
                                          {"power", 7, "电力"},
                                          {"water_and_gas", 8, "水气"},
                                          {"other", 9, "其他"},
                                          {nullptr, 0, nullptr}};
const EnumWord kEscalationWords[] = {{"district", 1, "区级"},
                                     {"city", 2, "市级"},
                                     {"province", 3, "省级"},
                                     {nullptr, 0, nullptr}};
const EnumWord kProblemStateWords[] = {{"open", 1, "待交办"},
                                       {"assigned", 2, "已交办"},
                                       {"resolved", 3, "已销号"},
                                       {nullptr, 0, nullptr}};
const EnumWord kIndicatorKindWords[] = {{"amount", 1, "金额"},
                                        {"count", 2, "数量"},
                                        {"growth_rate", 3, "增速"},
                                        {"share", 4, "比重"},
                                        {"physical_quantity", 5, "实物量"},
                                        {nullptr, 0, nullptr}};
const EnumWord kComparatorWords[] = {{"at_least", 1, "以上"},
                                     {"about", 2, "左右"},
                                     {"at_most", 3, "以内"},
                                     {"exactly", 4, "等于"},
                                     {nullptr, 0, nullptr}};
const EnumWord kRoleWords[] = {{"admin", 1, "管理员"}, {"manager", 2, "调度"},
                               {"lead", 3, "负责人"},  {"viewer", 4, "查看"},
                               {"service", 5, "服务"}, {nullptr, 0, nullptr}};

namespace {

// The lowercase prefix of the table's proto value names.
const char* ProtoPrefix(const EnumWord* table) {
  if (table == kLevelWords) return "project_level_";
  if (table == kStageWords) return "project_stage_";
  if (table == kMilestoneKindWords) return "milestone_kind_";
  if (table == kIndicatorKindWords) return "indicator_kind_";
  if (table == kComparatorWords) return "comparator_";
  if (table == kRoleWords) return "user_role_";
  if (table == kProblemCategoryWords) return "problem_category_";
  if (table == kEscalationWords) return "escalation_level_";
  if (table == kProblemStateWords) return "problem_state_";
  return "";
}

}  // namespace

absl::StatusOr<std::string> ParseEnumWord(absl::string_view field,
                                          absl::string_view text,
                                          const EnumWord* table) {
  std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  absl::StrReplaceAll({{"-", "_"}}, &key);
  std::vector<std::string> accepted;
  for (const EnumWord* e = table; e->word != nullptr; ++e) {
    const std::string word = e->word;
    const bool prefixed = key == std::string(ProtoPrefix(table)) + word;
    if (key == word || prefixed || text == e->chinese) return word;
    accepted.push_back(absl::StrCat(word, " (", e->chinese, ")"));
  }
  return FieldError(field, absl::StrCat("\"", text, "\" is not one of ",
                                        absl::StrJoin(accepted, ", ")));
}

absl::StatusOr<std::string> EnumNumberToWord(absl::string_view field,
                                             int number,
                                             const EnumWord* table) {
  if (number == 0) return std::string();
  for (const EnumWord* e = table; e->word != nullptr; ++e) {
    if (e->number == number) return std::string(e->word);
  }
  return FieldError(field, absl::StrCat("unknown enum value ", number));
}

int EnumWordToNumber(absl::string_view word, const EnumWord* table) {
  for (const EnumWord* e = table; e->word != nullptr; ++e) {
    if (word == e->word) return e->number;
  }
  return 0;
}

absl::StatusOr<std::optional<absl::CivilDay>> DateFromProto(
    absl::string_view field, const google::type::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) {
    return std::optional<absl::CivilDay>();
  }
  if (date.year() < kMinYear || date.year() > kMaxYear) {
    return FieldError(field, absl::StrCat("year ", date.year(), " is outside ",
                                          kMinYear, "..", kMaxYear));
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.month() != date.month() || day.day() != date.day()) {
    return FieldError(field, absl::StrCat(date.year(), "-", date.month(), "-",
                                          date.day(), " is not a real day"));
  }
  return std::optional<absl::CivilDay>(day);
}

void DateToProto(const std::optional<absl::CivilDay>& day,
                 google::type::Date* out) {
  if (!day.has_value()) return;
  out->set_year(static_cast<int32_t>(day->year()));
  out->set_month(day->month());
  out->set_day(day->day());
}

void TimeToProto(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rem * 1000));
}

std::string Etag(int64_t version) { return absl::StrCat("v", version); }

absl::Status CheckEtag(absl::string_view given, int64_t version) {
  if (given.empty() || given == Etag(version)) return absl::OkStatus();
  return FieldError(absl::StatusCode::kAborted, "etag",
                    absl::StrCat("\"", given,
                                 "\" is stale; the resource is "
                                 "now at ",
                                 Etag(version), "; read it again and retry"));
}

namespace {

absl::Status CheckChapter(absl::string_view field, int chapter) {
  if (chapter < 0 || chapter > 9) {
    return FieldError(field, absl::StrCat(chapter,
                                          " is not a chapter 1..9 "
                                          "(0 = not stated)"));
  }
  return absl::OkStatus();
}

// An optional amount of yuan: absent, or 0..kMaxAmount.
absl::Status CheckOptionalAmount(absl::string_view field,
                                 const std::optional<int64_t>& value) {
  if (!value.has_value()) return absl::OkStatus();
  return CheckAmount(field, *value, /*allow_zero=*/true);
}

absl::StatusOr<std::vector<YearLevelRecord>> LevelsFromProto(
    const v1::Project& in) {
  std::vector<YearLevelRecord> levels;
  std::set<int> years;
  for (int i = 0; i < in.levels_size(); ++i) {
    const std::string field = absl::StrCat("levels[", i, "]");
    const v1::YearLevel& l = in.levels(i);
    if (l.year() < kMinYear || l.year() > kMaxYear) {
      return FieldError(field + ".year", "must be a year 2000..2100");
    }
    ASSIGN_OR_RETURN(
        std::string word,
        EnumNumberToWord(field + ".level", l.level(), kLevelWords));
    if (word.empty()) return FieldError(field + ".level", "is required");
    if (!years.insert(l.year()).second) {
      return FieldError(field,
                        absl::StrCat("year ", l.year(), " is given twice"));
    }
    levels.push_back({l.year(), word});
  }
  std::sort(levels.begin(), levels.end(),
            [](const auto& a, const auto& b) { return a.year < b.year; });
  return levels;
}

absl::StatusOr<std::vector<std::string>> LeadsFromProto(const v1::Project& in) {
  std::set<std::string> leads;
  for (int i = 0; i < in.leads_size(); ++i) {
    RETURN_IF_ERROR(CheckLength(absl::StrCat("leads[", i, "]"), in.leads(i),
                                kMaxNameChars));
    if (in.leads(i).empty()) {
      return FieldError(absl::StrCat("leads[", i, "]"), "is empty");
    }
    leads.insert(in.leads(i));
  }
  return std::vector<std::string>(leads.begin(), leads.end());
}

// Applies one project field; `field` is a proto field name.
absl::Status ApplyProjectField(const v1::Project& in, const std::string& field,
                               ProjectRecord* out) {
  if (field == "display_name") {
    RETURN_IF_ERROR(CheckLength(field, in.display_name(), kMaxNameChars));
    out->display_name = TrimmedText(in.display_name());
    if (out->display_name.empty()) return FieldError(field, "is required");
  } else if (field == "owner") {
    RETURN_IF_ERROR(CheckLength(field, in.owner(), kMaxNameChars));
    out->owner = TrimmedText(in.owner());
  } else if (field == "chapter") {
    RETURN_IF_ERROR(CheckChapter(field, in.chapter()));
    out->chapter = in.chapter();
  } else if (field == "sector") {
    RETURN_IF_ERROR(CheckLength(field, in.sector(), kMaxNameChars));
    out->sector = TrimmedText(in.sector());
  } else if (field == "park") {
    RETURN_IF_ERROR(CheckLength(field, in.park(), kMaxNameChars));
    out->park = TrimmedText(in.park());
  } else if (field == "levels") {
    ASSIGN_OR_RETURN(out->levels, LevelsFromProto(in));
  } else if (field == "stage") {
    ASSIGN_OR_RETURN(out->stage,
                     EnumNumberToWord(field, in.stage(), kStageWords));
  } else if (field == "total_investment") {
    out->total_investment = in.has_total_investment()
                                ? std::optional<int64_t>(in.total_investment())
                                : std::nullopt;
    RETURN_IF_ERROR(CheckOptionalAmount(field, out->total_investment));
  } else if (field == "planned_start") {
    ASSIGN_OR_RETURN(out->planned_start,
                     DateFromProto(field, in.planned_start()));
  } else if (field == "planned_end") {
    ASSIGN_OR_RETURN(out->planned_end, DateFromProto(field, in.planned_end()));
  } else if (field == "national_code") {
    RETURN_IF_ERROR(CheckLength(field, in.national_code(), kMaxNameChars));
    out->national_code = TrimmedText(in.national_code());
  } else if (field == "capacity") {
    RETURN_IF_ERROR(CheckLength(field, in.capacity(), kMaxTextChars));
    out->capacity = TrimmedText(in.capacity());
  } else if (field == "leads") {
    ASSIGN_OR_RETURN(out->leads, LeadsFromProto(in));
  } else if (field == "source") {
    RETURN_IF_ERROR(CheckLength(field, in.source(), kMaxTextChars));
    out->source = TrimmedText(in.source());
  } else {
    return FieldError(
        "update_mask",
        absl::StrCat("\"", field, "\" is not a writable project field"));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<std::string>& ProjectWritableFields() {
  static const auto* fields = new std::vector<std::string>{
      "display_name",  "owner",       "chapter",       "sector",
      "park",          "levels",      "stage",         "total_investment",
      "planned_start", "planned_end", "national_code", "capacity",
      "leads",         "source"};
  return *fields;
}

void ProjectToProto(const ProjectRecord& r, v1::Project* out) {
  out->set_name(absl::StrCat("projects/", r.id));
  out->set_display_name(r.display_name);
  out->set_owner(r.owner);
  out->set_chapter(r.chapter);
  out->set_sector(r.sector);
  out->set_park(r.park);
  for (const YearLevelRecord& l : r.levels) {
    v1::YearLevel* level = out->add_levels();
    level->set_year(l.year);
    level->set_level(
        static_cast<v1::ProjectLevel>(EnumWordToNumber(l.level, kLevelWords)));
  }
  out->set_stage(
      static_cast<v1::ProjectStage>(EnumWordToNumber(r.stage, kStageWords)));
  if (r.total_investment.has_value()) {
    out->set_total_investment(*r.total_investment);
  }
  DateToProto(r.planned_start, out->mutable_planned_start());
  DateToProto(r.planned_end, out->mutable_planned_end());
  if (!r.planned_start.has_value()) out->clear_planned_start();
  if (!r.planned_end.has_value()) out->clear_planned_end();
  out->set_national_code(r.national_code);
  out->set_capacity(r.capacity);
  for (const std::string& lead : r.leads) out->add_leads(lead);
  out->set_source(r.source);
  out->set_etag(Etag(r.version));
  TimeToProto(r.create_time, out->mutable_create_time());
  TimeToProto(r.update_time, out->mutable_update_time());
}

absl::Status ApplyProject(const v1::Project& in,
                          const std::vector<std::string>& paths,
                          ProjectRecord* out) {
  for (const std::string& path : paths) {
    RETURN_IF_ERROR(ApplyProjectField(in, path, out));
  }
  // Checked when either date is written, so an update of other fields
  // never fails on dates stored before this check existed.
  const bool end_written =
      std::find(paths.begin(), paths.end(), "planned_end") != paths.end();
  const bool start_written =
      std::find(paths.begin(), paths.end(), "planned_start") != paths.end();
  return (end_written || start_written)
             ? CheckProjectDates(*out,
                                 end_written ? "planned_end" : "planned_start")
             : absl::OkStatus();
}

absl::Status CheckProjectDates(const ProjectRecord& p,
                               absl::string_view field) {
  if (p.planned_start.has_value() && p.planned_end.has_value() &&
      *p.planned_end < *p.planned_start) {
    return FieldError(
        field, absl::StrCat("the planned end ", FormatDate(*p.planned_end),
                            " is before the planned start ",
                            FormatDate(*p.planned_start)));
  }
  return absl::OkStatus();
}

void PlanToProto(const PlanRecord& r, v1::AnnualPlan* out) {
  out->set_name(absl::StrCat("projects/", r.project_id, "/plans/", r.year));
  out->set_year(r.year);
  out->set_amount(r.amount);
  for (int64_t m : r.monthly) out->add_monthly(m);
  out->set_etag(Etag(r.version));
  TimeToProto(r.update_time, out->mutable_update_time());
  out->set_updated_by(r.updated_by);
  out->set_revision(r.revision);
  out->set_revision_reason(r.revision_reason);
  out->set_baseline_amount(r.baseline_amount);
}

void MilestoneToProto(const MilestoneRecord& r, v1::Milestone* out) {
  out->set_name(absl::StrCat("projects/", r.project_id, "/milestones/", r.id));
  out->set_kind(static_cast<v1::MilestoneKind>(
      EnumWordToNumber(r.kind, kMilestoneKindWords)));
  out->set_display_name(r.display_name);
  if (r.planned_date) DateToProto(r.planned_date, out->mutable_planned_date());
  if (r.forecast_date) {
    DateToProto(r.forecast_date, out->mutable_forecast_date());
  }
  if (r.actual_date) DateToProto(r.actual_date, out->mutable_actual_date());
  out->set_etag(Etag(r.version));
  TimeToProto(r.update_time, out->mutable_update_time());
}

void EntryToProto(const EntryRecord& r, v1::InvestmentEntry* out) {
  out->set_name(absl::StrCat("projects/", r.project_id, "/investments/", r.id));
  out->mutable_period()->set_year(static_cast<int32_t>(r.period.year()));
  out->mutable_period()->set_month(r.period.month());
  out->set_amount(r.amount);
  out->set_reported_by(r.reported_by);
  TimeToProto(r.report_time, out->mutable_report_time());
  out->set_note(r.note);
  out->set_request_id(r.request_id);
  if (r.corrects.has_value()) {
    out->set_corrects(
        absl::StrCat("projects/", r.project_id, "/investments/", *r.corrects));
  }
  out->set_reason(r.reason);
}

absl::StatusOr<std::string> CheckDecimal(absl::string_view field,
                                         absl::string_view value) {
  absl::string_view s = absl::StripAsciiWhitespace(value);
  std::string out;
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') out.push_back('-');
    ++i;
  }
  bool digits = false, dot = false, frac_digits = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      (dot ? frac_digits : digits) = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      digits = false;
      break;
    }
    out.push_back(c);
  }
  if (!digits || (dot && !frac_digits) || s.size() > 40) {
    return FieldError(field, absl::StrCat("\"", value,
                                          "\" is not a plain decimal number "
                                          "(e.g. 6, 110, 193.9)"));
  }
  return out;
}

void IndicatorToProto(const IndicatorRecord& r, v1::Indicator* out) {
  out->set_name(absl::StrCat("indicators/", r.id));
  out->set_display_name(r.display_name);
  out->set_unit(r.unit);
  out->set_chapter(r.chapter);
  out->set_kind(static_cast<v1::IndicatorKind>(
      EnumWordToNumber(r.kind, kIndicatorKindWords)));
  for (const IndicatorTargetRecord& t : r.targets) {
    v1::IndicatorTarget* target = out->add_targets();
    target->set_year(t.year);
    target->set_comparator(static_cast<v1::Comparator>(
        EnumWordToNumber(t.comparator, kComparatorWords)));
    target->set_value(t.value);
    target->set_source(t.source);
  }
  for (const IndicatorValueRecord& v : r.values) {
    v1::IndicatorValue* value = out->add_values();
    value->set_year(v.year);
    value->set_month(v.month);
    value->set_value(v.value);
    value->set_source(v.source);
    value->set_recorded_by(v.recorded_by);
    TimeToProto(v.record_time, value->mutable_record_time());
  }
  out->set_etag(Etag(r.version));
  TimeToProto(r.update_time, out->mutable_update_time());
}

const std::vector<std::string>& IndicatorWritableFields() {
  static const auto* fields = new std::vector<std::string>{
      "display_name", "unit", "chapter", "kind", "targets"};
  return *fields;
}

absl::Status CheckIndicatorSign(absl::string_view field, absl::string_view kind,
                                absl::string_view value) {
  if (!absl::StartsWith(value, "-") ||
      value.find_first_not_of("-0.") == absl::string_view::npos ||
      kind.empty() || kind == "growth_rate") {
    return absl::OkStatus();
  }
  return FieldError(
      field, absl::StrCat(value, " is below zero, which an indicator of kind ",
                          kind, " cannot be (only a growth rate can)"));
}

namespace {

absl::StatusOr<std::vector<IndicatorTargetRecord>> TargetsFromProto(
    const v1::Indicator& in) {
  std::vector<IndicatorTargetRecord> targets;
  std::set<int> years;
  for (int i = 0; i < in.targets_size(); ++i) {
    const std::string field = absl::StrCat("targets[", i, "]");
    const v1::IndicatorTarget& t = in.targets(i);
    if (t.year() < kMinYear || t.year() > kMaxYear) {
      return FieldError(field + ".year", "must be a year 2000..2100");
    }
    if (!years.insert(t.year()).second) {
      return FieldError(field,
                        absl::StrCat("year ", t.year(), " is given twice"));
    }
    IndicatorTargetRecord r;
    r.year = t.year();
    ASSIGN_OR_RETURN(r.comparator,
                     EnumNumberToWord(field + ".comparator", t.comparator(),
                                      kComparatorWords));
    if (r.comparator.empty()) {
      return FieldError(field + ".comparator", "is required");
    }
    ASSIGN_OR_RETURN(r.value, CheckDecimal(field + ".value", t.value()));
    RETURN_IF_ERROR(CheckLength(field + ".source", t.source(), kMaxTextChars));
    r.source = t.source();
    targets.push_back(std::move(r));
  }
  std::sort(targets.begin(), targets.end(),
            [](const auto& a, const auto& b) { return a.year < b.year; });
  return targets;
}

}  // namespace

absl::Status ApplyIndicator(const v1::Indicator& in,
                            const std::vector<std::string>& paths,
                            IndicatorRecord* out) {
  for (const std::string& field : paths) {
    if (field == "display_name") {
      RETURN_IF_ERROR(CheckLength(field, in.display_name(), kMaxNameChars));
      if (in.display_name().empty()) return FieldError(field, "is required");
      out->display_name = in.display_name();
    } else if (field == "unit") {
      RETURN_IF_ERROR(CheckLength(field, in.unit(), 20));
      out->unit = in.unit();
    } else if (field == "chapter") {
      RETURN_IF_ERROR(CheckChapter(field, in.chapter()));
      out->chapter = in.chapter();
    } else if (field == "kind") {
      ASSIGN_OR_RETURN(out->kind,
                       EnumNumberToWord(field, in.kind(), kIndicatorKindWords));
    } else if (field == "targets") {
      ASSIGN_OR_RETURN(out->targets, TargetsFromProto(in));
    } else {
      return FieldError(
          "update_mask",
          absl::StrCat("\"", field, "\" is not a writable indicator field"));
    }
  }
  // After every path, since the kind and the targets may come in either
  // order; a target not sent here is named by the kind that refuses it.
  for (const IndicatorTargetRecord& t : out->targets) {
    std::string field = "kind";
    for (int i = 0; i < in.targets_size(); ++i) {
      if (in.targets(i).year() == t.year &&
          std::find(paths.begin(), paths.end(), "targets") != paths.end()) {
        field = absl::StrCat("targets[", i, "].value");
      }
    }
    RETURN_IF_ERROR(CheckIndicatorSign(field, out->kind, t.value));
  }
  return absl::OkStatus();
}

void PortfolioToProto(const PortfolioRecord& r, v1::Portfolio* out) {
  out->set_name(absl::StrCat("portfolios/", r.year));
  out->set_year(r.year);
  if (r.project_count_target)
    out->set_project_count_target(*r.project_count_target);
  if (r.investment_target) out->set_investment_target(*r.investment_target);
  if (r.provincial_count_target) {
    out->set_provincial_count_target(*r.provincial_count_target);
  }
  if (r.city_count_target) out->set_city_count_target(*r.city_count_target);
  if (r.project_count_actual)
    out->set_project_count_actual(*r.project_count_actual);
  if (r.total_investment_actual) {
    out->set_total_investment_actual(*r.total_investment_actual);
  }
  if (r.provincial_count_actual) {
    out->set_provincial_count_actual(*r.provincial_count_actual);
  }
  if (r.city_count_actual) out->set_city_count_actual(*r.city_count_actual);
  if (r.fixed_asset_investment_actual) {
    out->set_fixed_asset_investment_actual(*r.fixed_asset_investment_actual);
  }
  out->set_source(r.source);
  out->set_etag(Etag(r.version));
  TimeToProto(r.update_time, out->mutable_update_time());
}

const std::vector<std::string>& PortfolioWritableFields() {
  static const auto* fields = new std::vector<std::string>{
      "project_count_target",          "investment_target",
      "provincial_count_target",       "city_count_target",
      "project_count_actual",          "total_investment_actual",
      "provincial_count_actual",       "city_count_actual",
      "fixed_asset_investment_actual", "source"};
  return *fields;
}

absl::Status ApplyPortfolio(const v1::Portfolio& in,
                            const std::vector<std::string>& paths,
                            PortfolioRecord* out) {
  // Each optional figure: (name, has, value, slot).
  struct Figure {
    const char* name;
    bool has;
    int64_t value;
    std::optional<int64_t>* slot;
  };
  const Figure figures[] = {
      {"project_count_target", in.has_project_count_target(),
       in.project_count_target(), &out->project_count_target},
      {"investment_target", in.has_investment_target(), in.investment_target(),
       &out->investment_target},
      {"provincial_count_target", in.has_provincial_count_target(),
       in.provincial_count_target(), &out->provincial_count_target},
      {"city_count_target", in.has_city_count_target(), in.city_count_target(),
       &out->city_count_target},
      {"project_count_actual", in.has_project_count_actual(),
       in.project_count_actual(), &out->project_count_actual},
      {"total_investment_actual", in.has_total_investment_actual(),
       in.total_investment_actual(), &out->total_investment_actual},
      {"provincial_count_actual", in.has_provincial_count_actual(),
       in.provincial_count_actual(), &out->provincial_count_actual},
      {"city_count_actual", in.has_city_count_actual(), in.city_count_actual(),
       &out->city_count_actual},
      {"fixed_asset_investment_actual", in.has_fixed_asset_investment_actual(),
       in.fixed_asset_investment_actual(), &out->fixed_asset_investment_actual},
  };
  for (const std::string& path : paths) {
    if (path == "source") {
      RETURN_IF_ERROR(CheckLength(path, in.source(), kMaxTextChars));
      out->source = in.source();
      continue;
    }
    bool known = false;
    for (const Figure& f : figures) {
      if (path != f.name) continue;
      known = true;
      if (f.has) {
        RETURN_IF_ERROR(CheckAmount(path, f.value, /*allow_zero=*/true));
      }
      *f.slot = f.has ? std::optional<int64_t>(f.value) : std::nullopt;
    }
    if (!known) {
      return FieldError(
          "update_mask",
          absl::StrCat("\"", path, "\" is not a writable portfolio field"));
    }
  }
  return absl::OkStatus();
}

void StatusToProto(const ProjectBrief& project, const ProjectStatusResult& s,
                   v1::ProjectStatus* out) {
  out->set_project(absl::StrCat("projects/", project.id));
  out->set_display_name(project.display_name);
  out->set_year(s.year);
  out->set_as_of_month(s.as_of_month);
  out->set_annual_plan(s.annual_plan);
  out->set_planned_to_date(s.planned_to_date);
  out->set_completed_to_date(s.completed_to_date);
  out->set_completion_rate(s.completion_rate);
  out->set_time_elapsed(s.time_elapsed);
  out->set_gap_points(s.gap_points);
  out->set_rag(static_cast<v1::Rag>(s.rag));
  for (const Reason& r : s.reasons) {
    v1::StatusReason* reason = out->add_reasons();
    reason->set_code(static_cast<v1::StatusReason::Code>(r.code));
    reason->set_rag(static_cast<v1::Rag>(r.rag));
    reason->set_value(r.value);
    if (!r.milestone.empty()) {
      reason->set_milestone(
          absl::StrCat("projects/", project.id, "/milestones/", r.milestone));
    }
    if (!r.problem.empty()) {
      reason->set_problem(
          absl::StrCat("projects/", project.id, "/problems/", r.problem));
    }
    reason->set_message(ReasonMessage(r, s.year));
  }
  out->set_open_problem_count(s.open_problems);
  out->set_overdue_problem_count(s.overdue_problems);
}

void ProblemToProto(const ProblemRecord& r, absl::CivilDay today,
                    v1::Problem* out) {
  out->set_name(absl::StrCat("projects/", r.project_id, "/problems/", r.id));
  out->set_category(static_cast<v1::ProblemCategory>(
      EnumWordToNumber(r.category, kProblemCategoryWords)));
  out->set_description(r.description);
  out->set_responsible_unit(r.responsible_unit);
  if (r.deadline) DateToProto(r.deadline, out->mutable_deadline());
  out->set_escalation(static_cast<v1::EscalationLevel>(
      EnumWordToNumber(r.escalation, kEscalationWords)));
  out->set_state(static_cast<v1::ProblemState>(
      EnumWordToNumber(r.state, kProblemStateWords)));
  out->set_resolution(r.resolution);
  out->set_opened_by(r.opened_by);
  TimeToProto(r.create_time, out->mutable_create_time());
  out->set_assigned_by(r.assigned_by);
  if (r.assign_time) TimeToProto(*r.assign_time, out->mutable_assign_time());
  out->set_resolved_by(r.resolved_by);
  if (r.resolve_time) {
    TimeToProto(*r.resolve_time, out->mutable_resolve_time());
  }
  const absl::TimeZone tz = DistrictTimeZone();
  const absl::CivilDay opened = absl::ToCivilDay(r.create_time, tz);
  const absl::CivilDay until =
      r.resolve_time ? absl::ToCivilDay(*r.resolve_time, tz) : today;
  out->set_age_days(static_cast<int32_t>(std::max<int64_t>(0, until - opened)));
  out->set_overdue(r.state != "resolved" && r.deadline && *r.deadline < today);
  out->set_etag(Etag(r.version));
  TimeToProto(r.update_time, out->mutable_update_time());
}

absl::StatusOr<absl::CivilMonth> PeriodFromProto(absl::string_view field,
                                                 const v1::YearMonth& period) {
  if (period.year() == 0 && period.month() == 0) {
    return FieldError(field, "is required (year and month)");
  }
  if (period.year() < kMinYear || period.year() > kMaxYear) {
    return FieldError(
        absl::StrCat(field, ".year"),
        absl::StrCat(period.year(), " is outside ", kMinYear, "..", kMaxYear));
  }
  if (period.month() < 1 || period.month() > 12) {
    return FieldError(absl::StrCat(field, ".month"),
                      absl::StrCat(period.month(), " is not a month 1..12"));
  }
  return absl::CivilMonth(period.year(), period.month());
}

}  // namespace portfolio
