// Test certificates made with the openssl command line, the way
// docs/operations.md tells a district to make its own.
#ifndef PORTFOLIO_TESTS_SUPPORT_CERTS_H_
#define PORTFOLIO_TESTS_SUPPORT_CERTS_H_

#include <string>

#include "absl/status/status.h"
#include "tests/support/temp_dir.h"

namespace portfolio::testing {

// Writes ca.pem/ca.key and server.pem/server.key (for 127.0.0.1 and
// localhost, signed by that CA) into `dir`. Errors carry openssl's stderr.
absl::Status MakeCertificates(const TempDir& dir);

// The whole of a small file.
std::string ReadWholeFile(const std::string& path);

}  // namespace portfolio::testing

#endif  // PORTFOLIO_TESTS_SUPPORT_CERTS_H_
