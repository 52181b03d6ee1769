#include "base/read_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "testing/temp_dir.h"

namespace cordon {
namespace {

class ReadSmallFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& contents) {
    return tmp_.Write(name, contents);
  }
  test::TempDir tmp_;
  const std::string dir_ = tmp_.path().string();
};

TEST_F(ReadSmallFileTest, ReadsWholeFile) {
  const std::string big(100000, 'x');
  auto text = ReadSmallFile(Write("f", big));
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, big);
}

TEST_F(ReadSmallFileTest, DistinguishesMissingFromUnreadable) {
  EXPECT_EQ(ReadSmallFile(dir_ + "/missing").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(ReadSmallFile(dir_).error().kind, ErrorKind::kIo);  // a folder
  EXPECT_EQ(ReadSmallFile(Write("f", "12345"), 4).error().kind, ErrorKind::kIo);
}

TEST_F(ReadSmallFileTest, RefusesFifosAndDevicesAtOnce) {
  // Without O_NONBLOCK the open of a FIFO with no writer would wait forever; /dev/zero never ends.
  const std::string fifo = dir_ + "/rules.yml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto from_fifo = ReadSmallFile(fifo);
  ASSERT_FALSE(from_fifo);
  EXPECT_NE(from_fifo.error().message.find("not a regular file"), std::string::npos);
  EXPECT_EQ(ReadSmallFile("/dev/zero").error().kind, ErrorKind::kIo);
  // A link is followed to what it names.
  std::filesystem::create_symlink(Write("target", "text"), dir_ + "/link");
  EXPECT_EQ(ReadSmallFile(dir_ + "/link").value(), "text");
}

}  // namespace
}  // namespace cordon
