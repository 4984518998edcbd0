// Where the server is and who we are: the address, token and CA file
// resolved from flags, environment, config file and defaults, in that
// order; and the config file's writer, for `portfolio login`.
#ifndef PORTFOLIO_CLIENT_CONFIG_H_
#define PORTFOLIO_CLIENT_CONFIG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/options.h"

namespace portfolio::client {

inline constexpr char kDefaultAddr[] = "127.0.0.1:50051";

// The environment variables resolution reads, captured once by main.cc so
// that nothing else calls getenv. An empty value counts as unset.
struct Environment {
  std::string portfolio_addr;   // $PORTFOLIO_ADDR
  std::string portfolio_token;  // $PORTFOLIO_TOKEN
  std::string portfolio_ca;     // $PORTFOLIO_CA
  // $PORTFOLIO_INSECURE: "1" allows sending a token in plaintext to an
  // address that is not loopback.
  std::string portfolio_insecure;
  std::string xdg_config_home;  // $XDG_CONFIG_HOME
  std::string home;             // $HOME
};

// The resolved connection settings.
struct Connection {
  std::string addr;
  // Where addr came from, for messages: "--addr", "PORTFOLIO_ADDR", the
  // config file's path, or "default".
  std::string addr_source;
  std::string token;  // empty: send no authorization metadata
  // The CA file the server's certificate is checked against; set means
  // TLS, empty means plaintext.
  std::string ca_path = {};
  // Its PEM text (the root certificates), read during resolution.
  std::string ca_pem = {};
};

// OK for a gRPC target with a scheme (unix:, dns:, ipv4:, ...) or for
// HOST:PORT with a port 1..65535 (an IPv6 host in brackets); otherwise a
// usage error naming the address and `source` (the flag, variable or file
// it came from).
absl::Status CheckAddress(absl::string_view addr, absl::string_view source);

// True for addresses on this machine: 127.x.x.x, localhost, [::1], unix:.
bool IsLoopbackAddress(absl::string_view addr);

// The config file's path: $XDG_CONFIG_HOME/portfolio/config, else
// $HOME/.config/portfolio/config; "" when neither variable is set.
std::string ConfigPath(const Environment& env);

// Resolves addr, token and CA file, each independently: the flag, else the
// environment variable, else the config file, else the default (addr
// 127.0.0.1:50051, no token, no CA file and so plaintext). A relative `ca`
// in the config file is taken relative to the file's directory. The config
// file is read only when a value is still missing after flags and
// environment; a missing file is not an error. The CA file, when one is
// resolved, is read here.
//
// Returns a usage error (errors.h) naming the file and line when the
// config file exists but cannot be read, or has a line that is not blank,
// a `#` comment, or `addr = ...` / `token = ...` / `ca = ...`; and one
// naming the CA file and where its name came from when it cannot be read
// or holds no PEM certificate.
absl::StatusOr<Connection> ResolveConnection(const GlobalOptions& flags,
                                             const Environment& env);

// A config key and the value to store.
using ConfigEntry = std::pair<std::string, std::string>;

// The config file text `text` with `entries` set: the first line of each
// key becomes `key = value` and its later lines go; keys not present are
// appended. Every other line (comments, blank lines, other keys) is kept
// as it was. A value with surrounding spaces or quotes, or an empty one,
// is written in double quotes, which the reader removes.
std::string SetConfigValues(absl::string_view text,
                            const std::vector<ConfigEntry>& entries);

// Stores `entries` in the config file at `path` (see SetConfigValues),
// creating its directory with mode 0700 when missing. The new file is
// created with mode 0600 under a temporary name and renamed over the old
// one, so it is never readable by others, not even for a moment, and never
// half written. Returns a usage error when a value holds a line break; the
// errno's error naming the file or directory when it cannot be read or
// written (exit code 1).
absl::Status WriteConfigValues(const std::string& path,
                               const std::vector<ConfigEntry>& entries);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_CONFIG_H_
