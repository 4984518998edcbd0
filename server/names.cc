#include "server/names.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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

absl::Status CheckId(absl::string_view field, absl::string_view id) {
  const bool shape_ok = id.size() >= 3 && id.size() <= 63 &&
                        id.front() >= 'a' && id.front() <= 'z' &&
                        id.back() != '-';
  bool chars_ok = true;
  for (char c : id) {
    chars_ok &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  }
  if (!shape_ok || !chars_ok) {
    return Bad(field, absl::StrCat("\"", id,
                                   "\" is not a valid id: use 3-63 lowercase "
                                   "letters, digits and '-', starting with a "
                                   "letter"));
  }
  return absl::OkStatus();
}

absl::Status CheckLength(absl::string_view field, absl::string_view text,
                         size_t max_chars) {
  if (CharCount(text) > max_chars) {
    return Bad(field,
               absl::StrCat("is longer than ", max_chars, " characters"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseName(absl::string_view field,
                                      absl::string_view name,
                                      absl::string_view collection) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (name.empty()) return Bad(field, "is required");
  if (parts.size() != 2 || parts[0] != collection || parts[1].empty()) {
    return Bad(field, absl::StrCat("\"", name, "\" is not of the form ",
                                   collection, "/{id}"));
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
    return Bad(field, absl::StrCat("\"", name,
                                   "\" is not of the form "
                                   "projects/{project}/",
                                   collection, "/{id}"));
  }
  return std::make_pair(std::string(parts[1]), std::string(parts[3]));
}

absl::StatusOr<PageRequest> ResolvePage(int32_t page_size,
                                        absl::string_view page_token,
                                        absl::string_view query_key) {
  PageRequest page;
  if (page_size < 0) return Bad("page_size", "must not be negative");
  if (page_size > 0) page.size = std::min<int64_t>(page_size, kMaxPageSize);
  if (page_token.empty()) return page;
  std::string decoded;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(page_token, &decoded)) {
    parts = absl::StrSplit(decoded, ':');
  }
  uint64_t hash = 0;
  if (parts.size() != 3 || parts[0] != "p1" ||
      !absl::SimpleAtoi(parts[1], &page.offset) || page.offset < 0 ||
      !absl::SimpleAtoi(parts[2], &hash)) {
    return Bad("page_token", "is not a token this server issued");
  }
  if (hash != StableHash(query_key)) {
    return Bad("page_token",
               "was issued for a different filter or order; start again "
               "without a token");
  }
  return page;
}

std::string NextPageToken(const PageRequest& page, int64_t returned,
                          int64_t total, absl::string_view query_key) {
  const int64_t next = page.offset + returned;
  if (returned == 0 || next >= total) return std::string();
  return absl::WebSafeBase64Escape(
      absl::StrCat("p1:", next, ":", StableHash(query_key)));
}

}  // namespace portfolio
