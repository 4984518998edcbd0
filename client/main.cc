// portfolio: the command-line client. This file is the process edge: it
// reads argv and the environment, parses the command line into options,
// and turns the result into an exit code. See `portfolio --help`.
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/command_line.h"
#include "client/commands.h"
#include "client/config.h"
#include "client/errors.h"
#include "client/flag_values.h"
#include "client/help.h"
#include "client/rpc.h"
#include "common/clock.h"
#include "grpc/support/log.h"

namespace portfolio::client {
namespace {

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

Environment ProcessEnvironment() {
  Environment env;
  env.portfolio_addr = EnvOrEmpty("PORTFOLIO_ADDR");
  env.portfolio_token = EnvOrEmpty("PORTFOLIO_TOKEN");
  env.portfolio_insecure = EnvOrEmpty("PORTFOLIO_INSECURE");
  env.portfolio_ca = EnvOrEmpty("PORTFOLIO_CA");
  env.xdg_config_home = EnvOrEmpty("XDG_CONFIG_HOME");
  env.home = EnvOrEmpty("HOME");
  return env;
}

// One line of standard input, for `login`'s token. On a terminal it
// prompts on stderr and turns echo off while the line is typed.
absl::StatusOr<std::string> ReadSecretLine(absl::string_view prompt) {
  termios saved;
  const bool terminal = isatty(STDIN_FILENO) != 0;
  bool echo_off = false;
  if (terminal) {
    std::cerr << prompt << std::flush;
    if (tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  }
  std::string line;
  const bool read = static_cast<bool>(std::getline(std::cin, line));
  if (echo_off) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!read) {
    return UsageError(
        "no token on standard input: pass --token TOKEN or pipe one in");
  }
  return std::string(absl::StripSuffix(line, "\r"));
}

// Prints `status` to stderr as `portfolio: message`, with the command's
// usage hint after a usage error, and returns its exit code.
int Fail(const absl::Status& status, const CommandSpec* command,
         bool add_hint) {
  std::cerr << "portfolio: " << status.message() << "\n";
  const ExitCode code = ExitCodeOf(status);
  if (add_hint && code == ExitCode::kUsage) {
    std::cerr << UsageHint(command) << "\n";
  }
  return static_cast<int>(code);
}

int Run(const std::vector<std::string>& argv) {
  const std::vector<CommandSpec> commands = AllCommands();
  absl::StatusOr<Invocation> invocation = ParseInvocation(argv, commands);
  // The parser's usage errors already end with the hint.
  if (!invocation.ok()) return Fail(invocation.status(), nullptr, false);
  if (invocation->help) {
    if (invocation->command != nullptr) {
      std::cout << CommandHelp(*invocation->command);
    } else if (!invocation->noun.empty()) {
      std::cout << NounHelp(invocation->noun, commands);
    } else {
      std::cout << TopHelp(commands);
    }
    return std::cout.flush() ? 0 : static_cast<int>(ExitCode::kFailure);
  }
  const Environment env = ProcessEnvironment();
  const absl::StatusOr<Connection> connection =
      ResolveConnection(invocation->global, env);
  if (!connection.ok()) return Fail(connection.status(), nullptr, false);

  RpcClient rpc(*connection, invocation->global.timeout);
  const SystemClock clock;
  CommandContext ctx;
  ctx.format = invocation->global.output;
  ctx.rpc = &rpc;
  ctx.out = &std::cout;
  ctx.clock = &clock;
  ctx.global = &invocation->global;
  ctx.config_path = ConfigPath(env);
  ctx.read_secret = ReadSecretLine;
  // A mutation gets its request id here rather than in its binding, so
  // that when the outcome is unknown the user can be told how to repeat it
  // safely.
  std::string request_id;
  const bool mutates = std::any_of(
      invocation->command->flags.begin(), invocation->command->flags.end(),
      [](const FlagSpec& f) { return f.name == "request-id"; });
  if (mutates) {
    request_id = RequestIdFlag(invocation->args);
    ctx.request_id_given =
        !absl::StripAsciiWhitespace(
             invocation->args.Value("request-id").value_or(""))
             .empty();
    if (!invocation->args.Value("request-id").has_value()) {
      invocation->args.AddFlag("request-id", request_id);
    }
  }
  const absl::Status status = invocation->command->run(invocation->args, ctx);
  if (!status.ok()) {
    const int code = Fail(status, invocation->command, true);
    if (mutates && code == static_cast<int>(ExitCode::kUnreachable)) {
      std::cerr << "portfolio: the change may or may not have been recorded. "
                   "Repeat the same command with --request-id "
                << request_id << ": a repeat is never counted twice.\n";
    }
    return code;
  }
  if (!std::cout.flush()) {
    std::cerr << "portfolio: cannot write the output\n";
    return static_cast<int>(ExitCode::kFailure);
  }
  return 0;
}

}  // namespace
}  // namespace portfolio::client

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // Our messages say what failed (a TLS handshake, say); gRPC's own log
  // lines would repeat it on stderr. GRPC_VERBOSITY brings them back.
  if (std::getenv("GRPC_VERBOSITY") == nullptr) {
    gpr_set_log_function([](gpr_log_func_args*) {});
  }
  return portfolio::client::Run(
      std::vector<std::string>(argv + 1, argv + argc));
}
