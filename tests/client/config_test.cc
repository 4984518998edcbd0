#include "client/config.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "client/errors.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, holding the config file's directory tree.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) /
            (std::string("client_config_") + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Writes `text` to `dir`/portfolio/config and returns that path.
  std::string WriteConfig(const fs::path& dir, const std::string& text) {
    fs::create_directories(dir / "portfolio");
    const fs::path path = dir / "portfolio" / "config";
    std::ofstream(path) << text;
    return path.string();
  }

  // Writes a file that looks like a PEM CA certificate and returns its path.
  std::string WriteCa(const fs::path& path) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "-----BEGIN CERTIFICATE-----\nMIIB\n"
                           "-----END CERTIFICATE-----\n";
    return path.string();
  }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static int ModeOf(const fs::path& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 07777);
  }

  // Resolution tests use made-up addresses like "flag:1"; the plaintext
  // check has tests of its own below.
  Environment XdgEnv() const {
    Environment env;
    env.xdg_config_home = (root_ / "xdg").string();
    env.home = (root_ / "home").string();
    env.portfolio_insecure = "1";
    return env;
  }

  fs::path root_;
};

TEST_F(ConfigTest, FlagBeatsEnvironmentAndFile) {
  WriteConfig(root_ / "xdg", "addr = file:1\ntoken = file-token\n");
  Environment env = XdgEnv();
  env.portfolio_addr = "env:1";
  env.portfolio_token = "env-token";
  GlobalOptions flags;
  flags.addr = "flag:1";
  flags.token = "flag-token";
  const auto c = ResolveConnection(flags, env);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->addr, "flag:1");
  EXPECT_EQ(c->addr_source, "--addr");
  EXPECT_EQ(c->token, "flag-token");
}

TEST_F(ConfigTest, EnvironmentBeatsFile) {
  WriteConfig(root_ / "xdg", "addr = file:1\ntoken = file-token\n");
  Environment env = XdgEnv();
  env.portfolio_addr = "env:1";
  env.portfolio_token = "env-token";
  const auto c = ResolveConnection(GlobalOptions(), env);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->addr, "env:1");
  EXPECT_EQ(c->addr_source, "PORTFOLIO_ADDR");
  EXPECT_EQ(c->token, "env-token");
}

TEST_F(ConfigTest, FileBeatsDefault) {
  const std::string path = WriteConfig(
      root_ / "xdg",
      "# where the server runs\n\n  addr =  10.0.0.5:50051  \ntoken = "
      "\"s3 cret\"\n");
  const auto c = ResolveConnection(GlobalOptions(), XdgEnv());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->addr, "10.0.0.5:50051");
  EXPECT_EQ(c->addr_source, path);
  EXPECT_EQ(c->token, "s3 cret");
}

TEST_F(ConfigTest, DefaultWhenNothingIsSet) {
  const auto c = ResolveConnection(GlobalOptions(), XdgEnv());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->addr, "127.0.0.1:50051");
  EXPECT_EQ(c->addr_source, "default");
  EXPECT_EQ(c->token, "");
}

TEST_F(ConfigTest, EachValueResolvesOnItsOwn) {
  WriteConfig(root_ / "xdg", "addr = file:1\ntoken = file-token\n");
  GlobalOptions flags;
  flags.addr = "flag:1";
  const auto c = ResolveConnection(flags, XdgEnv());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->addr, "flag:1");
  EXPECT_EQ(c->token, "file-token");
}

TEST_F(ConfigTest, FallsBackToHomeDotConfig) {
  WriteConfig(root_ / "home" / ".config", "addr = home:1\n");
  Environment env = XdgEnv();
  env.xdg_config_home.clear();
  const auto c = ResolveConnection(GlobalOptions(), env);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->addr, "home:1");
}

TEST_F(ConfigTest, XdgWinsOverHome) {
  WriteConfig(root_ / "home" / ".config", "addr = home:1\n");
  WriteConfig(root_ / "xdg", "addr = xdg:1\n");
  const auto c = ResolveConnection(GlobalOptions(), XdgEnv());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->addr, "xdg:1");
}

TEST_F(ConfigTest, MalformedFileIsAUsageErrorNamingTheLine) {
  const std::string path =
      WriteConfig(root_ / "xdg", "addr = a:1\nadress = b:2\n");
  const auto c = ResolveConnection(GlobalOptions(), XdgEnv());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(ExitCodeOf(c.status()), ExitCode::kUsage);
  EXPECT_NE(c.status().message().find(path + ":2"), std::string::npos)
      << c.status();
}

TEST_F(ConfigTest, FileIsNotReadWhenFlagsAndEnvironmentSuffice) {
  WriteConfig(root_ / "xdg", "this is not a config\n");
  Environment env = XdgEnv();
  env.portfolio_token = "t";
  env.portfolio_ca = WriteCa(root_ / "ca.pem");
  GlobalOptions flags;
  flags.addr = "flag:1";
  EXPECT_TRUE(ResolveConnection(flags, env).ok());
}

TEST_F(ConfigTest, NoCaMeansPlaintext) {
  WriteConfig(root_ / "xdg", "addr = file:1\n");
  const auto c = ResolveConnection(GlobalOptions(), XdgEnv());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->ca_path, "");
  EXPECT_EQ(c->ca_pem, "");
}

TEST_F(ConfigTest, CaFlagBeatsEnvironmentBeatsFile) {
  const std::string flag_ca = WriteCa(root_ / "flag.pem");
  const std::string env_ca = WriteCa(root_ / "env.pem");
  const std::string file_ca = WriteCa(root_ / "file.pem");
  WriteConfig(root_ / "xdg", "ca = " + file_ca + "\n");
  Environment env = XdgEnv();
  env.portfolio_ca = env_ca;
  GlobalOptions flags;
  flags.ca = flag_ca;
  auto c = ResolveConnection(flags, env);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->ca_path, flag_ca);
  EXPECT_NE(c->ca_pem.find("BEGIN CERTIFICATE"), std::string::npos);

  c = ResolveConnection(GlobalOptions(), env);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->ca_path, env_ca);

  c = ResolveConnection(GlobalOptions(), XdgEnv());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->ca_path, file_ca);
}

TEST_F(ConfigTest, RelativeCaInTheFileIsRelativeToItsDirectory) {
  const std::string path = WriteConfig(root_ / "xdg", "ca = certs/ca.pem\n");
  WriteCa(root_ / "xdg" / "portfolio" / "certs" / "ca.pem");
  const auto c = ResolveConnection(GlobalOptions(), XdgEnv());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->ca_path,
            (root_ / "xdg" / "portfolio" / "certs" / "ca.pem").string());
}

TEST_F(ConfigTest, UnreadableCaFileIsAUsageErrorNamingItAndItsSource) {
  Environment env = XdgEnv();
  env.portfolio_ca = (root_ / "missing.pem").string();
  const auto c = ResolveConnection(GlobalOptions(), env);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(ExitCodeOf(c.status()), ExitCode::kUsage);
  EXPECT_NE(c.status().message().find(env.portfolio_ca), std::string::npos)
      << c.status();
  EXPECT_NE(c.status().message().find("PORTFOLIO_CA"), std::string::npos)
      << c.status();
}

TEST_F(ConfigTest, CaFileWithoutACertificateIsAUsageError) {
  std::ofstream(root_ / "key.pem") << "-----BEGIN PRIVATE KEY-----\n";
  GlobalOptions flags;
  flags.ca = (root_ / "key.pem").string();
  const auto c = ResolveConnection(flags, XdgEnv());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(ExitCodeOf(c.status()), ExitCode::kUsage);
  EXPECT_NE(c.status().message().find("--ca"), std::string::npos) << c.status();
}

TEST(SetConfigValuesTest, ReplacesKeysKeepsOtherLinesAppendsNewKeys) {
  const std::string old =
      "# mine\n"
      "addr = old:1\n"
      "\n"
      "  token=old-token  \n"
      "token = duplicate\n"
      "# the end";
  EXPECT_EQ(
      SetConfigValues(
          old, {{"addr", "new:2"}, {"token", "pf_a_b"}, {"ca", "/etc/ca.pem"}}),
      "# mine\n"
      "addr = new:2\n"
      "\n"
      "token = pf_a_b\n"
      "# the end\n"
      "ca = /etc/ca.pem\n");
}

TEST(SetConfigValuesTest, EmptyFileAndValuesTheReaderWouldAlter) {
  EXPECT_EQ(SetConfigValues("", {{"addr", "h:1"}}), "addr = h:1\n");
  EXPECT_EQ(SetConfigValues("", {{"token", " padded "}, {"ca", ""}}),
            "token = \" padded \"\nca = \"\"\n");
  EXPECT_EQ(SetConfigValues("", {{"token", "\"q\""}}), "token = \"\"q\"\"\n");
}

TEST_F(ConfigTest, WriterCreatesAPrivateDirectoryAndFile) {
  const fs::path path = root_ / "xdg" / "portfolio" / "config";
  ASSERT_TRUE(
      WriteConfigValues(path.string(), {{"addr", "h:1"}, {"token", "pf_a_b"}})
          .ok());
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(ModeOf(path.parent_path()), 0700);
  EXPECT_EQ(Read(path), "addr = h:1\ntoken = pf_a_b\n");
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
}

TEST_F(ConfigTest, WriterReplacesKeysKeepsLinesAndTightensTheMode) {
  const std::string path =
      WriteConfig(root_ / "xdg", "# office\naddr = old:1\ntoken = old\n");
  fs::permissions(path, fs::perms(0644));
  ASSERT_TRUE(
      WriteConfigValues(path, {{"token", "new token"}, {"addr", "h:2"}}).ok());
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(Read(path), "# office\naddr = h:2\ntoken = new token\n");
  // What the writer wrote, the reader reads back.
  const auto c = ResolveConnection(GlobalOptions(), XdgEnv());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->addr, "h:2");
  EXPECT_EQ(c->token, "new token");
}

TEST_F(ConfigTest, WriterRefusesLineBreaksInValues) {
  const fs::path path = root_ / "xdg" / "portfolio" / "config";
  const absl::Status status =
      WriteConfigValues(path.string(), {{"token", "a\naddr = evil:1"}});
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kUsage);
  EXPECT_FALSE(fs::exists(path));
}

TEST(ConfigPathTest, XdgThenHomeThenNone) {
  Environment env;
  EXPECT_EQ(ConfigPath(env), "");
  env.home = "/h";
  EXPECT_EQ(ConfigPath(env), "/h/.config/portfolio/config");
  env.xdg_config_home = "/x";
  EXPECT_EQ(ConfigPath(env), "/x/portfolio/config");
}

TEST_F(ConfigTest, ATokenIsNotSentInPlaintextToAnotherMachine) {
  Environment env = XdgEnv();
  env.portfolio_insecure.clear();
  GlobalOptions flags;
  flags.addr = "10.0.0.5:50051";
  flags.token = "pf_t000000000000_secret";
  const auto refused = ResolveConnection(flags, env);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--ca"), std::string::npos);
  EXPECT_EQ(refused.status().message().find("secret"), std::string::npos);

  flags.addr = "127.0.0.1:50051";  // loopback is fine
  EXPECT_TRUE(ResolveConnection(flags, env).ok());
  flags.addr = "10.0.0.5:50051";
  flags.token.reset();  // no token, nothing to leak
  EXPECT_TRUE(ResolveConnection(flags, env).ok());
  flags.token = "pf_t000000000000_secret";
  env.portfolio_insecure = "1";  // the user says the network is trusted
  EXPECT_TRUE(ResolveConnection(flags, env).ok());
}

// gRPC would take a bad address apart its own way (port 99999 wrapped to
// 34463; no port looked up as a host name): refused first, naming where
// it came from.
TEST_F(ConfigTest, AnAddressMustBeHostAndPort) {
  for (const char* good : {"127.0.0.1:50051", "localhost:1", "[::1]:65535",
                           "unix:/run/portfolio.sock", "dns:///host:50051",
                           "ipv4:127.0.0.1:50051"}) {
    EXPECT_TRUE(CheckAddress(good, "--addr").ok()) << good;
  }
  for (const char* bad : {"127.0.0.1:99999", "127.0.0.1:0", "garbage",
                          "host:", ":50051", "host:50x", "127.0.0.1:-1"}) {
    const absl::Status s = CheckAddress(bad, "--addr");
    EXPECT_EQ(ExitCodeOf(s), ExitCode::kUsage) << bad;
    EXPECT_NE(s.message().find(bad), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("HOST:PORT"), std::string::npos) << bad;
  }
  Environment env = XdgEnv();
  env.portfolio_addr = "127.0.0.1:99999";
  const auto c = ResolveConnection(GlobalOptions(), env);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("PORTFOLIO_ADDR"), std::string::npos)
      << c.status();
}

}  // namespace
}  // namespace portfolio::client
