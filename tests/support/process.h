// Real binaries as child processes, for end-to-end tests.
#ifndef PORTFOLIO_TESTS_SUPPORT_PROCESS_H_
#define PORTFOLIO_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace portfolio::testing {

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

// Runs `argv` to completion with `env` added to the environment and `input`
// on standard input. Returns what it printed and its exit code.
RunResult Run(const std::vector<std::string>& argv,
              const std::map<std::string, std::string>& env = {},
              const std::string& input = "");

// A portfolio-server child process. Not thread-safe.
class ServerProcess final {
 public:
  // Starts `binary` with `args` and waits (by reading its stdout, never by
  // sleeping) for the line announcing its port. Errors when the process
  // exits first; its stderr is in the message.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& binary, const std::vector<std::string>& args);
  // Sends SIGTERM and waits, if still running.
  ~ServerProcess();

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  // Sends `signal` and waits for the exit; returns the exit status as Run
  // does, and everything the server wrote to stderr.
  RunResult Stop(int signal);
  // Whether the server has exited, without waiting: its exit status as
  // Stop returns it (and stderr so far) if it has, nothing while it runs.
  // A process that cannot be waited for counts as exited, status -1.
  std::optional<RunResult> Exited();

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  int stdout_fd_ = -1;
  std::string stderr_path_;
};

}  // namespace portfolio::testing

#endif  // PORTFOLIO_TESTS_SUPPORT_PROCESS_H_
