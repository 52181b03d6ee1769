#include "response/bucket/bucket_ref.h"

#include <gtest/gtest.h>

#include "response/bucket/bucket_create.h"
#include "response/bucket/journal_anchor.h"

namespace cordon::response {
namespace {

TEST(BucketRef, ParsesBucketAndPrefix) {
  auto ref = ParseBucketUri("s3://ir-evidence/cases/2026/", "--evidence-bucket");
  ASSERT_TRUE(ref) << ref.error().message;
  EXPECT_EQ(ref->bucket, "ir-evidence");
  EXPECT_EQ(ref->prefix, "cases/2026");
  EXPECT_EQ(ref->Uri(), "s3://ir-evidence/cases/2026");
  EXPECT_EQ(ref->CaseKeyPrefix("IR-42"), "cases/2026/IR-42/");
  auto bare = ParseBucketUri("s3://ir-evidence", "--to");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->CaseKeyPrefix("IR-42"), "IR-42/");
}

TEST(BucketRef, RefusesWhatIsNotAPlainBucketUri) {
  for (const char* bad : {"ir-evidence", "s3://", "s3://IR_Evidence/x", "s3://ir-evidence//x",
                          "s3://ir-evidence/a/../b", "s3://ir-evidence/a b"}) {
    auto ref = ParseBucketUri(bad, "--evidence-bucket");
    ASSERT_FALSE(ref) << bad;
    EXPECT_EQ(ref.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(ref.error().message.find("--evidence-bucket"), std::string::npos) << ref.error().message;
  }
}

TEST(JournalAnchor, KeySortsBySeq) {
  const BucketRef ref{"ir-evidence", "cases"};
  evidence::JournalHead head;
  head.seq = 42;
  head.hash = std::string(64, 'a');
  EXPECT_EQ(AnchorKey(ref, "IR-1", head), "cases/IR-1/anchors/000000000042-" + head.hash + ".json");
}

TEST(EvidenceBucketPolicy, KeepsOtherStatementsAndReplacesCordons) {
  const Json existing = {{"Version", "2012-10-17"},
                         {"Statement",
                          {{{"Sid", "theirs"}, {"Effect", "Allow"}},
                           {{"Sid", "cordon-deny-evidence-deletes"}, {"Effect", "Allow"}}}}};
  const Json merged = EvidenceBucketPolicy("ir-evidence", existing);
  ASSERT_EQ(merged["Statement"].size(), 3u);
  EXPECT_EQ(merged["Statement"][0]["Sid"], "theirs");
  for (size_t i = 1; i < 3; ++i) EXPECT_EQ(merged["Statement"][i]["Effect"], "Deny");
  EXPECT_EQ(EvidenceBucketPolicy("ir-evidence", merged), merged) << "merging again changes nothing";
  EXPECT_EQ(EvidenceBucketPolicy("ir-evidence", Json())["Statement"].size(), 2u);
}

}  // namespace
}  // namespace cordon::response
