// login: checks a token against the server, then stores it, with the
// address, in the config file that every later command reads.
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/config.h"
#include "client/errors.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"
#include "google/protobuf/struct.pb.h"

namespace portfolio::client {
namespace {

absl::StatusOr<std::string> TokenToStore(const LoginOptions& options,
                                         CommandContext& ctx) {
  std::string token;
  if (options.token.has_value()) {
    token = *options.token;
  } else if (ctx.read_secret) {
    ASSIGN_OR_RETURN(token, ctx.read_secret("token: "));
  }
  token = std::string(absl::StripAsciiWhitespace(token));
  if (token.empty()) {
    return UsageError(
        "no token: pass --token TOKEN or give it on standard input");
  }
  return token;
}

// One ListProjects item with `connection`: any role may read, so this
// fails only for a token the server refuses or a server out of reach.
absl::Status CheckToken(const Connection& connection, absl::Duration timeout) {
  RpcClient rpc(connection, timeout);
  v1::ListProjectsRequest request;
  request.set_page_size(1);
  v1::ListProjectsResponse response;
  grpc::ClientContext context;
  rpc.Prepare(&context);
  const grpc::Status status =
      rpc.projects().ListProjects(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    return WithExitCode(
        absl::UnauthenticatedError(absl::StrCat(
            "the server at ", connection.addr, " refused the token (",
            status.error_message(),
            "); nothing was saved.\nAn admin creates tokens with `portfolio "
            "tokens create`.")),
        ExitCode::kRefused);
  }
  return AppendToMessage(rpc.ToStatus(status), "\nNothing was saved.");
}

// Says what was saved where; never the token.
absl::Status EmitSaved(const std::string& config_path, const std::string& addr,
                       const std::string& ca,
                       const std::vector<ConfigEntry>& entries,
                       CommandContext& ctx) {
  std::vector<std::string> keys;
  for (const ConfigEntry& entry : entries) keys.push_back(entry.first);
  if (ctx.format == OutputFormat::kTable) {
    *ctx.out << "The server at " << addr << " accepted the token. Saved "
             << absl::StrJoin(keys, ", ") << " to " << config_path
             << " (mode 0600).\n";
    return absl::OkStatus();
  }
  Table table({{"配置 config", "config"},
               {"地址 addr", "addr"},
               {"CA 文件 ca", "ca"},
               {"已保存 saved", "saved"}});
  table.AddRow({TextCell(config_path), TextCell(addr), TextCell(ca),
                TextCell(absl::StrJoin(keys, ";"))});
  google::protobuf::Struct json;
  (*json.mutable_fields())["config"].set_string_value(config_path);
  (*json.mutable_fields())["addr"].set_string_value(addr);
  if (!ca.empty()) (*json.mutable_fields())["ca"].set_string_value(ca);
  return Emit(ctx.format, *ctx.out, json, table, Layout::kRecords);
}

}  // namespace

absl::Status Login(const LoginOptions& options, CommandContext& ctx) {
  if (options.config_path.empty()) {
    return UsageError(
        "no place for the config file: set HOME or XDG_CONFIG_HOME");
  }
  ASSIGN_OR_RETURN(const std::string token, TokenToStore(options, ctx));
  Connection connection = ctx.rpc->connection();
  connection.token = token;
  RETURN_IF_ERROR(CheckToken(connection, options.timeout));

  std::vector<ConfigEntry> entries = {{"addr", connection.addr},
                                      {"token", token}};
  std::string ca;
  if (options.save_ca) {
    // Absolute, so that the file works from any directory.
    std::error_code error;
    const std::filesystem::path absolute =
        std::filesystem::absolute(connection.ca_path, error);
    ca = error ? connection.ca_path : absolute.lexically_normal().string();
    entries.push_back({"ca", ca});
  }
  RETURN_IF_ERROR(WriteConfigValues(options.config_path, entries));

  return EmitSaved(options.config_path, connection.addr, ca, entries, ctx);
}

}  // namespace portfolio::client
