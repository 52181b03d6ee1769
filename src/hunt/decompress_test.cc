#include "hunt/decompress.h"

#include <gtest/gtest.h>

#include <random>

#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

using testing::Gzip;

std::string SampleText(size_t n) {
  std::string s;
  std::mt19937 rng(7);
  while (s.size() < n)
    s += "{\"eventID\":\"" + std::to_string(rng()) + "\",\"sourceIPAddress\":\"10.0.0.1\"}\n";
  s.resize(n);
  return s;
}

std::string StreamAll(std::string_view gz, Status* status, size_t chunk = 1000) {
  std::string out;
  *status = GunzipStream(gz, chunk, [&](std::string_view piece) -> Status {
    EXPECT_LE(piece.size(), chunk);
    out.append(piece);
    return Ok();
  });
  return out;
}

TEST(Decompress, WholeObjectRoundTrip) {
  const std::string text = SampleText(300000);
  ByteBuffer out;
  ASSERT_TRUE(GunzipWhole(Gzip(text), 1 << 30, &out));
  EXPECT_EQ(out.view(), text);
  EXPECT_EQ(std::string(out.data() + out.size(), kReadPadding), std::string(kReadPadding, '\0'));
}

TEST(Decompress, MultiMemberWholeAndStreamed) {
  // The last member is tiny, so its ISIZE underestimates the total and the buffer must grow.
  const std::string a = SampleText(200000), b = SampleText(5000), c = "tail\n";
  const std::string gz = Gzip(a) + Gzip(b) + Gzip(c);
  ByteBuffer out;
  ASSERT_TRUE(GunzipWhole(gz, 1 << 30, &out));
  EXPECT_EQ(out.view(), a + b + c);
  Status s;
  EXPECT_EQ(StreamAll(gz, &s), a + b + c);
  EXPECT_TRUE(s);
}

TEST(Decompress, TruncatedGzipIsAParseError) {
  const std::string gz = Gzip(SampleText(100000));
  for (size_t cut : {gz.size() - 1, gz.size() - 8, gz.size() / 2, size_t{12}}) {
    ByteBuffer out;
    Status whole = GunzipWhole(std::string_view(gz).substr(0, cut), 1 << 30, &out);
    ASSERT_FALSE(whole) << cut;
    EXPECT_EQ(whole.error().kind, ErrorKind::kParse);
    Status streamed;
    StreamAll(std::string_view(gz).substr(0, cut), &streamed);
    ASSERT_FALSE(streamed) << cut;
    EXPECT_NE(streamed.error().message.find("truncated"), std::string::npos) << streamed.error().message;
  }
}

TEST(Decompress, OverLimitAsksToStream) {
  ByteBuffer out;
  Status s = GunzipWhole(Gzip(SampleText(100000)), 50000, &out);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
}

TEST(Decompress, GarbageAfterMemberIsReported) {
  ByteBuffer out;
  Status s = GunzipWhole(Gzip("abc") + "junk", 1 << 20, &out);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("trailing garbage"), std::string::npos);
}

// Found by decompress_fuzzer: the two readers must accept the same objects.
TEST(Decompress, EmptyInputIsNotGzipForBothReaders) {
  ByteBuffer out;
  Status whole = GunzipWhole("", 1 << 20, &out);
  ASSERT_FALSE(whole);
  EXPECT_EQ(whole.error().kind, ErrorKind::kParse);
  Status streamed;
  StreamAll("", &streamed);
  EXPECT_FALSE(streamed);
}

// Found by decompress_fuzzer: libdeflate skips a header CRC unchecked, zlib checks it. A member with
// FHCRC goes to the streaming reader, which rejects a wrong header CRC.
TEST(Decompress, HeaderCrcIsLeftToTheStreamingReaderWhichChecksIt) {
  std::string gz = Gzip("hello\n");
  // Set FHCRC and insert a wrong CRC16 after the 10-byte fixed header (no other optional fields).
  gz[3] = static_cast<char>(gz[3] | 0x02);
  gz.insert(10, std::string("\x12\x34", 2));
  ByteBuffer out;
  Status whole = GunzipWhole(gz, 1 << 20, &out);
  ASSERT_FALSE(whole);
  EXPECT_EQ(whole.error().kind, ErrorKind::kInvalidArgument);  // the scanner then streams
  Status streamed;
  StreamAll(gz, &streamed);
  ASSERT_FALSE(streamed);
  EXPECT_NE(streamed.error().message.find("header crc"), std::string::npos);
}

TEST(Decompress, BufferIsReusedAcrossObjects) {
  ByteBuffer out;
  ASSERT_TRUE(GunzipWhole(Gzip(SampleText(100000)), 1 << 30, &out));
  ASSERT_TRUE(GunzipWhole(Gzip("small"), 1 << 30, &out));
  EXPECT_EQ(out.view(), "small");
  EXPECT_GE(out.capacity(), 100000u);
}

// A buffer grown by an earlier, bigger object (with headroom) must not let a later object past max_output:
// the caller relies on kInvalidArgument to switch to streaming.
TEST(Decompress, ReusedBigBufferStillEnforcesMaxOutput) {
  ByteBuffer out;
  ASSERT_TRUE(GunzipWhole(Gzip(SampleText(100000)), 1 << 30, &out));
  ASSERT_GE(out.capacity(), 100000u);
  Status s = GunzipWhole(Gzip(SampleText(5000)), 4000, &out);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
  ASSERT_TRUE(GunzipWhole(Gzip(SampleText(5000)), 5000, &out));
  EXPECT_EQ(out.view(), SampleText(5000));
}

}  // namespace
}  // namespace cordon::hunt
