#include "server/service_base.h"

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "server/auth.h"
#include "server/names.h"

namespace portfolio {
namespace {

// The call this thread is serving and its method. gRPC's synchronous server
// runs a handler on one thread, so a write can ask whether its caller gave
// up, and name the method in the audit trail, without every handler passing
// them down.
thread_local const grpc::ServerContextBase* current_call = nullptr;
thread_local const std::string* current_method = nullptr;

// Sets the current call for the life of a handler.
class CurrentCall {
 public:
  CurrentCall(const grpc::ServerContextBase* call, const std::string* method) {
    current_call = call;
    current_method = method;
  }
  ~CurrentCall() {
    current_call = nullptr;
    current_method = nullptr;
  }
};

// Every request type of our services names exactly one method; map them
// from the descriptors, since grpc::ServerContext does not say which method
// it serves.
const std::map<std::string, std::string>& MethodsByRequest() {
  static const auto* methods = [] {
    auto* map = new std::map<std::string, std::string>();
    const google::protobuf::DescriptorPool* pool =
        google::protobuf::DescriptorPool::generated_pool();
    for (const char* file :
         {"portfolio/v1/service.proto", "portfolio/v1/admin.proto"}) {
      const google::protobuf::FileDescriptor* f = pool->FindFileByName(file);
      if (f == nullptr) continue;
      for (int s = 0; s < f->service_count(); ++s) {
        const google::protobuf::ServiceDescriptor* service = f->service(s);
        for (int m = 0; m < service->method_count(); ++m) {
          const google::protobuf::MethodDescriptor* method = service->method(m);
          (*map)[method->input_type()->full_name()] =
              absl::StrCat("/", service->full_name(), "/", method->name());
        }
      }
    }
    return map;
  }();
  return *methods;
}

// A copy of `request` with the named fields (those it has) cleared.
std::unique_ptr<google::protobuf::Message> CopyWithout(
    const google::protobuf::Message& request,
    std::initializer_list<const char*> names) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  for (const char* name : names) {
    const google::protobuf::FieldDescriptor* field =
        copy->GetDescriptor()->FindFieldByName(name);
    if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  }
  return copy;
}

// The request as stored for comparison, from a copy of it without its
// request_id: its full type name and its deterministic serialization.
std::string CanonicalForm(const google::protobuf::Message& copy) {
  std::string bytes = copy.GetDescriptor()->full_name() + "\n";
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  return bytes;
}

// The audit trail's form of a request, from a copy of it without its
// request_id (changed on the way).
std::string AuditForm(google::protobuf::Message& copy) {
  const google::protobuf::FieldDescriptor* content =
      copy.GetDescriptor()->FindFieldByName("content");
  if (content != nullptr) copy.GetReflection()->ClearField(&copy, content);
  // Fields this build does not know would be kept by the serialization, in
  // an append-only table, and shown by no rendering of it.
  copy.DiscardUnknownFields();
  return copy.SerializeAsString();
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
      // A year is planned when it has targets: a record holding only a
      // note, or last year's facts, does not move every default.
      const bool targets = it->project_count_target.has_value() ||
                           it->investment_target.has_value() ||
                           it->provincial_count_target.has_value() ||
                           it->city_count_target.has_value();
      if (it->year <= this_year && targets) {
        year = it->year;
        break;
      }
    }
    return absl::OkStatus();
  }));
  return year;
}

namespace {

std::string StringField(const google::protobuf::Message& m, const char* name) {
  const google::protobuf::FieldDescriptor* field =
      m.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr || field->is_repeated() ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return std::string();
  }
  return m.GetReflection()->GetString(m, field);
}

// `audited` is AuditRequestOf(request) when the caller has it already.
AuditRecord AuditEvent(const ServiceDeps& deps, absl::string_view user,
                       absl::string_view method,
                       const google::protobuf::Message& request,
                       const google::protobuf::Message* response,
                       const absl::Status& outcome,
                       std::optional<std::string> audited = std::nullopt) {
  AuditRecord e;
  e.time = deps.clock->Now();
  e.user_id = std::string(user);
  e.method = std::string(method);
  // Bounded: these come from the caller.
  e.resource = Excerpt(ResourceOf(request, response), 256);
  e.request_id = Excerpt(StringField(request, "request_id"), 128);
  e.outcome = outcome.ok() ? "OK" : absl::StatusCodeToString(outcome.code());
  if (outcome.ok()) {
    e.request =
        audited.has_value() ? std::move(*audited) : AuditRequestOf(request);
  } else {
    e.detail = std::string(outcome.message().substr(0, 2000));
  }
  return e;
}

}  // namespace

std::string AuditRequestOf(const google::protobuf::Message& request) {
  return AuditForm(*CopyWithout(request, {"request_id"}));
}

std::string AuditDetailOf(const AuditRecord& event) {
  if (!event.request.has_value()) return event.detail;
  // "/portfolio.v1.InvestmentService/LogInvestment" names the method
  // portfolio.v1.InvestmentService.LogInvestment, whose input type the
  // bytes are.
  std::string method = event.method;
  if (absl::StartsWith(method, "/")) method.erase(0, 1);
  std::replace(method.begin(), method.end(), '/', '.');
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          method);
  const google::protobuf::Message* prototype =
      descriptor == nullptr
          ? nullptr
          : google::protobuf::MessageFactory::generated_factory()->GetPrototype(
                descriptor->input_type());
  if (prototype == nullptr) {
    return absl::StrCat("(a request of ", event.request->size(),
                        " bytes for a method this server does not know)");
  }
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  if (!request->ParseFromString(*event.request)) {
    return absl::StrCat("(a request of ", event.request->size(),
                        " bytes that does not parse as ",
                        descriptor->input_type()->full_name(), ")");
  }
  // Kept by an older build, with fields this one no longer has (the API
  // reserves a removed field's number, so they are never misread): said,
  // since JSON has no form for them.
  const size_t kept = request->ByteSizeLong();
  request->DiscardUnknownFields();
  const size_t known = request->ByteSizeLong();
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(*request, &json, options)
           .ok()) {
    json = request->ShortDebugString();
  }
  if (known < kept) {
    absl::StrAppend(&json, " (and ", kept - known,
                    " bytes of fields this server does not know)");
  }
  return json;
}

absl::Status RecordAccepted(const ServiceDeps& deps, const Principal& who,
                            const google::protobuf::Message& request) {
  const AuditRecord e = AuditEvent(deps, who.user_id, MethodOf(request),
                                   request, nullptr, absl::OkStatus());
  const absl::Status status = deps.store->Write(
      [&](StoreWriter& w) { return w.AppendAudit(e).status(); });
  if (status.ok() && deps.changes != nullptr) deps.changes->Notify();
  return status;
}

std::string MethodOf(const google::protobuf::Message& request) {
  const auto& methods = MethodsByRequest();
  auto it = methods.find(request.GetDescriptor()->full_name());
  return it == methods.end() ? std::string() : it->second;
}

std::string ResourceOf(const google::protobuf::Message& request,
                       const google::protobuf::Message* response) {
  if (response != nullptr) {
    std::string name = StringField(*response, "name");
    if (!name.empty()) return name;
  }
  for (const char* field : {"name", "parent", "project"}) {
    std::string value = StringField(request, field);
    if (!value.empty()) return value;
  }
  const google::protobuf::Descriptor* d = request.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    if (f->is_repeated() ||
        f->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      continue;
    }
    std::string name =
        StringField(request.GetReflection()->GetMessage(request, f), "name");
    if (!name.empty()) return name;
  }
  const std::string file = StringField(request, "filename");
  return file.empty() ? std::string() : absl::StrCat("files/", file);
}

grpc::Status Serve(const ServiceDeps& deps, grpc::ServerContext* context,
                   const google::protobuf::Message& request,
                   absl::FunctionRef<absl::Status(const Principal&)> fn) {
  // A call whose deadline passed while it queued is not worth starting.
  // Only the deadline is looked at here: on the synchronous API,
  // IsCancelled() polls the server's completion queue, which cost a tenth
  // of a summary's time; a write's cancellation is checked where it
  // matters, just before its commit (GuardedWrite).
  if (context->deadline() < std::chrono::system_clock::now()) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "the call's deadline passed before it started");
  }
  const std::string method = MethodOf(request);
  const bool mutation = IsMutation(method);
  absl::StatusOr<Principal> principal =
      deps.authenticator->Authenticate(*context);
  absl::Status status = principal.status();
  if (status.ok()) status = AuthorizeMethod(*principal, method);
  if (status.ok()) {
    const CurrentCall call(context, &method);
    status = fn(*principal);
  }
  // Who tried what, and why it was refused. A caller with no genuine token
  // is not recorded: anyone could fill the trail (and the one writer) with
  // anonymous junk. Best effort: the refusal stands whether or not the
  // record can be written.
  const std::string who =
      principal.ok() ? principal->user_id : RefusedUser(principal.status());
  if (!status.ok() && mutation && !who.empty()) {
    const AuditRecord e =
        AuditEvent(deps, who, method, request, nullptr, status);
    deps.store->Write([&](StoreWriter& w) { return w.AppendAudit(e).status(); })
        .IgnoreError();
  }
  return ToGrpcStatus(status);
}

namespace {

// One IdempotentWrite's work inside the transaction, with what it needs
// made beforehand on the caller's thread, so the one writer spends its time
// on the writes. Holds pointers to the request and response, which must
// outlive it. Run is called on the writer thread.
class GuardedWrite {
 public:
  GuardedWrite(const ServiceDeps& deps, const Principal& principal,
               const google::protobuf::Message& request,
               absl::string_view request_id,
               google::protobuf::Message* response, absl::string_view project,
               std::string method, const grpc::ServerContextBase* call)
      : deps_(&deps),
        principal_(principal),
        request_(&request),
        request_id_(request_id),
        response_(response),
        project_(project),
        method_(std::move(method)),
        call_(call) {
    // Both forms from one copy of the request (copying it was a tenth of
    // a LogInvestment handler's time, profiled).
    std::unique_ptr<google::protobuf::Message> copy =
        CopyWithout(request, {"request_id"});
    if (!request_id.empty()) canonical_ = CanonicalForm(*copy);
    audit_ = AuditEvent(deps, principal.user_id, method_, request, nullptr,
                        absl::OkStatus(), AuditForm(*copy));
  }

  absl::Status Run(StoreWriter& w,
                   absl::FunctionRef<absl::Status(StoreWriter&)> write) const {
    if (!project_.empty()) {
      RETURN_IF_ERROR(AuthorizeProject(w, principal_, method_, project_));
    }
    if (!request_id_.empty()) {
      ASSIGN_OR_RETURN(std::optional<RequestRecord> prior,
                       w.FindRequest(principal_.user_id, request_id_));
      if (prior.has_value()) return Replay(*prior);
    }
    RETURN_IF_ERROR(write(w));
    if (!request_id_.empty()) {
      RETURN_IF_ERROR(w.SaveRequest(
          principal_.user_id, request_id_,
          RequestRecord{canonical_, response_->SerializeAsString()},
          deps_->clock->Now()));
    }
    // Only the time and the resource (which may be the response's name)
    // are filled here: the rest was made on the caller's thread.
    AuditRecord event = audit_;
    event.time = deps_->clock->Now();
    event.resource = Excerpt(ResourceOf(*request_, response_), 256);
    RETURN_IF_ERROR(w.AppendAudit(event).status());
    // A caller whose deadline passed while this write waited for the
    // writer has been told nothing was done, so nothing must be: roll back.
    if (call_ != nullptr && call_->IsCancelled()) {
      return absl::CancelledError(
          "the call ended (deadline or cancellation) before its write "
          "committed; nothing was written");
    }
    return absl::OkStatus();
  }

 private:
  // Answers a repeated request id: the first answer when the request is
  // the same, ALREADY_EXISTS when it is not.
  absl::Status Replay(const RequestRecord& prior) const {
    if (prior.request != canonical_) {
      return FieldError(absl::StatusCode::kAlreadyExists, "request_id",
                        absl::StrCat("\"", request_id_,
                                     "\" was already used for a different "
                                     "request; use a new id"));
    }
    if (!response_->ParseFromString(prior.response)) {
      return absl::InternalError("stored response is unreadable");
    }
    return absl::OkStatus();
  }

  const ServiceDeps* deps_;
  Principal principal_;
  const google::protobuf::Message* request_;
  std::string request_id_;
  google::protobuf::Message* response_;
  std::string project_;
  std::string method_;
  std::string canonical_;
  AuditRecord audit_;
  const grpc::ServerContextBase* call_;
};

// Finishes a refused call. A refused mutation by a known user is first
// recorded in the audit trail, as Serve does, through the writer queue, so
// no thread waits for it. Best effort: the refusal stands either way.
void FinishRefused(const ServiceDeps& deps, grpc::ServerUnaryReactor* reactor,
                   const std::string& who, const std::string& method,
                   const google::protobuf::Message& request,
                   const absl::Status& status) {
  const grpc::Status reply = ToGrpcStatus(status);
  if (!IsMutation(method) || who.empty()) {
    reactor->Finish(reply);
    return;
  }
  deps.store->WriteAsync(
      [e = AuditEvent(deps, who, method, request, nullptr, status)](
          StoreWriter& w) { return w.AppendAudit(e).status(); },
      [reactor, reply](absl::Status) { reactor->Finish(reply); });
}

}  // namespace

absl::Status IdempotentWrite(
    const ServiceDeps& deps, const Principal& principal,
    const google::protobuf::Message& request, absl::string_view request_id,
    google::protobuf::Message* response,
    absl::FunctionRef<absl::Status(StoreWriter&)> write,
    absl::string_view project) {
  RETURN_IF_ERROR(CheckLength("request_id", request_id, kMaxRequestIdChars));
  // The write runs on the store's writer thread: take the call from this
  // one.
  const GuardedWrite guarded(
      deps, principal, request, request_id, response, project,
      current_method != nullptr ? *current_method : MethodOf(request),
      current_call);
  const absl::Status status =
      deps.store->Write([&](StoreWriter& w) { return guarded.Run(w, write); });
  if (status.ok() && deps.changes != nullptr) deps.changes->Notify();
  return status;
}

grpc::ServerUnaryReactor* ServeWrite(
    const ServiceDeps& deps, grpc::CallbackServerContext* context,
    const google::protobuf::Message& request,
    google::protobuf::Message* response,
    absl::FunctionRef<absl::StatusOr<PreparedWrite>(const Principal&)>
        prepare) {
  grpc::ServerUnaryReactor* const reactor = context->DefaultReactor();
  if (context->IsCancelled()) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::CANCELLED, "call cancelled"));
    return reactor;
  }
  std::string method = MethodOf(request);
  const absl::StatusOr<Principal> principal =
      deps.authenticator->Authenticate(*context);
  absl::Status status = principal.status();
  if (status.ok()) status = AuthorizeMethod(*principal, method);
  absl::StatusOr<PreparedWrite> prepared =
      status.ok() ? prepare(*principal) : status;
  status = prepared.status();
  if (status.ok()) {
    status =
        CheckLength("request_id", prepared->request_id, kMaxRequestIdChars);
  }
  std::string who =
      principal.ok() ? principal->user_id : RefusedUser(principal.status());
  if (!status.ok()) {
    FinishRefused(deps, reactor, who, method, request, status);
    return reactor;
  }
  GuardedWrite guarded(deps, *principal, request, prepared->request_id,
                       response, prepared->project, method, context);
  deps.store->WriteAsync(
      [guarded = std::move(guarded),
       write = std::move(prepared->write)](StoreWriter& w) mutable {
        return guarded.Run(w, [&](StoreWriter& tx) { return write(tx); });
      },
      [&deps, reactor, who = std::move(who), method = std::move(method),
       &request](absl::Status outcome) {
        if (!outcome.ok()) {
          FinishRefused(deps, reactor, who, method, request, outcome);
          return;
        }
        if (deps.changes != nullptr) deps.changes->Notify();
        reactor->Finish(grpc::Status::OK);
      });
  return reactor;
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
    if (path == "*") {
      return FieldError("update_mask",
                        "\"*\" (every writable field) must be the only path");
    }
    if (std::find(all.begin(), all.end(), path) == all.end()) {
      return FieldError("update_mask",
                        absl::StrCat("\"", path, "\" is not a writable field"));
    }
    out.push_back(path);
  }
  return out;
}

}  // namespace portfolio
