// export: every table through the List calls, as CSV files in the import
// formats, so `import DIR` rebuilds the district on another server.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/export_tables.h"
#include "client/files.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"
#include "google/protobuf/struct.pb.h"

namespace portfolio::client {
namespace {

std::string PathIn(const std::string& dir, absl::string_view file) {
  return dir.empty() || dir.back() == '/' ? absl::StrCat(dir, file)
                                          : absl::StrCat(dir, "/", file);
}

// A usage error when DIR cannot receive the export: it is something other
// than a directory, or (without --force) it already holds one of the files.
absl::Status CheckDestination(const ExportOptions& options) {
  if (options.dir.empty()) return UsageError("DIR: empty directory name");
  struct stat st;
  if (stat(options.dir.c_str(), &st) != 0) return absl::OkStatus();
  if (!S_ISDIR(st.st_mode)) {
    return UsageError(absl::StrCat(options.dir, " is not a directory"));
  }
  if (options.force) return absl::OkStatus();
  std::vector<std::string> present;
  std::vector<std::string> names = {kSyntheticMarkerFile};
  for (const ExportFile& f : ExportFiles()) names.push_back(f.name);
  for (const std::string& name : names) {
    if (stat(PathIn(options.dir, name).c_str(), &st) == 0) {
      present.push_back(name);
    }
  }
  if (present.empty()) return absl::OkStatus();
  return UsageError(absl::StrCat(options.dir, " already holds ",
                                 absl::StrJoin(present, ", "),
                                 "; pass --force to replace them"));
}

// Every item of a List call, all pages.
template <typename Stub, typename Request, typename Response, typename Items>
absl::StatusOr<Response> ReadAll(
    CommandContext& ctx, Stub& stub,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const Request& request, Items items) {
  Response all;
  RETURN_IF_ERROR(
      ListAll(*ctx.rpc, stub, method, request, /*limit=*/0, items, &all)
          .status());
  return all;
}

// A list paged by offset can show a row twice when rows are inserted
// before the page being read; keeps the first of each name, since import
// refuses a key twice.
template <typename Item>
void DropRepeatedNames(Repeated<Item>* items) {
  std::set<std::string> seen;
  Repeated<Item> kept;
  for (Item& item : *items) {
    if (seen.insert(item.name()).second) *kept.Add() = std::move(item);
  }
  items->Swap(&kept);
}

// Each project's plans, and every revision of the ones revised, baseline
// first.
absl::StatusOr<std::vector<v1::AnnualPlan>> ReadPlans(
    CommandContext& ctx, const Repeated<v1::Project>& projects) {
  std::vector<v1::AnnualPlan> revisions;
  for (const v1::Project& project : projects) {
    v1::ListAnnualPlansRequest request;
    request.set_parent(project.name());
    ASSIGN_OR_RETURN(
        auto plans, ReadAll(ctx, ctx.rpc->projects(),
                            &v1::ProjectService::Stub::ListAnnualPlans, request,
                            [](auto* r) { return r->mutable_annual_plans(); }));
    for (const v1::AnnualPlan& plan : plans.annual_plans()) {
      if (plan.revision() <= 1) {  // the baseline is all there is
        revisions.push_back(plan);
        continue;
      }
      v1::ListAnnualPlanRevisionsRequest history;
      history.set_name(plan.name());
      ASSIGN_OR_RETURN(
          auto all,
          ReadAll(ctx, ctx.rpc->projects(),
                  &v1::ProjectService::Stub::ListAnnualPlanRevisions, history,
                  [](auto* r) { return r->mutable_annual_plans(); }));
      revisions.insert(revisions.end(), all.annual_plans().begin(),
                       all.annual_plans().end());
    }
  }
  return revisions;
}

using Files = std::map<std::string, CsvFile>;

// The year's activity, read first: closed months, problems, the ledger and
// milestones.
absl::Status ReadActivity(CommandContext& ctx, Files& files) {
  ASSIGN_OR_RETURN(auto periods,
                   ReadAll(ctx, ctx.rpc->investments(),
                           &v1::InvestmentService::Stub::ListPeriods,
                           v1::ListPeriodsRequest(),
                           [](auto* r) { return r->mutable_periods(); }));
  DropRepeatedNames(periods.mutable_periods());
  files["periods.csv"] = PeriodsCsv(periods.periods());

  v1::ListProblemsRequest problems_request;
  problems_request.set_parent("projects/-");
  ASSIGN_OR_RETURN(
      auto problems,
      ReadAll(ctx, ctx.rpc->problems(), &v1::ProblemService::Stub::ListProblems,
              problems_request, [](auto* r) { return r->mutable_problems(); }));
  DropRepeatedNames(problems.mutable_problems());
  files["problems.csv"] = ProblemsCsv(problems.problems());

  v1::ListInvestmentEntriesRequest entries_request;
  entries_request.set_parent("projects/-");
  ASSIGN_OR_RETURN(auto entries,
                   ReadAll(ctx, ctx.rpc->investments(),
                           &v1::InvestmentService::Stub::ListInvestmentEntries,
                           entries_request, [](auto* r) {
                             return r->mutable_investment_entries();
                           }));
  files["investments.csv"] = InvestmentsCsv(entries.investment_entries());

  v1::ListMilestonesRequest milestones_request;
  milestones_request.set_parent("projects/-");
  ASSIGN_OR_RETURN(
      auto milestones,
      ReadAll(ctx, ctx.rpc->projects(),
              &v1::ProjectService::Stub::ListMilestones, milestones_request,
              [](auto* r) { return r->mutable_milestones(); }));
  DropRepeatedNames(milestones.mutable_milestones());
  files["milestones.csv"] = MilestonesCsv(milestones.milestones());
  return absl::OkStatus();
}

// What the activity refers to, read after it: projects and their plans,
// indicators, portfolio targets, users.
absl::Status ReadRegisters(CommandContext& ctx, Files& files) {
  ASSIGN_OR_RETURN(
      auto projects,
      ReadAll(ctx, ctx.rpc->projects(), &v1::ProjectService::Stub::ListProjects,
              v1::ListProjectsRequest(),
              [](auto* r) { return r->mutable_projects(); }));
  DropRepeatedNames(projects.mutable_projects());
  ASSIGN_OR_RETURN(std::vector<v1::AnnualPlan> plans,
                   ReadPlans(ctx, projects.projects()));
  files["plans.csv"] = PlansCsv(plans);
  files["projects.csv"] = ProjectsCsv(projects.projects());

  ASSIGN_OR_RETURN(auto indicators,
                   ReadAll(ctx, ctx.rpc->indicators(),
                           &v1::IndicatorService::Stub::ListIndicators,
                           v1::ListIndicatorsRequest(),
                           [](auto* r) { return r->mutable_indicators(); }));
  DropRepeatedNames(indicators.mutable_indicators());
  files["indicators.csv"] = IndicatorsCsv(indicators.indicators());

  ASSIGN_OR_RETURN(auto portfolios,
                   ReadAll(ctx, ctx.rpc->portfolios(),
                           &v1::PortfolioService::Stub::ListPortfolios,
                           v1::ListPortfoliosRequest(),
                           [](auto* r) { return r->mutable_portfolios(); }));
  files["portfolio.csv"] = PortfoliosCsv(portfolios.portfolios());

  ASSIGN_OR_RETURN(auto users, ReadAll(ctx, ctx.rpc->admin(),
                                       &v1::AdminService::Stub::ListUsers,
                                       v1::ListUsersRequest(), [](auto* r) {
                                         return r->mutable_users();
                                       }));
  DropRepeatedNames(users.mutable_users());
  files["users.csv"] = UsersCsv(users.users());
  return absl::OkStatus();
}

// The database's dataset_label: non-empty when it holds synthetic data.
// Summaries are the one place the API says so.
absl::StatusOr<std::string> ReadDatasetLabel(CommandContext& ctx) {
  v1::PortfolioSummary summary;
  RETURN_IF_ERROR(ctx.rpc->Call(
      ctx.rpc->portfolios(), &v1::PortfolioService::Stub::GetPortfolioSummary,
      v1::GetPortfolioSummaryRequest(), &summary));
  return summary.dataset_label();
}

// Writes each file under a temporary name, then renames them all into
// place; a failure before the renames leaves DIR as it was. With a
// dataset label, the marker file goes first, so no directory of synthetic
// data is ever without it; without one, a marker left by an earlier export
// into DIR is removed (only --force gets this far with one there).
absl::Status WriteFiles(const ExportOptions& options, const Files& files,
                        const std::string& label) {
  if (absl::Status made = MakePrivateDirectory(options.dir); !made.ok()) {
    return OutputError(made);
  }
  const std::string marker = PathIn(options.dir, kSyntheticMarkerFile);
  if (label.empty()) {
    if (unlink(marker.c_str()) != 0 && errno != ENOENT) {
      return OutputError(absl::UnavailableError(
          absl::StrCat(marker, ": cannot remove: ", std::strerror(errno))));
    }
  } else {
    absl::StatusOr<std::unique_ptr<PendingFile>> file =
        PendingFile::Create(marker, absl::StrCat(marker, ".partial"));
    if (!file.ok()) return OutputError(file.status());
    RETURN_IF_ERROR((*file)->Append(absl::StrCat(
        label,
        "\n\nThese files were exported from a database of synthetic data. "
        "`portfolio import DIR` refuses this directory.\n")));
    RETURN_IF_ERROR((*file)->Commit(/*replace=*/true));
  }
  std::vector<std::unique_ptr<PendingFile>> pending;
  for (const ExportFile& f : ExportFiles()) {
    const std::string path = PathIn(options.dir, f.name);
    absl::StatusOr<std::unique_ptr<PendingFile>> file =
        PendingFile::Create(path, absl::StrCat(path, ".partial"));
    if (!file.ok()) return OutputError(file.status());
    RETURN_IF_ERROR((*file)->Append(files.at(f.name).Text()));
    pending.push_back(std::move(*file));
  }
  for (const auto& file : pending) {
    const absl::Status committed = file->Commit(options.force);
    if (absl::IsAlreadyExists(committed)) {
      return UsageError(absl::StrCat(file->path(),
                                     " appeared while exporting; pass "
                                     "--force to replace it"));
    }
    RETURN_IF_ERROR(committed);
  }
  return absl::OkStatus();
}

absl::Status EmitWritten(const ExportOptions& options, const Files& files,
                         const std::string& label, CommandContext& ctx) {
  Table table({{"文件 file", "file"}, {"行数 rows", "rows", Align::kRight}});
  google::protobuf::Struct json;
  (*json.mutable_fields())["dir"].set_string_value(options.dir);
  auto* listed = (*json.mutable_fields())["files"].mutable_list_value();
  auto* notes = (*json.mutable_fields())["notes"].mutable_list_value();
  for (const ExportFile& f : ExportFiles()) {
    const CsvFile& csv = files.at(f.name);
    const std::string path = PathIn(options.dir, f.name);
    table.AddRow(
        {TextCell(path), IntCell(static_cast<int64_t>(csv.rows.size()))});
    google::protobuf::Struct row;
    (*row.mutable_fields())["file"].set_string_value(path);
    // A string, as int64 values are in our JSON.
    (*row.mutable_fields())["rows"].set_string_value(
        absl::StrCat(csv.rows.size()));
    *listed->add_values()->mutable_struct_value() = row;
    for (const std::string& note : csv.notes) {
      notes->add_values()->set_string_value(absl::StrCat(f.name, ": ", note));
    }
  }
  if (!label.empty()) {
    notes->add_values()->set_string_value(
        absl::StrCat("synthetic data (", label, "): ", kSyntheticMarkerFile,
                     " says so, and `import DIR` refuses the directory"));
  }
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, json, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable) {
    for (const auto& note : notes->values()) {
      *ctx.out << "(" << note.string_value() << ")\n";
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ExportAll(const ExportOptions& options, CommandContext& ctx) {
  RETURN_IF_ERROR(CheckDestination(options));
  ASSIGN_OR_RETURN(const std::string label, ReadDatasetLabel(ctx));
  // Children first, so that on a live server every row refers only to rows
  // read after it: nothing is ever deleted, so those are in the export.
  Files files;
  RETURN_IF_ERROR(ReadActivity(ctx, files));
  RETURN_IF_ERROR(ReadRegisters(ctx, files));
  RETURN_IF_ERROR(WriteFiles(options, files, label));
  return EmitWritten(options, files, label, ctx);
}

}  // namespace portfolio::client
