#include "client/display_width.h"

#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

TEST(DisplayWidthTest, AsciiIsOneColumnPerCharacter) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("juncheng-forged-wheel"), 21);
}

TEST(DisplayWidthTest, CjkIdeographsAreTwoColumns) {
  EXPECT_EQ(DisplayWidth("高铁新区"), 8);
  EXPECT_EQ(DisplayWidth("亿"), 2);
}

TEST(DisplayWidthTest, MixedTextAddsUp) {
  EXPECT_EQ(DisplayWidth("1.20亿"), 6);
  EXPECT_EQ(DisplayWidth("3,000.00万"), 10);
  EXPECT_EQ(DisplayWidth("完成投资 completed"), 18);
}

TEST(DisplayWidthTest, FullwidthFormsAreTwoColumns) {
  EXPECT_EQ(DisplayWidth("３０００"), 8);  // U+FF13, U+FF10
  EXPECT_EQ(DisplayWidth("（未填）"), 8);  // U+FF08, U+FF09
  EXPECT_EQ(DisplayWidth("￥"), 2);        // U+FFE5
}

TEST(DisplayWidthTest, HangulKanaAndSupplementaryIdeographsAreWide) {
  EXPECT_EQ(DisplayWidth("한"), 2);                // U+D55C
  EXPECT_EQ(DisplayWidth("カ"), 2);                // U+30AB
  EXPECT_EQ(DisplayWidth("\xF0\xA0\x80\x80"), 2);  // U+20000
}

TEST(DisplayWidthTest, CombiningMarksTakeNoColumn) {
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1);  // e + U+0301
  EXPECT_EQ(CodePointWidth(0x0301), 0);
  EXPECT_EQ(CodePointWidth(0x200B), 0);
}

TEST(DisplayWidthTest, RangeEdges) {
  EXPECT_EQ(CodePointWidth(0x10FF), 1);
  EXPECT_EQ(CodePointWidth(0x1100), 2);
  EXPECT_EQ(CodePointWidth(0x115F), 2);
  EXPECT_EQ(CodePointWidth(0x1160), 1);
  EXPECT_EQ(CodePointWidth(0xFF60), 2);
  EXPECT_EQ(CodePointWidth(0xFF61), 1);  // halfwidth ideographic full stop
  EXPECT_EQ(CodePointWidth(0xD7A4), 1);
}

TEST(DisplayWidthTest, InvalidUtf8CountsOneColumnPerBadByte) {
  EXPECT_EQ(DisplayWidth("\xFF"), 1);
  EXPECT_EQ(DisplayWidth("a\xE4\xBD"), 3);  // truncated 3-byte sequence
}

TEST(DisplayWidthTest, PaddingUsesDisplayWidth) {
  EXPECT_EQ(PadRight("高铁", 6), "高铁  ");
  EXPECT_EQ(PadLeft("1.20亿", 8), "  1.20亿");
  EXPECT_EQ(PadRight("too wide", 3), "too wide");
}

TEST(TruncateToWidthTest, FittingTextIsUnchanged) {
  EXPECT_EQ(TruncateToWidth("", 5), "");
  EXPECT_EQ(TruncateToWidth("abcde", 5), "abcde");
  EXPECT_EQ(TruncateToWidth("高铁新区", 8), "高铁新区");
}

TEST(TruncateToWidthTest, CutsByColumnsAndMarksTheCut) {
  EXPECT_EQ(TruncateToWidth("abcdef", 5), "abcd…");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("abcdef", 5)), 5);
  // A wide character that would cross the limit is left out whole.
  EXPECT_EQ(TruncateToWidth("高铁新区", 6), "高铁…");
  EXPECT_EQ(TruncateToWidth("高铁新区", 5), "高铁…");
  EXPECT_EQ(TruncateToWidth("ab", 1), "…");
  EXPECT_EQ(TruncateToWidth("ab", 0), "…");
}

}  // namespace
}  // namespace portfolio::client
