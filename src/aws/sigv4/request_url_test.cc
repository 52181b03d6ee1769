// Splitting request URLs for signing: host header, path and query, nothing decoded.
#include "aws/sigv4/request_url.h"

#include <gtest/gtest.h>

namespace cordon::aws::sigv4::detail {
namespace {

TEST(SplitRequestUrl, SplitsHostPathAndQuery) {
  RequestUrl url = SplitRequestUrl("HTTPS://user@Example.com:8443/a%20b/c?x=1&y#frag");
  EXPECT_TRUE(url.valid());
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host_header, "Example.com:8443");
  EXPECT_EQ(url.path, "/a%20b/c");
  EXPECT_EQ(url.query, "x=1&y");
  EXPECT_TRUE(url.has_query_mark);
}

TEST(SplitRequestUrl, DropsDefaultPorts) {
  EXPECT_EQ(SplitRequestUrl("https://h:443/").host_header, "h");
  EXPECT_EQ(SplitRequestUrl("http://h:80/").host_header, "h");
  EXPECT_EQ(SplitRequestUrl("http://h:443/").host_header, "h:443");
  EXPECT_EQ(SplitRequestUrl("https://[fe80::1]/").host_header, "[fe80::1]");
}

TEST(SplitRequestUrl, HandlesMissingPathAndQuery) {
  RequestUrl url = SplitRequestUrl("https://h");
  EXPECT_TRUE(url.valid());
  EXPECT_EQ(url.path, "");
  EXPECT_FALSE(url.has_query_mark);
  url = SplitRequestUrl("https://h?");
  EXPECT_EQ(url.path, "");
  EXPECT_TRUE(url.has_query_mark);
  EXPECT_EQ(url.query, "");
}

TEST(SplitRequestUrl, IsNotValidWithoutSchemeOrHost) {
  EXPECT_FALSE(SplitRequestUrl("/path?x=1").valid());
  EXPECT_FALSE(SplitRequestUrl("https:///path").valid());
  EXPECT_FALSE(SplitRequestUrl("").valid());
}

}  // namespace
}  // namespace cordon::aws::sigv4::detail
