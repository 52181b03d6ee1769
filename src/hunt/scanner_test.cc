#include "hunt/scanner.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hunt/byte_buffer.h"
#include "hunt/flow_log.h"
#include "hunt/output.h"
#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

// The test data is built with fmt, not "o" + std::to_string(i) + ...: GCC 12 at -O3 flags that
// operator+(const char*, string&&) with a -Wrestrict false positive (GCC bug 105329) in a Release build.

using testing::Gzip;
using testing::Hunt;
using testing::TempDir;
using testing::WriteFile;

const std::string kGoodRecord =
    R"({"eventID":"good-1","eventTime":"2024-01-01T00:00:00Z","eventName":"StopInstances","sourceIPAddress":"198.51.100.1",)"
    R"("userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/admin"},"requestParameters":{"instanceId":"i-0abc"}})";

const Skipped* FindSkipped(const HuntResults& r, const std::string& file_suffix) {
  for (const Skipped& s : r.skipped) {
    if (s.file.size() >= file_suffix.size() &&
        s.file.compare(s.file.size() - file_suffix.size(), std::string::npos, file_suffix) == 0) {
      return &s;
    }
  }
  return nullptr;
}

TEST(Scanner, MalformedInputIsReportedAndTheScanGoesOn) {
  TempDir dir;
  const auto ct = dir.path() / "ct";
  const std::string good = "{\"Records\":[" + kGoodRecord + "]}";
  WriteFile(ct / "good.json.gz", Gzip(good));
  const std::string gz = Gzip(good + std::string(5000, ' '));
  WriteFile(ct / "truncated.json.gz", gz.substr(0, gz.size() / 2));
  WriteFile(ct / "invalid.json",
            R"({"Records":[{"eventID":"bad","requestParameters":{"instanceId":"i-0abc"} "x"}]})");
  WriteFile(ct / "empty.json", "");
  // A record of 6 MB naming the instance: over the 4 MB record limit.
  const std::string big =
      R"({"eventID":"big","eventTime":"2024-01-01T00:00:01Z","requestParameters":{"instanceId":"i-0abc","pad":")" +
      std::string(6 << 20, 'x') + "\"}}";
  WriteFile(ct / "big.json", "{\"Records\":[" + big + "," + kGoodRecord + "]}");
  const auto fl = dir.path() / "fl";
  WriteFile(fl / "missing.log",
            std::string(kDefaultFlowHeader) +
                "\n2 1 eni-1 10.0.3.8 10.0.0.9 1 22 6 1 100 1700000000 1700000060 ACCEPT OK\n"
                "2 1 eni-1 10.0.3.8 10.0.0.9 1 22 6\n"
                "2 1 eni-1 10.0.3.8 10.0.0.9 1 22 6 1 many 1700000000 1700000060 ACCEPT OK\n");
  WriteFile(fl / "unknown.log", "version srcaddr dstaddr bytes mystery-field\n2 10.0.3.8 10.0.0.7 55 zz\n");
  WriteFile(fl / "empty.log.gz", Gzip(""));

  Selectors s;
  s.instances = {"i-0abc"};
  s.ips = {"10.0.3.8"};
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, ct.string()}, {LogKind::kFlowLogs, fl.string()}});

  // The good records were found, from good.json.gz and from big.json (after the oversized one).
  ASSERT_EQ(r.events.size(), 1u);  // both copies share an eventID: one event
  EXPECT_EQ(r.events[0].event_id, "good-1");
  EXPECT_FALSE(r.events[0].by);
  EXPECT_EQ(r.flow_matched_records, 2u);  // missing.log line 1, unknown.log line 1

  const Skipped* truncated = FindSkipped(r, "truncated.json.gz");
  ASSERT_NE(truncated, nullptr);
  EXPECT_EQ(truncated->unit, "object");
  EXPECT_NE(truncated->reason.find("truncated"), std::string::npos) << truncated->reason;
  const Skipped* invalid = FindSkipped(r, "invalid.json");
  ASSERT_NE(invalid, nullptr);
  EXPECT_NE(invalid->reason.find("invalid JSON"), std::string::npos) << invalid->reason;
  const Skipped* empty = FindSkipped(r, "empty.json");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->reason, "empty file");
  ASSERT_NE(FindSkipped(r, "empty.log.gz"), nullptr);
  const Skipped* oversized = FindSkipped(r, "big.json");
  ASSERT_NE(oversized, nullptr);
  EXPECT_EQ(oversized->unit, "record");
  EXPECT_NE(oversized->reason.find("over the limit"), std::string::npos) << oversized->reason;
  size_t bad_lines = 0;
  for (const Skipped& k : r.skipped) {
    if (k.file.ends_with("missing.log")) {
      EXPECT_EQ(k.unit, "line");
      bad_lines += k.count;
    }
  }
  EXPECT_EQ(bad_lines, 2u);  // one with missing fields, one with a non-numeric byte count
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_TRUE(r.warnings[0].file.ends_with("unknown.log"));
  EXPECT_NE(r.warnings[0].message.find("mystery-field"), std::string::npos);
  EXPECT_EQ(ExitStatus(r), kExitIncomplete);
}

TEST(Scanner, LargeRecordIsReadWhenTheLimitAllows) {
  TempDir dir;
  const std::string big =
      R"({"eventID":"big","eventTime":"2024-01-01T00:00:01Z","sourceIPAddress":"10.0.3.8","requestParameters":{"pad":")" +
      std::string(6 << 20, 'x') + "\"}}";
  WriteFile(dir.path() / "big.json.gz", Gzip("{\"Records\":[" + big + "]}"));
  Selectors s;
  s.ips = {"10.0.3.8"};
  ScanOptions options;
  options.cloudtrail.max_record_bytes = 8 << 20;
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, dir.path().string()}}, options);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_TRUE(r.events[0].by);
  EXPECT_EQ(ExitStatus(r), kExitComplete);
}

TEST(Scanner, StreamedGzipGivesTheSameCloudTrailResults) {
  TempDir dir;
  std::string records;
  for (int i = 0; i < 2000; ++i) {
    records +=
        fmt::format(R"({}{{"eventID":"e{}","eventTime":"2024-01-01T00:00:00Z","sourceIPAddress":"{}"}})",
                    i ? "," : "", i, i % 7 ? "10.0.3.80" : "10.0.3.8");
  }
  const std::string doc = "{\"Records\":[" + records + "]}";
  // Two gzip members: the trailer of the last one understates the total size.
  WriteFile(dir.path() / "a.json.gz", Gzip(doc.substr(0, 1000)) + Gzip(doc.substr(1000)));
  Selectors s;
  s.ips = {"10.0.3.8"};
  ScanOptions whole, streamed;
  streamed.whole_object_limit = 100;
  streamed.stream_chunk = 999;
  HuntResults a = Hunt(s, {{LogKind::kCloudTrail, dir.path().string()}}, whole);
  HuntResults b = Hunt(s, {{LogKind::kCloudTrail, dir.path().string()}}, streamed);
  EXPECT_EQ(a.events.size(), 286u);  // i % 7 == 0 for i in [0, 2000)
  EXPECT_EQ(b.events.size(), a.events.size());
  EXPECT_TRUE(b.skipped.empty());
}

TEST(Scanner, DatePrefixesOutsideTheWindowAreNotRead) {
  TempDir dir;
  const std::string base = "AWSLogs/1/CloudTrail/us-east-1/2024/";
  const std::string rec =
      R"({"Records":[{"eventID":"x","eventTime":"2024-01-05T12:00:00Z","sourceIPAddress":"10.0.3.8"}]})";
  WriteFile(dir.path() / (base + "01/05/a.json"), rec);
  WriteFile(dir.path() / (base + "01/06/b.json"), rec);              // within the one-day margin: listed
  WriteFile(dir.path() / (base + "01/09/c.json"), "not even JSON");  // pruned: never read
  WriteFile(dir.path() / (base + "02/01/d.json"), "not even JSON");
  Selectors s;
  s.ips = {"10.0.3.8"};
  s.since = ParseTimestamp("2024-01-05T00:00:00Z");
  s.until = ParseTimestamp("2024-01-05T23:59:59Z");
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, dir.path().string()}});
  EXPECT_EQ(r.objects, 2u);
  EXPECT_TRUE(r.skipped.empty());
}

TEST(Scanner, MissingSourceFailsTheHunt) {
  Selectors s;
  s.ips = {"10.0.3.8"};
  std::vector<SourceSpec> sources;
  sources.push_back({LogKind::kCloudTrail, std::make_unique<LocalSource>("/nonexistent/cordon")});
  Result<HuntResults> r = RunHunt(s, sources, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
}

// Workers read object after object into one string (Source::ReadInto): a smaller object read after a
// bigger one must hold only its own bytes, with the readers' padding reserved.
TEST(Scanner, ReadIntoReusedStringHoldsOnlyTheNewObject) {
  TempDir dir;
  WriteFile(dir.path() / "big.json", std::string(100000, 'x'));
  WriteFile(dir.path() / "small.json", "small");
  LocalSource source(dir.path().string());
  std::string stored;
  ASSERT_TRUE(source.ReadInto((dir.path() / "big.json").string(), SIZE_MAX, &stored));
  EXPECT_EQ(stored.size(), 100000u);
  ASSERT_TRUE(source.ReadInto((dir.path() / "small.json").string(), SIZE_MAX, &stored));
  EXPECT_EQ(stored, "small");
  EXPECT_GE(stored.capacity(), stored.size() + kReadPadding);
  EXPECT_FALSE(source.ReadInto((dir.path() / "missing.json").string(), SIZE_MAX, &stored));
}

// One worker scans a big plain object and then a small one from the same reused string: the small one's
// results must not see the big one's leftover bytes.
TEST(Scanner, OneWorkerScansObjectsOfDifferentSizesExactly) {
  TempDir dir;
  const auto ct = dir.path() / "ct";
  std::string filler;
  for (int i = 0; i < 200; ++i) {
    filler += R"({"eventID":"filler-)" + std::to_string(i) +
              R"(","eventTime":"2024-01-01T00:00:00Z","requestParameters":{"instanceId":"i-0abc"}},)";
  }
  WriteFile(ct / "a.json", "{\"Records\":[" + filler + kGoodRecord + "]}");
  WriteFile(ct / "b.json", "{\"Records\":[" + kGoodRecord + "]}");
  Selectors selectors;
  selectors.instances = {"i-0abc"};
  ScanOptions options;
  options.threads = 1;
  HuntResults r = Hunt(selectors, {{LogKind::kCloudTrail, ct.string()}}, options);
  EXPECT_TRUE(r.skipped.empty());
  EXPECT_EQ(r.objects, 2u);
  EXPECT_EQ(r.events.size(), 201u);  // good-1 is in both objects: reported once
}

// S3 sources are read through S3Source; OpenSource only refuses one when no client was given to read it
// with (callers that read only local files pass none), and says so.
TEST(Scanner, S3SourceWithoutClientIsRefused) {
  Result<std::unique_ptr<Source>> s = OpenSource("s3://bucket/AWSLogs/");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(s.error().message.find("needs an AWS client"), std::string::npos) << s.error().message;
}

TEST(Scanner, MalformedS3UrlIsRefusedBeforeTheClientIsNeeded) {
  Result<std::unique_ptr<Source>> s = OpenSource("s3://");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("no bucket name"), std::string::npos) << s.error().message;
}

// ---- Issue 16: one memory budget for every worker ----

std::string Records(int n, const std::string& prefix, const std::string& pad = "") {
  std::string records;
  for (int i = 0; i < n; ++i) {
    records += fmt::format(
        R"({}{{"eventID":"{}{}","eventTime":"2024-01-01T00:00:00Z","sourceIPAddress":"10.0.3.8","pad":"{}"}})",
        i ? "," : "", prefix, i, pad);
  }
  return "{\"Records\":[" + records + "]}";
}

// A JSON object whose parse could need more than the budget is skipped with the reason, plain or gzip
// (with a true or a lying trailer), and the rest of the input is scanned.
TEST(Scanner, JsonObjectOverTheBudgetIsSkippedWithItsReason) {
  TempDir dir;
  const std::string big = Records(10, "big", std::string(100000, 'x'));  // 1 MB
  WriteFile(dir.path() / "plain.json", big);
  WriteFile(dir.path() / "whole.json.gz", Gzip(big));
  WriteFile(dir.path() / "members.json.gz", Gzip(big.substr(0, 500000)) + Gzip(big.substr(500000)));
  WriteFile(dir.path() / "small.json", Records(3, "small"));
  Selectors s;
  s.ips = {"10.0.3.8"};
  ScanOptions options;
  options.memory_budget = 4u << 20;
  options.stream_chunk = 64u << 10;
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, dir.path().string()}}, options);
  EXPECT_EQ(r.events.size(), 3u);
  ASSERT_EQ(r.skipped.size(), 3u);
  for (const char* name : {"plain.json", "whole.json.gz", "members.json.gz"}) {
    const Skipped* k = FindSkipped(r, name);
    ASSERT_NE(k, nullptr) << name;
    EXPECT_EQ(k->unit, "object");
    EXPECT_NE(k->reason.find("memory budget of 4194304 bytes"), std::string::npos)
        << name << ": " << k->reason;
  }
  EXPECT_EQ(ExitStatus(r), kExitIncomplete);
}

// A gzip flow log of one line longer than the budget is streamed: the line is skipped, the rest read.
TEST(Scanner, FlowLogLineLongerThanTheBudgetIsSkipped) {
  TempDir dir;
  const std::string good = "2 1 eni-1 10.0.3.8 10.0.0.9 1 22 6 1 100 1700000000 1700000060 ACCEPT OK\n";
  WriteFile(dir.path() / "bomb.log.gz",
            Gzip(std::string(kDefaultFlowHeader) + "\n" + good + std::string(8u << 20, '1') + "\n" + good));
  Selectors s;
  s.ips = {"10.0.3.8"};
  ScanOptions options;
  options.memory_budget = 2u << 20;
  options.stream_chunk = 64u << 10;
  HuntResults r = Hunt(s, {{LogKind::kFlowLogs, dir.path().string()}}, options);
  EXPECT_EQ(r.flow_matched_records, 2u);
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].unit, "line");
  EXPECT_EQ(r.skipped[0].reason.rfind("line over 65536 bytes (first at byte ", 0), 0u) << r.skipped[0].reason;
  EXPECT_GT(r.bytes_scanned, 8u << 20);
}

// Workers that find no room wait for it (dropping what they hold and reading the object again); the
// results are those of an unlimited scan.
TEST(Scanner, WorkersShareATightBudgetAndFindEverything) {
  TempDir dir;
  for (int i = 0; i < 24; ++i) {
    const std::string doc = Records(20, fmt::format("o{}-", i), std::string(2000, 'y'));
    WriteFile(dir.path() / fmt::format("o{}{}", i, i % 2 ? ".json.gz" : ".json"), i % 2 ? Gzip(doc) : doc);
  }
  Selectors s;
  s.ips = {"10.0.3.8"};
  ScanOptions tight;
  tight.threads = 4;
  tight.memory_budget = 1u << 20;  // about two objects at a time: each may need ~0.45 MB
  HuntResults r = Hunt(s, {{LogKind::kCloudTrail, dir.path().string()}}, tight);
  EXPECT_TRUE(r.skipped.empty()) << r.skipped[0].file << ": " << r.skipped[0].reason;
  EXPECT_EQ(r.events.size(), 24u * 20u);
  EXPECT_EQ(r.objects, 24u);
}

}  // namespace
}  // namespace cordon::hunt
