// import: loads a CSV file through ImportRecords, all or nothing, or a
// directory written by `export`, file by file.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/export_tables.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"
#include "google/protobuf/struct.pb.h"

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

// Sends one file; the response's counts land in `*response`.
absl::Status Send(CommandContext& ctx, v1::ImportKind kind,
                  const std::string& filename, std::string content,
                  const std::string& request_id, bool again,
                  v1::ImportRecordsResponse* response) {
  v1::ImportRecordsRequest request;
  request.set_kind(kind);
  request.set_filename(filename);
  request.set_content(std::move(content));
  request.set_request_id(request_id);
  request.set_allow_duplicate_entries(again &&
                                      kind == v1::IMPORT_KIND_INVESTMENTS);
  return ctx.rpc->Call(ctx.rpc->portfolios(),
                       &v1::PortfolioService::Stub::ImportRecords, request,
                       response);
}

Table CountsTable() {
  return Table({{"文件 file", "file"},
                {"新增 created", "created_count", Align::kRight},
                {"更新 updated", "updated_count", Align::kRight}});
}

}  // namespace

absl::Status ImportFile(const ImportOptions& options, CommandContext& ctx) {
  if (options.again && options.kind != v1::IMPORT_KIND_INVESTMENTS) {
    return UsageError(
        "--again: only an investments file appends; other kinds update "
        "what they key, so a second import counts nothing twice");
  }
  ASSIGN_OR_RETURN(std::string content, ReadFile(options.path));
  const std::string filename = LastSegment(options.path);
  v1::ImportRecordsResponse response;
  RETURN_IF_ERROR(Send(ctx, options.kind, filename, std::move(content),
                       options.request_id, options.again, &response));
  Table table = CountsTable();
  table.AddRow({TextCell(filename), IntCell(response.created_count()),
                IntCell(response.updated_count())});
  return EmitMutation(ctx.format, *ctx.out, response, table,
                      options.request_id);
}

absl::Status ImportDirectory(const ImportDirectoryOptions& options,
                             CommandContext& ctx) {
  std::error_code error;
  if (!std::filesystem::is_directory(options.dir, error)) {
    return UsageError(absl::StrCat(options.dir, ": not a directory"));
  }
  const std::string dir(absl::StripSuffix(options.dir, "/"));
  const std::string marker = absl::StrCat(dir, "/", kSyntheticMarkerFile);
  if (std::filesystem::exists(marker, error)) {
    return UsageError(absl::StrCat(
        marker,
        ": the directory holds synthetic data, and a server it is imported "
        "into could not say so; its summaries would pass invented figures "
        "for real. Import nothing from it (or, into a demo server, file by "
        "file: portfolio import KIND FILE)"));
  }
  Table table = CountsTable();
  // The files imported so far, as json: a list of ImportRecordsResponse
  // objects with their file names.
  google::protobuf::ListValue done;
  std::vector<std::string> imported;
  for (const ExportFile& f : ExportFiles()) {
    const std::string path = absl::StrCat(dir, "/", f.name);
    if (!std::filesystem::is_regular_file(path, error)) continue;
    ASSIGN_OR_RETURN(std::string content, ReadFile(path));
    const std::string request_id = absl::StrCat(
        options.request_id, "-", absl::StripSuffix(f.name, ".csv"));
    v1::ImportRecordsResponse response;
    const absl::Status sent = Send(ctx, f.kind, f.name, std::move(content),
                                   request_id, options.again, &response);
    if (!sent.ok()) {
      if (!imported.empty()) {
        // Say what is in already before the error (stdout, then stderr).
        RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, done, table, Layout::kList));
      }
      return AppendToMessage(
          Annotate(sent, path),
          absl::StrCat(
              imported.empty() ? "\nnothing was imported"
                               : absl::StrCat("\nimported before it: ",
                                              absl::StrJoin(imported, ", ")),
              "; fix the file and run the same command again with "
              "--request-id ",
              options.request_id,
              " (files already imported are answered, not imported twice)"));
    }
    imported.push_back(f.name);
    table.AddRow({TextCell(path), IntCell(response.created_count()),
                  IntCell(response.updated_count())});
    google::protobuf::Struct row;
    (*row.mutable_fields())["file"].set_string_value(path);
    (*row.mutable_fields())["request_id"].set_string_value(request_id);
    (*row.mutable_fields())["created_count"].set_number_value(
        response.created_count());
    (*row.mutable_fields())["updated_count"].set_number_value(
        response.updated_count());
    *done.add_values()->mutable_struct_value() = row;
  }
  if (imported.empty()) {
    std::vector<std::string> names;
    for (const ExportFile& f : ExportFiles()) names.push_back(f.name);
    return UsageError(absl::StrCat(options.dir, " holds none of ",
                                   absl::StrJoin(names, ", ")));
  }
  return Emit(ctx.format, *ctx.out, done, table, Layout::kList);
}

}  // namespace portfolio::client
