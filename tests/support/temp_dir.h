// A fresh directory per test, removed with everything in it afterwards.
#ifndef PORTFOLIO_TESTS_SUPPORT_TEMP_DIR_H_
#define PORTFOLIO_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace portfolio::testing {

// Creates a unique directory under $TMPDIR (or /tmp); removes it
// recursively on destruction. Not thread-safe.
class TempDir final {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `content` to `path`, replacing it. Aborts the test binary on error.
void WriteFile(const std::string& path, const std::string& content);

}  // namespace portfolio::testing

#endif  // PORTFOLIO_TESTS_SUPPORT_TEMP_DIR_H_
