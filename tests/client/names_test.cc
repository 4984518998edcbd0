#include "client/names.h"

#include "client/errors.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

TEST(NamesTest, ProjectFromIdOrName) {
  EXPECT_EQ(*ProjectName("byd"), "projects/byd");
  EXPECT_EQ(*ProjectName("projects/byd"), "projects/byd");
  EXPECT_FALSE(ProjectName("").ok());
  EXPECT_FALSE(ProjectName("projects/").ok());
  EXPECT_FALSE(ProjectName("projects/a/b").ok());
  EXPECT_EQ(ExitCodeOf(ProjectName("a/b").status()), ExitCode::kUsage);
  // A space pasted with the id is not part of it.
  EXPECT_EQ(*ProjectName(" hexi-resettlement "), "projects/hexi-resettlement");
  EXPECT_EQ(*InvestmentEntryName("byd/7 "), "projects/byd/investments/7");
  EXPECT_FALSE(ProjectName("   ").ok());
}

TEST(NamesTest, MilestoneFromShortOrFullName) {
  EXPECT_EQ(*MilestoneName("byd/m1"), "projects/byd/milestones/m1");
  EXPECT_EQ(*MilestoneName("projects/byd/milestones/m1"),
            "projects/byd/milestones/m1");
  EXPECT_FALSE(MilestoneName("byd").ok());
  EXPECT_FALSE(MilestoneName("byd/").ok());
  EXPECT_FALSE(MilestoneName("projects/byd/investments/7").ok());
}

TEST(NamesTest, EntryFromShortOrFullName) {
  EXPECT_EQ(*InvestmentEntryName("byd/7"), "projects/byd/investments/7");
  EXPECT_EQ(*InvestmentEntryName("projects/p/investments/7"),
            "projects/p/investments/7");
  EXPECT_FALSE(InvestmentEntryName("7").ok());
}

TEST(NamesTest, Segments) {
  EXPECT_EQ(LastSegment("projects/p/milestones/m2"), "m2");
  EXPECT_EQ(LastSegment("p"), "p");
  EXPECT_EQ(ProjectIdOf("projects/p/milestones/m2"), "p");
  EXPECT_EQ(ProjectIdOf("indicators/x"), "");
}

TEST(NamesTest, UserFromIdOrName) {
  EXPECT_EQ(*UserName("zhang"), "users/zhang");
  EXPECT_EQ(*UserName("users/zhang"), "users/zhang");
  EXPECT_FALSE(UserName("").ok());
  EXPECT_FALSE(UserName("projects/zhang").ok());
}

TEST(NamesTest, TokenFromIdOrName) {
  EXPECT_EQ(*TokenName("k3x9"), "tokens/k3x9");
  EXPECT_EQ(*TokenName("tokens/k3x9"), "tokens/k3x9");
  EXPECT_FALSE(TokenName("users/k3x9").ok());
}

TEST(NamesTest, ASecretIsRefusedWithoutRepeatingIt) {
  const auto name = TokenName("pf_k3x9_s3cretS3cret");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(ExitCodeOf(name.status()), ExitCode::kUsage);
  EXPECT_NE(name.status().message().find("(k3x9)"), std::string::npos)
      << name.status();
  EXPECT_EQ(name.status().message().find("s3cret"), std::string::npos)
      << name.status();
}

TEST(NamesTest, ShortMethodDropsThePackage) {
  EXPECT_EQ(ShortMethodName("/portfolio.v1.InvestmentService/LogInvestment"),
            "InvestmentService/LogInvestment");
  EXPECT_EQ(ShortMethodName("/Svc/Method"), "/Svc/Method");
  EXPECT_EQ(ShortMethodName("odd"), "odd");
  EXPECT_EQ(ShortMethodName(""), "");
}

}  // namespace
}  // namespace portfolio::client
