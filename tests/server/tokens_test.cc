// Token secrets: their form, and the hash that is all the database keeps.
#include "server/tokens.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace portfolio {
namespace {

// FIPS 180-2's examples: the hash is SHA-256 itself, so tokens stored by
// any earlier build still match.
TEST(TokensTest, HashSecretIsSha256) {
  EXPECT_EQ(absl::BytesToHexString(HashSecret("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(absl::BytesToHexString(HashSecret("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// The algorithm is looked up once and shared: threads hashing at once
// all get the right answer.
TEST(TokensTest, HashSecretFromManyThreadsAtOnce) {
  const std::string expected = HashSecret("pf_t0123456789ab_secret");
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (HashSecret("pf_t0123456789ab_secret") != expected) ++wrong[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}

TEST(TokensTest, GeneratedTokensNameTheirIdAndHashApart) {
  absl::StatusOr<NewToken> a = GenerateToken();
  absl::StatusOr<NewToken> b = GenerateToken();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(absl::StartsWith(a->secret, "pf_" + a->id + "_")) << a->secret;
  absl::StatusOr<std::string> id = TokenIdOf(a->secret);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, a->id);
  EXPECT_NE(HashSecret(a->secret), HashSecret(b->secret));
  EXPECT_TRUE(SameHash(HashSecret(a->secret), HashSecret(a->secret)));
  EXPECT_FALSE(SameHash(HashSecret(a->secret), HashSecret(b->secret)));
}

}  // namespace
}  // namespace portfolio
