#include "client/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace portfolio::client {
namespace {

absl::Status ErrnoError(int error, absl::string_view what,
                        absl::string_view path) {
  return absl::ErrnoToStatus(error, absl::StrCat(path, ": ", what));
}

// Flushes a directory's entries, so that a rename into it is durable.
absl::Status SyncDirectory(const std::string& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open directory", dir);
  const int result = fsync(fd);
  const int error = errno;
  close(fd);
  if (result != 0) return ErrnoError(error, "cannot flush directory", dir);
  return absl::OkStatus();
}

// rename(2) that fails with EEXIST instead of replacing `to`.
int RenameNoReplace(const char* from, const char* to) {
  if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  // A file system without RENAME_NOREPLACE: check, then rename.
  struct stat st;
  if (lstat(to, &st) == 0) {
    errno = EEXIST;
    return -1;
  }
  return rename(from, to);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PendingFile>> PendingFile::Create(
    std::string path, std::string temp_path, FileAccess access) {
  if (access == FileAccess::kShared) {
    // A fresh file takes the umask, which a truncated one's mode would not.
    if (unlink(temp_path.c_str()) != 0 && errno != ENOENT) {
      return ErrnoError(errno, "cannot create", path);
    }
    const int fd =
        open(temp_path.c_str(),
             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) return ErrnoError(errno, "cannot create", path);
    return std::unique_ptr<PendingFile>(
        new PendingFile(std::move(path), std::move(temp_path), fd));
  }
  const int fd =
      open(temp_path.c_str(),
           O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  // Named by the path the user gave: the temporary name is ours.
  if (fd < 0) return ErrnoError(errno, "cannot create", path);
  if (fchmod(fd, 0600) != 0) {
    const int error = errno;
    close(fd);
    unlink(temp_path.c_str());
    return ErrnoError(error, "cannot set mode 0600", temp_path);
  }
  return std::unique_ptr<PendingFile>(
      new PendingFile(std::move(path), std::move(temp_path), fd));
}

PendingFile::~PendingFile() {
  if (fd_ >= 0) close(fd_);
  if (!committed_) unlink(temp_path_.c_str());
}

absl::Status PendingFile::Append(absl::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "cannot write", temp_path_);
    }
    data.remove_prefix(static_cast<size_t>(n));
    size_ += n;
  }
  return absl::OkStatus();
}

absl::Status PendingFile::Commit(bool replace) {
  if (fsync(fd_) != 0) return ErrnoError(errno, "cannot flush", temp_path_);
  const int result = close(fd_);
  fd_ = -1;
  if (result != 0) return ErrnoError(errno, "cannot close", temp_path_);
  const int renamed = replace
                          ? rename(temp_path_.c_str(), path_.c_str())
                          : RenameNoReplace(temp_path_.c_str(), path_.c_str());
  if (renamed != 0) {
    return ErrnoError(errno, absl::StrCat("cannot rename to ", path_),
                      temp_path_);
  }
  committed_ = true;
  return SyncDirectory(DirectoryOf(path_));
}

absl::Status MakePrivateDirectory(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) == 0) return absl::OkStatus();
  if (errno == EEXIST) {
    struct stat st;
    if (stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return absl::OkStatus();
    }
    return ErrnoError(ENOTDIR, "cannot create directory", dir);
  }
  if (errno != ENOENT) return ErrnoError(errno, "cannot create directory", dir);
  const std::string parent = DirectoryOf(dir);
  if (parent == dir) return ErrnoError(ENOENT, "cannot create directory", dir);
  if (absl::Status status = MakePrivateDirectory(parent); !status.ok()) {
    return status;
  }
  if (mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) {
    return absl::OkStatus();
  }
  return ErrnoError(errno, "cannot create directory", dir);
}

std::string DirectoryOf(absl::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  if (slash == absl::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

}  // namespace portfolio::client
