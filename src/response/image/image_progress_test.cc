#include "response/image/image_progress.h"

#include <gtest/gtest.h>

#include <fstream>

#include "evidence/test_util.h"

namespace cordon::response::image {
namespace {

using evidence::test::ScratchDir;

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ImageProgress, RecordsSurviveReopening) {
  ScratchDir dir;
  const auto path = dir.path() / "snap.img.progress";
  {
    auto p = ImageProgress::Open(path, "snap-1", 524288, 2048);
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_TRUE((*p)->done().empty());
    ASSERT_TRUE((*p)->MarkDone(7, "c2V2ZW4="));
    ASSERT_TRUE((*p)->MarkDone(0, "emVybw=="));
  }
  auto p = ImageProgress::Open(path, "snap-1", 524288, 2048);
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)->done(), (std::map<int64_t, std::string>{{0, "emVybw=="}, {7, "c2V2ZW4="}}));
  EXPECT_EQ(ReadAll(path), "cordon-image-progress v1 snap-1 524288 2048\n7 c2V2ZW4=\n0 emVybw==\n");
}

TEST(ImageProgress, TornLastLineIsNotDone) {
  ScratchDir dir;
  const auto path = dir.path() / "p";
  std::ofstream(path) << "cordon-image-progress v1 snap-1 524288 2048\n3 YWJj\n9 ZGV";  // died mid-write
  auto p = ImageProgress::Open(path, "snap-1", 524288, 2048);
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)->done(), (std::map<int64_t, std::string>{{3, "YWJj"}}));
}

TEST(ImageProgress, IndexesOutsideTheImageAreIgnored) {
  ScratchDir dir;
  const auto path = dir.path() / "p";
  std::ofstream(path) << "cordon-image-progress v1 snap-1 524288 4\n3 YQ==\n4 Yg==\n-1 Yw==\nx y\n";
  auto p = ImageProgress::Open(path, "snap-1", 524288, 4);
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)->done(), (std::map<int64_t, std::string>{{3, "YQ=="}}));
}

TEST(ImageProgress, AnotherSnapshotsProgressIsAConflict) {
  ScratchDir dir;
  const auto path = dir.path() / "p";
  ASSERT_TRUE(ImageProgress::Open(path, "snap-1", 524288, 2048));
  auto other = ImageProgress::Open(path, "snap-2", 524288, 2048);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::kConflict);
  EXPECT_NE(other.error().message.find("snap-1"), std::string::npos);
}

}  // namespace
}  // namespace cordon::response::image
