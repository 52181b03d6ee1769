#include "aws/credentials/read_file.h"

#include <gtest/gtest.h>

#include "aws/credentials/test_util.h"

namespace cordon::aws::detail {
namespace {

using testing::TempDir;

TEST(ReadFileTest, ReadsWholeFile) {
  TempDir dir;
  std::string big(100000, 'x');
  auto text = ReadWholeFile(dir.Write("f", big));
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, big);
}

TEST(ReadFileTest, DistinguishesMissingFromUnreadable) {
  TempDir dir;
  EXPECT_EQ(ReadWholeFile(dir.path() + "/missing").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(ReadWholeFile(dir.path()).error().kind, ErrorKind::kIo);  // a directory
  EXPECT_EQ(ReadWholeFile(dir.Write("f", "12345"), 4).error().kind, ErrorKind::kIo);
}

}  // namespace
}  // namespace cordon::aws::detail
