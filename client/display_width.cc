#include "client/display_width.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace portfolio::client {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// East Asian Width W and F for the blocks a district's data uses, plus the
// emoji blocks terminals draw two columns wide.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x2E80, 0xA4CF},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF},
    {0x20000, 0x3FFFD},
};

// Combining marks and zero-width formatting characters.
constexpr Range kZero[] = {
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

bool InRanges(char32_t c, const Range* begin, const Range* end) {
  for (const Range* r = begin; r != end; ++r) {
    if (c >= r->first && c <= r->last) return true;
  }
  return false;
}

// Decodes the code point starting at text[*pos] and advances *pos past it.
// Returns -1 (and advances one byte) for an invalid or truncated sequence.
int32_t NextCodePoint(absl::string_view text, size_t* pos) {
  const auto lead = static_cast<unsigned char>(text[*pos]);
  int length = 0;
  int32_t value = 0;
  if (lead < 0x80) {
    ++*pos;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
  } else {
    ++*pos;
    return -1;
  }
  if (*pos + length > text.size()) {
    ++*pos;
    return -1;
  }
  for (int i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[*pos + i]);
    if ((next & 0xC0) != 0x80) {
      ++*pos;
      return -1;
    }
    value = (value << 6) | (next & 0x3F);
  }
  *pos += length;
  return value;
}

}  // namespace

int CodePointWidth(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;
  if (InRanges(c, std::begin(kZero), std::end(kZero))) return 0;
  if (InRanges(c, std::begin(kWide), std::end(kWide))) return 2;
  return 1;
}

int DisplayWidth(absl::string_view utf8) {
  int width = 0;
  size_t pos = 0;
  while (pos < utf8.size()) {
    const int32_t c = NextCodePoint(utf8, &pos);
    width += c < 0 ? 1 : CodePointWidth(static_cast<char32_t>(c));
  }
  return width;
}

std::string PadRight(absl::string_view text, int width) {
  std::string out(text);
  const int missing = width - DisplayWidth(text);
  if (missing > 0) out.append(missing, ' ');
  return out;
}

std::string PadLeft(absl::string_view text, int width) {
  const int missing = width - DisplayWidth(text);
  std::string out(missing > 0 ? missing : 0, ' ');
  out.append(text.data(), text.size());
  return out;
}

std::string TruncateToWidth(absl::string_view text, int width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  constexpr char kEllipsis[] = "…";  // one column
  const int room = std::max(width, 1) - 1;
  int used = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = pos;
    const int32_t c = NextCodePoint(text, &next);
    const int w = c < 0 ? 1 : CodePointWidth(static_cast<char32_t>(c));
    if (used + w > room) break;
    used += w;
    pos = next;
  }
  return absl::StrCat(text.substr(0, pos), kEllipsis);
}

}  // namespace portfolio::client
