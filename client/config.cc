#include "client/config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/errors.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

struct ConfigValues {
  std::optional<std::string> addr;
  std::optional<std::string> token;
};

// Removes one pair of surrounding double quotes, so `token = "a b"` works.
absl::string_view Unquote(absl::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value.remove_prefix(1);
    value.remove_suffix(1);
  }
  return value;
}

absl::StatusOr<ConfigValues> ParseConfig(const std::string& path,
                                         const std::string& text) {
  ConfigValues values;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    const size_t equals = line.find('=');
    if (equals == absl::string_view::npos) {
      return UsageError(
          absl::StrCat(path, ":", line_number, ": expected `key = value`"));
    }
    const absl::string_view key =
        absl::StripAsciiWhitespace(line.substr(0, equals));
    const std::string value(
        Unquote(absl::StripAsciiWhitespace(line.substr(equals + 1))));
    if (key == "addr") {
      values.addr = value;
    } else if (key == "token") {
      values.token = value;
    } else {
      return UsageError(absl::StrCat(path, ":", line_number, ": unknown key \"",
                                     key, "\" (expected addr or token)"));
    }
  }
  return values;
}

// Reads the config file; no values when it does not exist.
absl::StatusOr<ConfigValues> ReadConfig(const std::string& path) {
  if (path.empty()) return ConfigValues{};
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT || errno == ENOTDIR) return ConfigValues{};
    return UsageError(absl::StrCat(
        path, ": cannot read config file: ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseConfig(path, text.str());
}

}  // namespace

std::string ConfigPath(const Environment& env) {
  if (!env.xdg_config_home.empty()) {
    return absl::StrCat(env.xdg_config_home, "/portfolio/config");
  }
  if (!env.home.empty()) {
    return absl::StrCat(env.home, "/.config/portfolio/config");
  }
  return "";
}

absl::StatusOr<Connection> ResolveConnection(const GlobalOptions& flags,
                                             const Environment& env) {
  Connection connection;
  std::optional<std::string> addr = flags.addr;
  std::optional<std::string> token = flags.token;
  if (addr.has_value()) connection.addr_source = "--addr";
  if (!addr.has_value() && !env.portfolio_addr.empty()) {
    addr = env.portfolio_addr;
    connection.addr_source = "PORTFOLIO_ADDR";
  }
  if (!token.has_value() && !env.portfolio_token.empty()) {
    token = env.portfolio_token;
  }
  if (!addr.has_value() || !token.has_value()) {
    const std::string path = ConfigPath(env);
    ASSIGN_OR_RETURN(const ConfigValues config, ReadConfig(path));
    if (!addr.has_value() && config.addr.has_value()) {
      addr = config.addr;
      connection.addr_source = path;
    }
    if (!token.has_value()) token = config.token;
  }
  if (!addr.has_value()) {
    addr = kDefaultAddr;
    connection.addr_source = "default";
  }
  connection.addr = *addr;
  connection.token = token.value_or("");
  return connection;
}

}  // namespace portfolio::client
