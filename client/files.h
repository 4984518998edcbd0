// Local files the CLI writes (the config file, backups, reports): written
// under a temporary name and renamed into place only when complete and on
// disk, so that no reader ever finds half a file under the final name; and
// those that hold data others should not read are private to their owner
// from the moment they exist.
#ifndef PORTFOLIO_CLIENT_FILES_H_
#define PORTFOLIO_CLIENT_FILES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace portfolio::client {

// Who may read a file the CLI writes.
enum class FileAccess {
  // Its owner only (mode 0600): the config (a token), backups, exports.
  kPrivate,
  // As the user's umask allows (mode 0644 under the usual 022): reports,
  // which are made to be handed round.
  kShared,
};

// A file being written at `temp_path`, to be moved to `path` by Commit.
// Destroying it before a successful Commit removes the temporary file.
// Thread-compatible; owns a file descriptor, so it is not copyable.
class PendingFile final {
 public:
  // Creates `temp_path` (symbolic links are not followed). kPrivate: with
  // mode 0600, or truncating a stale one left from an interrupted run, and
  // sets the mode with fchmod as well, so neither the umask nor a stale
  // file's mode can make it readable by others. kShared: removes a stale
  // one and creates it afresh with mode 0666 less the umask. Returns the
  // errno's error naming `path` when it cannot be created.
  static absl::StatusOr<std::unique_ptr<PendingFile>> Create(
      std::string path, std::string temp_path,
      FileAccess access = FileAccess::kPrivate);

  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  // Writes all of `data` at the end. Returns the errno's error naming the
  // temporary file (e.g. RESOURCE_EXHAUSTED for a full disk).
  absl::Status Append(absl::string_view data);

  // Flushes the file to disk, closes it and renames it to `path`, then
  // flushes the directory so the rename survives a power loss. With
  // `replace` false, an existing `path` is left alone and ALREADY_EXISTS
  // returned. An error before the rename leaves `path` as it was and
  // removes the temporary file; one flushing the directory afterwards is
  // returned too, though the file is then in place. Call at most once.
  absl::Status Commit(bool replace);

  // Bytes appended so far.
  int64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  PendingFile(std::string path, std::string temp_path, int fd)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {}

  std::string path_;
  std::string temp_path_;
  int fd_;  // -1 once closed
  int64_t size_ = 0;
  bool committed_ = false;
};

// Creates directory `dir` and any missing parents with mode 0700 (as the
// XDG base directory specification asks). An existing directory keeps its
// mode. Returns the errno's error naming the directory that failed.
absl::Status MakePrivateDirectory(const std::string& dir);

// The directory part of `path`: "a/b" for "a/b/c", "." for "c".
std::string DirectoryOf(absl::string_view path);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_FILES_H_
