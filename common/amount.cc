#include "common/amount.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"

namespace portfolio {
namespace {

constexpr int64_t kWan = 10000;
constexpr int64_t kYi = 100000000;

// The whole UTF-8 character starting at text[i], so an error message never
// carries half of one.
std::string CharAt(absl::string_view text, size_t i) {
  const unsigned char lead = text[i];
  size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  len = std::min(len, text.size() - i);
  return std::string(text.substr(i, len));
}

absl::Status Bad(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not an amount: ", why,
                   " (examples: 12345678, 3000万, 1.2亿)"));
}

// Strips the unit suffix and returns its multiplier.
int64_t TakeUnit(absl::string_view& s) {
  absl::ConsumeSuffix(&s, "元");
  s = absl::StripTrailingAsciiWhitespace(s);
  int64_t unit = 1;
  if (absl::ConsumeSuffix(&s, "万亿")) {
    unit = kWan * kYi;
  } else if (absl::ConsumeSuffix(&s, "亿")) {
    unit = kYi;
  } else if (absl::ConsumeSuffix(&s, "万")) {
    unit = kWan;
  }
  s = absl::StripTrailingAsciiWhitespace(s);  // "3000 万"
  return unit;
}

// Checks that commas, if any, group the integer digits in threes.
bool CommasWellPlaced(absl::string_view digits) {
  if (digits.find(',') == absl::string_view::npos) return true;
  size_t group_start = 0;
  bool first = true;
  while (true) {
    const size_t comma = digits.find(',', group_start);
    const size_t len =
        (comma == absl::string_view::npos ? digits.size() : comma) -
        group_start;
    if (first ? (len < 1 || len > 3) : len != 3) return false;
    if (comma == absl::string_view::npos) return true;
    first = false;
    group_start = comma + 1;
  }
}

}  // namespace

std::string NormalizeWidth(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = text[i];
    // Full-width ASCII variants are U+FF01..U+FF5E: EF BC 81..EF BD 9E.
    if (c == 0xEF && i + 2 < text.size()) {
      const unsigned char c1 = text[i + 1], c2 = text[i + 2];
      int code = -1;
      if (c1 == 0xBC && c2 >= 0x81 && c2 <= 0xBF) code = 0xFF00 + (c2 - 0x80);
      if (c1 == 0xBD && c2 >= 0x80 && c2 <= 0x9E) code = 0xFF40 + (c2 - 0x80);
      if (code >= 0) {
        out.push_back(static_cast<char>(code - 0xFF00 + 0x20));
        i += 3;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

namespace {

// Ideographic spaces (U+3000, what a Chinese input method types) as ASCII
// ones, after NormalizeWidth.
std::string WithAsciiSpaces(absl::string_view text) {
  std::string out = NormalizeWidth(text);
  for (size_t i = out.find("\u3000"); i != std::string::npos;
       i = out.find("\u3000", i)) {
    out.replace(i, 3, " ");
  }
  return out;
}

// The magnitude of `s` (no sign), one number with at most one unit; `raw`
// is what the user typed, for messages.
absl::StatusOr<int64_t> ParseMagnitude(absl::string_view s,
                                       absl::string_view raw) {
  s = absl::StripAsciiWhitespace(s);
  if (s.empty()) return Bad(raw, "there are no digits");
  if (s[0] == '-' || s[0] == '+') {
    return Bad(raw, "a sign may only come first");
  }
  const int64_t unit = TakeUnit(s);
  if (s.empty()) return Bad(raw, "there are no digits");
  const size_t dot = s.find('.');
  absl::string_view int_part = s.substr(0, dot);
  absl::string_view frac_part =
      dot == absl::string_view::npos ? absl::string_view() : s.substr(dot + 1);
  if (dot != absl::string_view::npos && frac_part.empty()) {
    return Bad(raw, "nothing follows the decimal point");
  }
  if (int_part.empty()) return Bad(raw, "there are no digits before the point");
  if (!CommasWellPlaced(int_part)) {
    return Bad(raw, "thousands separators must group digits in threes");
  }
  __int128 value = 0;
  for (size_t i = 0; i < int_part.size(); ++i) {
    const char c = int_part[i];
    if (c == ',') continue;
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return Bad(raw, absl::StrCat("unexpected character '",
                                   CharAt(int_part, i), "'"));
    }
    value = value * 10 + (c - '0');
    if (value > std::numeric_limits<int64_t>::max()) {
      return Bad(raw, "it is too large");
    }
  }
  value *= unit;
  __int128 frac = 0, scale = 1;
  for (size_t i = 0; i < frac_part.size(); ++i) {
    const char c = frac_part[i];
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return Bad(raw, absl::StrCat("unexpected character '",
                                   CharAt(frac_part, i), "'"));
    }
    if (scale > kYi * 10) return Bad(raw, "too many decimal places");
    frac = frac * 10 + (c - '0');
    scale *= 10;
  }
  if ((frac * unit) % scale != 0) {
    return Bad(raw, "it is not a whole number of yuan");
  }
  value += frac * unit / scale;
  if (value > kMaxAmount) {
    return Bad(raw, "it is larger than the 100万亿 yuan the tracker accepts");
  }
  return static_cast<int64_t>(value);
}

}  // namespace

absl::StatusOr<int64_t> ParseAmount(absl::string_view raw) {
  const std::string normalized = WithAsciiSpaces(raw);
  absl::string_view s = absl::StripAsciiWhitespace(normalized);
  if (s.empty()) return Bad(raw, "it is empty");
  bool negative = false;
  if (absl::ConsumePrefix(&s, "-")) {
    negative = true;
  } else {
    absl::ConsumePrefix(&s, "+");
  }
  // "1亿2000万" (or "1亿零500", as written out): 亿 followed by more is
  // an amount of 亿 plus one below 1亿, in 万 or after 零. Bare digits
  // after 亿 are refused: "1亿2" is said for 1.2亿, and "1亿2000" is most
  // likely 1亿2000万 with the 万 left off.
  int64_t yi_part = 0;
  const size_t yi = s.find("亿");
  if (yi != absl::string_view::npos) {
    absl::string_view rest = s.substr(yi + std::string("亿").size());
    rest = absl::StripLeadingAsciiWhitespace(rest);
    const bool zero = absl::ConsumePrefix(&rest, "零");
    rest = absl::StripLeadingAsciiWhitespace(rest);
    if (zero && (rest.empty() || rest == "元")) {
      return Bad(raw, "nothing follows 零");
    }
    if (!rest.empty() && rest != "元") {
      absl::string_view unit = absl::StripSuffix(rest, "元");
      unit = absl::StripTrailingAsciiWhitespace(unit);
      if (!zero && !absl::EndsWith(unit, "万")) {
        return Bad(raw,
                   "after 亿, give the rest in 万 (1亿2000万), or write "
                   "1.2亿");
      }
      ASSIGN_OR_RETURN(
          yi_part,
          ParseMagnitude(s.substr(0, yi + std::string("亿").size()), raw));
      ASSIGN_OR_RETURN(const int64_t below, ParseMagnitude(rest, raw));
      if (below >= kYi || rest.find("亿") != absl::string_view::npos) {
        return Bad(raw, "what follows 亿 must be less than 1亿");
      }
      if (yi_part > kMaxAmount - below) {
        return Bad(raw,
                   "it is larger than the 100万亿 yuan the tracker accepts");
      }
      return negative ? -(yi_part + below) : yi_part + below;
    }
  }
  ASSIGN_OR_RETURN(const int64_t yuan, ParseMagnitude(s, raw));
  return negative ? -yuan : yuan;
}

std::string FormatWithCommas(int64_t value) {
  const bool negative = value < 0;
  // Work in unsigned so INT64_MIN formats too.
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value)
                                : static_cast<uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return negative ? "-" + out : out;
}

std::string FormatAmount(int64_t yuan) {
  const bool negative = yuan < 0;
  const __int128 magnitude = negative ? -static_cast<__int128>(yuan) : yuan;
  int64_t unit = 1;
  const char* suffix = "";
  // Choose the unit after rounding, so 99,999,999 reads 1.00亿, not
  // 10,000.00万.
  if (magnitude >= kYi - kWan / 200) {
    unit = kYi;
    suffix = "亿";
  } else if (magnitude >= kWan) {
    unit = kWan;
    suffix = "万";
  }
  if (unit == 1) return FormatWithCommas(yuan);
  // Hundredths of the unit, rounded half away from zero.
  const __int128 hundredths = (magnitude * 100 + unit / 2) / unit;
  const int64_t whole = static_cast<int64_t>(hundredths / 100);
  const int cents = static_cast<int>(hundredths % 100);
  return absl::StrCat(negative ? "-" : "", FormatWithCommas(whole), ".",
                      cents < 10 ? "0" : "", cents, suffix);
}

}  // namespace portfolio
