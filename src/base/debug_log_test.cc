#include "base/debug_log.h"

#include <gtest/gtest.h>

namespace cordon {
namespace {

TEST(DebugLog, RedactsTheSigningParametersOfAPresignedUrl) {
  const std::string url =
      "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261203"
      "&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE&X-Amz-Signature=0123abcd&x-id=GetObject";
  const std::string redacted = RedactUrl(url);
  EXPECT_EQ(redacted,
            "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED"
            "&X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED&x-id=GetObject");
  EXPECT_EQ(RedactUrl("https://ec2.us-east-1.amazonaws.com/"), "https://ec2.us-east-1.amazonaws.com/");
  // SigV2-style names, any case.
  EXPECT_EQ(RedactUrl("https://h/?awsaccesskeyid=AKIA1&signature=x"),
            "https://h/?awsaccesskeyid=REDACTED&signature=REDACTED");
}

TEST(DebugLog, TopicsAreNamedAndAnUnknownOneIsRefused) {
  ASSERT_TRUE(EnableDebug("http,journal"));
  EXPECT_TRUE(DebugEnabled(DebugTopic::kHttp));
  EXPECT_FALSE(DebugEnabled(DebugTopic::kRetry));
  EXPECT_TRUE(DebugEnabled(DebugTopic::kJournal));
  Status bad = EnableDebug("http,secrets");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'secrets'"), std::string::npos);
  ASSERT_TRUE(EnableDebug("all"));
  EXPECT_TRUE(DebugEnabled(DebugTopic::kRetry));
  ASSERT_TRUE(EnableDebug(""));  // none: what every test that does not ask gets
  EXPECT_FALSE(DebugEnabled(DebugTopic::kHttp));
}

}  // namespace
}  // namespace cordon
