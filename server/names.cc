#include "server/names.h"

#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/amount.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/errors.h"

namespace portfolio {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view why) {
  return FieldError(field, why);
}

size_t CharCount(absl::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// A stable 64-bit FNV-1a hash: page tokens must survive restarts, which
// absl::Hash does not promise.
uint64_t StableHash(absl::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

absl::Status CheckId(absl::string_view field, absl::string_view id,
                     size_t min_chars) {
  const bool shape_ok = id.size() >= min_chars && id.size() <= 63 &&
                        id.front() >= 'a' && id.front() <= 'z' &&
                        id.back() != '-';
  bool chars_ok = true;
  for (char c : id) {
    chars_ok &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  }
  if (!shape_ok || !chars_ok) {
    return Bad(field, absl::StrCat("\"", Excerpt(id),
                                   "\" is not a valid id: use ", min_chars,
                                   "-63 lowercase "
                                   "letters, digits and '-', starting with a "
                                   "letter"));
  }
  return absl::OkStatus();
}

std::string TrimmedText(absl::string_view text) {
  constexpr absl::string_view kIdeographicSpace = "\xE3\x80\x80";
  while (true) {
    const size_t before = text.size();
    text = absl::StripAsciiWhitespace(text);
    while (absl::ConsumePrefix(&text, kIdeographicSpace)) {
    }
    while (absl::ConsumeSuffix(&text, kIdeographicSpace)) {
    }
    if (text.size() == before) return std::string(text);
  }
}

std::string Excerpt(absl::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == max_chars) return absl::StrCat(text.substr(0, i), "…");
  }
  return std::string(text);
}

absl::Status CheckAmount(absl::string_view field, int64_t value,
                         bool allow_zero) {
  if (value < 0 || (value == 0 && !allow_zero)) {
    return Bad(field, allow_zero ? "must not be negative"
                                 : "must be greater than zero");
  }
  if (value > kMaxAmount) {
    return Bad(field, absl::StrCat(FormatWithCommas(value),
                                   " yuan is more than the tracker accepts (",
                                   FormatWithCommas(kMaxAmount), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckYear(absl::string_view field, int64_t year) {
  if (year < kMinYear || year > kMaxYear) {
    return Bad(field,
               absl::StrCat(year, " is not a year ", kMinYear, "..", kMaxYear));
  }
  return absl::OkStatus();
}

absl::Status CheckLength(absl::string_view field, absl::string_view text,
                         size_t max_chars) {
  if (text.find('\0') != absl::string_view::npos) {
    return Bad(field, "contains a NUL character");
  }
  const bool one_line = max_chars <= kMaxNameChars;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    // C1 controls are U+0080..U+009F: 0xC2 then 0x80..0x9F in UTF-8.
    const bool c1 = c == 0xC2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    const bool line = c == '\n' || c == '\r' || c == '\t';
    if (line && !one_line) continue;
    if (c < 0x20 || c == 0x7F || c1) {
      const unsigned code = c1 ? static_cast<unsigned char>(text[i + 1])
                               : static_cast<unsigned>(c);
      return Bad(field,
                 line ? std::string("contains a line break or tab; a name "
                                    "is one line")
                      : absl::StrFormat("contains the control character "
                                        "U+%04X",
                                        code));
    }
  }
  if (CharCount(text) > max_chars) {
    return Bad(field,
               absl::StrCat("is longer than ", max_chars, " characters"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseName(absl::string_view field,
                                      absl::string_view name,
                                      absl::string_view collection,
                                      bool check_id) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (name.empty()) return Bad(field, "is required");
  if (parts.size() != 2 || parts[0] != collection || parts[1].empty()) {
    return Bad(field,
               absl::StrCat("\"", Excerpt(name), "\" is not of the form ",
                            collection, "/{id}"));
  }
  if (check_id) {
    RETURN_IF_ERROR(CheckId(field, parts[1], collection == "users" ? 2 : 3));
  }
  return std::string(parts[1]);
}

absl::StatusOr<std::pair<std::string, std::string>> ParseChildName(
    absl::string_view field, absl::string_view name,
    absl::string_view collection) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (name.empty()) return Bad(field, "is required");
  if (parts.size() != 4 || parts[0] != "projects" || parts[1].empty() ||
      parts[2] != collection || parts[3].empty()) {
    return Bad(field, absl::StrCat("\"", Excerpt(name),
                                   "\" is not of the form "
                                   "projects/{project}/",
                                   collection, "/{id}"));
  }
  RETURN_IF_ERROR(CheckId(field, parts[1]));
  return std::make_pair(std::string(parts[1]), std::string(parts[3]));
}

namespace {

// Decodes a token of the form base64("{tag}:{value}:{hash of query_key}")
// (at most `max_size` characters) into *value, the text between the
// colons; INVALID_ARGUMENT when it is malformed, of another kind or issued
// for another query.
absl::Status DecodeTokenText(absl::string_view token, absl::string_view tag,
                             absl::string_view query_key, size_t max_size,
                             std::string* value) {
  std::string decoded;
  std::vector<std::string> parts;
  if (token.size() <= max_size &&
      absl::WebSafeBase64Unescape(token, &decoded)) {
    parts = absl::StrSplit(decoded, ':');
  }
  uint64_t hash = 0;
  if (parts.size() != 3 || parts[0] != tag || parts[1].empty() ||
      !absl::SimpleAtoi(parts[2], &hash)) {
    return Bad("page_token", "is not a token this server issued");
  }
  if (hash != StableHash(query_key)) {
    return Bad("page_token",
               "was issued for a different filter or order; start again "
               "without a token");
  }
  *value = std::move(parts[1]);
  return absl::OkStatus();
}

// As DecodeTokenText, for a value that is a non-negative integer.
absl::Status DecodeToken(absl::string_view token, absl::string_view tag,
                         absl::string_view query_key, int64_t* value) {
  std::string text;
  RETURN_IF_ERROR(DecodeTokenText(token, tag, query_key, 200, &text));
  if (!absl::SimpleAtoi(text, value) || *value < 0) {
    return Bad("page_token", "is not a token this server issued");
  }
  return absl::OkStatus();
}

absl::Status ResolveSize(int32_t page_size, int64_t* size) {
  if (page_size < 0) return Bad("page_size", "must not be negative");
  if (page_size > 0) *size = std::min<int64_t>(page_size, kMaxPageSize);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PageRequest> ResolvePage(int32_t page_size,
                                        absl::string_view page_token,
                                        absl::string_view query_key) {
  PageRequest page;
  RETURN_IF_ERROR(ResolveSize(page_size, &page.size));
  if (page_token.empty()) return page;
  RETURN_IF_ERROR(DecodeToken(page_token, "p1", query_key, &page.offset));
  return page;
}

absl::StatusOr<KeyPageRequest> ResolveKeyPage(int32_t page_size,
                                              absl::string_view page_token,
                                              absl::string_view query_key) {
  KeyPageRequest page;
  RETURN_IF_ERROR(ResolveSize(page_size, &page.size));
  if (page_token.empty()) return page;
  int64_t key = 0;
  RETURN_IF_ERROR(DecodeToken(page_token, "k1", query_key, &key));
  page.after_key = key;
  return page;
}

std::string KeyPageToken(int64_t last_key, absl::string_view query_key) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("k1:", last_key, ":", StableHash(query_key)));
}

absl::StatusOr<TextKeyPageRequest> ResolveTextKeyPage(
    int32_t page_size, absl::string_view page_token,
    absl::string_view query_key) {
  TextKeyPageRequest page;
  RETURN_IF_ERROR(ResolveSize(page_size, &page.size));
  if (page_token.empty()) return page;
  // The key in hex, so that it may hold any byte, ':' included.
  std::string hex;
  RETURN_IF_ERROR(DecodeTokenText(page_token, "t1", query_key, 1000, &hex));
  if (hex.size() % 2 != 0 ||
      hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Bad("page_token", "is not a token this server issued");
  }
  page.after_key = absl::HexStringToBytes(hex);
  return page;
}

std::string TextKeyPageToken(absl::string_view last_key,
                             absl::string_view query_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(
      "t1:", absl::BytesToHexString(last_key), ":", StableHash(query_key)));
}

PageCut CutPage(const PageRequest& page, size_t fetched,
                absl::string_view query_key) {
  PageCut cut;
  cut.count = std::min<int64_t>(static_cast<int64_t>(fetched), page.size);
  cut.next_page_token = NextPageToken(
      page, cut.count, page.offset + static_cast<int64_t>(fetched), query_key);
  return cut;
}

std::string NextPageToken(const PageRequest& page, int64_t returned,
                          int64_t total, absl::string_view query_key) {
  const int64_t next = page.offset + returned;
  if (returned == 0 || next >= total) return std::string();
  return absl::WebSafeBase64Escape(
      absl::StrCat("p1:", next, ":", StableHash(query_key)));
}

}  // namespace portfolio
