// The suites' raw-request reader must hand the signer exactly what the files hold.
#include "aws/sigv4/raw_request_for_test.h"

#include <gtest/gtest.h>

namespace cordon::aws::sigv4::test_util {
namespace {

TEST(RawRequestReader, KeepsSpacesAndUtf8InTheTarget) {
  std::optional<RawRequest> raw = ParseRawRequest("GET /example space/\xe1\x88\xb4?a=b c HTTP/1.1\nHost:h\n");
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->method, "GET");
  EXPECT_EQ(raw->target, "/example space/\xe1\x88\xb4?a=b c");
  EXPECT_EQ(raw->version, "HTTP/1.1");
  EXPECT_EQ(ToHttpRequest(*raw)->url, "https://h/example space/\xe1\x88\xb4?a=b c");
}

TEST(RawRequestReader, JoinsContinuationLinesKeepingTheirBytes) {
  std::optional<RawRequest> raw =
      ParseRawRequest("GET / HTTP/1.1\nHost:h\nMy-Header1:value1\n  value2\n\tvalue3\n");
  ASSERT_TRUE(raw.has_value());
  ASSERT_EQ(raw->headers.entries.size(), 2u);
  EXPECT_EQ(raw->headers.entries[1].second, "value1\n  value2\n\tvalue3");
}

TEST(RawRequestReader, ReadsFilesWithoutTrailingNewline) {
  std::optional<RawRequest> raw = ParseRawRequest("GET / HTTP/1.1\nHost:h\nX-Amz-Date:20150830T123600Z");
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(*raw->headers.Find("x-amz-date"), "20150830T123600Z");
  EXPECT_EQ(raw->body, "");
}

TEST(RawRequestReader, ReadsTheBodyByteForByte) {
  std::optional<RawRequest> raw = ParseRawRequest("POST / HTTP/1.1\nHost:h\nContent-Length:4\n\na\nb\n");
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->body, "a\nb\n");
  EXPECT_EQ(WriteRawRequest(*ToHttpRequest(*raw)), "POST / HTTP/1.1\nHost:h\nContent-Length:4\n\na\nb\n");
}

TEST(RawRequestReader, KeepsHeaderValuesAsWritten) {
  std::optional<RawRequest> raw = ParseRawRequest("GET / HTTP/1.1\nHost:h\nMy-Header2: \"a   b\" \n");
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(*raw->headers.Find("My-Header2"), " \"a   b\" ");
}

TEST(RawRequestReader, RejectsMalformedRequests) {
  EXPECT_FALSE(ParseRawRequest("").has_value());
  EXPECT_FALSE(ParseRawRequest("GET\n").has_value());
  EXPECT_FALSE(ParseRawRequest("GET / HTTP/1.1\nno colon\n").has_value());
  EXPECT_FALSE(ParseRawRequest("GET / HTTP/1.1\n continuation first\n").has_value());
  EXPECT_FALSE(ToHttpRequest(*ParseRawRequest("GET / HTTP/1.1\nX:1\n")).has_value());
}

TEST(Redact, HidesKeysAndTokensRawAndEncoded) {
  Credentials creds;
  creds.secret_access_key = "s3cr/t";
  creds.session_token = "tok+en";
  EXPECT_EQ(Redact("a s3cr/t b tok+en c tok%2Ben d s3cr%2Ft", creds),
            "a <secret-access-key> b <session-token> c <session-token> d <secret-access-key>");
}

}  // namespace
}  // namespace cordon::aws::sigv4::test_util
