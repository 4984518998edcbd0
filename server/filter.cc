#include "server/filter.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/errors.h"
#include "server/names.h"

namespace portfolio {
namespace {

class FilterParser {
 public:
  explicit FilterParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::map<std::string, std::string>> Parse(
      const std::set<std::string>& allowed) {
    std::map<std::string, std::string> terms;
    SkipSpace();
    if (AtEnd()) return terms;
    while (true) {
      const std::string field = Word();
      if (field.empty()) return Error("expected a field name");
      if (allowed.count(field) == 0) {
        return FieldError(
            "filter",
            absl::StrCat("unknown field \"", Excerpt(field), "\"; filter on ",
                         absl::StrJoin(allowed, ", ")));
      }
      SkipSpace();
      if (AtEnd() || (text_[pos_] != '=' && text_[pos_] != ':')) {
        return Error(absl::StrCat("expected '=' after ", field));
      }
      ++pos_;
      SkipSpace();
      absl::StatusOr<std::string> value = Value();
      if (!value.ok()) return value.status();
      if (!terms.emplace(field, *value).second) {
        return FieldError("filter",
                          absl::StrCat("field \"", field, "\" appears twice"));
      }
      SkipSpace();
      if (AtEnd()) return terms;
      if (Word() != "AND") return Error("expected AND between terms");
      SkipSpace();
    }
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  void SkipSpace() {
    while (!AtEnd() &&
           absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }
  absl::Status Error(absl::string_view why) const {
    return FieldError("filter",
                      absl::StrCat(why, " at byte ", pos_ + 1, " of \"",
                                   Excerpt(text_, 200), "\""));
  }
  // A bare word: anything up to whitespace, '=', ':' or a quote.
  std::string Word() {
    const size_t start = pos_;
    while (!AtEnd()) {
      const char c = text_[pos_];
      if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '=' ||
          c == ':' || c == '"') {
        break;
      }
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  absl::StatusOr<std::string> Value() {
    if (AtEnd()) return Error("expected a value");
    if (text_[pos_] != '"') {
      std::string word = Word();
      if (word.empty()) return Error("expected a value");
      return word;
    }
    ++pos_;
    std::string out;
    while (!AtEnd()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\' && !AtEnd()) {
        out.push_back(text_[pos_++]);
        continue;
      }
      out.push_back(c);
    }
    return Error("unterminated quoted value");
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> ParseFilter(
    absl::string_view text, const std::set<std::string>& allowed) {
  RETURN_IF_ERROR(CheckLength("filter", text, kMaxFilterChars));
  return FilterParser(text).Parse(allowed);
}

}  // namespace portfolio
