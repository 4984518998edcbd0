// IndicatorService: the report's numeric targets and the values reached.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/filter.h"
#include "server/names.h"
#include "server/services.h"

namespace portfolio {

Status IndicatorServiceImpl::GetIndicator(ServerContext* ctx,
                                          const v1::GetIndicatorRequest* req,
                                          v1::Indicator* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string id,
                     ParseName("name", req->name(), "indicators"));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(IndicatorRecord i, r.GetIndicator(id));
      IndicatorToProto(i, resp);
      return absl::OkStatus();
    });
  });
}

Status IndicatorServiceImpl::ListIndicators(
    ServerContext* ctx, const v1::ListIndicatorsRequest* req,
    v1::ListIndicatorsResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    IndicatorQuery q;
    ASSIGN_OR_RETURN(auto terms,
                     ParseFilter(req->filter(), {"chapter", "kind", "year"}));
    if (terms.count("chapter")) {
      int chapter = 0;
      if (!absl::SimpleAtoi(terms["chapter"], &chapter) || chapter < 0 ||
          chapter > 9) {
        return FieldError("filter.chapter", "is not a chapter 0..9");
      }
      q.chapter = chapter;
    }
    if (terms.count("kind")) {
      ASSIGN_OR_RETURN(q.kind, ParseEnumWord("filter.kind", terms["kind"],
                                             kIndicatorKindWords));
    }
    if (terms.count("year")) {
      int year = 0;
      if (!absl::SimpleAtoi(terms["year"], &year)) {
        return FieldError("filter.year", "is not a year");
      }
      q.target_year = year;
    }
    const std::string key = absl::StrCat("ListIndicators|", req->filter());
    ASSIGN_OR_RETURN(PageRequest page,
                     ResolvePage(req->page_size(), req->page_token(), key));
    q.offset = page.offset;
    q.limit = FetchLimit(page);
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<IndicatorRecord> list, r.ListIndicators(q));
      const PageCut cut = CutPage(page, list.size(), key);
      for (int64_t i = 0; i < cut.count; ++i) {
        IndicatorToProto(list[i], resp->add_indicators());
      }
      resp->set_next_page_token(cut.next_page_token);
      return absl::OkStatus();
    });
  });
}

Status IndicatorServiceImpl::CreateIndicator(
    ServerContext* ctx, const v1::CreateIndicatorRequest* req,
    v1::Indicator* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    const std::string id = req->indicator_id().empty()
                               ? std::string(absl::StripPrefix(
                                     req->indicator().name(), "indicators/"))
                               : req->indicator_id();
    RETURN_IF_ERROR(CheckId("indicator_id", id));
    IndicatorRecord record;
    record.id = id;
    RETURN_IF_ERROR(
        ApplyIndicator(req->indicator(), IndicatorWritableFields(), &record));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          RETURN_IF_ERROR(
              w.InsertIndicator(record, w.Stamp(deps_.clock->Now())));
          ASSIGN_OR_RETURN(IndicatorRecord i, w.GetIndicator(id));
          IndicatorToProto(i, resp);
          return absl::OkStatus();
        });
  });
}

Status IndicatorServiceImpl::UpdateIndicator(
    ServerContext* ctx, const v1::UpdateIndicatorRequest* req,
    v1::Indicator* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(
        std::string id,
        ParseName("indicator.name", req->indicator().name(), "indicators"));
    ASSIGN_OR_RETURN(std::vector<std::string> paths,
                     MaskPaths(req->update_mask().paths(), req->indicator(),
                               IndicatorWritableFields()));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          ASSIGN_OR_RETURN(IndicatorRecord i, w.GetIndicator(id));
          RETURN_IF_ERROR(CheckEtag(req->indicator().etag(), i.version));
          RETURN_IF_ERROR(ApplyIndicator(req->indicator(), paths, &i));
          RETURN_IF_ERROR(w.UpdateIndicator(i, w.Stamp(deps_.clock->Now())));
          ASSIGN_OR_RETURN(IndicatorRecord updated, w.GetIndicator(id));
          IndicatorToProto(updated, resp);
          return absl::OkStatus();
        });
  });
}

Status IndicatorServiceImpl::RecordIndicatorValue(
    ServerContext* ctx, const v1::RecordIndicatorValueRequest* req,
    v1::Indicator* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(std::string id,
                     ParseName("name", req->name(), "indicators"));
    const v1::IndicatorValue& in = req->value();
    IndicatorValueRecord v;
    v.year = in.year();
    v.month = in.month();
    if (v.year < kMinYear || v.year > kMaxYear) {
      return FieldError("value.year", "must be a year 2000..2100");
    }
    if (v.month < 0 || v.month > 12) {
      return FieldError("value.month",
                        "must be 1..12, or 0 for the whole year");
    }
    const absl::CivilDay today = Today(*deps_.clock);
    if (v.year > today.year()) {
      return FieldError("value.year",
                        absl::StrCat(v.year, " is in the future"));
    }
    if (v.month > 0 &&
        absl::CivilMonth(v.year, v.month) > absl::CivilMonth(today)) {
      return FieldError("value.month", absl::StrCat(v.year, "-", v.month,
                                                    " is in the future"));
    }
    ASSIGN_OR_RETURN(v.value, CheckDecimal("value.value", in.value()));
    RETURN_IF_ERROR(CheckLength("value.source", in.source(), kMaxTextChars));
    v.source = in.source();
    v.recorded_by = who.user_id;
    v.record_time = deps_.clock->Now();
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          ASSIGN_OR_RETURN(IndicatorRecord i, w.GetIndicator(id));
          RETURN_IF_ERROR(CheckIndicatorSign("value.value", i.kind, v.value));
          // The period's latest value, with the same source, again: the
          // same command run twice. Answered, not recorded twice.
          const IndicatorValueRecord* latest = nullptr;
          for (const IndicatorValueRecord& earlier : i.values) {
            if (earlier.year == v.year && earlier.month == v.month) {
              latest = &earlier;
            }
          }
          if (latest != nullptr && latest->value == v.value &&
              latest->source == v.source) {
            IndicatorToProto(i, resp);
            return absl::OkStatus();
          }
          RETURN_IF_ERROR(w.AppendIndicatorValue(id, v));
          ASSIGN_OR_RETURN(IndicatorRecord updated, w.GetIndicator(id));
          IndicatorToProto(updated, resp);
          return absl::OkStatus();
        });
  });
}

}  // namespace portfolio
