#include "server/names.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace portfolio {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Repeat(const std::string& unit, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += unit;
  return out;
}

void ExpectInvalidNaming(const absl::Status& s, const std::string& field) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), StartsWith(field + ": "));
}

TEST(CheckIdTest, AcceptsLowercaseLettersDigitsAndHyphens) {
  EXPECT_TRUE(CheckId("id", "abc").ok());
  EXPECT_TRUE(CheckId("id", "cp-2024-001").ok());
  EXPECT_TRUE(CheckId("id", "a" + Repeat("b", 62)).ok());  // 63 characters
}

TEST(CheckIdTest, RefusesTooShortOrTooLong) {
  ExpectInvalidNaming(CheckId("id", "ab"), "id");
  ExpectInvalidNaming(CheckId("id", "a" + Repeat("b", 63)), "id");
}

TEST(CheckIdTest, RefusesBadFirstOrLastCharacter) {
  ExpectInvalidNaming(CheckId("id", "1abc"), "id");
  ExpectInvalidNaming(CheckId("id", "-abc"), "id");
  ExpectInvalidNaming(CheckId("id", "abc-"), "id");
}

TEST(CheckIdTest, RefusesOtherCharacters) {
  ExpectInvalidNaming(CheckId("project_id", "Abc"), "project_id");
  ExpectInvalidNaming(CheckId("project_id", "a_bc"), "project_id");
  ExpectInvalidNaming(CheckId("project_id", "ab c"), "project_id");
  ExpectInvalidNaming(CheckId("project_id", "项目一"), "project_id");
}

TEST(CheckLengthTest, CountsChineseCharactersNotBytes) {
  // 200 characters, 600 bytes.
  EXPECT_TRUE(CheckLength("display_name", Repeat("项", 200), 200).ok());
}

TEST(CheckLengthTest, RefusesOneCharacterOver) {
  const absl::Status s = CheckLength("display_name", Repeat("项", 201), 200);
  ExpectInvalidNaming(s, "display_name");
  EXPECT_THAT(s.message(), HasSubstr("200"));
}

TEST(CheckLengthTest, ANameIsOneLineOfPrintableText) {
  const std::vector<std::string> names = {"君诚\n锻造",
                                          "a\tb",
                                          "x\r",
                                          "\x1b[31mred",
                                          "a\x7f",
                                          "a\xc2\x85"
                                          "b"};
  for (const std::string& name : names) {
    const absl::Status s = CheckLength("display_name", name, kMaxNameChars);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(std::string(s.message()), HasSubstr("display_name: contains"))
        << name;
  }
  EXPECT_THAT(std::string(CheckLength("park", "\x1b", kMaxNameChars).message()),
              HasSubstr("U+001B"));
  EXPECT_THAT(std::string(CheckLength("park", "a\nb", kMaxNameChars).message()),
              HasSubstr("a name is one line"));
  // Chinese and other text above U+009F is not a control character.
  EXPECT_TRUE(CheckLength("display_name", "茌平·信发 ÅÉ", kMaxNameChars).ok());
}

TEST(CheckLengthTest, ATextMayHaveLinesButNoOtherControls) {
  EXPECT_TRUE(
      CheckLength("note", "第一行\n第二行\r\n\t缩进", kMaxTextChars).ok());
  EXPECT_EQ(CheckLength("note", "bell\x07", kMaxTextChars).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CheckLengthTest, AsciiAtTheLimit) {
  EXPECT_TRUE(
      CheckLength("note", Repeat("x", kMaxTextChars), kMaxTextChars).ok());
  EXPECT_FALSE(
      CheckLength("note", Repeat("x", kMaxTextChars + 1), kMaxTextChars).ok());
}

TEST(ParseNameTest, ReturnsTheId) {
  EXPECT_EQ(ParseName("name", "projects/cp-001", "projects").value(), "cp-001");
}

TEST(ParseNameTest, RefusesEmptyName) {
  const absl::Status s = ParseName("name", "", "projects").status();
  ExpectInvalidNaming(s, "name");
  EXPECT_THAT(s.message(), HasSubstr("required"));
}

TEST(ParseNameTest, RefusesOtherCollection) {
  ExpectInvalidNaming(
      ParseName("parent", "indicators/abc", "projects").status(), "parent");
}

TEST(ParseNameTest, RefusesExtraSegments) {
  ExpectInvalidNaming(
      ParseName("name", "projects/abc/plans/2024", "projects").status(),
      "name");
  ExpectInvalidNaming(ParseName("name", "projects", "projects").status(),
                      "name");
}

TEST(ParseNameTest, RefusesMissingId) {
  // "projects/" names no project: another shape than projects/{id}.
  ExpectInvalidNaming(ParseName("name", "projects/", "projects").status(),
                      "name");
}

TEST(ParseChildNameTest, ReturnsBothIds) {
  EXPECT_EQ(
      ParseChildName("name", "projects/cp-001/plans/2024", "plans").value(),
      std::make_pair(std::string("cp-001"), std::string("2024")));
}

TEST(ParseChildNameTest, RefusesWrongCollection) {
  ExpectInvalidNaming(
      ParseChildName("name", "projects/cp-001/plans/2024", "milestones")
          .status(),
      "name");
}

TEST(ParseChildNameTest, RefusesWrongShapes) {
  for (const char* name : {"", "projects/cp-001", "projects/cp-001/plans",
                           "projects/cp-001/plans/", "indicators/x/plans/2024",
                           "projects/cp-001/plans/2024/extra"}) {
    ExpectInvalidNaming(ParseChildName("name", name, "plans").status(), "name");
  }
}

TEST(ParseChildNameTest, RefusesMissingProjectId) {
  ExpectInvalidNaming(
      ParseChildName("name", "projects//plans/2024", "plans").status(), "name");
}

TEST(ResolvePageTest, DefaultsWithoutSizeOrToken) {
  const PageRequest page = ResolvePage(0, "", "q").value();
  EXPECT_EQ(page.offset, 0);
  EXPECT_EQ(page.size, kDefaultPageSize);
}

TEST(ResolvePageTest, GivenSizeKept) {
  EXPECT_EQ(ResolvePage(10, "", "q").value().size, 10);
}

TEST(ResolvePageTest, SizeCappedAtMaximum) {
  EXPECT_EQ(ResolvePage(kMaxPageSize + 1, "", "q").value().size, kMaxPageSize);
}

TEST(ResolvePageTest, NegativeSizeRefused) {
  ExpectInvalidNaming(ResolvePage(-1, "", "q").status(), "page_size");
}

TEST(ResolvePageTest, TokensWalkThePagesAndTheLastHasNone) {
  const std::string key = "filter=level:city;order=id";
  PageRequest page = ResolvePage(10, "", key).value();
  std::string token = NextPageToken(page, 10, 25, key);
  ASSERT_NE(token, "");

  page = ResolvePage(10, token, key).value();
  EXPECT_EQ(page.offset, 10);
  token = NextPageToken(page, 10, 25, key);
  ASSERT_NE(token, "");

  page = ResolvePage(10, token, key).value();
  EXPECT_EQ(page.offset, 20);
  EXPECT_EQ(NextPageToken(page, 5, 25, key), "");
}

TEST(ResolveKeyPageTest, TheTokenCarriesTheLastKeyForItsQueryOnly) {
  const KeyPageRequest first = ResolveKeyPage(0, "", "project=a").value();
  EXPECT_EQ(first.size, kDefaultPageSize);
  EXPECT_FALSE(first.after_key.has_value());

  const std::string token = KeyPageToken(41, "project=a");
  const KeyPageRequest next = ResolveKeyPage(5, token, "project=a").value();
  EXPECT_EQ(next.size, 5);
  EXPECT_EQ(next.after_key, 41);

  ExpectInvalidNaming(ResolveKeyPage(5, token, "project=b").status(),
                      "page_token");
  ExpectInvalidNaming(ResolveKeyPage(-1, "", "q").status(), "page_size");
  // An offset token is not a key token, nor the reverse.
  const std::string offset =
      NextPageToken(PageRequest{0, 10}, 10, 25, "project=a");
  ASSERT_NE(offset, "");
  ExpectInvalidNaming(ResolveKeyPage(5, offset, "project=a").status(),
                      "page_token");
  ExpectInvalidNaming(ResolvePage(5, token, "project=a").status(),
                      "page_token");
}

TEST(ResolveTextKeyPageTest, TheTokenCarriesTheLastKeyForItsQueryOnly) {
  const TextKeyPageRequest first = ResolveTextKeyPage(0, "", "q").value();
  EXPECT_EQ(first.size, kDefaultPageSize);
  EXPECT_FALSE(first.after_key.has_value());
  // Any bytes survive the token, ':' included.
  const std::string token = TextKeyPageToken("bbb:2/项目", "q");
  const TextKeyPageRequest next = ResolveTextKeyPage(3, token, "q").value();
  EXPECT_EQ(next.size, 3);
  EXPECT_EQ(next.after_key, "bbb:2/项目");
  ExpectInvalidNaming(ResolveTextKeyPage(3, token, "other").status(),
                      "page_token");
  ExpectInvalidNaming(ResolveTextKeyPage(3, KeyPageToken(7, "q"), "q").status(),
                      "page_token");
  ExpectInvalidNaming(ResolveTextKeyPage(3, "not-a-token", "q").status(),
                      "page_token");
  ExpectInvalidNaming(ResolvePage(3, token, "q").status(), "page_token");
}

TEST(ResolvePageTest, NoTokenWhenNothingReturned) {
  EXPECT_EQ(NextPageToken(PageRequest{0, 10}, 0, 25, "q"), "");
}

TEST(ResolvePageTest, NoTokenWhenPageEndsExactlyAtTotal) {
  EXPECT_EQ(NextPageToken(PageRequest{10, 10}, 10, 20, "q"), "");
}

TEST(ResolvePageTest, TokenFromAnotherQueryRefused) {
  const std::string token = NextPageToken(PageRequest{0, 10}, 10, 25, "a");
  ASSERT_NE(token, "");
  ExpectInvalidNaming(ResolvePage(10, token, "b").status(), "page_token");
}

TEST(ResolvePageTest, GarbageTokenRefused) {
  for (const char* token : {"garbage!", "cDE6MTA", "AAAA"}) {
    ExpectInvalidNaming(ResolvePage(10, token, "q").status(), "page_token");
  }
}

}  // namespace
}  // namespace portfolio
