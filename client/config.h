// Where the server is and who we are: the address and token resolved from
// flags, environment, config file and defaults, in that order.
#ifndef PORTFOLIO_CLIENT_CONFIG_H_
#define PORTFOLIO_CLIENT_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "client/options.h"

namespace portfolio::client {

inline constexpr char kDefaultAddr[] = "127.0.0.1:50051";

// The environment variables resolution reads, captured once by main.cc so
// that nothing else calls getenv. An empty value counts as unset.
struct Environment {
  std::string portfolio_addr;   // $PORTFOLIO_ADDR
  std::string portfolio_token;  // $PORTFOLIO_TOKEN
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
};

// The config file's path: $XDG_CONFIG_HOME/portfolio/config, else
// $HOME/.config/portfolio/config; "" when neither variable is set.
std::string ConfigPath(const Environment& env);

// Resolves addr and token, each independently: the flag, else the
// environment variable, else the config file, else the default (addr
// 127.0.0.1:50051, no token). The config file is read only when a value is
// still missing after flags and environment; a missing file is not an
// error. Returns a usage error (errors.h) naming the file and line when the
// file exists but cannot be read, or has a line that is not blank, a `#`
// comment, or `addr = ...` / `token = ...`.
absl::StatusOr<Connection> ResolveConnection(const GlobalOptions& flags,
                                             const Environment& env);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_CONFIG_H_
