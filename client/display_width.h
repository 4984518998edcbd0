// How many terminal columns text occupies, so tables of Chinese project
// names line up.
#ifndef PORTFOLIO_CLIENT_DISPLAY_WIDTH_H_
#define PORTFOLIO_CLIENT_DISPLAY_WIDTH_H_

#include <string>

#include "absl/strings/string_view.h"

namespace portfolio::client {

// Columns one code point occupies: 2 for East Asian wide and fullwidth
// characters (CJK ideographs, Hangul, kana, fullwidth forms, common emoji),
// 0 for combining marks, zero-width characters and C0/C1 controls, else 1.
int CodePointWidth(char32_t code_point);

// Sum of CodePointWidth over the UTF-8 text. A byte that does not start a
// valid UTF-8 sequence counts as one column, so width never fails.
int DisplayWidth(absl::string_view utf8);

// `text` followed by spaces up to `width` display columns (left-aligned), or
// preceded by them (right-aligned). Text already at least `width` columns
// wide is returned unchanged.
std::string PadRight(absl::string_view text, int width);
std::string PadLeft(absl::string_view text, int width);

// `text` cut to at most `width` display columns (at least 1), ending in
// `…` when something was cut; text that fits is returned unchanged. Never
// splits a UTF-8 sequence.
std::string TruncateToWidth(absl::string_view text, int width);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_DISPLAY_WIDTH_H_
