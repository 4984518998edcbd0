// ProjectService: projects.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/convert.h"
#include "server/names.h"
#include "server/project_filter.h"
#include "server/services.h"

namespace portfolio {
namespace {

// Parses order_by: `name`, `display_name` or `total_investment`, each
// optionally followed by `desc`/`asc`.
absl::Status ParseOrder(absl::string_view text, ProjectQuery* q) {
  RETURN_IF_ERROR(CheckLength("order_by", text, kMaxFilterChars));
  std::vector<absl::string_view> words =
      absl::StrSplit(text, ' ', absl::SkipWhitespace());
  if (words.empty()) return absl::OkStatus();
  if (words.size() > 2 ||
      (words.size() == 2 && words[1] != "desc" && words[1] != "asc")) {
    return FieldError("order_by",
                      absl::StrCat("\"", text, "\" is not FIELD [asc|desc]"));
  }
  if (words[0] == "name") {
    q->order = ProjectOrder::kId;
  } else if (words[0] == "display_name") {
    q->order = ProjectOrder::kDisplayName;
  } else if (words[0] == "total_investment") {
    q->order = ProjectOrder::kTotalInvestment;
  } else {
    return FieldError("order_by", absl::StrCat("cannot order by \"", words[0],
                                               "\"; use name, display_name or "
                                               "total_investment"));
  }
  q->descending = words.size() == 2 && words[1] == "desc";
  return absl::OkStatus();
}

// Leads are users: a typo would otherwise grant nothing, silently. A
// viewer added as a lead is refused too: a viewer may not report, so it
// would grant nothing either. Leads in `kept` (those the project had
// already) are not checked for role, so a project whose lead has since
// become a viewer can still be updated, its other leads changed included.
// `sent` is the request's list, whose positions the errors name (`leads`
// is its sorted set).
absl::Status CheckLeads(
    StoreReader& r, const std::vector<std::string>& leads,
    const std::vector<std::string>& kept,
    const google::protobuf::RepeatedPtrField<std::string>& sent) {
  auto field = [&sent](const std::string& lead) {
    const auto at = std::find(sent.begin(), sent.end(), lead);
    return absl::StrCat("project.leads[", at - sent.begin(), "]");
  };
  for (size_t i = 0; i < leads.size(); ++i) {
    absl::StatusOr<UserRecord> user = r.GetUser(leads[i]);
    if (absl::IsNotFound(user.status())) {
      return FieldError(field(leads[i]),
                        absl::StrCat("no user \"", leads[i],
                                     "\"; create it first (portfolio users "
                                     "create)"));
    }
    RETURN_IF_ERROR(user.status());
    const bool added =
        std::find(kept.begin(), kept.end(), leads[i]) == kept.end();
    if (added && user->role == "viewer") {
      return FieldError(
          field(leads[i]),
          absl::StrCat("user \"", leads[i],
                       "\" is a viewer, who may not report on a project; "
                       "give them the lead role first (portfolio users "
                       "update ",
                       leads[i], " --role lead)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

Status ProjectServiceImpl::GetProject(ServerContext* ctx,
                                      const v1::GetProjectRequest* req,
                                      v1::Project* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string id,
                     ParseName("name", req->name(), "projects"));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(ProjectRecord p, r.GetProject(id));
      ProjectToProto(p, resp);
      return absl::OkStatus();
    });
  });
}

Status ProjectServiceImpl::ListProjects(ServerContext* ctx,
                                        const v1::ListProjectsRequest* req,
                                        v1::ListProjectsResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ProjectQuery q;
    ASSIGN_OR_RETURN(const int default_year, PortfolioYear(deps_, 0));
    ASSIGN_OR_RETURN(q.filter, ParseProjectFilter(req->filter(), default_year));
    RETURN_IF_ERROR(ParseOrder(req->order_by(), &q));
    const std::string key =
        absl::StrCat("ListProjects|", req->filter(), "|", req->order_by());
    if (q.order == ProjectOrder::kId) {
      // In id order (the default) a page starts after the last id the one
      // before returned: a project created or removed meanwhile shifts
      // nothing, so none is listed twice or skipped (AIP-158).
      ASSIGN_OR_RETURN(
          TextKeyPageRequest page,
          ResolveTextKeyPage(req->page_size(), req->page_token(), key));
      q.after_id = page.after_key;
      q.limit = page.size + 1;  // one more says whether a next page exists
      return deps_.store->Read([&](StoreReader& r) -> absl::Status {
        ASSIGN_OR_RETURN(ProjectPage result, r.ListProjects(q));
        const bool more =
            static_cast<int64_t>(result.projects.size()) > page.size;
        if (more) result.projects.resize(page.size);
        for (const ProjectRecord& p : result.projects) {
          ProjectToProto(p, resp->add_projects());
        }
        resp->set_total_size(static_cast<int32_t>(result.total));
        if (more) {
          resp->set_next_page_token(
              TextKeyPageToken(result.projects.back().id, key));
        }
        return absl::OkStatus();
      });
    }
    ASSIGN_OR_RETURN(PageRequest page,
                     ResolvePage(req->page_size(), req->page_token(), key));
    q.offset = page.offset;
    q.limit = page.size;
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(ProjectPage result, r.ListProjects(q));
      for (const ProjectRecord& p : result.projects) {
        ProjectToProto(p, resp->add_projects());
      }
      resp->set_total_size(static_cast<int32_t>(result.total));
      resp->set_next_page_token(
          NextPageToken(page, static_cast<int64_t>(result.projects.size()),
                        result.total, key));
      return absl::OkStatus();
    });
  });
}

Status ProjectServiceImpl::CreateProject(ServerContext* ctx,
                                         const v1::CreateProjectRequest* req,
                                         v1::Project* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    const std::string id =
        req->project_id().empty()
            ? std::string(absl::StripPrefix(req->project().name(), "projects/"))
            : req->project_id();
    RETURN_IF_ERROR(CheckId("project_id", id));
    ProjectRecord record;
    record.id = id;
    RETURN_IF_ERROR(
        ApplyProject(req->project(), ProjectWritableFields(), &record));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          RETURN_IF_ERROR(
              CheckLeads(w, record.leads, /*kept=*/{}, req->project().leads()));
          RETURN_IF_ERROR(w.InsertProject(record, w.Stamp(deps_.clock->Now())));
          ASSIGN_OR_RETURN(ProjectRecord p, w.GetProject(id));
          ProjectToProto(p, resp);
          return absl::OkStatus();
        });
  });
}

Status ProjectServiceImpl::UpdateProject(ServerContext* ctx,
                                         const v1::UpdateProjectRequest* req,
                                         v1::Project* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(
        std::string id,
        ParseName("project.name", req->project().name(), "projects"));
    ASSIGN_OR_RETURN(std::vector<std::string> paths,
                     MaskPaths(req->update_mask().paths(), req->project(),
                               ProjectWritableFields()));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          ASSIGN_OR_RETURN(ProjectRecord p, w.GetProject(id));
          RETURN_IF_ERROR(CheckEtag(req->project().etag(), p.version));
          const std::vector<std::string> kept = p.leads;
          v1::Project before;
          ProjectToProto(p, &before);
          RETURN_IF_ERROR(ApplyProject(req->project(), paths, &p));
          // An update that changes nothing writes nothing: the etag stays,
          // so another caller holding it is not sent back to read again.
          v1::Project after;
          ProjectToProto(p, &after);
          if (google::protobuf::util::MessageDifferencer::Equals(before,
                                                                 after)) {
            *resp = std::move(before);
            return absl::OkStatus();
          }
          RETURN_IF_ERROR(CheckLeads(w, p.leads, kept, req->project().leads()));
          RETURN_IF_ERROR(w.UpdateProject(p, w.Stamp(deps_.clock->Now())));
          ASSIGN_OR_RETURN(ProjectRecord updated, w.GetProject(id));
          ProjectToProto(updated, resp);
          return absl::OkStatus();
        });
  });
}

}  // namespace portfolio
