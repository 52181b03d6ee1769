#include "response/image/image_upload.h"

#include <gtest/gtest.h>

namespace cordon::response::image {
namespace {

constexpr int64_t kMiB = int64_t{1} << 20;

TEST(PartSizeFor, EightMiBUntilTenThousandPartsWouldNotDo) {
  EXPECT_EQ(PartSizeFor(1), 8 * kMiB);
  EXPECT_EQ(PartSizeFor(int64_t{8} << 30), 8 * kMiB);  // 1,024 parts
  EXPECT_EQ(PartSizeFor(10000 * 8 * kMiB), 8 * kMiB);  // exactly 10,000 parts
  const int64_t tib16 = int64_t{16} << 40;             // the largest gp3 volume
  const int64_t part = PartSizeFor(tib16);
  EXPECT_EQ(part % kMiB, 0);
  EXPECT_LE((tib16 + part - 1) / part, 10000);
  EXPECT_LE(part, int64_t{5} << 30);  // S3's largest part
}

}  // namespace
}  // namespace cordon::response::image
