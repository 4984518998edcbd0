// users create | list | show | disable | enable.
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/errors.h"
#include "client/format.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::User;

Table UserTable() {
  return Table({
      {"用户 id", "id"},
      {"名称 name", "display_name"},
      {"角色 role", "role"},
      {"停用 disabled", "disabled"},
      {"负责项目 projects", "projects"},
      {"创建 created", "create_time", Align::kLeft, false},
  });
}

void AddUserRow(const User& user, Table* table) {
  std::vector<std::string> projects;
  for (const std::string& project : user.projects()) {
    projects.push_back(LastSegment(project));
  }
  table->AddRow({
      TextCell(LastSegment(user.name())),
      TextCell(user.display_name()),
      Cell{RoleWord(user.role()), ShortName(user.role())},
      Cell{user.disabled() ? "yes" : "no", user.disabled() ? "true" : "false"},
      Cell{absl::StrJoin(projects, ", "), absl::StrJoin(projects, ";")},
      TimeCell(user.create_time()),
  });
}

Table OneUser(const User& user) {
  Table table = UserTable();
  AddUserRow(user, &table);
  return table;
}

// Sends an UpdateUser and prints the user as it now is.
absl::Status SendUserUpdate(const v1::UpdateUserRequest& request,
                            CommandContext& ctx) {
  User user;
  RETURN_IF_ERROR(ctx.rpc->Call(
      ctx.rpc->admin(), &v1::AdminService::Stub::UpdateUser, request, &user));
  return EmitMutation(ctx.format, *ctx.out, user, OneUser(user),
                      request.request_id());
}

}  // namespace

absl::Status CreateUser(const UserCreateOptions& options, CommandContext& ctx) {
  v1::CreateUserRequest request;
  request.set_user_id(options.user_id);
  request.mutable_user()->set_display_name(options.display_name);
  request.mutable_user()->set_role(options.role);
  request.set_request_id(options.request_id);
  User user;
  RETURN_IF_ERROR(ctx.rpc->Call(
      ctx.rpc->admin(), &v1::AdminService::Stub::CreateUser, request, &user));
  return EmitMutation(ctx.format, *ctx.out, user, OneUser(user),
                      options.request_id);
}

absl::Status ListUsers(const UsersListOptions& options, CommandContext& ctx) {
  v1::ListUsersResponse all;
  ASSIGN_OR_RETURN(
      const bool more,
      ListAll(
          *ctx.rpc, ctx.rpc->admin(), &v1::AdminService::Stub::ListUsers,
          v1::ListUsersRequest(), options.limit,
          [](v1::ListUsersResponse* r) { return r->mutable_users(); }, &all));
  Table table = UserTable();
  for (const User& user : all.users()) AddUserRow(user, &table);
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, all, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable && more) {
    *ctx.out << "(" << table.row_count()
             << " shown; raise --limit to see more)\n";
  }
  return absl::OkStatus();
}

absl::Status ShowUser(const UserShowOptions& options, CommandContext& ctx) {
  v1::GetUserRequest request;
  request.set_name(options.user);
  User user;
  RETURN_IF_ERROR(ctx.rpc->Call(
      ctx.rpc->admin(), &v1::AdminService::Stub::GetUser, request, &user));
  return Emit(ctx.format, *ctx.out, user, OneUser(user), Layout::kRecords);
}

absl::Status UpdateUser(const UserUpdateOptions& options, CommandContext& ctx) {
  v1::UpdateUserRequest request;
  request.mutable_user()->set_name(options.user);
  if (options.role.has_value()) {
    request.mutable_user()->set_role(*options.role);
    request.mutable_update_mask()->add_paths("role");
  }
  if (options.display_name.has_value()) {
    request.mutable_user()->set_display_name(*options.display_name);
    request.mutable_update_mask()->add_paths("display_name");
  }
  if (request.update_mask().paths().empty()) {
    return UsageError("nothing to change: give --role or --name");
  }
  request.set_request_id(options.request_id);
  return SendUserUpdate(request, ctx);
}

absl::Status SetUserDisabled(const UserDisableOptions& options,
                             CommandContext& ctx) {
  v1::UpdateUserRequest request;
  request.mutable_user()->set_name(options.user);
  request.mutable_user()->set_disabled(options.disabled);
  request.mutable_update_mask()->add_paths("disabled");
  request.set_request_id(options.request_id);
  return SendUserUpdate(request, ctx);
}

}  // namespace portfolio::client
