#include "tests/support/certs.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/support/process.h"

namespace portfolio::testing {

absl::Status MakeCertificates(const TempDir& dir) {
  const std::string ca_key = dir.File("ca.key"), ca = dir.File("ca.pem");
  const std::string key = dir.File("server.key"), csr = dir.File("server.csr");
  const std::string cert = dir.File("server.pem"), ext = dir.File("san.ext");
  WriteFile(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  const std::vector<std::vector<std::string>> steps = {
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
       "-keyout", ca_key, "-out", ca, "-days", "2", "-subj",
       "/CN=portfolio test CA"},
      {"/usr/bin/openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout",
       key, "-out", csr, "-subj", "/CN=127.0.0.1"},
      {"/usr/bin/openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey",
       ca_key, "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext},
  };
  for (const auto& step : steps) {
    const RunResult r = Run(step);
    if (r.exit_code != 0) {
      return absl::InternalError(
          absl::StrCat("openssl ", step[1], ": ", r.err));
    }
  }
  return absl::OkStatus();
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace portfolio::testing
