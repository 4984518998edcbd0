// ProjectService: annual plans and milestones.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/filter.h"
#include "server/names.h"
#include "server/services.h"

namespace portfolio {
namespace {

absl::StatusOr<std::pair<std::string, int>> ParsePlanName(
    absl::string_view field, absl::string_view name) {
  ASSIGN_OR_RETURN(auto parts, ParseChildName(field, name, "plans"));
  int year = 0;
  if (!absl::SimpleAtoi(parts.second, &year) || year < kMinYear ||
      year > kMaxYear) {
    return FieldError(
        field, absl::StrCat("\"", parts.second, "\" is not a year 2000..2100"));
  }
  return std::make_pair(parts.first, year);
}

// Milestone ids a caller may choose: 1-63 of [a-z0-9-], starting with a
// letter, and not of the form m<digits>, which the server assigns.
absl::Status CheckMilestoneId(absl::string_view field, absl::string_view id) {
  bool ok = !id.empty() && id.size() <= 63 && id[0] >= 'a' && id[0] <= 'z';
  bool server_form = id.size() > 1 && id[0] == 'm';
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    ok &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (i > 0) server_form &= c >= '0' && c <= '9';
  }
  if (!ok) {
    return FieldError(field, absl::StrCat("\"", id.substr(0, 64),
                                          "\" is not a valid milestone id"));
  }
  if (server_form) {
    return FieldError(field, absl::StrCat("\"", id,
                                          "\" is reserved: ids m1, m2, ... "
                                          "are assigned by the server; leave "
                                          "milestone_id empty or choose "
                                          "another"));
  }
  return absl::OkStatus();
}

absl::Status NotInFuture(absl::string_view field, absl::CivilDay day,
                         absl::CivilDay today) {
  if (day > today) {
    return FieldError(
        field, absl::StrCat(FormatDate(day), " is in the future (today is ",
                            FormatDate(today), ")"));
  }
  return absl::OkStatus();
}

std::string KindChinese(absl::string_view word) {
  for (const EnumWord* e = kMilestoneKindWords; e->word != nullptr; ++e) {
    if (word == e->word) return e->chinese;
  }
  return std::string(word);
}

}  // namespace

Status ProjectServiceImpl::GetAnnualPlan(ServerContext* ctx,
                                         const v1::GetAnnualPlanRequest* req,
                                         v1::AnnualPlan* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(auto key, ParsePlanName("name", req->name()));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      RETURN_IF_ERROR(r.GetProject(key.first).status());
      ASSIGN_OR_RETURN(PlanRecord plan, r.GetPlan(key.first, key.second));
      PlanToProto(plan, resp);
      return absl::OkStatus();
    });
  });
}

Status ProjectServiceImpl::ListAnnualPlans(
    ServerContext* ctx, const v1::ListAnnualPlansRequest* req,
    v1::ListAnnualPlansResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string id,
                     ParseName("parent", req->parent(), "projects"));
    const std::string page_key = absl::StrCat("ListAnnualPlans|", id);
    ASSIGN_OR_RETURN(
        PageRequest page,
        ResolvePage(req->page_size(), req->page_token(), page_key));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      RETURN_IF_ERROR(r.GetProject(id).status());
      ASSIGN_OR_RETURN(std::vector<PlanRecord> plans, r.ListPlans(id));
      resp->set_next_page_token(EmitPage(
          page, static_cast<int64_t>(plans.size()), page_key,
          [&](int64_t i) { PlanToProto(plans[i], resp->add_annual_plans()); }));
      return absl::OkStatus();
    });
  });
}

Status ProjectServiceImpl::UpdateAnnualPlan(
    ServerContext* ctx, const v1::UpdateAnnualPlanRequest* req,
    v1::AnnualPlan* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    const v1::AnnualPlan& in = req->annual_plan();
    ASSIGN_OR_RETURN(auto key, ParsePlanName("annual_plan.name", in.name()));
    RETURN_IF_ERROR(CheckAmount("annual_plan.amount", in.amount()));
    PlanRecord plan;
    plan.project_id = key.first;
    plan.year = key.second;
    plan.amount = in.amount();
    plan.updated_by = who.user_id;
    RETURN_IF_ERROR(CheckLength("annual_plan.revision_reason",
                                in.revision_reason(), kMaxTextChars));
    plan.revision_reason = TrimmedText(in.revision_reason());
    if (in.monthly_size() == 0) {
      plan.monthly = EvenSplit(in.amount());
    } else {
      plan.monthly.assign(in.monthly().begin(), in.monthly().end());
      RETURN_IF_ERROR(WithField("annual_plan",
                                CheckMonthlySplit(in.amount(), plan.monthly)));
    }
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          RETURN_IF_ERROR(w.GetProject(plan.project_id).status());
          absl::StatusOr<PlanRecord> existing =
              w.GetPlan(plan.project_id, plan.year);
          if (existing.ok()) {
            RETURN_IF_ERROR(CheckEtag(in.etag(), existing->version));
            const bool changed = existing->amount != plan.amount ||
                                 existing->monthly != plan.monthly;
            if (changed && plan.revision_reason.empty()) {
              return FieldError(
                  "annual_plan.revision_reason",
                  absl::StrCat("is required to revise the ", plan.year,
                               " plan of ", plan.project_id,
                               " (年中调整): its baseline is kept, and each "
                               "revision says why"));
            }
          } else if (!absl::IsNotFound(existing.status()) ||
                     !req->allow_missing()) {
            return existing.status();
          }
          RETURN_IF_ERROR(w.PutPlan(plan, w.Stamp(deps_.clock->Now())));
          ASSIGN_OR_RETURN(PlanRecord stored,
                           w.GetPlan(plan.project_id, plan.year));
          PlanToProto(stored, resp);
          return absl::OkStatus();
        });
  });
}

Status ProjectServiceImpl::ListAnnualPlanRevisions(
    ServerContext* ctx, const v1::ListAnnualPlanRevisionsRequest* req,
    v1::ListAnnualPlanRevisionsResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(auto key, ParsePlanName("name", req->name()));
    const std::string page_key =
        absl::StrCat("ListAnnualPlanRevisions|", req->name());
    ASSIGN_OR_RETURN(
        PageRequest page,
        ResolvePage(req->page_size(), req->page_token(), page_key));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      RETURN_IF_ERROR(r.GetProject(key.first).status());
      ASSIGN_OR_RETURN(std::vector<PlanRecord> revisions,
                       r.ListPlanRevisions(key.first, key.second));
      ASSIGN_OR_RETURN(PlanRecord current, r.GetPlan(key.first, key.second));
      resp->set_next_page_token(
          EmitPage(page, static_cast<int64_t>(revisions.size()), page_key,
                   [&](int64_t i) {
                     // The etag is the plan's, so a revision read here can
                     // guard the next update.
                     revisions[i].version = current.version;
                     PlanToProto(revisions[i], resp->add_annual_plans());
                   }));
      return absl::OkStatus();
    });
  });
}

Status ProjectServiceImpl::GetMilestone(ServerContext* ctx,
                                        const v1::GetMilestoneRequest* req,
                                        v1::Milestone* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(auto key,
                     ParseChildName("name", req->name(), "milestones"));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(MilestoneRecord m,
                       r.GetMilestone(key.first, key.second));
      MilestoneToProto(m, resp);
      return absl::OkStatus();
    });
  });
}

Status ProjectServiceImpl::ListMilestones(ServerContext* ctx,
                                          const v1::ListMilestonesRequest* req,
                                          v1::ListMilestonesResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    MilestoneQuery q;
    if (req->parent() != "projects/-") {
      ASSIGN_OR_RETURN(q.project_id,
                       ParseName("parent", req->parent(), "projects"));
    }
    ASSIGN_OR_RETURN(auto terms,
                     ParseFilter(req->filter(), {"kind", "overdue"}));
    if (terms.count("kind")) {
      ASSIGN_OR_RETURN(q.kind, ParseEnumWord("filter.kind", terms["kind"],
                                             kMilestoneKindWords));
    }
    if (terms.count("overdue")) {
      if (terms["overdue"] != "true" && terms["overdue"] != "false") {
        return FieldError("filter.overdue", "must be true or false");
      }
      q.overdue_on = Today(*deps_.clock);
      q.overdue = terms["overdue"] == "true";
    }
    const std::string key =
        absl::StrCat("ListMilestones|", req->parent(), "|", req->filter());
    ASSIGN_OR_RETURN(PageRequest page,
                     ResolvePage(req->page_size(), req->page_token(), key));
    q.offset = page.offset;
    q.limit = FetchLimit(page);
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      if (q.project_id) RETURN_IF_ERROR(r.GetProject(*q.project_id).status());
      ASSIGN_OR_RETURN(std::vector<MilestoneRecord> ms, r.ListMilestones(q));
      const PageCut cut = CutPage(page, ms.size(), key);
      for (int64_t i = 0; i < cut.count; ++i) {
        MilestoneToProto(ms[i], resp->add_milestones());
      }
      resp->set_next_page_token(cut.next_page_token);
      return absl::OkStatus();
    });
  });
}

namespace {

// ALREADY_EXISTS when the project has a milestone other than `m` (by id) of
// `m`'s kind, name and planned date already: the same one added twice (a
// form sent again), which would stay overdue beside the one marked done.
absl::Status NotAddedYet(StoreWriter& w, const MilestoneRecord& m) {
  MilestoneQuery q;
  q.project_id = m.project_id;
  q.kind = m.kind;
  q.limit = std::numeric_limits<int64_t>::max();  // a project has a few
  ASSIGN_OR_RETURN(const std::vector<MilestoneRecord> same_kind,
                   w.ListMilestones(q));
  for (const MilestoneRecord& other : same_kind) {
    if (other.id != m.id && other.display_name == m.display_name &&
        other.planned_date == m.planned_date) {
      return FieldError(
          absl::StatusCode::kAlreadyExists, "milestone",
          absl::StrCat(m.project_id, " already has milestone ", other.id, " (",
                       other.display_name, ", planned ",
                       other.planned_date.has_value()
                           ? FormatDate(*other.planned_date)
                           : std::string("undated"),
                       "); give another name or planned date for a second "
                       "one"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

Status ProjectServiceImpl::CreateMilestone(
    ServerContext* ctx, const v1::CreateMilestoneRequest* req,
    v1::Milestone* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(std::string project,
                     ParseName("parent", req->parent(), "projects"));
    const v1::Milestone& in = req->milestone();
    MilestoneRecord m;
    m.project_id = project;
    ASSIGN_OR_RETURN(m.kind, EnumNumberToWord("milestone.kind", in.kind(),
                                              kMilestoneKindWords));
    if (m.kind.empty()) return FieldError("milestone.kind", "is required");
    RETURN_IF_ERROR(CheckLength("milestone.display_name", in.display_name(),
                                kMaxNameChars));
    m.display_name =
        in.display_name().empty() ? KindChinese(m.kind) : in.display_name();
    ASSIGN_OR_RETURN(m.planned_date, DateFromProto("milestone.planned_date",
                                                   in.planned_date()));
    ASSIGN_OR_RETURN(m.forecast_date, DateFromProto("milestone.forecast_date",
                                                    in.forecast_date()));
    ASSIGN_OR_RETURN(m.actual_date,
                     DateFromProto("milestone.actual_date", in.actual_date()));
    if (m.actual_date) {
      RETURN_IF_ERROR(NotInFuture("milestone.actual_date", *m.actual_date,
                                  Today(*deps_.clock)));
    }
    if (!req->milestone_id().empty()) {
      RETURN_IF_ERROR(CheckMilestoneId("milestone_id", req->milestone_id()));
    }
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          // As ForecastMilestone's rules, checked after a repeated request
          // id has been answered (so a retry the next day is replayed).
          if (m.forecast_date.has_value()) {
            const absl::CivilDay today = Today(*deps_.clock);
            if (m.actual_date.has_value()) {
              return FieldError("milestone.forecast_date",
                                "a forecast is for a milestone not yet "
                                "reached; this one has an actual_date");
            }
            if (*m.forecast_date < today) {
              return FieldError("milestone.forecast_date",
                                absl::StrCat(FormatDate(*m.forecast_date),
                                             " is in the past (today is ",
                                             FormatDate(today), ")"));
            }
          }
          RETURN_IF_ERROR(w.GetProject(project).status());
          RETURN_IF_ERROR(NotAddedYet(w, m));
          m.id = req->milestone_id();
          if (m.id.empty()) {
            ASSIGN_OR_RETURN(m.id, w.NextMilestoneId(project));
          }
          RETURN_IF_ERROR(w.InsertMilestone(m, w.Stamp(deps_.clock->Now())));
          ASSIGN_OR_RETURN(MilestoneRecord stored,
                           w.GetMilestone(project, m.id));
          MilestoneToProto(stored, resp);
          return absl::OkStatus();
        },
        /*project=*/project);
  });
}

namespace {

// Sets one date of a milestone under etag and request-id protection.
absl::Status UpdateMilestoneDate(const ServiceDeps& deps, const Principal& who,
                                 const google::protobuf::Message& req,
                                 absl::string_view name, absl::string_view etag,
                                 absl::string_view request_id,
                                 const google::type::Date& date, bool is_actual,
                                 v1::Milestone* resp) {
  const char* field = is_actual ? "actual_date" : "forecast_date";
  ASSIGN_OR_RETURN(auto key, ParseChildName("name", name, "milestones"));
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> day,
                   DateFromProto(field, date));
  if (!day.has_value()) return FieldError(field, "is required");
  const absl::CivilDay today = Today(*deps.clock);
  if (is_actual) {
    RETURN_IF_ERROR(NotInFuture(field, *day, today));
  }
  return IdempotentWrite(
      deps, who, req, request_id, resp,
      [&](StoreWriter& w) -> absl::Status {
        // Checked here, after a repeated request id has been answered: a
        // forecast for today, retried after midnight, gets its first
        // answer. A day gone by is either reached (CompleteMilestone) or
        // not a forecast.
        if (!is_actual && *day < today) {
          return FieldError(
              field,
              absl::StrCat(FormatDate(*day), " is in the past (today is ",
                           FormatDate(today),
                           "); a reached milestone is recorded with "
                           "CompleteMilestone (portfolio milestones done)"));
        }
        ASSIGN_OR_RETURN(MilestoneRecord m,
                         w.GetMilestone(key.first, key.second));
        RETURN_IF_ERROR(CheckEtag(etag, m.version));
        if (!is_actual && m.actual_date.has_value()) {
          return FieldError(
              absl::StatusCode::kFailedPrecondition, field,
              absl::StrCat("milestone ", key.second, " was reached on ",
                           FormatDate(*m.actual_date),
                           "; a forecast is for one not yet reached"));
        }
        if (is_actual && m.actual_date.has_value()) {
          // Reached already: the same day again is a repeat, answered
          // with nothing written. Another day moves a recorded fact, so
          // only a caller who shows, by the etag, that it has seen the
          // date it replaces may do so (the earlier date stays in the
          // milestone's history).
          if (*m.actual_date == *day) {
            MilestoneToProto(m, resp);
            return absl::OkStatus();
          }
          if (etag.empty()) {
            return FieldError(
                absl::StatusCode::kFailedPrecondition, field,
                absl::StrCat("milestone ", key.second, " was reached on ",
                             FormatDate(*m.actual_date),
                             "; to correct that date to ", FormatDate(*day),
                             ", send the milestone's etag (portfolio "
                             "milestones done --correct)"));
          }
        }
        (is_actual ? m.actual_date : m.forecast_date) = day;
        RETURN_IF_ERROR(w.UpdateMilestone(m, w.Stamp(deps.clock->Now())));
        ASSIGN_OR_RETURN(MilestoneRecord stored,
                         w.GetMilestone(key.first, key.second));
        MilestoneToProto(stored, resp);
        return absl::OkStatus();
      },
      /*project=*/key.first);
}

}  // namespace

Status ProjectServiceImpl::ForecastMilestone(
    ServerContext* ctx, const v1::ForecastMilestoneRequest* req,
    v1::Milestone* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) {
    return UpdateMilestoneDate(deps_, who, *req, req->name(), req->etag(),
                               req->request_id(), req->forecast_date(),
                               /*is_actual=*/false, resp);
  });
}

Status ProjectServiceImpl::CompleteMilestone(
    ServerContext* ctx, const v1::CompleteMilestoneRequest* req,
    v1::Milestone* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) {
    return UpdateMilestoneDate(deps_, who, *req, req->name(), req->etag(),
                               req->request_id(), req->actual_date(),
                               /*is_actual=*/true, resp);
  });
}

namespace {

const std::vector<std::string>& MilestoneWritableFields() {
  static const auto* fields =
      new std::vector<std::string>{"kind", "display_name", "planned_date"};
  return *fields;
}

// Writes `paths` of `in` over `m`. INVALID_ARGUMENT for an unspecified
// kind or a display name too long; FAILED_PRECONDITION for a new kind or
// planned date on a milestone already reached.
absl::Status ApplyMilestone(const v1::Milestone& in,
                            const std::vector<std::string>& paths,
                            MilestoneRecord* m) {
  MilestoneRecord next = *m;
  for (const std::string& path : paths) {
    if (path == "kind") {
      ASSIGN_OR_RETURN(next.kind, EnumNumberToWord("milestone.kind", in.kind(),
                                                   kMilestoneKindWords));
      if (next.kind.empty()) return FieldError("milestone.kind", "is required");
    } else if (path == "display_name") {
      RETURN_IF_ERROR(CheckLength("milestone.display_name", in.display_name(),
                                  kMaxNameChars));
      next.display_name = in.display_name();
    } else if (path == "planned_date") {
      ASSIGN_OR_RETURN(
          next.planned_date,
          DateFromProto("milestone.planned_date", in.planned_date()));
    }
  }
  // An empty name is the kind's, as at creation (after the kind changes).
  if (next.display_name.empty()) next.display_name = KindChinese(next.kind);
  if (m->actual_date.has_value()) {
    // A reached milestone's plan is what it was measured against.
    const char* moved = next.kind != m->kind                   ? "kind"
                        : next.planned_date != m->planned_date ? "planned_date"
                                                               : nullptr;
    if (moved != nullptr) {
      return FieldError(absl::StatusCode::kFailedPrecondition,
                        absl::StrCat("milestone.", moved),
                        absl::StrCat("milestone ", m->id, " was reached on ",
                                     FormatDate(*m->actual_date),
                                     "; the plan it was reached against "
                                     "stays as it was"));
    }
  }
  *m = std::move(next);
  return absl::OkStatus();
}

}  // namespace

Status ProjectServiceImpl::UpdateMilestone(
    ServerContext* ctx, const v1::UpdateMilestoneRequest* req,
    v1::Milestone* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    const v1::Milestone& in = req->milestone();
    ASSIGN_OR_RETURN(auto key,
                     ParseChildName("milestone.name", in.name(), "milestones"));
    // The dates with methods of their own: sent here, they would be
    // silently dropped by an empty mask.
    if (in.has_forecast_date()) {
      return FieldError("milestone.forecast_date",
                        "is set by ForecastMilestone (portfolio milestones "
                        "forecast), not by an update");
    }
    if (in.has_actual_date()) {
      return FieldError("milestone.actual_date",
                        "is set by CompleteMilestone (portfolio milestones "
                        "done), not by an update");
    }
    ASSIGN_OR_RETURN(
        std::vector<std::string> paths,
        MaskPaths(req->update_mask().paths(), in, MilestoneWritableFields()));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          ASSIGN_OR_RETURN(MilestoneRecord m,
                           w.GetMilestone(key.first, key.second));
          RETURN_IF_ERROR(CheckEtag(in.etag(), m.version));
          const MilestoneRecord before = m;
          RETURN_IF_ERROR(ApplyMilestone(in, paths, &m));
          // An update that changes nothing writes nothing: the etag stays.
          if (m.kind == before.kind && m.display_name == before.display_name &&
              m.planned_date == before.planned_date) {
            MilestoneToProto(before, resp);
            return absl::OkStatus();
          }
          RETURN_IF_ERROR(NotAddedYet(w, m));
          RETURN_IF_ERROR(w.UpdateMilestone(m, w.Stamp(deps_.clock->Now())));
          ASSIGN_OR_RETURN(MilestoneRecord stored,
                           w.GetMilestone(key.first, key.second));
          MilestoneToProto(stored, resp);
          return absl::OkStatus();
        },
        /*project=*/key.first);
  });
}

}  // namespace portfolio
