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

// The call this thread is serving. gRPC's synchronous server runs a handler
// on one thread, so a write can ask whether its caller gave up without every
// handler passing its context down.
thread_local const grpc::ServerContext* current_call = nullptr;

// Sets current_call for the life of a handler.
class CurrentCall {
 public:
  explicit CurrentCall(const grpc::ServerContext* call) { current_call = call; }
  ~CurrentCall() { current_call = nullptr; }
};

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

absl::StatusOr<int> PortfolioYear(const ServiceDeps& deps, int requested) {
  if (requested != 0) return requested;
  const int this_year = static_cast<int>(Today(*deps.clock).year());
  int year = this_year;
  RETURN_IF_ERROR(deps.store->Read([&](StoreReader& r) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<PortfolioRecord> all, r.ListPortfolios());
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (it->year <= this_year) {
        year = it->year;
        break;
      }
    }
    return absl::OkStatus();
  }));
  return year;
}

grpc::Status Serve(const ServiceDeps& deps, grpc::ServerContext* context,
                   absl::FunctionRef<absl::Status(const Principal&)> fn) {
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "call cancelled");
  }
  absl::StatusOr<Principal> principal =
      deps.authenticator->Authenticate(*context);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  const CurrentCall call(context);
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
    if (!request_id.empty()) {
      RETURN_IF_ERROR(
          w.SaveRequest(principal.user_id, request_id,
                        RequestRecord{canonical, response->SerializeAsString()},
                        deps.clock->Now()));
    }
    // A caller whose deadline passed while this write waited for the writer
    // has been told nothing was done, so nothing must be: roll back.
    if (current_call != nullptr && current_call->IsCancelled()) {
      return absl::CancelledError(
          "the call ended (deadline or cancellation) before its write "
          "committed; nothing was written");
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> MaskPaths(
    const google::protobuf::RepeatedPtrField<std::string>& paths,
    const google::protobuf::Message& resource,
    const std::vector<std::string>& all) {
  if (paths.size() == 1 && paths[0] == "*") return all;
  if (paths.empty()) {
    const google::protobuf::Reflection* reflection = resource.GetReflection();
    std::vector<std::string> populated;
    for (const std::string& name : all) {
      const google::protobuf::FieldDescriptor* field =
          resource.GetDescriptor()->FindFieldByName(name);
      if (field == nullptr) continue;
      const bool set = field->is_repeated()
                           ? reflection->FieldSize(resource, field) > 0
                           : reflection->HasField(resource, field);
      if (set) populated.push_back(name);
    }
    return populated;
  }
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
