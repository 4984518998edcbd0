#include "client/config.h"

#include <filesystem>
#include <fstream>
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

  Environment XdgEnv() const {
    Environment env;
    env.xdg_config_home = (root_ / "xdg").string();
    env.home = (root_ / "home").string();
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
  GlobalOptions flags;
  flags.addr = "flag:1";
  EXPECT_TRUE(ResolveConnection(flags, env).ok());
}

TEST(ConfigPathTest, XdgThenHomeThenNone) {
  Environment env;
  EXPECT_EQ(ConfigPath(env), "");
  env.home = "/h";
  EXPECT_EQ(ConfigPath(env), "/h/.config/portfolio/config");
  env.xdg_config_home = "/x";
  EXPECT_EQ(ConfigPath(env), "/x/portfolio/config");
}

}  // namespace
}  // namespace portfolio::client
