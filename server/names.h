// Resource names, ids, text limits and page tokens: the checks every
// request shares. Each error names the field.
#ifndef PORTFOLIO_SERVER_NAMES_H_
#define PORTFOLIO_SERVER_NAMES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace portfolio {

// Text limits, in characters (Unicode code points).
inline constexpr size_t kMaxNameChars = 200;   // display names, owner ...
inline constexpr size_t kMaxTextChars = 2000;  // notes, capacity, source
inline constexpr size_t kMaxRequestIdChars = 128;
inline constexpr size_t kMaxFilterChars = 2000;  // filter, order_by
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// INVALID_ARGUMENT unless `id` is min_chars..63 of [a-z0-9-] starting with a
// letter and not ending with '-'. Users may have 2-character ids ("li").
absl::Status CheckId(absl::string_view field, absl::string_view id,
                     size_t min_chars = 3);

// INVALID_ARGUMENT naming `field` unless `value` is an amount of yuan the
// tracker accepts: 1..kMaxAmount, or 0..kMaxAmount with `allow_zero`.
absl::Status CheckAmount(absl::string_view field, int64_t value,
                         bool allow_zero = false);

// INVALID_ARGUMENT naming `field` unless kMinYear <= year <= kMaxYear.
absl::Status CheckYear(absl::string_view field, int64_t year);

// `text` without the spaces around it, ASCII or full-width (U+3000, which
// a Chinese input method types): " 高铁新区　" and "高铁新区" are one park,
// and must group, filter and round-trip through CSV as one.
std::string TrimmedText(absl::string_view text);

// At most `max_chars` characters of `text`, with "…" when cut: for echoing
// what a caller sent in an error message without echoing megabytes.
std::string Excerpt(absl::string_view text, size_t max_chars = 64);

// INVALID_ARGUMENT when `text` is longer than `max_chars` characters or
// holds a control character (NUL, which SQL text functions stop at, ESC
// and the rest of C0 and C1, DEL), other than a tab or line break in a
// text of more than kMaxNameChars: a name (kMaxNameChars or fewer) is one
// line, since tables, CSV cells and terminals show it as one.
absl::Status CheckLength(absl::string_view field, absl::string_view text,
                         size_t max_chars);

// Parses `{collection}/{id}` and returns the id. INVALID_ARGUMENT naming
// `field` when the name has another shape or, with `check_id`, an id that
// fails CheckId (turn it off for ids of another form, such as years).
absl::StatusOr<std::string> ParseName(absl::string_view field,
                                      absl::string_view name,
                                      absl::string_view collection,
                                      bool check_id = true);

// Parses `projects/{project}/{collection}/{child}` into its two ids; the
// project id must pass CheckId, the child is returned for the caller to
// interpret.
absl::StatusOr<std::pair<std::string, std::string>> ParseChildName(
    absl::string_view field, absl::string_view name,
    absl::string_view collection);

// A page request resolved: where to start and how many.
struct PageRequest {
  int64_t offset = 0;
  int64_t size = kDefaultPageSize;
};

// Resolves page_size (0 = default, capped at kMaxPageSize, negative is
// INVALID_ARGUMENT) and page_token. A token is bound to `query_key` (the
// method, filter and order it was issued for: callers begin it with the
// method's name, so that a token of one list is not read as another's);
// a token from another query or a malformed one is INVALID_ARGUMENT.
absl::StatusOr<PageRequest> ResolvePage(int32_t page_size,
                                        absl::string_view page_token,
                                        absl::string_view query_key);

// A page request for a list read in the order of a unique, non-negative
// key (the audit trail, by event number): the page size, and the key of
// the last item the previous page returned (unset for the first page). The
// next page starts after that item, however many items were added or
// removed elsewhere in the list meanwhile: nothing is returned twice.
struct KeyPageRequest {
  int64_t size = kDefaultPageSize;
  std::optional<int64_t> after_key;
};

// As ResolvePage, for a keyed list: page_size the same, page_token one
// KeyPageToken issued for `query_key`; any other token (an offset token
// included) is INVALID_ARGUMENT.
absl::StatusOr<KeyPageRequest> ResolveKeyPage(int32_t page_size,
                                              absl::string_view page_token,
                                              absl::string_view query_key);

// The token for the page after the one whose last item has `last_key`.
std::string KeyPageToken(int64_t last_key, absl::string_view query_key);

// The same for a list in the order of a unique text key (project ids):
// the page size, and the key the previous page ended with (unset for the
// first page). Any other token is INVALID_ARGUMENT.
struct TextKeyPageRequest {
  int64_t size = kDefaultPageSize;
  std::optional<std::string> after_key;
};
absl::StatusOr<TextKeyPageRequest> ResolveTextKeyPage(
    int32_t page_size, absl::string_view page_token,
    absl::string_view query_key);
std::string TextKeyPageToken(absl::string_view last_key,
                             absl::string_view query_key);

// Lists without a total are read one row past the page (`page.size + 1`,
// the fetch limit): the extra row only says that a next page exists.
inline int64_t FetchLimit(const PageRequest& page) { return page.size + 1; }

// For a list read with FetchLimit: how many of the `fetched` rows to
// return, and the token for the next page ("" when there is none).
struct PageCut {
  int64_t count = 0;
  std::string next_page_token;
};
PageCut CutPage(const PageRequest& page, size_t fetched,
                absl::string_view query_key);

// The token for the page after `page` when `returned` items came back and
// `total` match; empty when there is no next page.
std::string NextPageToken(const PageRequest& page, int64_t returned,
                          int64_t total, absl::string_view query_key);

// For a list held whole in memory: calls `emit(i)` for each index of the
// requested page of `total` items, and returns the next page's token.
template <typename EmitFn>
std::string EmitPage(const PageRequest& page, int64_t total,
                     absl::string_view query_key, EmitFn emit) {
  int64_t returned = 0;
  for (int64_t i = page.offset; i < total && returned < page.size; ++i) {
    emit(i);
    ++returned;
  }
  return NextPageToken(page, returned, total, query_key);
}

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_NAMES_H_
