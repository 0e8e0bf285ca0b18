#include "storage/data_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace edgesql::storage {
namespace {

class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/edgesql-datadir-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_;
};

TEST_F(DataDirTest, FirstOpenNeedsInitializationUntilMarked) {
  std::string dir = root_ + "/data";
  {
    auto d = DataDirectory::Open(dir);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_TRUE((*d)->needs_initialization());
    ASSERT_TRUE((*d)->MarkInitialized().ok());
  }
  auto again = DataDirectory::Open(dir);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE((*again)->needs_initialization());
}

TEST_F(DataDirTest, SecondOpenFailsWithHolderPidWhileFirstHoldsTheLock) {
  auto first = DataDirectory::Open(root_);
  ASSERT_TRUE(first.ok());
  auto second = DataDirectory::Open(root_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().number, 5120);
  EXPECT_NE(second.error().message.find("in use by another edgesql server (pid " +
                                        std::to_string(::getpid()) + ")"),
            std::string::npos)
      << second.error().message;
  first = DataDirectory::Open(root_ + "/other");  // releases the first lock
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(DataDirectory::Open(root_).ok());
}

TEST_F(DataDirTest, DatabaseFilesAreNamedByIdOnly) {
  auto d = DataDirectory::Open(root_);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->DatabasePath(5), root_ + "/db/00000005.sqlite");
}

TEST_F(DataDirTest, RejectsUnknownFormat) {
  {
    auto d = DataDirectory::Open(root_);
    ASSERT_TRUE(d.ok());
  }
  FILE* f = std::fopen((root_ + "/FORMAT").c_str(), "w");
  std::fputs("something else\n", f);
  std::fclose(f);
  auto d = DataDirectory::Open(root_);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("unknown data directory format"), std::string::npos);
}

}  // namespace
}  // namespace edgesql::storage
