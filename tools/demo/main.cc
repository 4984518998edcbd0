// portfolio-demo: writes a synthetic demo database (the report's 2024
// portfolio with a generated year of activity). Flags are parsed here only.
#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/amount.h"
#include "common/clock.h"
#include "common/period.h"
#include "tools/demo/generator.h"

namespace {

constexpr char kUsage[] =
    R"(Usage: portfolio-demo --data-dir DIR [--seed N] [--through YYYY-MM] [--verbose]

Writes a SYNTHETIC demo database (合成演示数据) to DIR/portfolio.db: the 2024
government work report's projects and targets, with a generated year of
activity: demo users (a manager and ten leads), annual plans, milestones,
monthly investment reports, corrections, closed months, a mid-year revision
(年中调整), blocking problems, and one late report refused in a closed month
and accepted after a reopening. Every change is made through the real
server's API with the demo users' own tokens, at simulated 2024 times, so
audit trail, report times and "as known at" summaries all work. The database
says it is synthetic (PortfolioSummary.dataset_label) and every invented
text starts with [演示 demo].

Then serve it with:  portfolio-server --data-dir DIR
and use the admin token it wrote:  portfolio login < DIR/admin.token

DIR must be new, empty of portfolio files, or an earlier demo (which is
replaced). A directory holding any other database (such as the report's
own) is refused and left untouched.

Flags:
  --data-dir DIR      where to write (required)
  --seed N            chooses the invented activity; the same seed gives
                      the same database (default 1)
  --through YYYY-MM   last month of 2024 simulated, with its reports and its
                      closing around the 10th of the next month
                      (default 2024-12)
  --verbose           print every API call as it is made
  -h, --help          this help

Exit codes: 0 written, 1 refused or failed, 2 usage error.
)";

struct Flags {
  portfolio::demo::DemoOptions options;
  bool help = false;
};

int UsageError(const std::string& message) {
  std::fprintf(stderr, "portfolio-demo: %s (see --help)\n", message.c_str());
  return 2;
}

// Parses argv into `flags`; returns 0, or the exit code of a usage error.
int ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    const size_t eq = flag.find('=');
    const bool has_inline = flag.rfind("--", 0) == 0 && eq != std::string::npos;
    if (has_inline) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    if (flag == "-h" || flag == "--help") {
      flags->help = true;
      continue;
    }
    if (flag == "--verbose") {
      flags->options.trace = [](absl::string_view line) {
        std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()),
                     line.data());
      };
      continue;
    }
    if (flag != "--data-dir" && flag != "--seed" && flag != "--through") {
      return UsageError(absl::StrCat("unknown flag ", flag));
    }
    if (!has_inline) {
      if (i + 1 >= argc)
        return UsageError(absl::StrCat(flag, " needs a value"));
      value = argv[++i];
    }
    if (flag == "--data-dir") {
      if (value.empty()) return UsageError("--data-dir is empty");
      flags->options.data_dir = value;
    } else if (flag == "--seed") {
      if (!absl::SimpleAtoi(value, &flags->options.seed)) {
        return UsageError(
            absl::StrCat("--seed: \"", value, "\" is not a whole number >= 0"));
      }
    } else {
      absl::StatusOr<absl::CivilMonth> month = portfolio::ParsePeriod(value);
      if (!month.ok() || month->year() != portfolio::demo::kDemoYear) {
        return UsageError(absl::StrCat("--through: \"", value,
                                       "\" is not a month of 2024 (2024-01 "
                                       "to 2024-12)"));
      }
      flags->options.through_month = month->month();
    }
  }
  if (!flags->help && flags->options.data_dir.empty()) {
    return UsageError("--data-dir is required");
  }
  return 0;
}

void PrintReport(const portfolio::demo::DemoReport& r, absl::Duration took) {
  const portfolio::demo::RunCounts& c = r.counts;
  const absl::TimeZone zone = portfolio::DistrictTimeZone();
  std::printf(
      "portfolio-demo: wrote %s\n"
      "  %s\n"
      "  %d projects of the 2024 portfolio; %d demo users; %d plans, %d "
      "revised mid-year\n"
      "  %d ledger entries, %d corrections, %d late entry refused in a "
      "closed month; %d months closed, %d reopened\n"
      "  %d milestones (%d reached, %d forecasts); %d problems (%d open, "
      "%d assigned, %d resolved; %d escalations)\n"
      "  simulated %s to %s; took %.1f s\n"
      "serve it: portfolio-server --data-dir %s\n"
      "admin token: %s\n",
      r.database_path.c_str(), r.label.c_str(), r.projects, c.users,
      c.baselines, c.revisions, c.entries, c.corrections, c.refused_entries,
      c.closings - c.reopenings, c.reopenings, c.milestones,
      c.milestones_completed, c.forecasts, c.problems, c.problems_open,
      c.problems_assigned, c.problems_resolved, c.escalations,
      absl::FormatTime("%Y-%m-%d %H:%M", r.first_call, zone).c_str(),
      absl::FormatTime("%Y-%m-%d %H:%M", r.last_call, zone).c_str(),
      absl::ToDoubleSeconds(took),
      r.database_path.substr(0, r.database_path.rfind('/')).c_str(),
      r.admin_token_path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (const int code = ParseFlags(argc, argv, &flags); code != 0) return code;
  if (flags.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  // Wall-clock time only to say how long generation took.
  const absl::Time started = absl::Now();
  absl::StatusOr<portfolio::demo::DemoReport> report =
      portfolio::demo::GenerateDemo(flags.options);
  if (!report.ok()) {
    std::fprintf(stderr, "portfolio-demo: %s\n",
                 std::string(report.status().message()).c_str());
    return 1;
  }
  PrintReport(*report, absl::Now() - started);
  return 0;
}
