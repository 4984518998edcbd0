// InvestmentService: the append-only ledger.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/amount.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/filter.h"
#include "server/names.h"
#include "server/services.h"

namespace portfolio {
namespace {

absl::Status NotFutureMonth(absl::string_view field, absl::CivilMonth period,
                            absl::CivilDay today) {
  if (period > absl::CivilMonth(today)) {
    return FieldError(
        field,
        absl::StrCat(FormatPeriod(period), " is in the future (this month is ",
                     FormatPeriod(absl::CivilMonth(today)), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::pair<std::string, int64_t>> ParseEntryName(
    absl::string_view field, absl::string_view name) {
  ASSIGN_OR_RETURN(auto parts, ParseChildName(field, name, "investments"));
  int64_t id = 0;
  if (!absl::SimpleAtoi(parts.second, &id) || id <= 0) {
    return FieldError(
        field, absl::StrCat("\"", parts.second, "\" is not an entry number"));
  }
  return std::make_pair(parts.first, id);
}

// FAILED_PRECONDITION naming `field` when `period` is closed for reporting.
absl::Status CheckOpen(StoreReader& r, absl::string_view field,
                       absl::CivilMonth period) {
  absl::StatusOr<PeriodRecord> p = r.GetPeriod(period);
  if (absl::IsNotFound(p.status())) return absl::OkStatus();
  RETURN_IF_ERROR(p.status());
  if (!p->closed) return absl::OkStatus();
  return FieldError(
      absl::StatusCode::kFailedPrecondition, field,
      absl::StrCat(FormatPeriod(period), " is closed for reporting (closed by ",
                   p->closed_by,
                   "); a manager can reopen it: portfolio "
                   "periods reopen ",
                   FormatPeriod(period), " --reason ..."));
}

absl::StatusOr<absl::CivilMonth> ParsePeriodName(absl::string_view name) {
  ASSIGN_OR_RETURN(std::string id,
                   ParseName("name", name, "periods", /*check_id=*/false));
  absl::StatusOr<absl::CivilMonth> period = ParsePeriod(id);
  if (!period.ok()) return WithField("name", period.status());
  return *period;
}

void PeriodToProto(const PeriodRecord& p, v1::ReportingPeriod* out) {
  out->set_name(absl::StrCat("periods/", FormatPeriod(p.period)));
  out->mutable_period()->set_year(static_cast<int32_t>(p.period.year()));
  out->mutable_period()->set_month(p.period.month());
  out->set_closed(p.closed);
  out->set_closed_by(p.closed_by);
  TimeToProto(p.close_time, out->mutable_close_time());
  out->set_reopened_by(p.reopened_by);
  if (p.reopen_time) TimeToProto(*p.reopen_time, out->mutable_reopen_time());
  out->set_reopen_reason(p.reopen_reason);
}

// Appends `e`; the store's refusal of an entry that would take the ledger
// past its size (a message beginning "amount: ") is given as an error of
// the request's `field`.
absl::StatusOr<int64_t> AppendEntry(StoreWriter& w, const EntryRecord& e,
                                    absl::string_view field) {
  absl::StatusOr<int64_t> id = w.AppendEntry(e);
  if (absl::IsFailedPrecondition(id.status()) &&
      absl::StartsWith(id.status().message(), "amount: ")) {
    return FieldError(absl::StatusCode::kFailedPrecondition, field,
                      absl::StripPrefix(id.status().message(), "amount: "));
  }
  return id;
}

// Reads an entry and checks it belongs to `project`.
absl::StatusOr<EntryRecord> EntryOf(StoreReader& r, absl::string_view project,
                                    int64_t id) {
  RETURN_IF_ERROR(r.GetProject(project).status());
  absl::StatusOr<EntryRecord> e = r.GetEntry(id);
  if (!e.ok() && !absl::IsNotFound(e.status())) return e.status();
  if (!e.ok() || e->project_id != project) {
    return absl::NotFoundError(absl::StrCat("investment entry \"projects/",
                                            project, "/investments/", id,
                                            "\" not found"));
  }
  return e;
}

// ALREADY_EXISTS when `e`'s month already has an entry of its amount that
// still stands at it: the same report sent twice.
absl::Status NotReportedYet(StoreWriter& w, const EntryRecord& e) {
  ASSIGN_OR_RETURN(const std::optional<EntryRecord> same,
                   w.StandingEntryOf(e.project_id, e.period, e.amount));
  if (!same.has_value()) return absl::OkStatus();
  return FieldError(
      absl::StatusCode::kAlreadyExists, "amount",
      absl::StrCat(FormatPeriod(e.period), " already has an entry of ",
                   FormatAmount(e.amount), " (", FormatWithCommas(e.amount),
                   " yuan) for ", e.project_id, " (entry ", same->id, ", by ",
                   same->reported_by,
                   "); logging it again would count it twice"));
}

}  // namespace

grpc::ServerUnaryReactor* InvestmentServiceImpl::LogInvestment(
    grpc::CallbackServerContext* ctx, const v1::LogInvestmentRequest* req,
    v1::InvestmentEntry* resp) {
  return ServeWrite(
      deps_, ctx, *req, resp,
      [&](const Principal& who) -> absl::StatusOr<PreparedWrite> {
        ASSIGN_OR_RETURN(std::string project,
                         ParseName("parent", req->parent(), "projects"));
        ASSIGN_OR_RETURN(absl::CivilMonth period,
                         PeriodFromProto("period", req->period()));
        RETURN_IF_ERROR(NotFutureMonth("period", period, Today(*deps_.clock)));
        if (req->amount() <= 0) {
          return FieldError("amount",
                            "must be greater than zero; to reduce an earlier "
                            "report, correct that entry (CorrectInvestment)");
        }
        RETURN_IF_ERROR(CheckAmount("amount", req->amount()));
        RETURN_IF_ERROR(CheckLength("note", req->note(), kMaxTextChars));
        EntryRecord e;
        e.project_id = project;
        e.period = period;
        e.amount = req->amount();
        e.reported_by = who.user_id;
        e.note = req->note();
        e.request_id = req->request_id();
        // Runs later, on the writer thread: owns its entry; resp outlives it.
        // Stamped there, not here: a read between now and the commit must
        // not report an instant after this entry's time without it.
        WriteFn write = [e = std::move(e), resp, clock = deps_.clock,
                         refuse_duplicate = req->refuse_duplicate()](
                            StoreWriter& w) mutable -> absl::Status {
          e.report_time = w.Stamp(clock->Now());
          RETURN_IF_ERROR(w.CheckProjectExists(e.project_id));
          RETURN_IF_ERROR(CheckOpen(w, "period", e.period));
          if (refuse_duplicate) RETURN_IF_ERROR(NotReportedYet(w, e));
          ASSIGN_OR_RETURN(e.id, AppendEntry(w, e, "amount"));
          EntryToProto(e, resp);
          return absl::OkStatus();
        };
        return PreparedWrite{req->request_id(), project, std::move(write)};
      });
}

Status InvestmentServiceImpl::CorrectInvestment(
    ServerContext* ctx, const v1::CorrectInvestmentRequest* req,
    v1::InvestmentEntry* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(auto key, ParseEntryName("name", req->name()));
    if (req->change_case() == v1::CorrectInvestmentRequest::CHANGE_NOT_SET) {
      return FieldError("delta", "give delta or corrected_amount");
    }
    if (req->change_case() == v1::CorrectInvestmentRequest::kDelta &&
        req->delta() == 0) {
      return FieldError("delta", "must not be zero");
    }
    if (req->change_case() == v1::CorrectInvestmentRequest::kCorrectedAmount) {
      RETURN_IF_ERROR(CheckAmount("corrected_amount", req->corrected_amount(),
                                  /*allow_zero=*/true));
    }
    if (req->change_case() == v1::CorrectInvestmentRequest::kDelta &&
        (req->delta() > kMaxAmount || req->delta() < -kMaxAmount)) {
      return FieldError("delta", "is larger than any amount the tracker holds");
    }
    // Blank is no reason, full-width spaces included: the import of an
    // export refuses it, so the API does too.
    if (TrimmedText(req->reason()).empty()) {
      return FieldError("reason", "is required: say why the entry is wrong");
    }
    RETURN_IF_ERROR(CheckLength("reason", req->reason(), kMaxTextChars));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          ASSIGN_OR_RETURN(EntryRecord original,
                           EntryOf(w, key.first, key.second));
          if (original.corrects.has_value()) {
            return FieldError(absl::StatusCode::kFailedPrecondition, "name",
                              absl::StrCat("entry ", key.second,
                                           " is itself a correction; "
                                           "correct the original entry ",
                                           *original.corrects));
          }
          // A correction is dated in the corrected entry's month.
          RETURN_IF_ERROR(CheckOpen(w, "name", original.period));
          ASSIGN_OR_RETURN(int64_t effective, w.EffectiveAmount(original.id));
          const int64_t delta =
              req->change_case() == v1::CorrectInvestmentRequest::kDelta
                  ? req->delta()
                  : req->corrected_amount() - effective;
          if (delta == 0) {
            // A delta of 0 is wrong in itself; a corrected amount equal to
            // the entry's is wrong only for the entry as it now stands.
            if (req->change_case() == v1::CorrectInvestmentRequest::kDelta) {
              return FieldError("delta", "must not be 0; nothing to correct");
            }
            return FieldError(absl::StatusCode::kFailedPrecondition,
                              "corrected_amount",
                              absl::StrCat("the entry already stands at ",
                                           FormatWithCommas(effective),
                                           " yuan; nothing to correct"));
          }
          // The cap on one amount holds for what the entry comes to, as
          // corrected_amount's check does before the transaction.
          if (delta > 0 && effective + delta > kMaxAmount) {
            return FieldError(
                absl::StatusCode::kFailedPrecondition, "delta",
                absl::StrCat("a change of ", FormatWithCommas(delta),
                             " would take the entry to ",
                             FormatWithCommas(effective + delta),
                             " yuan, more than the tracker accepts for one "
                             "amount (",
                             FormatWithCommas(kMaxAmount), ")"));
          }
          ASSIGN_OR_RETURN(int64_t total, w.ProjectLedgerTotal(key.first));
          if (effective + delta < 0 || total + delta < 0) {
            return FieldError(
                absl::StatusCode::kFailedPrecondition, "delta",
                absl::StrCat(
                    "a change of ", FormatWithCommas(delta), " would take ",
                    effective + delta < 0 ? "the entry" : "the project",
                    " below zero (entry stands at ",
                    FormatWithCommas(effective), ", project total ",
                    FormatWithCommas(total), ")"));
          }
          EntryRecord c;
          c.project_id = key.first;
          c.period = original.period;
          c.amount = delta;
          c.reported_by = who.user_id;
          c.report_time = w.Stamp(deps_.clock->Now());
          c.request_id = req->request_id();
          c.corrects = original.id;
          c.reason = TrimmedText(req->reason());
          ASSIGN_OR_RETURN(
              c.id, AppendEntry(w, c,
                                req->change_case() ==
                                        v1::CorrectInvestmentRequest::kDelta
                                    ? "delta"
                                    : "corrected_amount"));
          EntryToProto(c, resp);
          return absl::OkStatus();
        },
        /*project=*/key.first);
  });
}

Status InvestmentServiceImpl::GetInvestmentEntry(
    ServerContext* ctx, const v1::GetInvestmentEntryRequest* req,
    v1::InvestmentEntry* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(auto key, ParseEntryName("name", req->name()));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(EntryRecord e, EntryOf(r, key.first, key.second));
      EntryToProto(e, resp);
      return absl::OkStatus();
    });
  });
}

Status InvestmentServiceImpl::ListInvestmentEntries(
    ServerContext* ctx, const v1::ListInvestmentEntriesRequest* req,
    v1::ListInvestmentEntriesResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    EntryQuery q;
    if (req->parent() != "projects/-") {
      ASSIGN_OR_RETURN(q.project_id,
                       ParseName("parent", req->parent(), "projects"));
    }
    ASSIGN_OR_RETURN(auto terms,
                     ParseFilter(req->filter(), {"year", "period"}));
    if (terms.count("year")) {
      int year = 0;
      if (!absl::SimpleAtoi(terms["year"], &year) || year < kMinYear ||
          year > kMaxYear) {
        return FieldError("filter.year", "is not a year 2000..2100");
      }
      q.year = year;
    }
    if (terms.count("period")) {
      absl::StatusOr<absl::CivilMonth> period = ParsePeriod(terms["period"]);
      RETURN_IF_ERROR(WithField("filter.period", period.status()));
      q.period = *period;
    }
    const std::string key = absl::StrCat("ListInvestmentEntries|",
                                         req->parent(), "|", req->filter());
    ASSIGN_OR_RETURN(PageRequest page,
                     ResolvePage(req->page_size(), req->page_token(), key));
    q.offset = page.offset;
    q.limit = page.size;
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      if (q.project_id) RETURN_IF_ERROR(r.GetProject(*q.project_id).status());
      ASSIGN_OR_RETURN(EntryPage result, r.ListEntries(q));
      for (const EntryRecord& e : result.entries) {
        EntryToProto(e, resp->add_investment_entries());
      }
      resp->set_total_amount(result.total_amount);
      resp->set_next_page_token(
          NextPageToken(page, static_cast<int64_t>(result.entries.size()),
                        result.total_count, key));
      return absl::OkStatus();
    });
  });
}

Status InvestmentServiceImpl::ClosePeriod(ServerContext* ctx,
                                          const v1::ClosePeriodRequest* req,
                                          v1::ReportingPeriod* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(absl::CivilMonth period, ParsePeriodName(req->name()));
    if (period > absl::CivilMonth(Today(*deps_.clock))) {
      return FieldError("name", absl::StrCat(FormatPeriod(period),
                                             " has not begun; it cannot be "
                                             "closed yet"));
    }
    return IdempotentWrite(deps_, who, *req, req->request_id(), resp,
                           [&](StoreWriter& w) -> absl::Status {
                             absl::StatusOr<PeriodRecord> p =
                                 w.GetPeriod(period);
                             if (!p.ok() && !absl::IsNotFound(p.status()))
                               return p.status();
                             PeriodRecord record = p.ok() ? *p : PeriodRecord();
                             if (!p.ok() || !record.closed) {
                               record.period = period;
                               record.closed = true;
                               record.closed_by = who.user_id;
                               record.close_time = w.Stamp(deps_.clock->Now());
                               RETURN_IF_ERROR(w.PutPeriod(record));
                             }
                             PeriodToProto(record, resp);
                             return absl::OkStatus();
                           });
  });
}

Status InvestmentServiceImpl::ReopenPeriod(ServerContext* ctx,
                                           const v1::ReopenPeriodRequest* req,
                                           v1::ReportingPeriod* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(absl::CivilMonth period, ParsePeriodName(req->name()));
    if (TrimmedText(req->reason()).empty()) {
      return FieldError("reason", "is required: say why the month reopens");
    }
    RETURN_IF_ERROR(CheckLength("reason", req->reason(), kMaxTextChars));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          absl::StatusOr<PeriodRecord> p = w.GetPeriod(period);
          if (!p.ok() && !absl::IsNotFound(p.status())) return p.status();
          if (!p.ok() || !p->closed) {
            return FieldError(
                absl::StatusCode::kFailedPrecondition, "name",
                absl::StrCat(FormatPeriod(period), " is not closed"));
          }
          PeriodRecord record = *p;
          record.closed = false;
          record.reopened_by = who.user_id;
          record.reopen_time = w.Stamp(deps_.clock->Now());
          record.reopen_reason = TrimmedText(req->reason());
          RETURN_IF_ERROR(w.PutPeriod(record));
          PeriodToProto(record, resp);
          return absl::OkStatus();
        });
  });
}

Status InvestmentServiceImpl::ListPeriods(ServerContext* ctx,
                                          const v1::ListPeriodsRequest* req,
                                          v1::ListPeriodsResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(auto terms, ParseFilter(req->filter(), {"year"}));
    std::optional<int> year;
    if (terms.count("year")) {
      int y = 0;
      if (!absl::SimpleAtoi(terms["year"], &y)) {
        return FieldError("filter.year", "is not a year");
      }
      RETURN_IF_ERROR(CheckYear("filter.year", y));
      year = y;
    }
    const std::string key = absl::StrCat("ListPeriods|", req->filter());
    ASSIGN_OR_RETURN(PageRequest page,
                     ResolvePage(req->page_size(), req->page_token(), key));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<PeriodRecord> all, r.ListPeriods(year));
      resp->set_next_page_token(EmitPage(
          page, static_cast<int64_t>(all.size()), key,
          [&](int64_t i) { PeriodToProto(all[i], resp->add_periods()); }));
      return absl::OkStatus();
    });
  });
}

}  // namespace portfolio
