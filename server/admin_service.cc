// AdminService: users, tokens, the audit trail and backups.
#include <unistd.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/auth.h"
#include "server/convert.h"
#include "server/filter.h"
#include "server/names.h"
#include "server/service_base.h"
#include "server/services.h"
#include "server/tokens.h"

namespace portfolio {
namespace {

void UserToProto(const UserRecord& u, const std::vector<std::string>& projects,
                 v1::User* out) {
  out->set_name(absl::StrCat("users/", u.id));
  out->set_display_name(u.display_name);
  out->set_role(
      static_cast<v1::UserRole>(EnumWordToNumber(u.role, kRoleWords)));
  out->set_disabled(u.disabled);
  TimeToProto(u.create_time, out->mutable_create_time());
  for (const std::string& p : projects) out->add_projects("projects/" + p);
}

void TokenToProto(const TokenRecord& t, v1::Token* out) {
  out->set_name(absl::StrCat("tokens/", t.id));
  out->set_user(absl::StrCat("users/", t.user_id));
  out->set_display_name(t.display_name);
  TimeToProto(t.create_time, out->mutable_create_time());
  if (t.expire_time) TimeToProto(*t.expire_time, out->mutable_expire_time());
  if (t.last_use_time) {
    TimeToProto(*t.last_use_time, out->mutable_last_use_time());
  }
  if (t.revoke_time) TimeToProto(*t.revoke_time, out->mutable_revoke_time());
}

void AuditToProto(const AuditRecord& e, v1::AuditEvent* out) {
  out->set_name(absl::StrCat("auditEvents/", e.seq));
  TimeToProto(e.time, out->mutable_time());
  out->set_user(e.user_id);
  out->set_method(e.method);
  out->set_resource(e.resource);
  out->set_request_id(e.request_id);
  out->set_outcome(e.outcome);
  out->set_detail(AuditDetailOf(e));
}

absl::StatusOr<std::string> RoleFromProto(absl::string_view field, int role) {
  ASSIGN_OR_RETURN(std::string word, EnumNumberToWord(field, role, kRoleWords));
  if (word.empty()) return FieldError(field, "is required");
  return word;
}

// Reads a user with the projects it leads.
absl::Status ReadUser(StoreReader& r, absl::string_view id, v1::User* out) {
  ASSIGN_OR_RETURN(UserRecord u, r.GetUser(id));
  ASSIGN_OR_RETURN(std::vector<std::string> projects, r.ProjectsLedBy(id));
  UserToProto(u, projects, out);
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> ParseSince(absl::string_view text) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &error)) return t;
  absl::StatusOr<absl::CivilDay> day = ParseDate(text);
  if (!day.ok()) {
    return FieldError("filter.since",
                      "is not a date (YYYY-MM-DD) or an RFC 3339 time");
  }
  return absl::FromCivil(*day, DistrictTimeZone());
}

}  // namespace

Status AdminServiceImpl::CreateUser(ServerContext* ctx,
                                    const v1::CreateUserRequest* req,
                                    v1::User* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    UserRecord u;
    u.id = req->user_id().empty()
               ? std::string(absl::StripPrefix(req->user().name(), "users/"))
               : req->user_id();
    RETURN_IF_ERROR(CheckId("user_id", u.id, /*min_chars=*/2));
    RETURN_IF_ERROR(CheckLength("user.display_name", req->user().display_name(),
                                kMaxNameChars));
    u.display_name = req->user().display_name();
    ASSIGN_OR_RETURN(u.role, RoleFromProto("user.role", req->user().role()));
    u.disabled = req->user().disabled();
    u.create_time = deps_.clock->Now();
    return IdempotentWrite(deps_, who, *req, req->request_id(), resp,
                           [&](StoreWriter& w) -> absl::Status {
                             RETURN_IF_ERROR(w.InsertUser(u));
                             return ReadUser(w, u.id, resp);
                           });
  });
}

Status AdminServiceImpl::GetUser(ServerContext* ctx,
                                 const v1::GetUserRequest* req,
                                 v1::User* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string id, ParseName("name", req->name(), "users"));
    return deps_.store->Read(
        [&](StoreReader& r) { return ReadUser(r, id, resp); });
  });
}

Status AdminServiceImpl::ListUsers(ServerContext* ctx,
                                   const v1::ListUsersRequest* req,
                                   v1::ListUsersResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(
        PageRequest page,
        ResolvePage(req->page_size(), req->page_token(), "ListUsers"));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<UserRecord> users,
                       r.ListUsers(page.offset, FetchLimit(page)));
      const PageCut cut = CutPage(page, users.size(), "ListUsers");
      for (int64_t i = 0; i < cut.count; ++i) {
        ASSIGN_OR_RETURN(std::vector<std::string> projects,
                         r.ProjectsLedBy(users[i].id));
        UserToProto(users[i], projects, resp->add_users());
      }
      resp->set_next_page_token(cut.next_page_token);
      return absl::OkStatus();
    });
  });
}

Status AdminServiceImpl::UpdateUser(ServerContext* ctx,
                                    const v1::UpdateUserRequest* req,
                                    v1::User* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(std::string id,
                     ParseName("user.name", req->user().name(), "users"));
    static const auto* writable =
        new std::vector<std::string>{"display_name", "role", "disabled"};
    ASSIGN_OR_RETURN(
        std::vector<std::string> paths,
        MaskPaths(req->update_mask().paths(), req->user(), *writable));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          ASSIGN_OR_RETURN(UserRecord u, w.GetUser(id));
          for (const std::string& path : paths) {
            if (path == "display_name") {
              RETURN_IF_ERROR(CheckLength("user.display_name",
                                          req->user().display_name(),
                                          kMaxNameChars));
              u.display_name = req->user().display_name();
            } else if (path == "role") {
              ASSIGN_OR_RETURN(u.role,
                               RoleFromProto("user.role", req->user().role()));
            } else if (path == "disabled") {
              u.disabled = req->user().disabled();
            }
          }
          if (u.id == who.user_id && (u.disabled || u.role != "admin")) {
            return absl::FailedPreconditionError(
                "an admin may not disable or demote themselves; ask another "
                "admin");
          }
          RETURN_IF_ERROR(w.UpdateUser(u));
          return ReadUser(w, id, resp);
        });
  });
}

Status AdminServiceImpl::CreateToken(ServerContext* ctx,
                                     const v1::CreateTokenRequest* req,
                                     v1::CreateTokenResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(std::string user,
                     ParseName("parent", req->parent(), "users"));
    RETURN_IF_ERROR(CheckLength("token.display_name",
                                req->token().display_name(), kMaxNameChars));
    ASSIGN_OR_RETURN(NewToken fresh, GenerateToken());
    TokenRecord t;
    t.id = fresh.id;
    t.user_id = user;
    t.display_name = req->token().display_name();
    t.secret_hash = HashSecret(fresh.secret);
    t.create_time = deps_.clock->Now();
    if (req->token().has_expire_time()) {
      t.expire_time =
          absl::FromUnixSeconds(req->token().expire_time().seconds());
      if (*t.expire_time <= t.create_time) {
        return FieldError("token.expire_time", "is in the past");
      }
    }
    // No request id: the response holds the secret, which is never stored.
    return IdempotentWrite(deps_, who, *req, /*request_id=*/"", resp,
                           [&](StoreWriter& w) -> absl::Status {
                             RETURN_IF_ERROR(w.InsertToken(t));
                             TokenToProto(t, resp->mutable_token());
                             resp->set_secret(fresh.secret);
                             return absl::OkStatus();
                           });
  });
}

Status AdminServiceImpl::ListTokens(ServerContext* ctx,
                                    const v1::ListTokensRequest* req,
                                    v1::ListTokensResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(auto terms, ParseFilter(req->filter(), {"user"}));
    std::optional<std::string> user;
    if (terms.count("user")) {
      user = std::string(absl::StripPrefix(terms["user"], "users/"));
    }
    const std::string key = absl::StrCat("ListTokens|", req->filter());
    ASSIGN_OR_RETURN(PageRequest page,
                     ResolvePage(req->page_size(), req->page_token(), key));
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<TokenRecord> tokens,
                       r.ListTokens(user, page.offset, FetchLimit(page)));
      const PageCut cut = CutPage(page, tokens.size(), key);
      for (int64_t i = 0; i < cut.count; ++i) {
        TokenToProto(tokens[i], resp->add_tokens());
      }
      resp->set_next_page_token(cut.next_page_token);
      return absl::OkStatus();
    });
  });
}

Status AdminServiceImpl::RevokeToken(ServerContext* ctx,
                                     const v1::RevokeTokenRequest* req,
                                     v1::Token* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(std::string id, ParseName("name", req->name(), "tokens"));
    return IdempotentWrite(
        deps_, who, *req, req->request_id(), resp,
        [&](StoreWriter& w) -> absl::Status {
          RETURN_IF_ERROR(w.RevokeToken(id, deps_.clock->Now()));
          ASSIGN_OR_RETURN(TokenRecord t, w.GetToken(id));
          TokenToProto(t, resp);
          return absl::OkStatus();
        });
  });
}

Status AdminServiceImpl::ListAuditEvents(ServerContext* ctx,
                                         const v1::ListAuditEventsRequest* req,
                                         v1::ListAuditEventsResponse* resp) {
  return Serve(deps_, ctx, *req, [&](const Principal&) -> absl::Status {
    ASSIGN_OR_RETURN(auto terms,
                     ParseFilter(req->filter(), {"project", "user", "since"}));
    AuditQuery q;
    if (terms.count("project")) {
      q.project_id =
          std::string(absl::StripPrefix(terms["project"], "projects/"));
    }
    if (terms.count("user")) {
      q.user_id = std::string(absl::StripPrefix(terms["user"], "users/"));
    }
    if (terms.count("since")) {
      ASSIGN_OR_RETURN(q.since, ParseSince(terms["since"]));
    }
    // Pages by event number, not by position: the trail grows while a
    // client pages through it newest first, and a position would shift.
    const std::string key = absl::StrCat("ListAuditEvents|", req->filter());
    ASSIGN_OR_RETURN(KeyPageRequest page,
                     ResolveKeyPage(req->page_size(), req->page_token(), key));
    q.before_seq = page.after_key;
    q.limit = page.size + 1;  // one more only says a next page exists
    return deps_.store->Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<AuditRecord> events, r.ListAudit(q));
      const bool more = static_cast<int64_t>(events.size()) > page.size;
      if (more) events.resize(page.size);
      for (const AuditRecord& e : events) {
        AuditToProto(e, resp->add_audit_events());
      }
      if (more && !events.empty()) {
        resp->set_next_page_token(KeyPageToken(events.back().seq, key));
      }
      return absl::OkStatus();
    });
  });
}

Status AdminServiceImpl::Backup(ServerContext* ctx,
                                const v1::BackupRequest* req,
                                grpc::ServerWriter<v1::BackupChunk>* writer) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    ASSIGN_OR_RETURN(NewToken name, GenerateToken());  // a unique file name
    const std::string path =
        absl::StrCat(deps_.scratch_dir, "/backup-", name.id, ".db");
    absl::Status status = deps_.store->Backup(path);
    if (status.ok()) {
      std::ifstream in(path, std::ios::binary);
      std::string buffer(1 << 20, '\0');
      v1::BackupChunk chunk;
      while (status.ok() && in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        if (in.gcount() <= 0) break;
        chunk.set_data(buffer.data(), static_cast<size_t>(in.gcount()));
        if (!writer->Write(chunk)) {
          status = absl::CancelledError("the client went away");
        }
      }
      if (status.ok() && in.bad()) {
        status = absl::InternalError("cannot read the backup file");
      }
    }
    unlink(path.c_str());
    if (status.ok()) status = RecordAccepted(deps_, who, *req);
    return status;
  });
}

namespace {

// Whether an accepted call's event is about users and tokens: an
// AdminService call, or an import of users (its kept request says which
// kind it imported).
bool AboutPeople(const AuditRecord& e) {
  if (absl::StartsWith(e.method, "/portfolio.v1.AdminService/")) return true;
  if (e.method != "/portfolio.v1.PortfolioService/ImportRecords") return false;
  v1::ImportRecordsRequest request;
  // An event whose request cannot be read is left out: better a missed
  // import than a service shown people.
  return !e.request.has_value() || !request.ParseFromString(*e.request) ||
         request.kind() == v1::IMPORT_KIND_USERS;
}

}  // namespace

Status AdminServiceImpl::WatchChanges(
    ServerContext* ctx, const v1::WatchChangesRequest* req,
    grpc::ServerWriter<v1::AuditEvent>* writer) {
  return Serve(deps_, ctx, *req, [&](const Principal& who) -> absl::Status {
    if (req->after() < 0) return FieldError("after", "must not be negative");
    // A cursor past the last event was not saved from this trail (a
    // database restored from an older backup, another server): waiting
    // for it would skip every event up to it without a word.
    RETURN_IF_ERROR(deps_.store->Read([&](StoreReader& r) -> absl::Status {
      AuditQuery newest;
      newest.limit = 1;
      ASSIGN_OR_RETURN(const std::vector<AuditRecord> last,
                       r.ListAudit(newest));
      const int64_t latest = last.empty() ? 0 : last[0].seq;
      if (req->after() > latest) {
        return FieldError(
            absl::StatusCode::kOutOfRange, "after",
            absl::StrCat(req->after(), " is past the last event, ", latest,
                         "; a cursor saved against another database? Start "
                         "again from 0, or from the last event you hold"));
      }
      return absl::OkStatus();
    }));
    // People and tokens are the admins' business (a service may not list
    // the audit trail either): a service's feed leaves their events out.
    bool people_hidden = who.role == "service";
    const std::string method = MethodOf(*req);
    constexpr int64_t kBatch = 500;
    int64_t cursor = req->after();
    while (!ctx->IsCancelled()) {
      // Read the version before the events: a change committed after the
      // read moves the version on, so the wait below returns at once.
      const uint64_t seen = deps_.changes->version();
      std::vector<AuditRecord> events;
      RETURN_IF_ERROR(deps_.store->Read([&](StoreReader& r) -> absl::Status {
        AuditQuery q;
        q.after_seq = cursor;
        q.accepted_only = true;
        q.oldest_first = true;
        q.limit = kBatch;
        ASSIGN_OR_RETURN(events, r.ListAudit(q));
        return absl::OkStatus();
      }));
      // A stream outlives the check its call began with: the token may be
      // revoked or expire, the user be disabled or given another role. So
      // the caller is checked again after reading each batch, before
      // sending it (a quiet feed wakes at least once a second), and the
      // stream ends with the refusal a new call would get. Cheap: the
      // authenticator reads the store only after an access change (and
      // notes the token's use at most once a minute). A batch already being
      // sent to a slow reader is finished first.
      absl::StatusOr<Principal> now = deps_.authenticator->Authenticate(*ctx);
      RETURN_IF_ERROR(now.status());
      RETURN_IF_ERROR(AuthorizeMethod(*now, method));
      people_hidden = now->role == "service";
      for (const AuditRecord& e : events) {
        cursor = e.seq;
        if (people_hidden && AboutPeople(e)) continue;
        v1::AuditEvent out;
        AuditToProto(e, &out);
        if (!writer->Write(out)) return absl::OkStatus();  // caller left
      }
      if (static_cast<int64_t>(events.size()) == kBatch) continue;
      // Wake on the next commit; the timeout only bounds how long a
      // cancelled caller keeps this thread.
      if (!deps_.changes->WaitPast(seen, absl::Seconds(1))) break;
    }
    return absl::OkStatus();
  });
}

}  // namespace portfolio
