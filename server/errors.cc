#include "server/errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace portfolio {
namespace {

constexpr char kFieldPayload[] = "type.googleapis.com/portfolio.v1.Field";

}  // namespace

absl::Status FieldError(absl::string_view field, absl::string_view why) {
  return FieldError(absl::StatusCode::kInvalidArgument, field, why);
}

absl::Status FieldError(absl::StatusCode code, absl::string_view field,
                        absl::string_view why) {
  absl::Status status(code, absl::StrCat(field, ": ", why));
  status.SetPayload(kFieldPayload, absl::Cord(field));
  return status;
}

absl::Status WithField(absl::string_view field, const absl::Status& status) {
  if (status.ok()) return status;
  if (auto inner = status.GetPayload(kFieldPayload); inner.has_value()) {
    // "monthly: why" under "annual_plan" becomes "annual_plan.monthly: why".
    const std::string inner_field(*inner);
    return FieldError(
        status.code(), absl::StrCat(field, ".", inner_field),
        absl::StripPrefix(status.message(), absl::StrCat(inner_field, ": ")));
  }
  return FieldError(status.code(), field, status.message());
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(std::string(status.message()));
  if (auto field = status.GetPayload(kFieldPayload); field.has_value()) {
    google::rpc::BadRequest bad_request;
    auto* violation = bad_request.add_field_violations();
    violation->set_field(std::string(*field));
    violation->set_description(std::string(status.message()));
    details.add_details()->PackFrom(bad_request);
  }
  google::rpc::ErrorInfo info;
  info.set_reason(absl::StatusCodeToString(status.code()));
  info.set_domain("portfolio.v1");
  details.add_details()->PackFrom(info);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()),
                      details.SerializeAsString());
}

}  // namespace portfolio
