// Help and usage texts for the command line, built from the command specs.
#ifndef PORTFOLIO_CLIENT_HELP_H_
#define PORTFOLIO_CLIENT_HELP_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/command_line.h"

namespace portfolio::client {

// The texts -h/--help prints to stdout: every command with its summary,
// the global flags, configuration, amount syntax and exit codes (top); a
// noun's verbs (noun); a command's usage, arguments, flags and examples.
std::string TopHelp(const std::vector<CommandSpec>& commands);
std::string NounHelp(absl::string_view noun,
                     const std::vector<CommandSpec>& commands);
std::string CommandHelp(const CommandSpec& command);

// The lines printed after a usage error: the usage line of `command` (or of
// the program, when null) and where to read more.
std::string UsageHint(const CommandSpec* command);

// As UsageHint for a noun given without a valid verb: its verbs.
std::string NounUsageHint(absl::string_view noun,
                          const std::vector<CommandSpec>& commands);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_HELP_H_
