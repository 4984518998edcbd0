// Bearer tokens: made from the system's random source, stored only as a
// SHA-256 hash, named by an id that is part of the token.
#ifndef PORTFOLIO_SERVER_TOKENS_H_
#define PORTFOLIO_SERVER_TOKENS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace portfolio {

struct NewToken {
  std::string id;      // "t" + 12 hex digits: the resource id
  std::string secret;  // "pf_{id}_{43 base64url characters}" (256 bits)
};

// A fresh token. INTERNAL when the system's random source fails.
absl::StatusOr<NewToken> GenerateToken();

// The id inside a token's secret. INVALID_ARGUMENT for a string that is
// not of the form pf_{id}_{rest}.
absl::StatusOr<std::string> TokenIdOf(absl::string_view secret);

// SHA-256 of the secret (32 raw bytes).
std::string HashSecret(absl::string_view secret);

// Compares two hashes in time independent of where they differ.
bool SameHash(absl::string_view a, absl::string_view b);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_TOKENS_H_
