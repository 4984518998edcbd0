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

}  // namespace
}  // namespace portfolio::client
