#include "client/leads.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

using Leads = std::vector<std::string>;

TEST(ChangedLeadsTest, AddAppendsKeepingTheOthersInOrder) {
  EXPECT_EQ(ChangedLeads({"wang", "li"}, "zhang", LeadChange::kAdd),
            (Leads{"wang", "li", "zhang"}));
  EXPECT_EQ(ChangedLeads({}, "zhang", LeadChange::kAdd), (Leads{"zhang"}));
}

TEST(ChangedLeadsTest, AddingALeadAlreadyListedChangesNothing) {
  EXPECT_EQ(ChangedLeads({"wang", "zhang"}, "zhang", LeadChange::kAdd),
            std::nullopt);
}

TEST(ChangedLeadsTest, RemoveTakesOutEveryOccurrenceAndKeepsTheOrder) {
  EXPECT_EQ(ChangedLeads({"wang", "zhang", "li"}, "zhang", LeadChange::kRemove),
            (Leads{"wang", "li"}));
  EXPECT_EQ(
      ChangedLeads({"zhang", "wang", "zhang"}, "zhang", LeadChange::kRemove),
      (Leads{"wang"}));
  EXPECT_EQ(ChangedLeads({"zhang"}, "zhang", LeadChange::kRemove), Leads{});
}

TEST(ChangedLeadsTest, RemovingSomeoneNotListedChangesNothing) {
  EXPECT_EQ(ChangedLeads({"wang"}, "zhang", LeadChange::kRemove), std::nullopt);
  EXPECT_EQ(ChangedLeads({}, "zhang", LeadChange::kRemove), std::nullopt);
}

TEST(ChangedLeadsTest, IdsAreComparedExactly) {
  EXPECT_EQ(ChangedLeads({"zhang2"}, "zhang", LeadChange::kAdd),
            (Leads{"zhang2", "zhang"}));
  EXPECT_EQ(ChangedLeads({"Zhang"}, "zhang", LeadChange::kRemove),
            std::nullopt);
}

}  // namespace
}  // namespace portfolio::client
