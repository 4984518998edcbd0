#include "client/command_line.h"

#include <algorithm>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/errors.h"
#include "client/help.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

// Levenshtein distance between two short ASCII words (flag names).
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// A day: every call keeps a finite deadline.
constexpr double kMaxTimeoutSeconds = 86400;

bool IsHelpToken(absl::string_view token) {
  return token == "-h" || token == "--help";
}

// Parses one argv; see ParseInvocation. Lenient when help was requested:
// then the first error ends parsing instead of failing it.
class Parser {
 public:
  Parser(const std::vector<CommandSpec>& commands, bool help)
      : commands_(commands) {
    invocation_.help = help;
  }

  absl::StatusOr<Invocation> Parse(const std::vector<std::string>& argv) {
    bool flags_ended = false;
    for (size_t i = 0; i < argv.size(); ++i) {
      const std::string& token = argv[i];
      absl::Status status;
      if (!flags_ended && token == "--") {
        flags_ended = true;
      } else if (!flags_ended && token.size() > 1 && token[0] == '-') {
        status = TakeFlag(argv, &i);
      } else {
        status = TakePositional(token);
      }
      if (!status.ok()) {
        if (invocation_.help) return std::move(invocation_);
        return status;
      }
    }
    if (invocation_.help) return std::move(invocation_);
    absl::Status complete = CheckComplete();
    if (!complete.ok()) return complete;
    return std::move(invocation_);
  }

 private:
  absl::Status Usage(absl::string_view reason) const {
    if (invocation_.command == nullptr && !invocation_.noun.empty()) {
      return UsageError(absl::StrCat(
          reason, "\n", NounUsageHint(invocation_.noun, commands_)));
    }
    return UsageError(
        absl::StrCat(reason, "\n", UsageHint(invocation_.command)));
  }

  // One flag token, classified.
  struct Flag {
    std::string name;  // as typed, without any `=value`: "--amount", "-o"
    std::string bare;  // the spec's name: "amount", "output"
    std::optional<std::string> inline_value;  // after `=`
    bool global = false;
    const FlagSpec* spec = nullptr;  // the command's flag; null for global
  };

  absl::Status TakeFlag(const std::vector<std::string>& argv, size_t* i) {
    if (IsHelpToken(argv[*i])) return absl::OkStatus();
    ASSIGN_OR_RETURN(const Flag flag, Classify(argv[*i]));
    std::string value;
    RETURN_IF_ERROR(TakeValue(flag, argv, i, &value));
    if (flag.global) return SetGlobal(flag.bare, value);
    if (!flag.spec->repeatable && invocation_.args.Has(flag.bare)) {
      return Usage(absl::StrCat(flag.name, " given more than once"));
    }
    invocation_.args.AddFlag(flag.bare, std::move(value));
    return absl::OkStatus();
  }

  absl::StatusOr<Flag> Classify(const std::string& token) const {
    Flag flag;
    const size_t equals = token.find('=');
    flag.name = token.substr(0, equals);
    if (equals != std::string::npos)
      flag.inline_value = token.substr(equals + 1);
    const bool is_long = absl::StartsWith(flag.name, "--");
    flag.bare =
        flag.name == "-o" ? "output" : flag.name.substr(is_long ? 2 : 1);
    flag.global =
        flag.name == "-o" || (is_long && IsGlobalValueFlag(flag.bare));
    if (is_long && invocation_.command != nullptr) {
      for (const FlagSpec& spec : invocation_.command->flags) {
        if (spec.name == flag.bare) flag.spec = &spec;
      }
    }
    if (flag.spec == nullptr && !flag.global) {
      std::string hint;
      if (invocation_.command == nullptr && is_long) {
        hint = " (a command's flags go after the command)";
      } else if (invocation_.command != nullptr && is_long) {
        // A typo (--perod) is nearer one flag than any other: name it.
        size_t best = 3;
        for (const FlagSpec& spec : invocation_.command->flags) {
          const size_t d = EditDistance(flag.bare, spec.name);
          if (d < best) {
            best = d;
            hint = absl::StrCat(" (did you mean --", spec.name, "?)");
          }
        }
      }
      return Usage(absl::StrCat("unknown flag ", flag.name, hint));
    }
    return flag;
  }

  // The flag's value: after `=`, else the next argument; "" for a switch.
  absl::Status TakeValue(const Flag& flag, const std::vector<std::string>& argv,
                         size_t* i, std::string* value) const {
    const bool takes_value = flag.global || !flag.spec->value_name.empty();
    if (!takes_value) {
      if (!flag.inline_value.has_value()) return absl::OkStatus();
      return Usage(absl::StrCat(flag.name, " takes no value"));
    }
    if (flag.inline_value.has_value()) {
      *value = *flag.inline_value;
    } else if (*i + 1 < argv.size()) {
      *value = argv[++*i];
    } else {
      return Usage(absl::StrCat(flag.name, " needs a value"));
    }
    return absl::OkStatus();
  }

  static bool IsGlobalValueFlag(absl::string_view name) {
    return name == "addr" || name == "token" || name == "ca" ||
           name == "output" || name == "timeout";
  }

  absl::Status SetGlobal(absl::string_view name, const std::string& value) {
    GlobalOptions& global = invocation_.global;
    if (name == "addr") {
      global.addr = value;
    } else if (name == "token") {
      global.token = value;
    } else if (name == "ca") {
      if (value.empty()) return Usage("--ca needs a file name");
      global.ca = value;
    } else if (name == "output") {
      if (value == "table") {
        global.output = OutputFormat::kTable;
      } else if (value == "json") {
        global.output = OutputFormat::kJson;
      } else if (value == "csv") {
        global.output = OutputFormat::kCsv;
      } else {
        return Usage(absl::StrCat("--output: \"", value,
                                  "\" is not one of table, json, csv"));
      }
    } else {
      double seconds = 0;
      if (!absl::SimpleAtod(value, &seconds) || !(seconds > 0) ||
          seconds > kMaxTimeoutSeconds) {
        return Usage(absl::StrCat("--timeout: \"", value,
                                  "\" is not a number of seconds above 0 "
                                  "and at most ",
                                  kMaxTimeoutSeconds));
      }
      global.timeout = absl::Seconds(seconds);
    }
    return absl::OkStatus();
  }

  absl::Status TakePositional(const std::string& token) {
    if (invocation_.command != nullptr) {
      if (invocation_.args.positional_count() >=
          invocation_.command->args.size()) {
        return Usage(absl::StrCat("unexpected argument \"", token, "\""));
      }
      invocation_.args.AddPositional(token);
      return absl::OkStatus();
    }
    if (invocation_.noun.empty()) {
      if (token == "help" && !invocation_.help) {
        invocation_.help = true;
        return absl::OkStatus();
      }
      for (const CommandSpec& c : commands_) {
        if (c.noun == token) invocation_.noun = token;
      }
      if (invocation_.noun.empty()) {
        return Usage(absl::StrCat("unknown command \"", token, "\""));
      }
      for (const CommandSpec& c : commands_) {
        if (c.noun == token && c.verb.empty()) invocation_.command = &c;
      }
      return absl::OkStatus();
    }
    for (const CommandSpec& c : commands_) {
      if (c.noun == invocation_.noun && c.verb == token) {
        invocation_.command = &c;
        return absl::OkStatus();
      }
    }
    return Usage(
        absl::StrCat("unknown command \"", invocation_.noun, " ", token, "\""));
  }

  absl::Status CheckComplete() const {
    if (invocation_.noun.empty()) return Usage("missing command");
    const CommandSpec* command = invocation_.command;
    if (command == nullptr) {
      return Usage(absl::StrCat("missing subcommand of ", invocation_.noun));
    }
    for (size_t i = invocation_.args.positional_count();
         i < command->args.size(); ++i) {
      if (command->args[i].required) {
        return Usage(absl::StrCat("missing ", command->args[i].name));
      }
    }
    for (const FlagSpec& flag : command->flags) {
      if (flag.required && !invocation_.args.Has(flag.name)) {
        return Usage(absl::StrCat("missing --", flag.name));
      }
    }
    return absl::OkStatus();
  }

  const std::vector<CommandSpec>& commands_;
  Invocation invocation_;
};

}  // namespace

std::string ParsedArgs::Positional(size_t i) const {
  return i < positionals_.size() ? positionals_[i] : std::string();
}

bool ParsedArgs::Has(absl::string_view name) const {
  for (const auto& flag : flags_) {
    if (flag.first == name) return true;
  }
  return false;
}

std::optional<std::string> ParsedArgs::Value(absl::string_view name) const {
  std::optional<std::string> value;
  for (const auto& flag : flags_) {
    if (flag.first == name) value = flag.second;
  }
  return value;
}

std::vector<std::string> ParsedArgs::Values(absl::string_view name) const {
  std::vector<std::string> values;
  for (const auto& flag : flags_) {
    if (flag.first == name) values.push_back(flag.second);
  }
  return values;
}

std::vector<std::string> ParsedArgs::FlagOrder() const {
  std::vector<std::string> names;
  for (const auto& flag : flags_) {
    if (std::find(names.begin(), names.end(), flag.first) == names.end()) {
      names.push_back(flag.first);
    }
  }
  return names;
}

absl::StatusOr<Invocation> ParseInvocation(
    const std::vector<std::string>& argv,
    const std::vector<CommandSpec>& commands) {
  bool help = false;
  for (const std::string& token : argv) {
    if (token == "--") break;
    if (IsHelpToken(token)) help = true;
  }
  return Parser(commands, help).Parse(argv);
}

}  // namespace portfolio::client
