#include "server/tokens.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace portfolio {

absl::StatusOr<NewToken> GenerateToken() {
  unsigned char id_bytes[6];
  unsigned char secret_bytes[32];
  if (RAND_bytes(id_bytes, sizeof id_bytes) != 1 ||
      RAND_bytes(secret_bytes, sizeof secret_bytes) != 1) {
    return absl::InternalError("the system's random source failed");
  }
  NewToken token;
  token.id = absl::StrCat(
      "t", absl::BytesToHexString(absl::string_view(
               reinterpret_cast<const char*>(id_bytes), sizeof id_bytes)));
  std::string random;
  absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(secret_bytes),
                        sizeof secret_bytes),
      &random);
  token.secret = absl::StrCat("pf_", token.id, "_", random);
  return token;
}

absl::StatusOr<std::string> TokenIdOf(absl::string_view secret) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(secret, absl::MaxSplits('_', 2));
  if (parts.size() != 3 || parts[0] != "pf" || parts[1].size() != 13 ||
      parts[1][0] != 't' || parts[2].empty()) {
    return absl::InvalidArgumentError("not a portfolio token");
  }
  return std::string(parts[1]);
}

std::string HashSecret(absl::string_view secret) {
  // SHA256() looks the algorithm up in OpenSSL's providers on every call,
  // which was half the cost of checking a token (profiled at 64
  // LogInvestment callers); looked up once, shared by every thread, and
  // never freed.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int size = 0;
  if (sha256 == nullptr ||
      EVP_Digest(secret.data(), secret.size(), digest, &size, sha256,
                 nullptr) != 1 ||
      size != sizeof digest) {
    SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
           digest);
  }
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

bool SameHash(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace portfolio
