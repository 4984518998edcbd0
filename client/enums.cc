#include "client/enums.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/amount.h"
#include "google/protobuf/descriptor.h"

namespace portfolio::client {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;

struct Alias {
  int value;
  const char* text;  // a Chinese label; the first one per value is shown
};

constexpr Alias kLevelAliases[] = {{1, "省级"}, {2, "市级"}, {3, "区级"}};
constexpr Alias kStageAliases[] = {{1, "储备"}, {2, "前期"},  {3, "新开工"},
                                   {4, "续建"}, {5, "竣工"},  {6, "投产"},
                                   {6, "投用"}, {7, "停缓建"}};
constexpr Alias kKindAliases[] = {{1, "开工"}, {2, "主体完工"}, {3, "竣工"},
                                  {4, "投产"}, {5, "入统"},     {6, "其他"}};
constexpr Alias kProblemCategoryAliases[] = {
    {1, "用地"}, {2, "规划"}, {3, "环评"}, {4, "能耗"},
    {4, "能评"}, {5, "资金"}, {6, "征迁"}, {6, "征迁安置"},
    {7, "电力"}, {8, "水气"}, {9, "其他"}};
constexpr Alias kEscalationAliases[] = {{1, "区级"}, {1, "区"},   {2, "市级"},
                                        {2, "市"},   {3, "省级"}, {3, "省"}};
constexpr Alias kProblemStateAliases[] = {
    {1, "待交办"}, {2, "已交办"}, {3, "已销号"}, {3, "销号"}};
constexpr Alias kIndicatorAliases[] = {
    {1, "金额"}, {2, "数量"}, {3, "增速"}, {4, "占比"}, {5, "实物量"}};
constexpr Alias kComparatorAliases[] = {{1, "以上"}, {2, "左右"}, {3, "以内"}};
constexpr Alias kRagAliases[] = {{1, "绿"}, {2, "黄"}, {3, "红"}};
constexpr Alias kDimensionAliases[] = {{1, "级别"}, {2, "章节"}, {3, "园区"},
                                       {4, "产业"}, {5, "阶段"}, {6, "负责人"}};
constexpr Alias kRoleAliases[] = {
    {1, "管理员"}, {2, "调度"}, {3, "负责人"}, {4, "查看"}, {5, "服务"}};
constexpr Alias kBasisAliases[] = {
    {1, "当前计划"}, {1, "当前"}, {2, "基准计划"}, {2, "基准"}};
constexpr Alias kImportAliases[] = {{1, "项目"}, {2, "计划"}, {3, "指标"},
                                    {4, "目标"}, {5, "用户"}, {6, "节点"},
                                    {7, "投资"}, {8, "问题"}, {9, "填报期"}};

constexpr const char* kChapterNumerals[] = {"一", "二", "三", "四", "五",
                                            "六", "七", "八", "九"};

// The value name with the enum's common prefix removed: the prefix is the
// _UNSPECIFIED value's name minus "UNSPECIFIED".
absl::string_view Stripped(const EnumDescriptor* descriptor,
                           const EnumValueDescriptor* value) {
  absl::string_view prefix = descriptor->value(0)->name();
  absl::ConsumeSuffix(&prefix, "UNSPECIFIED");
  absl::string_view name = value->name();
  absl::ConsumePrefix(&name, prefix);
  return name;
}

std::string ShortNameOf(const EnumDescriptor* descriptor, int number) {
  if (number == 0) return "";
  const EnumValueDescriptor* value = descriptor->FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat(number);
  return std::string(Stripped(descriptor, value));
}

template <size_t N>
std::string LabelOf(const EnumDescriptor* descriptor, int number,
                    const Alias (&aliases)[N]) {
  for (const Alias& alias : aliases) {
    if (alias.value == number) return alias.text;
  }
  return ShortNameOf(descriptor, number);
}

// `new-start`, `New_Start`, `NEW START` -> `NEW_START`.
std::string Normalize(absl::string_view text) {
  std::string out(absl::StripAsciiWhitespace(text));
  for (char& c : out) {
    c = (c == '-' || c == ' ') ? '_' : absl::ascii_toupper(c);
  }
  return out;
}

template <size_t N>
absl::StatusOr<int> ParseEnum(const EnumDescriptor* descriptor,
                              absl::string_view text,
                              const Alias (&aliases)[N]) {
  const std::string wanted = Normalize(text);
  std::vector<std::string> words;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const EnumValueDescriptor* value = descriptor->value(i);
    if (value->number() == 0) continue;
    const absl::string_view stripped = Stripped(descriptor, value);
    if (wanted == stripped || wanted == value->name()) return value->number();
    std::string word = absl::AsciiStrToLower(stripped);
    for (char& c : word) c = c == '_' ? '-' : c;
    words.push_back(std::move(word));
  }
  std::vector<std::string> labels;
  for (const Alias& alias : aliases) {
    if (absl::StripAsciiWhitespace(text) == alias.text) return alias.value;
    labels.emplace_back(alias.text);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not one of ", absl::StrJoin(words, ", "),
                   " (or ", absl::StrJoin(labels, ", "), ")"));
}

template <typename Enum, size_t N>
absl::StatusOr<Enum> ParseAs(const EnumDescriptor* descriptor,
                             absl::string_view text,
                             const Alias (&aliases)[N]) {
  absl::StatusOr<int> number = ParseEnum(descriptor, text, aliases);
  if (!number.ok()) return number.status();
  return static_cast<Enum>(*number);
}

}  // namespace

absl::StatusOr<v1::ProjectLevel> ParseLevel(absl::string_view text) {
  return ParseAs<v1::ProjectLevel>(v1::ProjectLevel_descriptor(), text,
                                   kLevelAliases);
}
absl::StatusOr<v1::ProjectStage> ParseStage(absl::string_view text) {
  return ParseAs<v1::ProjectStage>(v1::ProjectStage_descriptor(), text,
                                   kStageAliases);
}
absl::StatusOr<v1::MilestoneKind> ParseMilestoneKind(absl::string_view text) {
  return ParseAs<v1::MilestoneKind>(v1::MilestoneKind_descriptor(), text,
                                    kKindAliases);
}
absl::StatusOr<v1::ProblemCategory> ParseProblemCategory(
    absl::string_view text) {
  return ParseAs<v1::ProblemCategory>(v1::ProblemCategory_descriptor(), text,
                                      kProblemCategoryAliases);
}
absl::StatusOr<v1::EscalationLevel> ParseEscalation(absl::string_view text) {
  return ParseAs<v1::EscalationLevel>(v1::EscalationLevel_descriptor(), text,
                                      kEscalationAliases);
}
absl::StatusOr<v1::ProblemState> ParseProblemState(absl::string_view text) {
  return ParseAs<v1::ProblemState>(v1::ProblemState_descriptor(), text,
                                   kProblemStateAliases);
}
absl::StatusOr<v1::IndicatorKind> ParseIndicatorKind(absl::string_view text) {
  return ParseAs<v1::IndicatorKind>(v1::IndicatorKind_descriptor(), text,
                                    kIndicatorAliases);
}
absl::StatusOr<v1::SummaryDimension> ParseDimension(absl::string_view text) {
  return ParseAs<v1::SummaryDimension>(v1::SummaryDimension_descriptor(), text,
                                       kDimensionAliases);
}
absl::StatusOr<v1::ImportKind> ParseImportKind(absl::string_view text) {
  return ParseAs<v1::ImportKind>(v1::ImportKind_descriptor(), text,
                                 kImportAliases);
}
absl::StatusOr<v1::UserRole> ParseRole(absl::string_view text) {
  return ParseAs<v1::UserRole>(v1::UserRole_descriptor(), text, kRoleAliases);
}
absl::StatusOr<v1::PlanBasis> ParsePlanBasis(absl::string_view text) {
  return ParseAs<v1::PlanBasis>(v1::PlanBasis_descriptor(), text,
                                kBasisAliases);
}

std::string ShortName(v1::ProjectLevel v) {
  return ShortNameOf(v1::ProjectLevel_descriptor(), v);
}
std::string ShortName(v1::ProjectStage v) {
  return ShortNameOf(v1::ProjectStage_descriptor(), v);
}
std::string ShortName(v1::MilestoneKind v) {
  return ShortNameOf(v1::MilestoneKind_descriptor(), v);
}
std::string ShortName(v1::ProblemCategory v) {
  return ShortNameOf(v1::ProblemCategory_descriptor(), v);
}
std::string ShortName(v1::EscalationLevel v) {
  return ShortNameOf(v1::EscalationLevel_descriptor(), v);
}
std::string ShortName(v1::ProblemState v) {
  return ShortNameOf(v1::ProblemState_descriptor(), v);
}
std::string ShortName(v1::IndicatorKind v) {
  return ShortNameOf(v1::IndicatorKind_descriptor(), v);
}
std::string ShortName(v1::Comparator v) {
  return ShortNameOf(v1::Comparator_descriptor(), v);
}
std::string ShortName(v1::Rag v) {
  return ShortNameOf(v1::Rag_descriptor(), v);
}
std::string ShortName(v1::SummaryDimension v) {
  return ShortNameOf(v1::SummaryDimension_descriptor(), v);
}
std::string ShortName(v1::UserRole v) {
  return ShortNameOf(v1::UserRole_descriptor(), v);
}
std::string ShortName(v1::PlanBasis v) {
  return ShortNameOf(v1::PlanBasis_descriptor(), v == v1::PLAN_BASIS_UNSPECIFIED
                                                     ? v1::PLAN_BASIS_CURRENT
                                                     : v);
}

std::string Label(v1::ProjectLevel v) {
  return LabelOf(v1::ProjectLevel_descriptor(), v, kLevelAliases);
}
std::string Label(v1::ProjectStage v) {
  return LabelOf(v1::ProjectStage_descriptor(), v, kStageAliases);
}
std::string Label(v1::MilestoneKind v) {
  return LabelOf(v1::MilestoneKind_descriptor(), v, kKindAliases);
}
std::string Label(v1::ProblemCategory v) {
  return LabelOf(v1::ProblemCategory_descriptor(), v, kProblemCategoryAliases);
}
std::string Label(v1::EscalationLevel v) {
  return LabelOf(v1::EscalationLevel_descriptor(), v, kEscalationAliases);
}
std::string Label(v1::ProblemState v) {
  return LabelOf(v1::ProblemState_descriptor(), v, kProblemStateAliases);
}
std::string Label(v1::IndicatorKind v) {
  return LabelOf(v1::IndicatorKind_descriptor(), v, kIndicatorAliases);
}
std::string Label(v1::Comparator v) {
  return LabelOf(v1::Comparator_descriptor(), v, kComparatorAliases);
}
std::string Label(v1::Rag v) {
  return LabelOf(v1::Rag_descriptor(), v, kRagAliases);
}
std::string Label(v1::PlanBasis v) {
  return LabelOf(v1::PlanBasis_descriptor(),
                 v == v1::PLAN_BASIS_UNSPECIFIED ? v1::PLAN_BASIS_CURRENT : v,
                 kBasisAliases);
}

std::string RoleWord(v1::UserRole value) {
  return absl::AsciiStrToLower(ShortName(value));
}

absl::StatusOr<int> ParseChapter(absl::string_view text) {
  const std::string normal = NormalizeWidth(text);
  text = absl::StripAsciiWhitespace(normal);
  int number = 0;
  std::optional<int> chapter;
  if (absl::SimpleAtoi(text, &number)) chapter = number;
  for (int i = 0; i < 9; ++i) {
    if (text == kChapterNumerals[i]) chapter = i + 1;
  }
  if (!chapter.has_value() || *chapter < 0 || *chapter > 9) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" is not a chapter: expected 1..9 or 一..九"));
  }
  return *chapter;
}

std::string ChapterLabel(int chapter) {
  if (chapter == 0) return "";
  if (chapter >= 1 && chapter <= 9) return kChapterNumerals[chapter - 1];
  return absl::StrCat(chapter);
}

std::string GroupLabel(v1::SummaryDimension dimension, absl::string_view key) {
  if (key.empty()) return "（未填）";
  switch (dimension) {
    case v1::SUMMARY_DIMENSION_LEVEL: {
      absl::StatusOr<v1::ProjectLevel> level = ParseLevel(key);
      return level.ok() ? Label(*level) : std::string(key);
    }
    case v1::SUMMARY_DIMENSION_STAGE: {
      absl::StatusOr<v1::ProjectStage> stage = ParseStage(key);
      return stage.ok() ? Label(*stage) : std::string(key);
    }
    case v1::SUMMARY_DIMENSION_CHAPTER: {
      int chapter = 0;
      return absl::SimpleAtoi(key, &chapter) && chapter >= 1 && chapter <= 9
                 ? ChapterLabel(chapter)
                 : std::string(key);
    }
    default:
      return std::string(key);
  }
}

std::string DimensionHeader(v1::SummaryDimension dimension) {
  switch (dimension) {
    case v1::SUMMARY_DIMENSION_LEVEL:
      return "级别 level";
    case v1::SUMMARY_DIMENSION_CHAPTER:
      return "章 chapter";
    case v1::SUMMARY_DIMENSION_PARK:
      return "园区 park";
    case v1::SUMMARY_DIMENSION_SECTOR:
      return "产业 sector";
    case v1::SUMMARY_DIMENSION_STAGE:
      return "阶段 stage";
    case v1::SUMMARY_DIMENSION_LEAD:
      return "负责人 lead";
    default:
      return "分组 group";
  }
}

}  // namespace portfolio::client
