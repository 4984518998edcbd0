// ProblemService: the problem register (要素保障) and its life cycle.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/filter.h"
#include "server/names.h"
#include "server/services.h"

namespace portfolio {
namespace {

absl::StatusOr<std::pair<std::string, std::string>> ParseProblemName(
    absl::string_view name) {
  return ParseChildName("name", name, "problems");
}

absl::Status CheckBool(absl::string_view field, absl::string_view value) {
  if (value != "true" && value != "false") {
    return FieldError(field, "must be true or false");
  }
  return absl::OkStatus();
}

absl::Status NotResolved(const ProblemRecord& p) {
  if (p.state == "resolved") {
    return FieldError(
        absl::StatusCode::kFailedPrecondition, "name",
        absl::StrCat("problem ", p.id, " of project ", p.project_id,
                     " is already resolved (销号)"));
  }
  return absl::OkStatus();
}

// Reads, changes and stores one problem under etag and request-id
// protection, answering with its new state. `fn` is given the change's
// stamp (StoreWriter::Stamp), the instant the problem is updated at.
absl::Status ChangeProblem(
    const ServiceDeps& deps, const Principal& who,
    const google::protobuf::Message& req, absl::string_view name,
    absl::string_view etag, absl::string_view request_id, v1::Problem* resp,
    absl::FunctionRef<absl::Status(ProblemRecord&, absl::Time now)> fn) {
  ASSIGN_OR_RETURN(auto key, ParseProblemName(name));
  return IdempotentWrite(
      deps, who, req, request_id, resp, [&](StoreWriter& w) -> absl::Status {
        ASSIGN_OR_RETURN(ProblemRecord p, w.GetProblem(key.first, key.second));
        RETURN_IF_ERROR(CheckEtag(etag, p.version));
        const absl::Time now = w.Stamp(deps.clock->Now());
        RETURN_IF_ERROR(fn(p, now));
        RETURN_IF_ERROR(w.UpdateProblem(p, now));
        ASSIGN_OR_RETURN(ProblemRecord stored,
                         w.GetProblem(key.first, key.second));
        ProblemToProto(stored, Today(*deps.clock), resp);
        return absl::OkStatus();
      });
}

}  // namespace

Status ProblemServiceImpl::GetProblem(ServerContext* ctx,
                                      const v1::GetProblemRequest* req,
                                      v1::Problem* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(auto key, ParseProblemName(req->name()));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(ProblemRecord p, r.GetProblem(key.first, key.second));
      ProblemToProto(p, Today(*deps_.clock), resp);
      return absl::OkStatus();
    });
  });
}

Status ProblemServiceImpl::ListProblems(ServerContext* ctx,
                                        const v1::ListProblemsRequest* req,
                                        v1::ListProblemsResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ProblemQuery q;
    if (req->parent() != "projects/-") {
      ASSIGN_OR_RETURN(q.project_id,
                       ParseName("parent", req->parent(), "projects"));
    }
    ASSIGN_OR_RETURN(auto terms, ParseFilter(req->filter(),
                                             {"state", "category", "escalation",
                                              "overdue", "unresolved"}));
    if (terms.count("state")) {
      ASSIGN_OR_RETURN(q.state, ParseEnumWord("filter.state", terms["state"],
                                              kProblemStateWords));
    }
    if (terms.count("category")) {
      ASSIGN_OR_RETURN(q.category,
                       ParseEnumWord("filter.category", terms["category"],
                                     kProblemCategoryWords));
    }
    if (terms.count("escalation")) {
      ASSIGN_OR_RETURN(q.escalation,
                       ParseEnumWord("filter.escalation", terms["escalation"],
                                     kEscalationWords));
    }
    if (terms.count("overdue")) {
      RETURN_IF_ERROR(CheckBool("filter.overdue", terms["overdue"]));
      q.overdue_on = Today(*deps_.clock);
      q.overdue = terms["overdue"] == "true";
    }
    if (terms.count("unresolved")) {
      RETURN_IF_ERROR(CheckBool("filter.unresolved", terms["unresolved"]));
      q.unresolved = terms["unresolved"] == "true";
    }
    const std::string key =
        absl::StrCat("ListProblems|", req->parent(), "|", req->filter());
    ASSIGN_OR_RETURN(PageRequest page,
                     ResolvePage(req->page_size(), req->page_token(), key));
    q.offset = page.offset;
    q.limit = FetchLimit(page);
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      if (q.project_id) RETURN_IF_ERROR(r.GetProject(*q.project_id).status());
      ASSIGN_OR_RETURN(ProblemPage found, r.ListProblems(q));
      const PageCut cut = CutPage(page, found.problems.size(), key);
      const absl::CivilDay today = Today(*deps_.clock);
      for (int64_t i = 0; i < cut.count; ++i) {
        ProblemToProto(found.problems[i], today, resp->add_problems());
      }
      resp->set_next_page_token(cut.next_page_token);
      resp->set_total_size(static_cast<int32_t>(found.total));
      return absl::OkStatus();
    });
  });
}

Status ProblemServiceImpl::CreateProblem(ServerContext* ctx,
                                         const v1::CreateProblemRequest* req,
                                         v1::Problem* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(std::string project,
                     ParseName("parent", req->parent(), "projects"));
    const v1::Problem& in = req->problem();
    ProblemRecord p;
    p.project_id = project;
    ASSIGN_OR_RETURN(p.category,
                     EnumNumberToWord("problem.category", in.category(),
                                      kProblemCategoryWords));
    if (p.category.empty()) {
      return FieldError("problem.category",
                        "is required: LAND, PLANNING, ENVIRONMENTAL_APPROVAL, "
                        "ENERGY, FUNDING, DEMOLITION, POWER, WATER_AND_GAS or "
                        "OTHER");
    }
    if (TrimmedText(in.description()).empty()) {
      return FieldError("problem.description",
                        "is required: say what blocks the project");
    }
    RETURN_IF_ERROR(
        CheckLength("problem.description", in.description(), kMaxTextChars));
    RETURN_IF_ERROR(CheckLength("problem.responsible_unit",
                                in.responsible_unit(), kMaxNameChars));
    p.description = TrimmedText(in.description());
    p.responsible_unit = TrimmedText(in.responsible_unit());
    ASSIGN_OR_RETURN(p.deadline,
                     DateFromProto("problem.deadline", in.deadline()));
    ASSIGN_OR_RETURN(std::string escalation,
                     EnumNumberToWord("problem.escalation", in.escalation(),
                                      kEscalationWords));
    if (!escalation.empty()) p.escalation = escalation;
    // A lead reports a problem; handing it to a unit (交办) and raising it
    // above the district are the command centre's (AssignProblem,
    // EscalateProblem), and opening one must not be a way round that.
    if (who.role != "admin" && who.role != "manager") {
      if (!TrimmedText(in.responsible_unit()).empty()) {
        return FieldError(absl::StatusCode::kPermissionDenied,
                          "problem.responsible_unit",
                          absl::StrCat("a ", who.role,
                                       " reports a problem; the command "
                                       "centre names the unit responsible "
                                       "(AssignProblem)"));
      }
      if (!escalation.empty() && escalation != "district") {
        return FieldError(absl::StatusCode::kPermissionDenied,
                          "problem.escalation",
                          absl::StrCat("a ", who.role,
                                       " reports a problem at district level; "
                                       "the command centre raises it "
                                       "(EscalateProblem)"));
      }
    }
    p.state = "open";
    p.opened_by = who.user_id;
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          RETURN_IF_ERROR(w.GetProject(project).status());
          ASSIGN_OR_RETURN(p.id, w.NextProblemId(project));
          const absl::Time now = w.Stamp(deps_.clock->Now());
          p.create_time = now;
          RETURN_IF_ERROR(w.InsertProblem(p, now));
          ASSIGN_OR_RETURN(ProblemRecord stored, w.GetProblem(project, p.id));
          ProblemToProto(stored, Today(*deps_.clock), resp);
          return absl::OkStatus();
        },
        /*project=*/project);
  });
}

Status ProblemServiceImpl::AssignProblem(ServerContext* ctx,
                                         const v1::AssignProblemRequest* req,
                                         v1::Problem* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    if (TrimmedText(req->responsible_unit()).empty()) {
      return FieldError("responsible_unit",
                        "is required: name the unit responsible (责任单位)");
    }
    RETURN_IF_ERROR(CheckLength("responsible_unit", req->responsible_unit(),
                                kMaxNameChars));
    ASSIGN_OR_RETURN(std::optional<absl::CivilDay> deadline,
                     DateFromProto("deadline", req->deadline()));
    return ChangeProblem(
        deps_, who, *req, req->name(), req->etag(), req->request_id(), resp,
        [&](ProblemRecord& p, absl::Time now) -> absl::Status {
          RETURN_IF_ERROR(NotResolved(p));
          p.responsible_unit = TrimmedText(req->responsible_unit());
          if (deadline) p.deadline = deadline;
          p.state = "assigned";
          p.assigned_by = who.user_id;
          p.assign_time = now;
          return absl::OkStatus();
        });
  });
}

Status ProblemServiceImpl::EscalateProblem(
    ServerContext* ctx, const v1::EscalateProblemRequest* req,
    v1::Problem* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(
        std::string level,
        EnumNumberToWord("escalation", req->escalation(), kEscalationWords));
    if (level.empty()) {
      return FieldError("escalation",
                        "is required: DISTRICT, CITY or PROVINCE");
    }
    return ChangeProblem(deps_, who, *req, req->name(), req->etag(),
                         req->request_id(), resp,
                         [&](ProblemRecord& p, absl::Time) -> absl::Status {
                           RETURN_IF_ERROR(NotResolved(p));
                           p.escalation = level;
                           return absl::OkStatus();
                         });
  });
}

Status ProblemServiceImpl::ResolveProblem(ServerContext* ctx,
                                          const v1::ResolveProblemRequest* req,
                                          v1::Problem* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    if (TrimmedText(req->resolution()).empty()) {
      return FieldError(
          "resolution",
          "is required: say how the problem was solved (销号说明)");
    }
    RETURN_IF_ERROR(
        CheckLength("resolution", req->resolution(), kMaxTextChars));
    return ChangeProblem(deps_, who, *req, req->name(), req->etag(),
                         req->request_id(), resp,
                         [&](ProblemRecord& p, absl::Time now) -> absl::Status {
                           RETURN_IF_ERROR(NotResolved(p));
                           p.state = "resolved";
                           p.resolution = TrimmedText(req->resolution());
                           p.resolved_by = who.user_id;
                           p.resolve_time = now;
                           return absl::OkStatus();
                         });
  });
}

}  // namespace portfolio
