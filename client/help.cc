#include "client/help.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/display_width.h"

namespace portfolio::client {
namespace {

constexpr char kGlobalFlagsHelp[] =
    "Global flags (before or after the command):\n"
    "  --addr HOST:PORT     server address (default: $PORTFOLIO_ADDR, then\n"
    "                       the config file, then 127.0.0.1:50051)\n"
    "  --token TOKEN        bearer token (default: $PORTFOLIO_TOKEN, then\n"
    "                       the config file)\n"
    "  --ca FILE            connect with TLS, trusting the CA certificates\n"
    "                       in FILE (default: $PORTFOLIO_CA, then the config\n"
    "                       file; none means plaintext, and then a token\n"
    "                       goes only to a loopback address unless\n"
    "                       PORTFOLIO_INSECURE=1)\n"
    "  -o, --output FORMAT  table (default), json or csv\n"
    "  --timeout SECONDS    deadline of every call to the server (default 10)\n"
    "  -h, --help           show help for the command\n";

constexpr char kTopDetails[] =
    "Configuration: $XDG_CONFIG_HOME/portfolio/config, else\n"
    "~/.config/portfolio/config, holds `key = value` lines:\n"
    "  addr = 10.1.2.3:50051\n"
    "  token = pf_k3x9q2_...\n"
    "  ca = /etc/portfolio/district-ca.pem\n"
    "`portfolio login` checks a token and writes addr, token (and with --ca,\n"
    "ca) there, mode 0600. A relative ca is relative to the file's directory.\n"
    "With ca set the CLI speaks TLS and checks the server's certificate\n"
    "against it; the certificate must name the host in addr.\n"
    "\n"
    "Every call sends the token as `authorization: Bearer TOKEN`. A missing\n"
    "or refused token fails with UNAUTHENTICATED; a role without the right\n"
    "with PERMISSION_DENIED. An admin creates users and tokens with\n"
    "`portfolio users create` and `portfolio tokens create`.\n"
    "\n"
    "Amounts are yuan: 12345678, 3000万, 1.2亿, 1,234.5万. Periods: 2024-03.\n"
    "Dates: 2024-03-15, 2024/3/15, 2024年3月15日.\n"
    "\n"
    "Reproducible figures: summary, status, bulletin and report take\n"
    "--as-known-on WHEN, counting only what was recorded by then (a day means\n"
    "by its end in UTC+8; or an RFC 3339 time such as\n"
    "2024-07-05T18:00:00+08:00), and --basis current|baseline, the plans to\n"
    "measure against. Asked again later, the same flags give the same "
    "figures.\n"
    "\n"
    "Output: tables align Chinese text and show 1.20亿, 3,000.00万; json and\n"
    "csv carry exact integer yuan. Data goes to stdout, errors to stderr.\n"
    "Commands that change data send a request id (--request-id, random when\n"
    "omitted) so a retry cannot write twice; -o json prints it as\n"
    "\"request_id\".\n"
    "\n"
    "Exit codes:\n"
    "  0  success\n"
    "  1  local failure (e.g. an output file or directory could not be\n"
    "     written)\n"
    "  2  usage error: unknown command or flag, bad value, missing argument,\n"
    "     unreadable file\n"
    "  3  the server refused the call (printed as CODE: message)\n"
    "  4  the server was unreachable or did not answer in time\n";

std::string CommandWords(const CommandSpec& command) {
  return command.verb.empty() ? command.noun
                              : absl::StrCat(command.noun, " ", command.verb);
}

std::string UsageLine(const CommandSpec& command) {
  std::string line = absl::StrCat("portfolio ", CommandWords(command));
  for (const ArgSpec& arg : command.args) {
    absl::StrAppend(&line, arg.required ? " " : " [", arg.name,
                    arg.required ? "" : "]");
  }
  bool has_optional = false;
  for (const FlagSpec& flag : command.flags) {
    if (!flag.required) {
      has_optional = true;
      continue;
    }
    absl::StrAppend(&line, " --", flag.name);
    if (!flag.value_name.empty()) absl::StrAppend(&line, " ", flag.value_name);
  }
  if (has_optional) line += " [flags]";
  return line;
}

// Two-column help lines: `  left   help`, the help column aligned.
std::string HelpRows(
    const std::vector<std::pair<std::string, std::string>>& rows) {
  int width = 0;
  for (const auto& row : rows) width = std::max(width, DisplayWidth(row.first));
  std::string out;
  for (const auto& [left, help] : rows) {
    absl::StrAppend(&out, "  ", PadRight(left, width), "  ", help, "\n");
  }
  return out;
}

}  // namespace

std::string TopHelp(const std::vector<CommandSpec>& commands) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const CommandSpec& c : commands) {
    rows.emplace_back(CommandWords(c), c.summary);
  }
  return absl::StrCat(
      "portfolio: the district's key projects (重点项目), their plans, "
      "investment\nand milestones, from the command line.\n\n"
      "Usage:\n  portfolio <noun> <verb> [args] [flags]\n"
      "  portfolio <noun> [<verb>] --help\n\nCommands:\n",
      HelpRows(rows), "\n", kGlobalFlagsHelp, "\n", kTopDetails,
      "\nExamples:\n"
      "  portfolio login --addr 10.1.2.3:50051 --ca district-ca.pem < "
      "token.txt\n"
      "  portfolio projects list --level provincial --park 高铁新区\n"
      "  portfolio invest log juncheng-forged-wheel --period 2024-03 --amount "
      "3000万\n"
      "  portfolio summary --year 2024 --as-of 2024-06 --by level\n"
      "  portfolio status --red -o csv > red.csv\n"
      "  portfolio bulletin --as-of 2024-06 --by park\n"
      "  portfolio report --as-of 2024-06 --as-known-on 2024-07-05 "
      "--html 6月.html --xlsx 6月.xlsx\n");
}

std::string NounHelp(absl::string_view noun,
                     const std::vector<CommandSpec>& commands) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<std::string> examples;
  for (const CommandSpec& c : commands) {
    if (c.noun != noun) continue;
    rows.emplace_back(CommandWords(c), c.summary);
    if (!c.examples.empty()) examples.push_back(c.examples.front());
  }
  std::string out = absl::StrCat("Usage:\n  portfolio ", noun,
                                 " <verb> [args] [flags]\n\nCommands:\n",
                                 HelpRows(rows), "\n", kGlobalFlagsHelp);
  if (!examples.empty()) {
    absl::StrAppend(&out, "\nExamples:\n  ", absl::StrJoin(examples, "\n  "),
                    "\n");
  }
  absl::StrAppend(&out, "\nRun 'portfolio ", noun,
                  " <verb> --help' for a command's flags.\n");
  return out;
}

std::string CommandHelp(const CommandSpec& command) {
  std::string out = absl::StrCat(command.summary, "\n");
  if (!command.details.empty()) absl::StrAppend(&out, "\n", command.details);
  absl::StrAppend(&out, "\nUsage:\n  ", UsageLine(command), "\n");
  if (!command.args.empty()) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const ArgSpec& arg : command.args)
      rows.emplace_back(arg.name, arg.help);
    absl::StrAppend(&out, "\nArguments:\n", HelpRows(rows));
  }
  if (!command.flags.empty()) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const FlagSpec& flag : command.flags) {
      std::string left = absl::StrCat("--", flag.name);
      if (!flag.value_name.empty())
        absl::StrAppend(&left, " ", flag.value_name);
      std::string help = flag.help;
      if (flag.required) help += " (required)";
      if (flag.repeatable) help += " (repeatable)";
      rows.emplace_back(std::move(left), std::move(help));
    }
    absl::StrAppend(&out, "\nFlags:\n", HelpRows(rows));
  }
  absl::StrAppend(&out, "\n", kGlobalFlagsHelp);
  if (!command.examples.empty()) {
    absl::StrAppend(&out, "\nExamples:\n  ",
                    absl::StrJoin(command.examples, "\n  "), "\n");
  }
  return out;
}

std::string UsageHint(const CommandSpec* command) {
  if (command == nullptr) {
    return "usage: portfolio <noun> <verb> [args] [flags]\n"
           "run 'portfolio --help' for the commands";
  }
  return absl::StrCat("usage: ", UsageLine(*command), "\nrun 'portfolio ",
                      CommandWords(*command), " --help' for details");
}

std::string NounUsageHint(absl::string_view noun,
                          const std::vector<CommandSpec>& commands) {
  std::vector<std::string> verbs;
  for (const CommandSpec& c : commands) {
    if (c.noun == noun) verbs.push_back(c.verb);
  }
  return absl::StrCat("usage: portfolio ", noun, " ", absl::StrJoin(verbs, "|"),
                      " ...\nrun 'portfolio ", noun, " --help' for details");
}

}  // namespace portfolio::client
