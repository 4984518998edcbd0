// import: loads a CSV file through ImportRecords, all or nothing.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return UsageError(absl::StrCat(path, ": cannot read: is a directory"));
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return UsageError(absl::StrCat(
        path,
        ": cannot read: ", errno != 0 ? std::strerror(errno) : "cannot open"));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return UsageError(
        absl::StrCat(path, ": cannot read: ", std::strerror(errno)));
  }
  return content.str();
}

}  // namespace

absl::Status ImportFile(const ImportOptions& options, CommandContext& ctx) {
  ASSIGN_OR_RETURN(std::string content, ReadFile(options.path));
  v1::ImportRecordsRequest request;
  request.set_kind(options.kind);
  request.set_filename(LastSegment(options.path));
  request.set_content(std::move(content));
  request.set_request_id(options.request_id);
  v1::ImportRecordsResponse response;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->portfolios(),
                                &v1::PortfolioService::Stub::ImportRecords,
                                request, &response));
  Table table({{"文件 file", "file"},
               {"新增 created", "created_count", Align::kRight},
               {"更新 updated", "updated_count", Align::kRight}});
  table.AddRow({TextCell(request.filename()), IntCell(response.created_count()),
                IntCell(response.updated_count())});
  return EmitMutation(ctx.format, *ctx.out, response, table,
                      options.request_id);
}

}  // namespace portfolio::client
