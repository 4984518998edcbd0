// The shape of the command line: `portfolio <noun> <verb> [args] [flags]`.
// Commands are described by CommandSpec values; ParseInvocation matches argv
// against them and collects global flags wherever they appear. It knows no
// particular command: the specs live with their bindings (bindings_*.cc).
#ifndef PORTFOLIO_CLIENT_COMMAND_LINE_H_
#define PORTFOLIO_CLIENT_COMMAND_LINE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/options.h"

namespace portfolio::client {

struct CommandContext;  // commands.h
class ParsedArgs;

struct FlagSpec {
  std::string name;        // long name without dashes: "amount"
  std::string value_name;  // "AMOUNT"; empty for a switch taking no value
  std::string help;
  bool required = false;
  bool repeatable = false;  // otherwise giving it twice is a usage error
};

struct ArgSpec {
  std::string name;  // "PROJECT"
  std::string help;
  bool required = true;  // optional arguments must come last
};

// Runs a parsed command: converts `args` to its options struct and calls
// the command. Returns the command's status.
using RunFn = absl::Status (*)(const ParsedArgs& args, CommandContext& ctx);

struct CommandSpec {
  std::string noun;     // "invest"
  std::string verb;     // "log"; empty for a one-word command ("summary")
  std::string summary;  // one line, for listings
  std::string details;  // optional paragraphs after the summary in --help
  std::vector<ArgSpec> args;
  std::vector<FlagSpec> flags;
  std::vector<std::string> examples;  // full command lines
  RunFn run = nullptr;
};

// Positional arguments and command flags as given. Thread-compatible.
class ParsedArgs {
 public:
  void AddPositional(std::string value) {
    positionals_.push_back(std::move(value));
  }
  // Records a flag; a switch is recorded with an empty value.
  void AddFlag(std::string name, std::string value) {
    flags_.emplace_back(std::move(name), std::move(value));
  }

  // The i-th positional argument, or "" when fewer were given.
  std::string Positional(size_t i) const;
  size_t positional_count() const { return positionals_.size(); }

  // Whether --name was given.
  bool Has(absl::string_view name) const;
  // The value of --name (the last one, if repeated), or nullopt.
  std::optional<std::string> Value(absl::string_view name) const;
  // Every value of --name, in the order given.
  std::vector<std::string> Values(absl::string_view name) const;
  // The names of the flags given, each once, in the order first given.
  std::vector<std::string> FlagOrder() const;

 private:
  std::vector<std::string> positionals_;
  std::vector<std::pair<std::string, std::string>> flags_;
};

// What the user asked for.
struct Invocation {
  GlobalOptions global;
  // -h/--help (or the word `help` first) was given: print help for
  // `command`, else for `noun`, else the top level. Parsing is then lenient.
  bool help = false;
  std::string noun;                      // "" when none was given
  const CommandSpec* command = nullptr;  // points into the specs given
  ParsedArgs args;
};

// Matches `argv` (without the program name) against `commands`. Global
// flags (--addr, --token, --ca, -o/--output, --timeout, -h/--help) may appear
// anywhere; a command's own flags after its words. Flags take their value
// as the next argument or after `=`; `--` ends flags. Returns a usage error
// (errors.h), whose message is the reason and then the usage hint lines, for
// an unknown command, verb or flag, a flag value missing or repeated, a bad
// global flag value, a missing or extra argument, or a missing required
// flag. With help requested, never fails: it resolves as much as it can.
// The returned Invocation points into `commands`, which must outlive it.
absl::StatusOr<Invocation> ParseInvocation(
    const std::vector<std::string>& argv,
    const std::vector<CommandSpec>& commands);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_COMMAND_LINE_H_
