// Fuzzes ParseAmount, FormatAmount and FormatWithCommas (common/amount.h).
//
// The input is the text a project lead might type. When it is at least 8
// bytes long, its first 8 bytes are also read as an int64 so the formatters
// see every magnitude, INT64_MIN included. Beyond "no crash, no undefined
// behaviour", each input checks:
//   - ParseAmount fails only with INVALID_ARGUMENT;
//   - ParseAmount agrees with a small reference parser written here from
//     the header's description: what one accepts the other accepts (up to
//     ParseAmount's limit of ten decimal places), with the same value;
//   - an accepted amount is within ±kMaxAmount and parses back to itself
//     from std::to_string and from FormatWithCommas;
//   - padding with spaces, or typing the ASCII characters full-width
//     (U+FF01..U+FF5E, as Chinese input methods do), changes nothing;
//   - FormatAmount and FormatWithCommas never return "", FormatWithCommas
//     without its commas is std::to_string, and FormatAmount of an amount the
//     tracker accepts parses back to within its rounding (half a hundredth
//     of 万 or 亿), with the same sign;
//   - integers beyond ±kMaxAmount are refused.
// A violated property prints what it saw and traps, so libFuzzer saves the
// input as a crash.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "common/amount.h"

namespace portfolio {
namespace {

#define FUZZ_CHECK(cond, ...)                                   \
  do {                                                          \
    if (!(cond)) {                                              \
      std::fprintf(stderr, "property violated: %s\n  ", #cond); \
      std::fprintf(stderr, __VA_ARGS__);                        \
      std::fprintf(stderr, "\n");                               \
      __builtin_trap();                                         \
    }                                                           \
  } while (false)

constexpr int64_t kWan = 10000;
constexpr int64_t kYi = 100000000;

int64_t Magnitude(int64_t v) { return v < 0 ? -v : v; }

// How far FormatAmount may round: half a hundredth of the unit it picks
// (the unit switches to 亿 from 99,999,950 up, where 万 would round to
// 10,000.00万).
int64_t FormatTolerance(int64_t v) {
  const int64_t m = Magnitude(v);
  if (m >= kYi - kWan / 200) return kYi / 200;
  if (m >= kWan) return kWan / 200;
  return 0;
}

// `text` with every ASCII character from '!' to '~' replaced by its
// full-width form (U+FF01..U+FF5E, UTF-8 EF BC 81 .. EF BD 9E).
std::string FullWidth(absl::string_view text) {
  std::string out;
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x21 || c > 0x7E) {
      out.push_back(ch);
      continue;
    }
    const int code = 0xFF01 + (c - 0x21);
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
  return out;
}

// The reference: `text` with full-width forms U+FF01..U+FF5E read as ASCII.
std::string Narrow(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xEF) {
      const int code = ((text[i] & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) |
                       (text[i + 2] & 0x3F);
      const bool continuation =
          (text[i + 1] & 0xC0) == 0x80 && (text[i + 2] & 0xC0) == 0x80;
      if (continuation && code >= 0xFF01 && code <= 0xFF5E) {
        out.push_back(static_cast<char>(code - 0xFF01 + 0x21));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

bool AllDigits(absl::string_view s) {
  for (const char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The reference parser: [sign] digits (commas grouping threes) [. digits]
// [万|亿|万亿] [元], spaces around the unit and the whole, exact and whole
// yuan within ±kMaxAmount. `*decimals` is the number of decimal places.
std::optional<int64_t> ReferenceAmount(absl::string_view raw,
                                       size_t* decimals) {
  const std::string narrow = Narrow(raw);
  absl::string_view s = absl::StripAsciiWhitespace(narrow);
  const bool negative = absl::ConsumePrefix(&s, "-");
  if (!negative) absl::ConsumePrefix(&s, "+");
  absl::ConsumeSuffix(&s, "元");
  s = absl::StripTrailingAsciiWhitespace(s);
  int unit_zeros = 0;
  if (absl::ConsumeSuffix(&s, "万亿")) {
    unit_zeros = 12;
  } else if (absl::ConsumeSuffix(&s, "亿")) {
    unit_zeros = 8;
  } else if (absl::ConsumeSuffix(&s, "万")) {
    unit_zeros = 4;
  }
  s = absl::StripTrailingAsciiWhitespace(s);
  const std::vector<absl::string_view> parts = absl::StrSplit(s, '.');
  if (parts.size() > 2 || (parts.size() == 2 && parts[1].empty())) {
    return std::nullopt;
  }
  const absl::string_view frac = parts.size() == 2 ? parts[1] : "";
  *decimals = frac.size();
  const std::vector<absl::string_view> groups = absl::StrSplit(parts[0], ',');
  std::string digits;
  for (size_t g = 0; g < groups.size(); ++g) {
    const size_t n = groups[g].size();
    const bool sized = groups.size() == 1 ? n >= 1
                       : g == 0           ? n >= 1 && n <= 3
                                          : n == 3;
    if (!sized || !AllDigits(groups[g])) return std::nullopt;
    digits += std::string(groups[g]);
  }
  if (!AllDigits(frac)) return std::nullopt;
  // Shift the point right by the unit: whole yuan are digits + frac's first
  // unit_zeros digits (zero-padded); anything after must be zeros.
  std::string yuan = digits + std::string(frac.substr(0, unit_zeros));
  yuan.append(unit_zeros - std::min<size_t>(unit_zeros, frac.size()), '0');
  if (frac.size() > static_cast<size_t>(unit_zeros) &&
      frac.substr(unit_zeros).find_first_not_of('0') !=
          absl::string_view::npos) {
    return std::nullopt;  // not a whole number of yuan
  }
  yuan.erase(0, std::min(yuan.find_first_not_of('0'), yuan.size() - 1));
  if (yuan.size() > 15) return std::nullopt;  // kMaxAmount has 15 digits
  const int64_t value = std::stoll(yuan);
  if (value > kMaxAmount) return std::nullopt;
  return negative ? -value : value;
}

// Whether two parses agree: both fail, or both succeed with one value.
bool SameResult(const absl::StatusOr<int64_t>& a,
                const absl::StatusOr<int64_t>& b) {
  if (a.ok() != b.ok()) return false;
  return !a.ok() || *a == *b;
}

void CheckFormatters(int64_t v) {
  const std::string commas = FormatWithCommas(v);
  FUZZ_CHECK(!commas.empty(), "FormatWithCommas(%lld)", (long long)v);
  FUZZ_CHECK(absl::StrReplaceAll(commas, {{",", ""}}) == std::to_string(v),
             "FormatWithCommas(%lld) = \"%s\"", (long long)v, commas.c_str());
  const std::string formatted = FormatAmount(v);
  FUZZ_CHECK(!formatted.empty(), "FormatAmount(%lld)", (long long)v);

  if (v < -kMaxAmount || v > kMaxAmount) {
    const absl::StatusOr<int64_t> refused = ParseAmount(std::to_string(v));
    FUZZ_CHECK(!refused.ok(), "ParseAmount(\"%lld\") accepted %lld",
               (long long)v, (long long)refused.value_or(0));
    return;
  }
  const absl::StatusOr<int64_t> plain = ParseAmount(std::to_string(v));
  FUZZ_CHECK(plain.ok() && *plain == v, "ParseAmount(\"%lld\") = %s",
             (long long)v,
             plain.ok() ? std::to_string(*plain).c_str()
                        : plain.status().ToString().c_str());
  const absl::StatusOr<int64_t> grouped = ParseAmount(commas);
  FUZZ_CHECK(grouped.ok() && *grouped == v, "ParseAmount(\"%s\") = %s",
             commas.c_str(),
             grouped.ok() ? std::to_string(*grouped).c_str()
                          : grouped.status().ToString().c_str());
  const absl::StatusOr<int64_t> back = ParseAmount(formatted);
  FUZZ_CHECK(back.ok(), "ParseAmount(FormatAmount(%lld) = \"%s\"): %s",
             (long long)v, formatted.c_str(), back.status().ToString().c_str());
  const int64_t diff = *back > v ? *back - v : v - *back;
  FUZZ_CHECK(diff <= FormatTolerance(v) && (*back < 0) == (v < 0),
             "FormatAmount(%lld) = \"%s\" reads back as %lld", (long long)v,
             formatted.c_str(), (long long)*back);
}

void CheckText(absl::string_view text) {
  const absl::StatusOr<int64_t> parsed = ParseAmount(text);
  size_t decimals = 0;
  const std::optional<int64_t> reference = ReferenceAmount(text, &decimals);
  FUZZ_CHECK(parsed.ok() ? reference == *parsed
                         : !reference.has_value() || decimals > 10,
             "ParseAmount gives %s, the reference %s",
             parsed.ok() ? std::to_string(*parsed).c_str()
                         : parsed.status().ToString().c_str(),
             reference ? std::to_string(*reference).c_str() : "refuses");
  if (!parsed.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(parsed.status()), "error %s",
               parsed.status().ToString().c_str());
  } else {
    FUZZ_CHECK(*parsed >= -kMaxAmount && *parsed <= kMaxAmount,
               "ParseAmount accepted %lld", (long long)*parsed);
    CheckFormatters(*parsed);
  }

  const std::string padded = " " + std::string(text) + "  ";
  const absl::StatusOr<int64_t> padded_result = ParseAmount(padded);
  FUZZ_CHECK(
      SameResult(parsed, padded_result),
      "padding with spaces changed the result: %s vs %s",
      parsed.ok() ? std::to_string(*parsed).c_str() : "error",
      padded_result.ok() ? std::to_string(*padded_result).c_str() : "error");

  const absl::StatusOr<int64_t> wide_result = ParseAmount(FullWidth(text));
  FUZZ_CHECK(SameResult(parsed, wide_result),
             "full-width spelling changed the result: %s vs %s",
             parsed.ok() ? std::to_string(*parsed).c_str() : "error",
             wide_result.ok() ? std::to_string(*wide_result).c_str() : "error");
}

}  // namespace
}  // namespace portfolio

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  portfolio::CheckText(text);
  if (size >= sizeof(int64_t)) {
    int64_t v = 0;
    std::memcpy(&v, data, sizeof v);
    portfolio::CheckFormatters(v);
  }
  return 0;
}
