// tokens create | list | revoke. Secrets pass through once, on creation,
// and are never stored or logged by the CLI.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/filter.h"
#include "client/format.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::Token;

std::vector<Column> TokenColumns() {
  return {
      {"令牌 id", "id"},
      {"用户 user", "user"},
      {"用途 name", "display_name"},
      {"状态 state", "state"},
      {"创建 created", "create_time"},
      {"到期 expires", "expire_time"},
      {"最近使用 last used", "last_use_time"},
      {"吊销 revoked", "revoke_time"},
  };
}

bool IsSet(const google::protobuf::Timestamp& time) {
  return time.seconds() != 0 || time.nanos() != 0;
}

// active, expired or revoked, as of `now`.
std::string StateOf(const Token& token, absl::Time now) {
  if (IsSet(token.revoke_time())) return "revoked";
  if (IsSet(token.expire_time()) &&
      absl::FromUnixSeconds(token.expire_time().seconds()) <= now) {
    return "expired";
  }
  return "active";
}

std::vector<Cell> TokenCells(const Token& token, absl::Time now) {
  Cell expires = TimeCell(token.expire_time());
  if (expires.text.empty()) expires.text = "never";
  return {
      TextCell(LastSegment(token.name())), TextCell(LastSegment(token.user())),
      TextCell(token.display_name()),      TextCell(StateOf(token, now)),
      TimeCell(token.create_time()),       expires,
      TimeCell(token.last_use_time()),     TimeCell(token.revoke_time()),
  };
}

Table OneToken(const Token& token, absl::Time now) {
  Table table(TokenColumns());
  table.AddRow(TokenCells(token, now));
  return table;
}

}  // namespace

absl::Status CreateToken(const TokenCreateOptions& options,
                         CommandContext& ctx) {
  v1::CreateTokenRequest request;
  request.set_parent(options.user);
  request.mutable_token()->set_display_name(options.display_name);
  if (options.expire_time.has_value()) {
    request.mutable_token()->mutable_expire_time()->set_seconds(
        absl::ToUnixSeconds(*options.expire_time));
  }
  v1::CreateTokenResponse response;
  const absl::Status status =
      ctx.rpc->Call(ctx.rpc->admin(), &v1::AdminService::Stub::CreateToken,
                    request, &response);
  if (ExitCodeOf(status) == ExitCode::kUnreachable) {
    return AppendToMessage(
        status,
        absl::StrCat("\nThe token may have been made all the same: `portfolio "
                     "tokens list --user ",
                     LastSegment(options.user),
                     "` shows it; revoke any whose secret you do not have."));
  }
  RETURN_IF_ERROR(status);
  if (ctx.format == OutputFormat::kJson) return PrintJson(*ctx.out, response);
  std::vector<Column> columns = TokenColumns();
  columns.push_back({"密钥 secret", "secret"});
  Table table(std::move(columns));
  std::vector<Cell> cells = TokenCells(response.token(), ctx.clock->Now());
  cells.push_back(TextCell(response.secret()));
  table.AddRow(std::move(cells));
  RETURN_IF_ERROR(
      Emit(ctx.format, *ctx.out, response, table, Layout::kRecords));
  if (ctx.format == OutputFormat::kTable) {
    *ctx.out << "\nThis is the only time the secret is shown: store it now; "
                "it cannot be shown again.\n";
  }
  return absl::OkStatus();
}

absl::Status ListTokens(const TokensListOptions& options, CommandContext& ctx) {
  FilterBuilder filter;
  if (options.user.has_value()) filter.AddString("user", *options.user);
  v1::ListTokensRequest request;
  request.set_filter(filter.Build());
  v1::ListTokensResponse all;
  ASSIGN_OR_RETURN(
      const bool more,
      ListAll(
          *ctx.rpc, ctx.rpc->admin(), &v1::AdminService::Stub::ListTokens,
          request, options.limit,
          [](v1::ListTokensResponse* r) { return r->mutable_tokens(); }, &all));
  Table table(TokenColumns());
  const absl::Time now = ctx.clock->Now();
  for (const Token& token : all.tokens()) table.AddRow(TokenCells(token, now));
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, all, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable && more) {
    *ctx.out << "(" << table.row_count()
             << " shown; raise --limit to see more)\n";
  }
  return absl::OkStatus();
}

absl::Status RevokeToken(const TokenRevokeOptions& options,
                         CommandContext& ctx) {
  v1::RevokeTokenRequest request;
  request.set_name(options.token);
  request.set_request_id(options.request_id);
  Token token;
  RETURN_IF_ERROR(ctx.rpc->Call(
      ctx.rpc->admin(), &v1::AdminService::Stub::RevokeToken, request, &token));
  return EmitMutation(ctx.format, *ctx.out, token,
                      OneToken(token, ctx.clock->Now()), options.request_id);
}

}  // namespace portfolio::client
