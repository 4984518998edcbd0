// PortfolioService: a year's targets, summaries, statuses and import.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/evaluation_cache.h"
#include "server/importer.h"
#include "server/names.h"
#include "server/project_filter.h"
#include "server/services.h"
#include "server/summary.h"

namespace portfolio {
namespace {

absl::StatusOr<int> ParsePortfolioName(absl::string_view field,
                                       absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id, ParseName(field, name, "portfolios",
                                             /*check_id=*/false));
  int year = 0;
  if (!absl::SimpleAtoi(id, &year) || year < kMinYear || year > kMaxYear) {
    return FieldError(field, absl::StrCat("\"", id, "\" is not a year"));
  }
  return year;
}

// What a summary or status request asks beyond year and month: an instant
// to compute as of, and the plan basis.
struct Basis {
  std::optional<absl::Time> known_at;  // unset: everything recorded
  bool baseline = false;
};

// Reads as_known_at and plan_basis. An instant later than a read can
// reflect exactly (one in the future, say) is brought back to the latest
// it can when the read is made (QueryFor), and the response says which
// instant was used.
absl::StatusOr<Basis> ResolveBasis(const google::protobuf::Timestamp& at,
                                   bool has_at, int plan_basis) {
  Basis b;
  if (has_at) {
    if (at.seconds() < 0 || at.nanos() < 0 || at.nanos() > 999999999) {
      return FieldError("as_known_at", "is not a valid timestamp");
    }
    b.known_at =
        absl::FromUnixSeconds(at.seconds()) + absl::Nanoseconds(at.nanos());
  }
  switch (plan_basis) {
    case v1::PLAN_BASIS_UNSPECIFIED:
    case v1::PLAN_BASIS_CURRENT:
      break;
    case v1::PLAN_BASIS_BASELINE:
      b.baseline = true;
      break;
    default:
      return FieldError("plan_basis", "must be CURRENT or BASELINE");
  }
  return b;
}

// The progress query for the projects matching `filter` in year/month on
// `basis`: the as-of date, the problems' instant and the month whose report
// is checked (漏报) all follow from them and from `r`'s closed months.
//
// An as_known_at later than r's snapshot reflects exactly is brought back
// to the instant it does (a later one could have writes still committing
// stamped before it, which a repeat of the question would count), in
// `basis` itself: that instant stays exact in every later snapshot, so the
// next read of the same call asks the same question.
absl::StatusOr<ProgressQuery> QueryFor(const ServiceDeps& deps, StoreReader& r,
                                       const ProjectFilter& filter, int year,
                                       int month, Basis& basis,
                                       bool active_only = true) {
  const absl::TimeZone tz = DistrictTimeZone();
  if (basis.known_at.has_value()) {
    ASSIGN_OR_RETURN(const absl::Time instant,
                     r.ReproducibleInstant(deps.clock->Now()));
    if (*basis.known_at > instant) basis.known_at = instant;
  }
  const std::optional<absl::Time> known_at = basis.known_at;
  // As known at an instant, "today" is that instant's day.
  const absl::CivilDay today =
      known_at ? absl::ToCivilDay(*known_at, tz) : Today(*deps.clock);
  ProgressQuery q;
  q.filter = filter;
  q.year = year;
  q.as_of_month = month;
  q.active_only = active_only;
  q.as_of_date = AsOfDate(year, month, today);
  q.known_at = known_at;
  q.baseline = basis.baseline;
  // Problems count when open at the end of the as-of date.
  q.problems_at = absl::FromCivil(q.as_of_date + 1, tz) - absl::Microseconds(1);
  // The report checked for 漏报 is the last closed month up to the as-of
  // month; with none closed, the as-of month itself.
  if (known_at) {
    ASSIGN_OR_RETURN(std::vector<int> closed,
                     r.ClosedMonthsAt(year, *known_at));
    for (int m : closed) {
      if (m <= month) q.report_month = m;
    }
  } else {
    ASSIGN_OR_RETURN(std::vector<PeriodRecord> periods, r.ListPeriods(year));
    for (const PeriodRecord& p : periods) {
      if (p.closed && p.period.month() <= month)
        q.report_month = p.period.month();
    }
  }
  return q;
}

// Makes the progress query of a call in a given snapshot (QueryFor with
// the call's arguments).
using QueryMaker =
    absl::FunctionRef<absl::StatusOr<ProgressQuery>(StoreReader&)>;

// The instant an evaluation of `q` read in r's snapshot reflects exactly.
absl::StatusOr<absl::Time> InstantOf(const ServiceDeps& deps, StoreReader& r,
                                     const ProgressQuery& q) {
  if (q.known_at.has_value()) return *q.known_at;
  return r.ReproducibleInstant(deps.clock->Now());
}

// Runs one read and calls fn with its reader, the call's progress query in
// that snapshot, the progress and status of the projects it selects (kept
// between calls when the server keeps evaluations, read afresh otherwise),
// and the instant they reflect exactly (the response's as_known_at).
// Returns fn's status or the store's error.
absl::Status WithEvaluation(
    const ServiceDeps& deps, QueryMaker make,
    absl::FunctionRef<absl::Status(StoreReader&, const ProgressQuery&,
                                   Evaluation&, absl::Time)>
        fn) {
  if (deps.evaluations == nullptr) {
    return deps.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(const ProgressQuery q, make(r));
      ASSIGN_OR_RETURN(Evaluation e, Evaluation::Read(r, q, deps.thresholds));
      ASSIGN_OR_RETURN(const absl::Time instant, InstantOf(deps, r, q));
      return fn(r, q, e, instant);
    });
  }
  // The question first, in a short read of its own: the kept evaluation it
  // names is then locked before the read that uses it begins.
  ProgressQuery asked;
  RETURN_IF_ERROR(deps.store->Read([&](StoreReader& r) -> absl::Status {
    ASSIGN_OR_RETURN(asked, make(r));
    return absl::OkStatus();
  }));
  const std::string asked_key = EvaluationKey(asked);
  return deps.evaluations->Use(
      *deps.store, asked, deps.clock->Now(),
      [&](StoreReader& r, Evaluation& e, absl::Time instant) -> absl::Status {
        // A month closed, or midnight passed, between the two reads (or an
        // as_known_at came nearer the writes in flight): the question
        // changed, so answer the new one afresh.
        ASSIGN_OR_RETURN(const ProgressQuery q, make(r));
        if (EvaluationKey(q) != asked_key) {
          ASSIGN_OR_RETURN(Evaluation fresh,
                           Evaluation::Read(r, q, deps.thresholds));
          ASSIGN_OR_RETURN(const absl::Time at, InstantOf(deps, r, q));
          return fn(r, q, fresh, at);
        }
        return fn(r, q, e, instant);
      });
}

// Says which instant and which plan a response's figures reflect: the
// instant WithEvaluation gave (the asked as_known_at, no later than the
// snapshot reflects exactly, or the instant the snapshot reflects).
template <typename Response>
void SetBasis(const Basis& basis, absl::Time instant, Response* out) {
  TimeToProto(instant, out->mutable_as_known_at());
  out->set_plan_basis(basis.baseline ? v1::PLAN_BASIS_BASELINE
                                     : v1::PLAN_BASIS_CURRENT);
}

void FiguresToProto(const Figures& f, double elapsed, v1::SummaryFigures* out) {
  out->set_project_count(f.project_count);
  out->set_planned_project_count(f.planned_project_count);
  out->set_annual_plan(f.annual_plan);
  out->set_planned_to_date(f.planned_to_date);
  out->set_completed_to_date(f.completed_to_date);
  out->set_completion_rate(f.CompletionRate());
  out->set_gap_points(f.annual_plan > 0 ? (f.CompletionRate() - elapsed) * 100
                                        : 0.0);
  out->set_green_count(f.green);
  out->set_amber_count(f.amber);
  out->set_red_count(f.red);
  out->set_total_investment(f.total_investment);
  out->set_start_due_count(f.start_due);
  out->set_started_count(f.started);
  out->set_start_rate(Rate(f.started, f.start_due));
  out->set_completion_due_count(f.completion_due);
  out->set_completed_count(f.completed);
  out->set_completion_milestone_rate(Rate(f.completed, f.completion_due));
  out->set_operation_due_count(f.operation_due);
  out->set_in_operation_count(f.in_operation);
  out->set_operation_rate(Rate(f.in_operation, f.operation_due));
  out->set_open_problem_count(f.open_problems);
  out->set_overdue_problem_count(f.overdue_problems);
}

absl::StatusOr<Dimension> DimensionFromProto(int group_by) {
  switch (group_by) {
    case v1::SUMMARY_DIMENSION_UNSPECIFIED:
      return Dimension::kNone;
    case v1::SUMMARY_DIMENSION_LEVEL:
      return Dimension::kLevel;
    case v1::SUMMARY_DIMENSION_CHAPTER:
      return Dimension::kChapter;
    case v1::SUMMARY_DIMENSION_PARK:
      return Dimension::kPark;
    case v1::SUMMARY_DIMENSION_SECTOR:
      return Dimension::kSector;
    case v1::SUMMARY_DIMENSION_STAGE:
      return Dimension::kStage;
    case v1::SUMMARY_DIMENSION_LEAD:
      return Dimension::kLead;
  }
  return FieldError("group_by", absl::StrCat("unknown enum value ", group_by));
}

absl::StatusOr<ImportKind> ImportKindFromProto(int kind) {
  switch (kind) {
    case v1::IMPORT_KIND_PROJECTS:
      return ImportKind::kProjects;
    case v1::IMPORT_KIND_PLANS:
      return ImportKind::kPlans;
    case v1::IMPORT_KIND_INDICATORS:
      return ImportKind::kIndicators;
    case v1::IMPORT_KIND_PORTFOLIOS:
      return ImportKind::kPortfolios;
    case v1::IMPORT_KIND_USERS:
      return ImportKind::kUsers;
    case v1::IMPORT_KIND_MILESTONES:
      return ImportKind::kMilestones;
    case v1::IMPORT_KIND_INVESTMENTS:
      return ImportKind::kInvestments;
    case v1::IMPORT_KIND_PROBLEMS:
      return ImportKind::kProblems;
    case v1::IMPORT_KIND_PERIODS:
      return ImportKind::kPeriods;
  }
  return FieldError("kind",
                    "give PROJECTS, PLANS, INDICATORS, PORTFOLIOS, USERS, "
                    "MILESTONES, INVESTMENTS, PROBLEMS or PERIODS");
}

// Kinds only an admin may import, beyond the manager's right to import at
// all: projects and users (as CreateProject and CreateUser), and ledger
// entries, which are appended under the importer's name although managers
// may not report investment themselves.
const char* AdminOnlyImport(ImportKind kind) {
  switch (kind) {
    case ImportKind::kProjects:
      return "projects";
    case ImportKind::kUsers:
      return "users";
    case ImportKind::kInvestments:
      return "investments";
    default:
      return nullptr;
  }
}

}  // namespace

Status PortfolioServiceImpl::GetPortfolio(ServerContext* ctx,
                                          const v1::GetPortfolioRequest* req,
                                          v1::Portfolio* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(int year, ParsePortfolioName("name", req->name()));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(PortfolioRecord p, r.GetPortfolio(year));
      PortfolioToProto(p, resp);
      return absl::OkStatus();
    });
  });
}

Status PortfolioServiceImpl::ListPortfolios(
    ServerContext* ctx, const v1::ListPortfoliosRequest* req,
    v1::ListPortfoliosResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(
        PageRequest page,
        ResolvePage(req->page_size(), req->page_token(), "ListPortfolios"));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<PortfolioRecord> all, r.ListPortfolios());
      resp->set_next_page_token(EmitPage(page, static_cast<int64_t>(all.size()),
                                         "ListPortfolios", [&](int64_t i) {
                                           PortfolioToProto(
                                               all[i], resp->add_portfolios());
                                         }));
      return absl::OkStatus();
    });
  });
}

Status PortfolioServiceImpl::UpdatePortfolio(
    ServerContext* ctx, const v1::UpdatePortfolioRequest* req,
    v1::Portfolio* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(int year, ParsePortfolioName("portfolio.name",
                                                  req->portfolio().name()));
    ASSIGN_OR_RETURN(std::vector<std::string> paths,
                     MaskPaths(req->update_mask().paths(), req->portfolio(),
                               PortfolioWritableFields()));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          absl::StatusOr<PortfolioRecord> existing = w.GetPortfolio(year);
          PortfolioRecord p;
          p.year = year;
          if (existing.ok()) {
            RETURN_IF_ERROR(
                CheckEtag(req->portfolio().etag(), existing->version));
            p = *existing;
          } else if (!absl::IsNotFound(existing.status()) ||
                     !req->allow_missing()) {
            return existing.status();
          }
          RETURN_IF_ERROR(ApplyPortfolio(req->portfolio(), paths, &p));
          RETURN_IF_ERROR(w.PutPortfolio(p, w.Stamp(deps_.clock->Now())));
          ASSIGN_OR_RETURN(PortfolioRecord stored, w.GetPortfolio(year));
          PortfolioToProto(stored, resp);
          return absl::OkStatus();
        });
  });
}

Status PortfolioServiceImpl::GetPortfolioSummary(
    ServerContext* ctx, const v1::GetPortfolioSummaryRequest* req,
    v1::PortfolioSummary* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(const int asked_year, PortfolioYear(deps_, req->year()));
    ASSIGN_OR_RETURN(auto ym, ResolveYearMonth(asked_year, req->as_of_month(),
                                               Today(*deps_.clock)));
    // Named ints, not structured bindings: lambdas below capture them.
    const int year = ym.first, month = ym.second;
    ASSIGN_OR_RETURN(ProjectFilter filter,
                     ParseProjectFilter(req->filter(), year));
    ASSIGN_OR_RETURN(const Dimension dim, DimensionFromProto(req->group_by()));
    ASSIGN_OR_RETURN(Basis basis,
                     ResolveBasis(req->as_known_at(), req->has_as_known_at(),
                                  req->plan_basis()));
    // Dashboards poll this all day: until the next accepted change, the
    // same question has the same answer (its as_known_at still true of
    // it). Changes are counted after they commit and before they are
    // acknowledged. Token bookkeeping writes are not changes.
    const bool caching = deps_.summaries != nullptr && deps_.changes != nullptr;
    const std::string cache_key =
        absl::StrCat(caching ? deps_.changes->version() : 0, "|", year, "|",
                     month, "|", FormatDate(Today(*deps_.clock)), "|",
                     req->group_by(), "|", basis.baseline, "|",
                     basis.known_at ? absl::ToUnixMicros(*basis.known_at) : -1,
                     "|", req->filter());
    if (caching) {
      std::optional<std::string> cached = deps_.summaries->Get(cache_key);
      if (cached.has_value() && resp->ParseFromString(*cached)) {
        return absl::OkStatus();
      }
      resp->Clear();
    }
    auto make = [&](StoreReader& r) {
      return QueryFor(deps_, r, filter, year, month, basis);
    };
    RETURN_IF_ERROR(WithEvaluation(
        deps_, make,
        [&](StoreReader& r, const ProgressQuery&, Evaluation& e,
            absl::Time instant) -> absl::Status {
          const Evaluation::Rows rows = e.rows();
          const Evaluation::Statuses statuses = e.statuses();
          const SummaryResult s = Summarize(
              rows.size(),
              [&](size_t i) -> const ProgressRow& { return rows[i]; },
              [&](size_t i) -> const ProjectStatusResult& {
                return statuses[i];
              },
              year, month, dim);
          // Every group is part of the totals (whose sums are of values
          // that are never negative), so only the totals need a look.
          if (s.totals.overflowed) {
            return absl::OutOfRangeError(
                "the portfolio's yuan figures (plans, completed or total "
                "investment) sum past 9,223,372,036,854,775,807, the largest "
                "number the tracker can show; narrow the question with a "
                "filter");
          }
          const double elapsed = TimeElapsed(month);
          resp->set_year(year);
          resp->set_as_of_month(month);
          resp->set_time_elapsed(elapsed);
          resp->set_group_by(req->group_by());
          SetBasis(basis, instant, resp);
          FiguresToProto(s.totals, elapsed, resp->mutable_totals());
          for (size_t i = 0; i < s.groups.size(); ++i) {
            v1::SummaryGroup* g = resp->add_groups();
            g->set_key(s.groups[i].first);
            FiguresToProto(s.groups[i].second, elapsed, g->mutable_figures());
            g->set_rank(s.ranks[i]);
          }
          ASSIGN_OR_RETURN(std::optional<std::string> label,
                           r.GetSetting("dataset_label"));
          if (label) resp->set_dataset_label(*label);
          absl::StatusOr<PortfolioRecord> p = r.GetPortfolio(year);
          if (p.ok()) {
            PortfolioToProto(*p, resp->mutable_portfolio());
            if (p->investment_target.value_or(0) > 0) {
              resp->set_investment_target_rate(
                  static_cast<double>(s.totals.completed_to_date) /
                  *p->investment_target);
            }
          } else if (!absl::IsNotFound(p.status())) {
            return p.status();
          }
          return absl::OkStatus();
        }));
    if (caching) {
      deps_.summaries->Put(cache_key, resp->SerializeAsString());
    }
    return absl::OkStatus();
  });
}

absl::Status PortfolioServiceImpl::WarmEvaluations() {
  if (deps_.evaluations == nullptr) return absl::OkStatus();
  // As GetPortfolioSummary resolves a request that gives nothing.
  ASSIGN_OR_RETURN(const int year, PortfolioYear(deps_, 0));
  ASSIGN_OR_RETURN(auto ym, ResolveYearMonth(year, 0, Today(*deps_.clock)));
  ASSIGN_OR_RETURN(const ProjectFilter filter, ParseProjectFilter("", year));
  return WithEvaluation(
      deps_,
      [&](StoreReader& r) {
        Basis everything;
        return QueryFor(deps_, r, filter, ym.first, ym.second, everything);
      },
      [](StoreReader&, const ProgressQuery&, Evaluation& e, absl::Time) {
        // Room for sixteen more questions the size of this one, up to
        // 10,000 rows (about 4 MB): a district's next months, parks and
        // leads then take no fresh memory, whose first touch costs 9-12
        // us a page on a virtual machine (a month asked first at 120
        // projects: p50 0.31-0.46 ms against 0.51-0.71).
        Evaluation::ReserveItems(std::min<size_t>(e.rows().size() * 16, 10000));
        return absl::OkStatus();
      });
}

Status PortfolioServiceImpl::GetProjectStatus(
    ServerContext* ctx, const v1::GetProjectStatusRequest* req,
    v1::ProjectStatus* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string id,
                     ParseName("project", req->project(), "projects"));
    ASSIGN_OR_RETURN(const int asked_year, PortfolioYear(deps_, req->year()));
    ASSIGN_OR_RETURN(auto ym, ResolveYearMonth(asked_year, req->as_of_month(),
                                               Today(*deps_.clock)));
    ASSIGN_OR_RETURN(Basis basis,
                     ResolveBasis(req->as_known_at(), req->has_as_known_at(),
                                  req->plan_basis()));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(ProjectRecord p, r.GetProject(id));
      ProjectFilter only;
      only.level_year = ym.first;
      only.id = p.id;
      ASSIGN_OR_RETURN(const ProgressQuery q,
                       QueryFor(deps_, r, only, ym.first, ym.second, basis,
                                /*active_only=*/false));
      ASSIGN_OR_RETURN(const Evaluation e,
                       Evaluation::Read(r, q, deps_.thresholds));
      if (e.rows().size() == 1) {
        StatusToProto(*e.rows()[0].project, e.statuses()[0], resp);
        ASSIGN_OR_RETURN(const absl::Time instant, InstantOf(deps_, r, q));
        SetBasis(basis, instant, resp);
        return absl::OkStatus();
      }
      return absl::NotFoundError(
          absl::StrCat("project \"", p.id, "\" not found",
                       basis.known_at ? " at the as_known_at instant" : ""));
    });
  });
}

Status PortfolioServiceImpl::ListProjectStatuses(
    ServerContext* ctx, const v1::ListProjectStatusesRequest* req,
    v1::ListProjectStatusesResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(const int asked_year, PortfolioYear(deps_, req->year()));
    ASSIGN_OR_RETURN(auto ym, ResolveYearMonth(asked_year, req->as_of_month(),
                                               Today(*deps_.clock)));
    std::map<std::string, std::string> extra;
    ASSIGN_OR_RETURN(ProjectFilter filter,
                     ParseProjectFilter(req->filter(), ym.first,
                                        {"rag", "missing"}, &extra));
    // Unset: either; true: only projects missing the month's report;
    // false: only those not missing it.
    std::optional<bool> missing_wanted;
    if (extra.count("missing")) {
      if (extra["missing"] != "true" && extra["missing"] != "false") {
        return FieldError("filter.missing", "must be true or false");
      }
      missing_wanted = extra["missing"] == "true";
    }
    std::optional<Rag> rag;
    if (extra.count("rag")) {
      std::string v = absl::AsciiStrToUpper(extra["rag"]);
      if (v == "GREEN" || v == "RAG_GREEN")
        rag = Rag::kGreen;
      else if (v == "AMBER" || v == "RAG_AMBER")
        rag = Rag::kAmber;
      else if (v == "RED" || v == "RAG_RED")
        rag = Rag::kRed;
      else
        return FieldError("filter.rag", "must be GREEN, AMBER or RED");
    }
    ASSIGN_OR_RETURN(Basis basis,
                     ResolveBasis(req->as_known_at(), req->has_as_known_at(),
                                  req->plan_basis()));
    const std::string key = absl::StrCat(
        "ListProjectStatuses|", ym.first, "|", ym.second, "|", req->filter(),
        "|", basis.known_at ? absl::ToUnixMicros(*basis.known_at) : 0, "|",
        basis.baseline);
    ASSIGN_OR_RETURN(PageRequest page,
                     ResolvePage(req->page_size(), req->page_token(), key));
    auto make = [&](StoreReader& r) {
      return QueryFor(deps_, r, filter, ym.first, ym.second, basis);
    };
    return WithEvaluation(
        deps_, make,
        [&](StoreReader&, const ProgressQuery&, Evaluation& e,
            absl::Time instant) -> absl::Status {
          const Evaluation::Statuses statuses = e.statuses();
          // Worst first: red, amber, green; then furthest behind; then id.
          const std::vector<uint32_t>& order = e.WorstFirst();
          std::vector<uint32_t> filtered;
          const bool filtering = rag || missing_wanted;
          if (filtering) {
            for (uint32_t i : order) {
              const bool missing =
                  std::any_of(statuses[i].reasons.begin(),
                              statuses[i].reasons.end(), [](const Reason& r) {
                                return r.code == ReasonCode::kMissingReport;
                              });
              if ((!rag || statuses[i].rag == *rag) &&
                  (!missing_wanted || missing == *missing_wanted)) {
                filtered.push_back(i);
              }
            }
          }
          const std::vector<uint32_t>& picked = filtering ? filtered : order;
          resp->set_next_page_token(EmitPage(
              page, static_cast<int64_t>(picked.size()), key, [&](int64_t i) {
                v1::ProjectStatus* out = resp->add_project_statuses();
                StatusToProto(*e.rows()[picked[i]].project, statuses[picked[i]],
                              out);
                SetBasis(basis, instant, out);
              }));
          return absl::OkStatus();
        });
  });
}

Status PortfolioServiceImpl::ImportRecords(ServerContext* ctx,
                                           const v1::ImportRecordsRequest* req,
                                           v1::ImportRecordsResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(const ImportKind kind, ImportKindFromProto(req->kind()));
    if (const char* what = AdminOnlyImport(kind);
        what != nullptr && who.role != "admin") {
      return absl::PermissionDeniedError(
          absl::StrCat("user ", who.user_id, " (", who.role,
                       ") may not import ", what, "; an admin may"));
    }
    if (req->allow_duplicate_entries() && kind != ImportKind::kInvestments) {
      return FieldError("allow_duplicate_entries",
                        "is for investments files only (kind "
                        "IMPORT_KIND_INVESTMENTS)");
    }
    RETURN_IF_ERROR(CheckLength("filename", req->filename(), kMaxNameChars));
    const std::string file =
        req->filename().empty() ? std::string("(upload)") : req->filename();
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          ASSIGN_OR_RETURN(
              ImportCounts counts,
              ImportCsv(w, kind, file, req->content(), who.user_id,
                        w.Stamp(deps_.clock->Now()), req->request_id(),
                        req->allow_duplicate_entries()));
          resp->set_created_count(counts.created);
          resp->set_updated_count(counts.updated);
          return absl::OkStatus();
        });
  });
}

}  // namespace portfolio
