#include "client/config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/errors.h"
#include "client/files.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

struct ConfigValues {
  std::optional<std::string> addr;
  std::optional<std::string> token;
  std::optional<std::string> ca;
};

// A setting and where it came from: a flag, a variable or a file's path.
struct Sourced {
  std::optional<std::string> value;
  std::string source;
};

// Removes one pair of surrounding double quotes, so `token = "a b"` works.
absl::string_view Unquote(absl::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value.remove_prefix(1);
    value.remove_suffix(1);
  }
  return value;
}

// The key of a `key = value` line, or "" for a blank, comment or other line.
absl::string_view KeyOf(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  const size_t equals = line.find('=');
  if (line.empty() || line.front() == '#' ||
      equals == absl::string_view::npos) {
    return "";
  }
  return absl::StripAsciiWhitespace(line.substr(0, equals));
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
    const absl::string_view key = KeyOf(line);
    const std::string value(
        Unquote(absl::StripAsciiWhitespace(line.substr(equals + 1))));
    if (key == "addr") {
      values.addr = value;
    } else if (key == "token") {
      values.token = value;
    } else if (key == "ca") {
      values.ca = value;
    } else {
      return UsageError(absl::StrCat(path, ":", line_number, ": unknown key \"",
                                     key, "\" (expected addr, token or ca)"));
    }
  }
  return values;
}

// The file's contents; nullopt when it does not exist.
absl::StatusOr<std::optional<std::string>> ReadOptionalFile(
    const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    return absl::ErrnoToStatus(errno,
                               absl::StrCat(path, ": cannot read config file"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads the config file; no values when it does not exist.
absl::StatusOr<ConfigValues> ReadConfig(const std::string& path) {
  if (path.empty()) return ConfigValues{};
  absl::StatusOr<std::optional<std::string>> text = ReadOptionalFile(path);
  if (!text.ok()) return UsageError(text.status().message());
  if (!text->has_value()) return ConfigValues{};
  return ParseConfig(path, **text);
}

// Reads the CA file `path`, named in messages with where it came from.
absl::StatusOr<std::string> ReadCa(const std::string& path,
                                   const std::string& source) {
  const std::string what = absl::StrCat(path, " (CA file, from ", source, ")");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return UsageError(absl::StrCat(
        what,
        ": cannot read: ", errno != 0 ? std::strerror(errno) : "cannot open"));
  }
  std::ostringstream pem;
  pem << in.rdbuf();
  if (in.bad()) {
    return UsageError(
        absl::StrCat(what, ": cannot read: ", std::strerror(errno)));
  }
  if (!absl::StrContains(pem.str(), "-----BEGIN CERTIFICATE-----")) {
    return UsageError(absl::StrCat(
        what, ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
  }
  return pem.str();
}

// The flag, else the environment variable: the first one set.
Sourced FlagOrEnv(const std::optional<std::string>& flag,
                  absl::string_view flag_name, const std::string& env,
                  absl::string_view env_name) {
  if (flag.has_value()) return {flag, std::string(flag_name)};
  if (!env.empty()) return {env, std::string(env_name)};
  return {};
}

// A value for the config file: quoted when the reader would otherwise
// strip or unquote part of it.
std::string ConfigValueText(const std::string& value) {
  const bool quote =
      value.empty() || absl::ascii_isspace(value.front()) ||
      absl::ascii_isspace(value.back()) ||
      (value.size() >= 2 && value.front() == '"' && value.back() == '"');
  return quote ? absl::StrCat("\"", value, "\"") : value;
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

absl::Status CheckAddress(absl::string_view addr, absl::string_view source) {
  // gRPC's own target forms ("unix:/path", "dns:///host:port", ...) are
  // passed on as they are; a plain address must be HOST:PORT, which gRPC
  // would otherwise take apart in its own way (a port past 65535 wraps
  // round; no port at all is looked up as a name).
  for (absl::string_view scheme :
       {"unix:", "unix-abstract:", "dns:", "ipv4:", "ipv6:", "vsock:"}) {
    if (absl::StartsWith(addr, scheme)) return absl::OkStatus();
  }
  const size_t colon = addr.rfind(':');
  absl::string_view host =
      colon == absl::string_view::npos ? addr : addr.substr(0, colon);
  const absl::string_view port =
      colon == absl::string_view::npos ? "" : addr.substr(colon + 1);
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {
    host = host.substr(1, host.size() - 2);
  }
  int number = 0;
  const bool port_ok =
      !port.empty() &&
      port.find_first_not_of("0123456789") == absl::string_view::npos &&
      absl::SimpleAtoi(port, &number) && number >= 1 && number <= 65535;
  if (host.empty() || !port_ok) {
    return UsageError(absl::StrCat(
        "address \"", addr, "\" (from ", source,
        ") is not HOST:PORT with a port 1..65535, e.g. 127.0.0.1:50051"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Connection> ResolveConnection(const GlobalOptions& flags,
                                             const Environment& env) {
  Sourced addr =
      FlagOrEnv(flags.addr, "--addr", env.portfolio_addr, "PORTFOLIO_ADDR");
  Sourced token =
      FlagOrEnv(flags.token, "--token", env.portfolio_token, "PORTFOLIO_TOKEN");
  Sourced ca = FlagOrEnv(flags.ca, "--ca", env.portfolio_ca, "PORTFOLIO_CA");
  if (!addr.value || !token.value || !ca.value) {
    const std::string path = ConfigPath(env);
    ASSIGN_OR_RETURN(const ConfigValues config, ReadConfig(path));
    if (!addr.value && config.addr) addr = {config.addr, path};
    if (!token.value) token = {config.token, path};
    if (!ca.value && config.ca && !config.ca->empty()) {
      std::string file = *config.ca;
      if (file.front() != '/')
        file = absl::StrCat(DirectoryOf(path), "/", file);
      ca = {file, path};
    }
  }
  if (!addr.value) addr = {kDefaultAddr, "default"};
  RETURN_IF_ERROR(CheckAddress(*addr.value, addr.source));
  Connection connection;
  connection.addr = *addr.value;
  connection.addr_source = addr.source;
  connection.token = token.value.value_or("");
  if (ca.value) {
    connection.ca_path = *ca.value;
    ASSIGN_OR_RETURN(connection.ca_pem, ReadCa(*ca.value, ca.source));
  }
  // A token is a password: never send it in the clear across a network
  // unless told the network is trusted.
  if (!connection.token.empty() && connection.ca_path.empty() &&
      !IsLoopbackAddress(connection.addr) && env.portfolio_insecure != "1") {
    return UsageError(absl::StrCat(
        "refusing to send the token in plaintext to ", connection.addr,
        ", which is not a loopback address: give --ca FILE to use TLS, or set "
        "PORTFOLIO_INSECURE=1 if the network is trusted"));
  }
  return connection;
}

bool IsLoopbackAddress(absl::string_view addr) {
  return absl::StartsWith(addr, "127.") ||
         absl::StartsWith(addr, "localhost:") || addr == "localhost" ||
         absl::StartsWith(addr, "[::1]:") ||
         absl::StartsWith(addr, "ipv4:127.") || absl::StartsWith(addr, "unix:");
}

std::string SetConfigValues(absl::string_view text,
                            const std::vector<ConfigEntry>& entries) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::vector<bool> written(entries.size(), false);
  std::vector<std::string> out;
  for (std::string& line : lines) {
    const absl::string_view key = KeyOf(line);
    bool keep = true;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (key.empty() || key != entries[i].first) continue;
      if (!written[i]) {
        line = absl::StrCat(entries[i].first, " = ",
                            ConfigValueText(entries[i].second));
        written[i] = true;
      } else {
        keep = false;
      }
      break;
    }
    if (keep) out.push_back(std::move(line));
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (written[i]) continue;
    out.push_back(absl::StrCat(entries[i].first, " = ",
                               ConfigValueText(entries[i].second)));
  }
  return absl::StrCat(absl::StrJoin(out, "\n"), "\n");
}

absl::Status WriteConfigValues(const std::string& path,
                               const std::vector<ConfigEntry>& entries) {
  for (const auto& [key, value] : entries) {
    if (absl::StrContains(value, '\n') || absl::StrContains(value, '\r')) {
      return UsageError(absl::StrCat("the ", key, " holds a line break"));
    }
  }
  ASSIGN_OR_RETURN(const std::optional<std::string> old,
                   ReadOptionalFile(path));
  RETURN_IF_ERROR(MakePrivateDirectory(DirectoryOf(path)));
  ASSIGN_OR_RETURN(std::unique_ptr<PendingFile> file,
                   PendingFile::Create(path, absl::StrCat(path, ".tmp")));
  RETURN_IF_ERROR(file->Append(SetConfigValues(old.value_or(""), entries)));
  return file->Commit(/*replace=*/true);
}

}  // namespace portfolio::client
