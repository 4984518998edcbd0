#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace portfolio::testing {
namespace {

std::vector<char*> CStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (std::string& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Reads everything from both pipes until they close, without deadlocking on
// a child that fills one while we block on the other.
void Drain(int out_fd, int err_fd, std::string* out, std::string* err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open = 2;
  char buf[4096];
  while (open > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else {
        (i == 0 ? out : err)->append(buf, n);
      }
    }
  }
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

RunResult Run(const std::vector<std::string>& argv_in,
              const std::map<std::string, std::string>& env,
              const std::string& input) {
  std::vector<std::string> argv = argv_in;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    std::abort();
  }
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1],
                   err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args = CStrings(argv);
    execv(args[0], args.data());
    std::perror("execv");
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Inputs here are small; a pipe buffer holds them.
  if (!input.empty()) {
    ssize_t ignored = write(in_pipe[1], input.data(), input.size());
    (void)ignored;
  }
  close(in_pipe[1]);
  RunResult result;
  Drain(out_pipe[0], err_pipe[0], &result.out, &result.err);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = ExitCode(status);
  return result;
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& binary, const std::vector<std::string>& args) {
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  char err_template[] = "/tmp/portfolio-server-stderr-XXXXXX";
  const int err_fd = mkstemp(err_template);
  server->stderr_path_ = err_template;
  int out_pipe[2];
  if (err_fd < 0 || pipe(out_pipe) != 0) {
    return absl::InternalError("cannot create pipes");
  }
  std::vector<std::string> argv = {binary};
  argv.insert(argv.end(), args.begin(), args.end());
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_fd, 2);
    close(out_pipe[0]);
    close(out_pipe[1]);
    close(err_fd);
    std::vector<char*> cargs = CStrings(argv);
    execv(cargs[0], cargs.data());
    std::perror("execv");
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_fd);
  server->pid_ = pid;
  server->stdout_fd_ = out_pipe[0];
  // The server prints "... listening on HOST:PORT (...)" once it serves.
  std::string line;
  char c;
  while (read(server->stdout_fd_, &c, 1) == 1 && c != '\n') line.push_back(c);
  const size_t on = line.find(" listening on ");
  const size_t colon = line.rfind(':', line.find(" (database"));
  int port = 0;
  if (on == std::string::npos || colon == std::string::npos ||
      !absl::SimpleAtoi(
          line.substr(colon + 1, line.find(' ', colon) - colon - 1), &port)) {
    RunResult r = server->Stop(SIGKILL);
    return absl::InternalError(
        absl::StrCat("server did not start: ", line, "\n", r.err));
  }
  server->port_ = port;
  return server;
}

RunResult ServerProcess::Stop(int signal) {
  RunResult result;
  if (pid_ > 0) {
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    result.exit_code = ExitCode(status);
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
    stdout_fd_ = -1;
  }
  std::ifstream in(stderr_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  result.err = ss.str();
  return result;
}

std::optional<RunResult> ServerProcess::Exited() {
  if (pid_ <= 0) return Stop(0);  // already reaped: only reads its stderr
  int status = 0;
  pid_t got = 0;
  do {
    got = waitpid(pid_, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == 0) return std::nullopt;  // still running
  // Reaped now, or not waitable (never a reason to signal that pid again).
  pid_ = -1;
  RunResult result = Stop(0);
  result.exit_code = got > 0 ? ExitCode(status) : -1;
  return result;
}

ServerProcess::~ServerProcess() {
  Stop(SIGTERM);
  if (!stderr_path_.empty()) unlink(stderr_path_.c_str());
}

}  // namespace portfolio::testing
