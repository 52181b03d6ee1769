// Unit tests for the pieces of the canonical request; the full suites are in *_suite_test.cc.
#include "aws/sigv4/canonical_request.h"

#include <gtest/gtest.h>

#include "base/hash.h"

namespace cordon::aws::sigv4 {
namespace {

SigningParams Generic() {
  SigningParams p;
  p.region = "us-east-1";
  p.service = "ec2";
  return p;
}

SigningParams S3Style() {
  SigningParams p = Generic();
  p.service = "s3";
  p.normalize_path = false;
  p.double_encode_path = false;
  p.sign_body = true;
  return p;
}

TEST(CanonicalUri, EmptyPathIsSlash) {
  EXPECT_EQ(CanonicalUri("", Generic()), "/");
  EXPECT_EQ(CanonicalUri("", S3Style()), "/");
}

TEST(CanonicalUri, NormalizesDotSegmentsAndDuplicateSlashes) {
  SigningParams p = Generic();
  EXPECT_EQ(CanonicalUri("/a/./b/../c", p), "/a/c");
  EXPECT_EQ(CanonicalUri("//a//b//", p), "/a/b/");
  EXPECT_EQ(CanonicalUri("/a/..", p), "/");
  EXPECT_EQ(CanonicalUri("/../../a", p), "/a");
  EXPECT_EQ(CanonicalUri("/a/b/..", p), "/a");
  EXPECT_EQ(CanonicalUri("/..a/.b./", p), "/..a/.b./");  // only whole "." and ".." segments
}

TEST(CanonicalUri, DoubleEncodesForServicesOtherThanS3) {
  SigningParams p = Generic();
  EXPECT_EQ(CanonicalUri("/a%20b/c~d", p), "/a%2520b/c~d");
  EXPECT_EQ(CanonicalUri("/a b/\xe1\x88\xb4", p), "/a%20b/%E1%88%B4");
}

TEST(CanonicalUri, LeavesS3PathsAsSent) {
  EXPECT_EQ(CanonicalUri("/bucket/my-object//example/../photo%20one.user", S3Style()),
            "/bucket/my-object//example/../photo%20one.user");
}

TEST(CanonicalUri, NormalizesWithoutDoubleEncoding) {
  SigningParams p = Generic();
  p.double_encode_path = false;
  EXPECT_EQ(CanonicalUri("//a%20b/./c", p), "/a%20b/c");
}

TEST(ParseQuery, DecodesPairsInOrder) {
  QueryParams params = ParseQuery("b=2&a=%2F%20x&flag&empty=&&c=1+1");
  ASSERT_EQ(params.size(), 5u);
  EXPECT_EQ(params[0], (std::pair<std::string, std::string>("b", "2")));
  EXPECT_EQ(params[1], (std::pair<std::string, std::string>("a", "/ x")));
  EXPECT_EQ(params[2], (std::pair<std::string, std::string>("flag", "")));
  EXPECT_EQ(params[3], (std::pair<std::string, std::string>("empty", "")));
  EXPECT_EQ(params[4], (std::pair<std::string, std::string>("c", "1+1")));
  EXPECT_TRUE(ParseQuery("").empty());
}

TEST(CanonicalQueryString, SortsByEncodedKeyThenValue) {
  EXPECT_EQ(CanonicalQueryString(ParseQuery("b=2&a=z&a=y&A=1&a-b=3")), "A=1&a=y&a=z&a-b=3&b=2");
}

TEST(CanonicalQueryString, EncodesWithRfc3986) {
  EXPECT_EQ(CanonicalQueryString(ParseQuery("k=%7e+%2a&sp%20ace=a b&x=~!'()*")),
            "k=~%2B%2A&sp%20ace=a%20b&x=~%21%27%28%29%2A");
  EXPECT_EQ(CanonicalQueryString(ParseQuery("flag")), "flag=");
  EXPECT_EQ(CanonicalQueryString({}), "");
}

TEST(CanonicalHeaders, LowercasesSortsTrimsAndJoins) {
  HttpRequest req;
  req.url = "https://example.amazonaws.com/";
  req.headers.Add("Host", "example.amazonaws.com");
  req.headers.Add("X-B", "  two   words\t here ");
  req.headers.Add("x-a", "1");
  req.headers.Add("X-A", "folded\n   line");
  req.headers.Add("Empty", "");
  std::string signed_headers;
  EXPECT_EQ(CanonicalHeaders(req, Generic(), &signed_headers),
            "empty:\nhost:example.amazonaws.com\nx-a:1,folded line\nx-b:two words here\n");
  EXPECT_EQ(signed_headers, "empty;host;x-a;x-b");
}

TEST(CanonicalHeaders, SkipsHeadersThatChangeInTransit) {
  HttpRequest req;
  req.url = "https://example.amazonaws.com/";
  for (const char* name :
       {"Authorization", "User-Agent", "X-Amzn-Trace-Id", "Expect", "Transfer-Encoding", "Connection"}) {
    req.headers.Add(name, "x");
  }
  req.headers.Add("Content-Length", "0");
  std::string signed_headers;
  CanonicalHeaders(req, Generic(), &signed_headers);
  EXPECT_EQ(signed_headers, "content-length;host");
}

TEST(CanonicalHeaders, AddsHostFromUrlWithNonDefaultPort) {
  HttpRequest req;
  std::string signed_headers;
  req.url = "http://127.0.0.1:5000/path?x=1";
  EXPECT_EQ(CanonicalHeaders(req, Generic(), &signed_headers), "host:127.0.0.1:5000\n");
  req.url = "https://ec2.us-east-1.amazonaws.com:443/";
  EXPECT_EQ(CanonicalHeaders(req, Generic(), &signed_headers), "host:ec2.us-east-1.amazonaws.com\n");
  req.url = "http://[::1]:80/";
  EXPECT_EQ(CanonicalHeaders(req, Generic(), &signed_headers), "host:[::1]\n");
  req.url = "http://[::1]:8080";
  EXPECT_EQ(CanonicalHeaders(req, Generic(), &signed_headers), "host:[::1]:8080\n");
}

TEST(CanonicalHeaders, OmitsSessionTokenOnlyWhenAsked) {
  HttpRequest req;
  req.url = "https://example.amazonaws.com/";
  req.headers.Add("X-Amz-Security-Token", "token");
  std::string signed_headers;
  SigningParams p = Generic();
  CanonicalHeaders(req, p, &signed_headers);
  EXPECT_EQ(signed_headers, "host;x-amz-security-token");
  p.omit_session_token = true;
  CanonicalHeaders(req, p, &signed_headers);
  EXPECT_EQ(signed_headers, "host");
}

TEST(PayloadHash, HashesBodyUnlessGiven) {
  HttpRequest req;
  req.body = "Param1=value1";
  SigningParams p = Generic();
  EXPECT_EQ(PayloadHash(req, p), Sha256Hex("Param1=value1"));
  p.payload_hash = kUnsignedPayload;
  EXPECT_EQ(PayloadHash(req, p), "UNSIGNED-PAYLOAD");
}

TEST(CanonicalRequest, JoinsTheSixParts) {
  HttpRequest req;
  req.method = "GET";
  req.url = "https://example.amazonaws.com";
  req.headers.Add("X-Amz-Date", "20150830T123600Z");
  std::string signed_headers;
  EXPECT_EQ(CanonicalRequest(req, Generic(), &signed_headers),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CanonicalRequest, AddsExtraQueryParams) {
  HttpRequest req;
  req.url = "https://example.amazonaws.com/?b=1";
  std::string signed_headers;
  std::string canonical = CanonicalRequest(req, Generic(), {{"a", "x/y"}}, &signed_headers);
  EXPECT_EQ(canonical.substr(0, canonical.find("host:")), "GET\n/\na=x%2Fy&b=1\n");
}

}  // namespace
}  // namespace cordon::aws::sigv4
