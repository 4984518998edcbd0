// The invented texts of the demo: problem descriptions, units and
// resolutions, and the reasons given for revisions and corrections. Every
// text a record carries starts with kDemoMark (added where it is used).
#ifndef PORTFOLIO_TOOLS_DEMO_SCENARIO_TEXT_H_
#define PORTFOLIO_TOOLS_DEMO_SCENARIO_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "portfolio/v1/resources.pb.h"

namespace portfolio::demo {

// A kind of blocking problem as the demo writes it up.
struct ProblemText {
  v1::ProblemCategory category;
  // How often it comes up, relative to the others.
  int weight;
  // Two ways a lead describes it.
  const char* descriptions[2];
  // Who is made responsible (责任单位).
  const char* unit;
  // How it was solved (销号说明).
  const char* resolution;
};

// Every category but UNSPECIFIED, in enum order; `count` receives how many.
const ProblemText* ProblemTexts(int* count);

// Reasons for a mid-year revision (年中调整) down and up; `i` picks one
// (taken modulo the number there are).
std::string RevisionReasonDown(int i);
std::string RevisionReasonUp(int i);
// Reasons for correcting an entry down and up; `i` as above.
std::string CorrectionReasonDown(int i);
std::string CorrectionReasonUp(int i);

// The note of a month's report, saying which earlier month it includes
// when it covers one that went unreported.
std::string ReportNote(absl::CivilMonth period,
                       const absl::CivilMonth* includes = nullptr);
// The note of a report made after the month was reopened for it, and the
// manager's reason for reopening.
std::string LateReportNote(absl::CivilMonth period);
std::string ReopenReason(absl::CivilMonth period);

// Display names of demo users, e.g. "演示负责人01 (demo lead 01)".
std::string LeadDisplayName(int number);
std::string ManagerDisplayName();

// A milestone's display name: the mark and the kind's Chinese name.
std::string MilestoneName(v1::MilestoneKind kind);

// `text` after kDemoMark and a space.
std::string Marked(absl::string_view text);

}  // namespace portfolio::demo

#endif  // PORTFOLIO_TOOLS_DEMO_SCENARIO_TEXT_H_
