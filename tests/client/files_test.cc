#include "client/files.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

namespace fs = std::filesystem;

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) /
            (std::string("client_files_") + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static int ModeOf(const fs::path& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 07777);
  }

  fs::path root_;
};

TEST_F(FilesTest, NothingUnderTheNameUntilCommitThenOnlyTheFile) {
  const fs::path path = root_ / "copy.db";
  const fs::path temp = root_ / "copy.db.partial";
  auto file = PendingFile::Create(path.string(), temp.string());
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE((*file)->Append("abc").ok());
  ASSERT_TRUE((*file)->Append("").ok());
  ASSERT_TRUE((*file)->Append("def").ok());
  EXPECT_EQ((*file)->size(), 6);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(ModeOf(temp), 0600);
  ASSERT_TRUE((*file)->Commit(/*replace=*/false).ok());
  EXPECT_EQ(Read(path), "abcdef");
  EXPECT_EQ(ModeOf(path), 0600);
  file->reset();
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(temp));
}

TEST_F(FilesTest, DroppedBeforeCommitLeavesNothing) {
  const fs::path path = root_ / "copy.db";
  {
    auto file = PendingFile::Create(path.string(), path.string() + ".partial");
    ASSERT_TRUE(file.ok()) << file.status();
    ASSERT_TRUE((*file)->Append("half").ok());
  }
  EXPECT_TRUE(fs::is_empty(root_));
}

TEST_F(FilesTest, CommitWithoutReplaceLeavesAnExistingFileAlone) {
  const fs::path path = root_ / "copy.db";
  std::ofstream(path) << "old";
  auto file = PendingFile::Create(path.string(), path.string() + ".partial");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE((*file)->Append("new").ok());
  EXPECT_TRUE(absl::IsAlreadyExists((*file)->Commit(/*replace=*/false)));
  file->reset();
  EXPECT_EQ(Read(path), "old");
  EXPECT_FALSE(fs::exists(path.string() + ".partial"));
}

TEST_F(FilesTest, CommitWithReplaceReplaces) {
  const fs::path path = root_ / "copy.db";
  std::ofstream(path) << "old";
  auto file = PendingFile::Create(path.string(), path.string() + ".partial");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE((*file)->Append("new").ok());
  ASSERT_TRUE((*file)->Commit(/*replace=*/true).ok());
  EXPECT_EQ(Read(path), "new");
}

TEST_F(FilesTest, AStaleWorldReadableTemporaryFileIsMadePrivate) {
  const fs::path path = root_ / "config";
  const fs::path temp = root_ / "config.tmp";
  std::ofstream(temp) << "stale secret";
  fs::permissions(temp, fs::perms(0666));
  auto file = PendingFile::Create(path.string(), temp.string());
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(ModeOf(temp), 0600);
  EXPECT_EQ(Read(temp), "");  // truncated
}

// A shared file (a report) takes the umask, even over a stale private
// temporary file left by an interrupted run.
TEST_F(FilesTest, ASharedFileTakesTheUmask) {
  const fs::path path = root_ / "report.html";
  const fs::path temp = root_ / "report.html.partial";
  std::ofstream(temp) << "stale";
  fs::permissions(temp, fs::perms(0600));
  const mode_t was = umask(022);
  auto file =
      PendingFile::Create(path.string(), temp.string(), FileAccess::kShared);
  umask(027);
  auto narrower =
      PendingFile::Create((root_ / "b").string(),
                          (root_ / "b.partial").string(), FileAccess::kShared);
  umask(was);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE(narrower.ok()) << narrower.status();
  EXPECT_EQ(ModeOf(temp), 0644);
  EXPECT_EQ(Read(temp), "");
  ASSERT_TRUE((*file)->Append("<html>").ok());
  ASSERT_TRUE((*file)->Commit(/*replace=*/true).ok());
  EXPECT_EQ(ModeOf(path), 0644);
  EXPECT_EQ(ModeOf(root_ / "b.partial"), 0640);
}

// Named as the user gave it: the temporary name is the CLI's own.
TEST_F(FilesTest, CreateFailsNamingTheFile) {
  const fs::path temp = root_ / "missing" / "x.partial";
  const fs::path path = root_ / "missing" / "x";
  auto file = PendingFile::Create(path.string(), temp.string());
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find(path.string() + ": cannot create"),
            std::string::npos)
      << file.status();
  EXPECT_EQ(file.status().message().find(".partial"), std::string::npos)
      << file.status();
}

TEST_F(FilesTest, PrivateDirectoryAndItsParentsAre0700) {
  const fs::path dir = root_ / "a" / "b";
  ASSERT_TRUE(MakePrivateDirectory(dir.string()).ok());
  EXPECT_EQ(ModeOf(dir), 0700);
  EXPECT_EQ(ModeOf(root_ / "a"), 0700);
  EXPECT_TRUE(MakePrivateDirectory(dir.string()).ok());  // exists: fine
  std::ofstream(root_ / "file") << "x";
  EXPECT_FALSE(MakePrivateDirectory((root_ / "file").string()).ok());
}

TEST(DirectoryOfTest, Parts) {
  EXPECT_EQ(DirectoryOf("a/b/c"), "a/b");
  EXPECT_EQ(DirectoryOf("/c"), "/");
  EXPECT_EQ(DirectoryOf("c"), ".");
  EXPECT_EQ(DirectoryOf("a/b/"), "a");
}

}  // namespace
}  // namespace portfolio::client
