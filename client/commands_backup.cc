// admin backup: a consistent copy of the live database, streamed into a
// local file that appears under its name only when complete.
#include <sys/stat.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/files.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"
#include "google/protobuf/struct.pb.h"

namespace portfolio::client {
namespace {

// A usage error when `path` cannot be the backup's destination.
absl::Status CheckDestination(const BackupOptions& options) {
  if (options.path.empty()) return UsageError("FILE: empty file name");
  struct stat st;
  if (stat(options.path.c_str(), &st) != 0) return absl::OkStatus();
  if (S_ISDIR(st.st_mode)) {
    return UsageError(absl::StrCat(options.path,
                                   " is a directory; name the "
                                   "file to write"));
  }
  if (!options.force) {
    return UsageError(
        absl::StrCat(options.path, " exists; pass --force to replace it"));
  }
  return absl::OkStatus();
}

// Reads the Backup stream into `file`. On a local write error the call is
// cancelled and that error returned; otherwise the call's.
absl::Status Download(CommandContext& ctx, PendingFile& file) {
  grpc::ClientContext context;
  ctx.rpc->Prepare(&context, kBackupTimeout);
  std::unique_ptr<grpc::ClientReader<v1::BackupChunk>> reader =
      ctx.rpc->admin().Backup(&context, v1::BackupRequest());
  v1::BackupChunk chunk;
  absl::Status written;
  while (written.ok() && reader->Read(&chunk)) {
    written = file.Append(chunk.data());
    if (!written.ok()) context.TryCancel();
  }
  const grpc::Status finished = reader->Finish();
  RETURN_IF_ERROR(written);
  return ctx.rpc->ToStatus(finished, kBackupTimeout);
}

absl::Status EmitResult(const PendingFile& file, CommandContext& ctx) {
  Table table({{"文件 file", "file"}, {"字节 bytes", "bytes", Align::kRight}});
  table.AddRow({TextCell(file.path()), IntCell(file.size())});
  google::protobuf::Struct json;
  (*json.mutable_fields())["file"].set_string_value(file.path());
  // A string, as int64 values are in our JSON: exact at any size.
  (*json.mutable_fields())["bytes"].set_string_value(absl::StrCat(file.size()));
  return Emit(ctx.format, *ctx.out, json, table, Layout::kRecords);
}

}  // namespace

absl::Status BackupDatabase(const BackupOptions& options, CommandContext& ctx) {
  RETURN_IF_ERROR(CheckDestination(options));
  absl::StatusOr<std::unique_ptr<PendingFile>> file =
      PendingFile::Create(options.path, absl::StrCat(options.path, ".partial"));
  if (!file.ok()) return OutputError(file.status());
  RETURN_IF_ERROR(Download(ctx, **file));
  if ((*file)->size() == 0) {
    return absl::DataLossError(
        "the server sent an empty backup; nothing was written");
  }
  const absl::Status committed = (*file)->Commit(options.force);
  if (absl::IsAlreadyExists(committed)) {
    return UsageError(absl::StrCat(
        options.path,
        " appeared while the backup ran and was left alone; the copy was "
        "discarded. Pass --force to replace it"));
  }
  RETURN_IF_ERROR(committed);
  return EmitResult(**file, ctx);
}

}  // namespace portfolio::client
