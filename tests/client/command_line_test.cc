#include "client/command_line.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/help.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

// Parses against the real command table, so the flags tested are the ones
// users type.
class CommandLineTest : public ::testing::Test {
 protected:
  absl::StatusOr<Invocation> Parse(std::vector<std::string> argv) {
    return ParseInvocation(argv, commands_);
  }
  std::vector<CommandSpec> commands_ = AllCommands();
};

TEST_F(CommandLineTest, GlobalFlagsBeforeTheCommand) {
  const auto inv = Parse({"--addr", "h:1", "-o", "json", "--token=t",
                          "--timeout", "2.5", "projects", "list"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->global.addr.value_or(""), "h:1");
  EXPECT_EQ(inv->global.token.value_or(""), "t");
  EXPECT_EQ(inv->global.output, OutputFormat::kJson);
  EXPECT_EQ(inv->global.timeout, absl::Milliseconds(2500));
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->noun, "projects");
  EXPECT_EQ(inv->command->verb, "list");
}

TEST_F(CommandLineTest, GlobalFlagsBetweenAndAfterTheWords) {
  const auto inv =
      Parse({"invest", "--output", "csv", "log", "p1", "--period", "2024-03",
             "--addr=h:2", "--amount", "3000万", "--timeout=7"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->global.output, OutputFormat::kCsv);
  EXPECT_EQ(inv->global.addr.value_or(""), "h:2");
  EXPECT_EQ(inv->global.timeout, absl::Seconds(7));
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->verb, "log");
  EXPECT_EQ(inv->args.Positional(0), "p1");
  EXPECT_EQ(inv->args.Value("amount").value_or(""), "3000万");
  EXPECT_FALSE(inv->args.Has("addr"));  // global, not the command's
}

TEST_F(CommandLineTest, DefaultsWithoutGlobalFlags) {
  const auto inv = Parse({"summary"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_FALSE(inv->global.addr.has_value());
  EXPECT_EQ(inv->global.output, OutputFormat::kTable);
  EXPECT_EQ(inv->global.timeout, absl::Seconds(10));
}

TEST_F(CommandLineTest, UnknownFlagIsAUsageError) {
  const auto inv = Parse({"projects", "list", "--colour", "red"});
  ASSERT_FALSE(inv.ok());
  EXPECT_EQ(ExitCodeOf(inv.status()), ExitCode::kUsage);
  EXPECT_NE(inv.status().message().find("unknown flag --colour"),
            std::string::npos);
  EXPECT_NE(inv.status().message().find("usage: portfolio projects list"),
            std::string::npos);
}

// A typo names the flag it is nearest to; a word near none names none.
TEST_F(CommandLineTest, AMistypedFlagSuggestsTheNearestOne) {
  const auto typo = Parse(
      {"invest", "log", "p1", "--perod", "2024-03", "--amount", "3000万"});
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("did you mean --period?"),
            std::string::npos)
      << typo.status();
  const auto far = Parse({"projects", "list", "--colour", "red"});
  ASSERT_FALSE(far.ok());
  EXPECT_EQ(far.status().message().find("did you mean"), std::string::npos)
      << far.status();
}

TEST_F(CommandLineTest, CommandFlagBeforeTheCommandIsUnknown) {
  const auto inv = Parse({"--level", "city", "projects", "list"});
  ASSERT_FALSE(inv.ok());
  EXPECT_EQ(ExitCodeOf(inv.status()), ExitCode::kUsage);
}

TEST_F(CommandLineTest, UnknownCommandsAndMissingParts) {
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{
           {},
           {"frobnicate"},
           {"projects"},
           {"projects", "delete", "p1"},
           {"projects", "show"},
           {"projects", "show", "p1", "p2"},
           {"invest", "log", "p1", "--period", "2024-03"},
           {"invest", "log", "p1", "--period"},
           {"milestones", "list", "--overdue=yes"},
           {"invest", "log", "p1", "--period", "2024-03", "--amount", "1",
            "--amount", "2"},
           {"-o", "yaml", "summary"},
           {"--timeout", "0", "summary"},
           {"--timeout", "soon", "summary"},
           {"--timeout", "1e9", "summary"},
       }) {
    const auto inv = Parse(argv);
    EXPECT_FALSE(inv.ok()) << testing::PrintToString(argv);
    EXPECT_EQ(ExitCodeOf(inv.status()), ExitCode::kUsage)
        << testing::PrintToString(argv);
  }
}

TEST_F(CommandLineTest, RepeatableFlagKeepsEveryValueInOrder) {
  const auto inv = Parse({"projects", "update", "p1", "--lead", "a", "--stage",
                          "continuing", "--lead", "b"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->args.Values("lead"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(inv->args.FlagOrder(), (std::vector<std::string>{"lead", "stage"}));
}

TEST_F(CommandLineTest, ValuesMayStartWithADash) {
  const auto inv = Parse(
      {"invest", "correct", "p/7", "--amount", "-500万", "--reason", "typo"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->args.Value("amount").value_or(""), "-500万");
}

TEST_F(CommandLineTest, DoubleDashEndsFlags) {
  const auto inv = Parse({"projects", "show", "--", "-odd"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->args.Positional(0), "-odd");
}

TEST_F(CommandLineTest, HelpAnywhereResolvesTheDeepestCommand) {
  auto inv = Parse({"invest", "log", "--help"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->help);
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->verb, "log");

  inv = Parse({"-h", "milestones"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->help);
  EXPECT_EQ(inv->noun, "milestones");
  EXPECT_EQ(inv->command, nullptr);

  // Help is lenient: a bad flag does not turn it into an error.
  inv = Parse({"summary", "--bogus", "--help"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->help);

  inv = Parse({"help", "plan", "set"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->help);
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->noun, "plan");
}

TEST_F(CommandLineTest, EveryCommandHasHelpWithExamples) {
  for (const CommandSpec& command : commands_) {
    const std::string help = CommandHelp(command);
    EXPECT_NE(help.find("Usage:"), std::string::npos) << command.noun;
    EXPECT_NE(help.find("Examples:"), std::string::npos)
        << command.noun << " " << command.verb;
    EXPECT_NE(command.run, nullptr);
  }
  EXPECT_NE(TopHelp(commands_).find("Exit codes"), std::string::npos);
}

TEST_F(CommandLineTest, ProjectsLeadsTakesActionProjectAndUser) {
  const auto inv = Parse({"projects", "leads", "add", "p", "u"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->noun, "projects");
  EXPECT_EQ(inv->command->verb, "leads");
  EXPECT_EQ(inv->args.Positional(0), "add");
  EXPECT_EQ(inv->args.Positional(1), "p");
  EXPECT_EQ(inv->args.Positional(2), "u");

  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{
           {"projects", "leads"},
           {"projects", "leads", "add", "p"},
           {"projects", "leads", "add", "p", "u", "v"},
       }) {
    const auto bad = Parse(argv);
    EXPECT_EQ(ExitCodeOf(bad.status()), ExitCode::kUsage)
        << testing::PrintToString(argv);
  }
}

TEST_F(CommandLineTest, ProjectsLeadsHelpExplainsBothActions) {
  const auto inv = Parse({"projects", "leads", "--help"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->help);
  ASSERT_NE(inv->command, nullptr);
  const std::string help = CommandHelp(*inv->command);
  EXPECT_NE(help.find("portfolio projects leads add|remove PROJECT USER"),
            std::string::npos)
      << help;
  EXPECT_NE(help.find("portfolio projects leads add "), std::string::npos);
  EXPECT_NE(help.find("portfolio projects leads remove "), std::string::npos);
  // `--help` after the action still finds the command.
  const auto deeper = Parse({"projects", "leads", "remove", "-h"});
  ASSERT_TRUE(deeper.ok()) << deeper.status();
  EXPECT_EQ(deeper->command, inv->command);
}

TEST_F(CommandLineTest, CaIsAGlobalFlag) {
  auto inv = Parse({"--ca", "ca.pem", "users", "list"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->global.ca.value_or(""), "ca.pem");
  inv = Parse({"login", "--ca=district.pem", "--addr", "h:1"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->global.ca.value_or(""), "district.pem");
  EXPECT_EQ(inv->global.addr.value_or(""), "h:1");
  EXPECT_EQ(ExitCodeOf(Parse({"--ca=", "summary"}).status()), ExitCode::kUsage);
  EXPECT_NE(TopHelp(commands_).find("--ca FILE"), std::string::npos);
}

TEST_F(CommandLineTest, AdminCommandsAndTheirRequiredParts) {
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{
           {"users", "create", "zhang", "--role", "lead", "--name", "张伟"},
           {"users", "list", "--limit", "5"},
           {"users", "disable", "zhang"},
           {"tokens", "create", "--user", "zhang", "--expires", "2030-01-01"},
           {"tokens", "list", "--user", "zhang"},
           {"tokens", "revoke", "k3x9"},
           {"audit", "list", "--project", "p", "--user", "u", "--since",
            "2024-01-01", "--limit", "3"},
           {"admin", "backup", "out.db", "--force"},
           {"login"},
       }) {
    const auto inv = Parse(argv);
    EXPECT_TRUE(inv.ok()) << testing::PrintToString(argv) << inv.status();
  }
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{
           {"users", "create", "zhang"},
           {"tokens", "create"},
           {"tokens", "revoke"},
           {"admin", "backup"},
           {"login", "extra"},
       }) {
    EXPECT_EQ(ExitCodeOf(Parse(argv).status()), ExitCode::kUsage)
        << testing::PrintToString(argv);
  }
}

}  // namespace
}  // namespace portfolio::client
