#include "tools/demo/scenario_text.h"

#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/period.h"
#include "tools/demo/scenario.h"

namespace portfolio::demo {
namespace {

constexpr ProblemText kProblems[] = {
    {v1::PROBLEM_CATEGORY_LAND,
     18,
     {"二期用地指标尚未落实，土地组卷报批未完成",
      "项目红线内有一般耕地需调整，影响施工进场"},
     "区自然资源局",
     "用地组卷报批完成，已取得用地批复"},
    {v1::PROBLEM_CATEGORY_PLANNING,
     10,
     {"规划设计方案尚未批复，施工许可无法办理",
      "规划条件与控制性详细规划不一致，需调整控规"},
     "区自然资源局（规划）",
     "规划方案已批复，施工许可已办理"},
    {v1::PROBLEM_CATEGORY_ENVIRONMENTAL_APPROVAL,
     10,
     {"环评报告书尚在审批中，影响设备安装",
      "主要污染物排放总量指标未落实，环评批复受阻"},
     "市生态环境局茌平分局",
     "环评已批复，总量指标已调剂到位"},
    {v1::PROBLEM_CATEGORY_ENERGY,
     8,
     {"能耗指标缺口较大，节能审查未通过", "新增用能需上级统筹解决能耗指标"},
     "区发展和改革局",
     "能耗指标已统筹解决，节能审查通过"},
    {v1::PROBLEM_CATEGORY_FUNDING,
     18,
     {"专项债资金拨付滞后，工程款支付困难", "银行贷款审批未完成，资金到位率低"},
     "区财政局",
     "资金已拨付到位，工程款按进度支付"},
    {v1::PROBLEM_CATEGORY_DEMOLITION,
     14,
     {"红线内仍有部分房屋未完成征收，影响施工进场",
      "地上附着物清表补偿未达成一致"},
     "属地镇街、区征收服务中心",
     "征收清表完成，施工场地已移交"},
    {v1::PROBLEM_CATEGORY_POWER,
     8,
     {"施工临时用电容量不足，需增容改造",
      "配套变电站接入方案未确定，影响设备调试"},
     "国网茌平区供电公司",
     "增容改造完成，已正常供电"},
    {v1::PROBLEM_CATEGORY_WATER_AND_GAS,
     6,
     {"天然气管网未铺设到位，影响设备调试", "供水管道接入未完成，影响试生产"},
     "区水务局、燃气公司",
     "管网已接通，满足生产需要"},
    {v1::PROBLEM_CATEGORY_OTHER,
     8,
     {"施工图审查意见整改未完成", "大气污染防治管控期间土方作业受限"},
     "区住房和城乡建设局",
     "问题已协调解决，施工恢复正常"},
};

template <size_t N>
std::string Pick(const char* const (&texts)[N], int i) {
  return Marked(texts[static_cast<size_t>(i < 0 ? -i : i) % N]);
}

}  // namespace

const ProblemText* ProblemTexts(int* count) {
  *count = static_cast<int>(std::size(kProblems));
  return kProblems;
}

std::string RevisionReasonDown(int i) {
  static const char* const kReasons[] = {
      "年中调整：受用地报批滞后影响，调减年度计划投资",
      "年中调整：主要设备采购推迟至下年度，相应调减年度计划",
      "年中调整：融资未按期到位，调减年度计划投资",
  };
  return Pick(kReasons, i);
}

std::string RevisionReasonUp(int i) {
  static const char* const kReasons[] = {
      "年中调整：工程进度快于预期，调增年度计划投资",
      "年中调整：二期设备提前到货安装，调增年度计划",
  };
  return Pick(kReasons, i);
}

std::string CorrectionReasonDown(int i) {
  static const char* const kReasons[] = {
      "核对发票后扣除尚未到货的设备预付款",
      "监理审核工程量后核减",
  };
  return Pick(kReasons, i);
}

std::string CorrectionReasonUp(int i) {
  static const char* const kReasons[] = {
      "补记漏报的土建进度款",
      "财务入账核对后补记设备款",
  };
  return Pick(kReasons, i);
}

std::string ReportNote(absl::CivilMonth period,
                       const absl::CivilMonth* includes) {
  std::string note =
      Marked(absl::StrCat(FormatPeriod(period), " 月度完成投资"));
  if (includes != nullptr) {
    absl::StrAppend(&note, "（含", FormatPeriod(*includes), "未报数）");
  }
  return note;
}

std::string LateReportNote(absl::CivilMonth period) {
  return Marked(absl::StrCat("补报", FormatPeriod(period),
                             "完成投资（填报截止后，经重新开放）"));
}

std::string ReopenReason(absl::CivilMonth period) {
  return Marked(absl::StrCat("项目单位财务结算延迟，", FormatPeriod(period),
                             "未按时填报，经指挥部同意重新开放补报"));
}

std::string LeadDisplayName(int number) {
  return absl::StrFormat("演示负责人%02d (demo lead %02d)", number, number);
}

std::string ManagerDisplayName() { return "演示调度员 (demo manager)"; }

std::string MilestoneName(v1::MilestoneKind kind) {
  switch (kind) {
    case v1::MILESTONE_KIND_START:
      return Marked("开工");
    case v1::MILESTONE_KIND_COMPLETION:
      return Marked("竣工");
    case v1::MILESTONE_KIND_IN_OPERATION:
      return Marked("投产");
    default:
      return Marked("节点");
  }
}

std::string Marked(absl::string_view text) {
  return absl::StrCat(kDemoMark, " ", text);
}

}  // namespace portfolio::demo
