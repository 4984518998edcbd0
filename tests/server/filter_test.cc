#include "server/filter.h"

#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/names.h"

namespace portfolio {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using Terms = std::map<std::string, std::string>;

const std::set<std::string>& Allowed() {
  static const auto* allowed =
      new std::set<std::string>{"level", "park", "stage", "lead"};
  return *allowed;
}

std::map<std::string, std::string> ParseOk(const std::string& text) {
  absl::StatusOr<std::map<std::string, std::string>> terms =
      ParseFilter(text, Allowed());
  EXPECT_TRUE(terms.ok()) << text << ": " << terms.status();
  return terms.value_or(std::map<std::string, std::string>());
}

// Expects INVALID_ARGUMENT naming `filter`; returns the message.
std::string ParseError(const std::string& text) {
  absl::StatusOr<std::map<std::string, std::string>> terms =
      ParseFilter(text, Allowed());
  EXPECT_EQ(terms.status().code(), absl::StatusCode::kInvalidArgument) << text;
  EXPECT_THAT(std::string(terms.status().message()), StartsWith("filter: "))
      << text;
  return std::string(terms.status().message());
}

TEST(ParseFilterTest, EmptyFilterHasNoTerms) {
  EXPECT_EQ(ParseOk(""), Terms());
  EXPECT_EQ(ParseOk("   "), Terms());
}

TEST(ParseFilterTest, OneTerm) {
  EXPECT_EQ(ParseOk("level = PROVINCIAL"), (Terms{{"level", "PROVINCIAL"}}));
}

TEST(ParseFilterTest, NoSpacesNeeded) {
  EXPECT_EQ(ParseOk("level=city"), (Terms{{"level", "city"}}));
}

TEST(ParseFilterTest, ColonMeansEquals) {
  EXPECT_EQ(ParseOk("stage:new_start"), (Terms{{"stage", "new_start"}}));
}

TEST(ParseFilterTest, TermsJoinedByAnd) {
  EXPECT_EQ(
      ParseOk("level = PROVINCIAL AND park = \"高铁新区\" AND lead=bob"),
      (Terms{{"level", "PROVINCIAL"}, {"park", "高铁新区"}, {"lead", "bob"}}));
}

TEST(ParseFilterTest, BareChineseValue) {
  EXPECT_EQ(ParseOk("park = 经济开发区"), (Terms{{"park", "经济开发区"}}));
}

TEST(ParseFilterTest, QuotedValueKeepsSpaces) {
  EXPECT_EQ(ParseOk("park = \"west  side\""), (Terms{{"park", "west  side"}}));
}

TEST(ParseFilterTest, EscapesInsideQuotes) {
  EXPECT_EQ(ParseOk(R"(park = "a \"b\" \\ c")"),
            (Terms{{"park", R"(a "b" \ c)"}}));
}

TEST(ParseFilterTest, EmptyQuotedValue) {
  EXPECT_EQ(ParseOk("park = \"\""), (Terms{{"park", ""}}));
}

TEST(ParseFilterTest, UnknownFieldNamedWithTheAllowedOnes) {
  const std::string message = ParseError("owner = x");
  EXPECT_THAT(message, HasSubstr("owner"));
  EXPECT_THAT(message, HasSubstr("level"));
}

TEST(ParseFilterTest, DuplicateFieldRefused) {
  EXPECT_THAT(ParseError("level = city AND level = district"),
              HasSubstr("twice"));
}

TEST(ParseFilterTest, MissingValueRefused) {
  ParseError("level =");
  ParseError("level = AND park = x");
}

TEST(ParseFilterTest, MissingEqualsRefused) { ParseError("level city"); }

TEST(ParseFilterTest, UnterminatedQuoteRefused) {
  EXPECT_THAT(ParseError("park = \"abc"), HasSubstr("unterminated"));
}

TEST(ParseFilterTest, LowercaseAndRefused) {
  ParseError("level = city and park = x");
}

TEST(ParseFilterTest, OrRefused) { ParseError("level = city OR level = x"); }

TEST(ParseFilterTest, DanglingAndRefused) { ParseError("level = city AND"); }

TEST(ParseFilterTest, MissingFieldRefused) { ParseError("= city"); }

TEST(ParseFilterTest, RefusesAFilterLongerThanTheLimit) {
  const std::string filter =
      "park = \"" + std::string(kMaxFilterChars, 'x') + "\"";
  absl::StatusOr<std::map<std::string, std::string>> terms =
      ParseFilter(filter, {"park"});
  ASSERT_FALSE(terms.ok());
  EXPECT_EQ(terms.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LT(terms.status().message().size(), 100u);
}

}  // namespace
}  // namespace portfolio
