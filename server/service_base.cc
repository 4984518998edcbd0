#include "server/service_base.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/names.h"

namespace portfolio {
namespace {

// The request as stored for comparison: its full type name and its
// deterministic serialization without the request_id field.
std::string CanonicalRequest(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const google::protobuf::FieldDescriptor* id_field =
      copy->GetDescriptor()->FindFieldByName("request_id");
  if (id_field != nullptr)
    copy->GetReflection()->ClearField(copy.get(), id_field);
  std::string bytes = copy->GetDescriptor()->full_name() + "\n";
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace

absl::CivilDay Today(const Clock& clock) {
  return absl::ToCivilDay(clock.Now(), DistrictTimeZone());
}

grpc::Status Serve(const ServiceDeps& deps, grpc::ServerContext* context,
                   absl::FunctionRef<absl::Status(const Principal&)> fn) {
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "call cancelled");
  }
  absl::StatusOr<Principal> principal =
      deps.authenticator->Authenticate(*context);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  return ToGrpcStatus(fn(*principal));
}

absl::Status IdempotentWrite(
    const ServiceDeps& deps, const Principal& principal,
    const google::protobuf::Message& request, absl::string_view request_id,
    google::protobuf::Message* response,
    absl::FunctionRef<absl::Status(StoreWriter&)> write) {
  RETURN_IF_ERROR(CheckLength("request_id", request_id, kMaxRequestIdChars));
  const std::string canonical =
      request_id.empty() ? std::string() : CanonicalRequest(request);
  return deps.store->Write([&](StoreWriter& w) -> absl::Status {
    if (!request_id.empty()) {
      ASSIGN_OR_RETURN(std::optional<RequestRecord> prior,
                       w.FindRequest(principal.user_id, request_id));
      if (prior.has_value()) {
        if (prior->request != canonical) {
          return FieldError(absl::StatusCode::kAlreadyExists, "request_id",
                            absl::StrCat("\"", request_id,
                                         "\" was already used for a different "
                                         "request; use a new id"));
        }
        if (!response->ParseFromString(prior->response)) {
          return absl::InternalError("stored response is unreadable");
        }
        return absl::OkStatus();
      }
    }
    RETURN_IF_ERROR(write(w));
    if (request_id.empty()) return absl::OkStatus();
    return w.SaveRequest(
        principal.user_id, request_id,
        RequestRecord{canonical, response->SerializeAsString()},
        deps.clock->Now());
  });
}

absl::StatusOr<std::vector<std::string>> MaskPaths(
    const google::protobuf::RepeatedPtrField<std::string>& paths,
    const std::vector<std::string>& all) {
  if (paths.empty() || (paths.size() == 1 && paths[0] == "*")) return all;
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    if (std::find(all.begin(), all.end(), path) == all.end()) {
      return FieldError("update_mask",
                        absl::StrCat("\"", path, "\" is not a writable field"));
    }
    out.push_back(path);
  }
  return out;
}

}  // namespace portfolio
